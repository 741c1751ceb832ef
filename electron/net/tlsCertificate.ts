import type tls from 'node:tls';
import type { TlsCertificate } from '../../shared/net/contract';

function distinguishedName(name: Record<string, string | string[] | undefined> | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : value}`)
    .join(', ');
}

/** What the user is shown about the certificate a TLS peer presented, and whether it was trusted. */
export function describeCertificate(socket: tls.TLSSocket, servername?: string): TlsCertificate | undefined {
  const peer = socket.getPeerCertificate(false);
  if (!peer || Object.keys(peer).length === 0) return undefined;
  const subject = distinguishedName(peer.subject as unknown as Record<string, string>);
  const issuer = distinguishedName(peer.issuer as unknown as Record<string, string>);
  const authorizationError = socket.authorizationError ? String(socket.authorizationError) : undefined;
  const cipher = socket.getCipher();
  return {
    subject,
    issuer,
    ...(peer.subjectaltname ? { subjectAltName: peer.subjectaltname } : {}),
    validFrom: new Date(peer.valid_from).toISOString(),
    validTo: new Date(peer.valid_to).toISOString(),
    fingerprint256: peer.fingerprint256,
    serialNumber: peer.serialNumber,
    selfSigned: subject === issuer,
    authorized: socket.authorized,
    ...(authorizationError ? { authorizationError } : {}),
    ...(socket.getProtocol() ? { protocol: socket.getProtocol() ?? undefined } : {}),
    ...(cipher?.standardName ? { cipher: cipher.standardName } : {}),
    ...(servername ? { servername } : {}),
  };
}
