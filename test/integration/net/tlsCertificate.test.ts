import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { makeSelfSignedCertificate } from '../../../electron/net/selfSignedCertificate';
import { describeCertificate } from '../../../electron/net/tlsCertificate';
import { listenOnFreePort } from '../../support/ports';

const servers: tls.Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function tlsServer(commonName?: string): Promise<number> {
  const { key, cert } = await makeSelfSignedCertificate(commonName);
  const server = tls.createServer({ key, cert }, (socket) => socket.end('hi'));
  servers.push(server);
  return listenOnFreePort(server);
}

function handshake(port: number, options: tls.ConnectionOptions): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ...options }, () => resolve(socket));
    socket.once('error', reject);
  });
}

describe('certificates made on the spot', () => {
  it('are described with subject, issuer, names, validity, fingerprint and why they were not trusted', async () => {
    const port = await tlsServer();
    const socket = await handshake(port, { rejectUnauthorized: false, servername: 'localhost' });
    const described = describeCertificate(socket, 'localhost');
    socket.destroy();
    expect(described).toMatchObject({
      subject: 'CN=localhost',
      issuer: 'CN=localhost',
      selfSigned: true,
      authorized: false,
      authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      servername: 'localhost',
    });
    expect(described?.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(described?.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(Date.parse(described?.validTo ?? '') - Date.parse(described?.validFrom ?? '')).toBeGreaterThan(
      29 * 86400_000,
    );
  });

  it('are refused by a client that trusts only the system store', async () => {
    const port = await tlsServer('mail.test');
    await expect(handshake(port, { servername: 'mail.test' })).rejects.toMatchObject({
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
  });

  it('are trusted when the client is given the certificate itself', async () => {
    const { key, cert } = await makeSelfSignedCertificate();
    const server = tls.createServer({ key, cert }, (socket) => socket.end());
    servers.push(server);
    const socket = await handshake(await listenOnFreePort(server), { ca: cert, servername: 'localhost' });
    expect(describeCertificate(socket)?.authorized).toBe(true);
    socket.destroy();
  });
});
