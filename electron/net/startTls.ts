import type net from 'node:net';
import tls from 'node:tls';
import { PlaygroundError } from '../../shared/contract/errors';
import type { TlsCertificate } from '../../shared/net/contract';
import { formatAddress, ipFamily } from './address';
import { formatSeconds, monoNow, roundMs } from './clock';
import { abortReason, withDeadline } from './deadline';
import { describeCertificate } from './tlsCertificate';

export interface TlsTrust {
  /** The host as the user typed it (names the peer in messages; SNI when it is a name). */
  host: string;
  port: number;
  /** The name to send in SNI and check the certificate against; defaults to `host`. */
  servername?: string | undefined;
  /** Accept a certificate no trusted authority signed, if it still names the host (the built-in servers'). */
  acceptSelfSigned: boolean;
  /** Extra trusted certificates (PEM), for tests. */
  ca?: string | undefined;
  /** 'SMTP', 'HTTP': named in messages. */
  protocol: string;
}

export interface UpgradeOptions extends TlsTrust {
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

export interface Upgraded {
  socket: tls.TLSSocket;
  certificate: TlsCertificate;
  handshakeMs: number;
}

/** Errors that only say "no authority vouches for this certificate": what acceptSelfSigned forgives. */
const untrustedIssuer = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

/** SNI carries names only (RFC 6066), never an IP address. */
function sniName(trust: TlsTrust): string | undefined {
  const name = trust.servername ?? trust.host;
  return ipFamily(name) ? undefined : name;
}

/**
 * Starts TLS on a connection that is already open (STARTTLS in SMTP, IMAP, ...): the
 * handshake runs on the same TCP connection, and what follows goes through the returned
 * TLS socket. The caller stops reading the plain socket first and makes sure nothing it
 * received is still unread: bytes the server sent before the handshake are not protected
 * by it. A failed handshake destroys the connection (it is in an unknown state).
 */
export async function upgradeToTls(socket: net.Socket, options: UpgradeOptions): Promise<Upgraded> {
  const { timeoutMs, signal } = options;
  const target = formatAddress(options.host, options.port);
  if (socket.readableLength > 0) {
    throw new PlaygroundError({
      code: 'E_STATE',
      message: `${target} sent ${socket.readableLength} bytes that were not read yet: TLS cannot start while plain bytes are pending, or they would be taken as protected.`,
    });
  }
  const started = monoNow();
  let secured: tls.TLSSocket | undefined;
  try {
    return await withDeadline(
      (deadline) =>
        new Promise<Upgraded>((resolve, reject) => {
          const servername = sniName(options);
          const upgraded = tls.connect({
            socket,
            ...(servername ? { servername } : {}),
            ...(options.ca ? { ca: options.ca } : {}),
            // Trust is decided in checkTrust, so that the user's message says exactly why.
            rejectUnauthorized: false,
          });
          secured = upgraded;
          const cleanup = () => {
            upgraded.off('secureConnect', onSecure);
            upgraded.off('error', onError);
            upgraded.off('close', onClose);
            deadline.removeEventListener('abort', onAbort);
          };
          const onSecure = () => {
            cleanup();
            try {
              const certificate = checkTrust(upgraded, options);
              resolve({ socket: upgraded, certificate, handshakeMs: roundMs(monoNow() - started) });
            } catch (error) {
              reject(error);
            }
          };
          const onError = (error: Error) => {
            cleanup();
            reject(handshakeError(error, options));
          };
          const onClose = () => {
            cleanup();
            reject(
              new PlaygroundError({
                code: 'E_TLS',
                message: `${target} closed the connection during the TLS handshake: the server may not support TLS here, or refused the client's offer.`,
                details: { host: options.host, port: options.port },
              }),
            );
          };
          const onAbort = () => {
            cleanup();
            reject(abortReason(deadline));
          };
          upgraded.once('secureConnect', onSecure);
          upgraded.once('error', onError);
          upgraded.once('close', onClose);
          deadline.addEventListener('abort', onAbort, { once: true });
        }),
      {
        timeoutMs,
        signal,
        onTimeout: () =>
          new PlaygroundError({
            code: 'E_TIMEOUT',
            message: `the TLS handshake with ${target} did not finish within ${formatSeconds(timeoutMs)}: the server is not answering the TLS hello (did it agree to start TLS?). The connection is closed.`,
            details: { host: options.host, port: options.port, timeoutMs },
          }),
      },
    );
  } catch (error) {
    secured?.destroy();
    socket.destroy();
    throw error;
  }
}

/**
 * The certificate a TLS peer showed, if it may be trusted: by the system's store, or as
 * self-signed when the user accepted that and it still names the host asked for.
 * Throws a message saying what is wrong and what to try.
 */
export function checkTrust(socket: tls.TLSSocket, trust: TlsTrust): TlsCertificate {
  const target = formatAddress(trust.host, trust.port);
  const servername = sniName(trust);
  const certificate = describeCertificate(socket, servername);
  if (!certificate) {
    throw new PlaygroundError({
      code: 'E_TLS',
      message: `${target} showed no certificate: ${trust.protocol} over TLS needs one.`,
      details: { host: trust.host, port: trust.port },
    });
  }
  if (socket.authorized) return certificate;
  const reason = String(socket.authorizationError ?? 'UNKNOWN');
  const details = { host: trust.host, port: trust.port, tlsCode: reason, certificate };
  if (!untrustedIssuer.has(reason)) {
    throw new PlaygroundError({
      code: 'E_TLS_CERT',
      message: `the certificate of ${target} is not accepted (${reason}): ${certificate.subject}, valid ${certificate.validFrom} to ${certificate.validTo}.`,
      details,
    });
  }
  if (!trust.acceptSelfSigned) {
    throw new PlaygroundError({
      code: 'E_TLS_CERT',
      message: `the certificate of ${target} (${certificate.subject}) is ${certificate.selfSigned ? 'self-signed' : 'signed by an authority this system does not trust'} (${reason}). If this is the app's own server or one you made, tick “Accept self-signed certificate” and connect again.`,
      details,
    });
  }
  const peer = socket.getPeerCertificate(false);
  const mismatch = tls.checkServerIdentity(trust.servername ?? trust.host, peer);
  if (mismatch) {
    throw new PlaygroundError({
      code: 'E_TLS_CERT',
      message: `the certificate of ${target} is for ${certificate.subjectAltName ?? certificate.subject}, not for ${trust.servername ?? trust.host} (${mismatch.message}). Even a self-signed certificate must name the host: connect with the name it covers.`,
      details,
    });
  }
  return certificate;
}

/** A handshake that failed, in words: the usual cause is a port that does not speak TLS. */
export function handshakeError(error: Error, trust: TlsTrust): PlaygroundError {
  if (error instanceof PlaygroundError) return error;
  const target = formatAddress(trust.host, trust.port);
  const code = (error as { code?: unknown }).code;
  const said = error.message;
  const notTls = /wrong version number|packet length too long|unknown protocol|http request/i.test(said);
  const hint = notTls
    ? ` The server answered with something that is not TLS: it probably speaks plain ${trust.protocol} on this port${trust.protocol === 'SMTP' ? ' (implicit TLS is port 465; ports 25, 587 and 2525 start plain and upgrade with STARTTLS)' : ''}.`
    : '';
  return new PlaygroundError({
    code: 'E_TLS',
    message: `the TLS handshake with ${target} failed (${typeof code === 'string' ? code : 'error'}: ${said}).${hint}`,
    details: { host: trust.host, port: trust.port, ...(typeof code === 'string' ? { tlsCode: code } : {}) },
  });
}
