import { generate } from 'selfsigned';

export interface SelfSignedCertificate {
  /** PEM private key. */
  key: string;
  /** PEM certificate. */
  cert: string;
  /** SHA-1 fingerprint as selfsigned reports it (colon-separated hex). */
  fingerprint: string;
}

/**
 * A certificate made on the spot for a server the app runs (STARTTLS on the mail server,
 * HTTPS in tests): valid for localhost, 127.0.0.1 and ::1, for `days` days. Signed with
 * SHA-256 because clients refuse SHA-1. The selfsigned library builds the X.509 structure,
 * which Node's crypto module cannot do on its own.
 */
export async function makeSelfSignedCertificate(commonName = 'localhost', days = 30): Promise<SelfSignedCertificate> {
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(notBeforeDate.getTime() + days * 24 * 3600_000);
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2 as const, value: commonName },
          ...(commonName === 'localhost' ? [] : [{ type: 2 as const, value: 'localhost' }]),
          { type: 7 as const, ip: '127.0.0.1' },
          { type: 7 as const, ip: '::1' },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert, fingerprint: pems.fingerprint };
}
