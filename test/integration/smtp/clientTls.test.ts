import { describe, expect, it } from 'vitest';
import { appPerTest } from '../../support/appClient';
import { decode, encode } from '../../support/bytes';
import {
  closeScriptedServers,
  type ScriptedConnection,
  scriptedServer,
  testCertificate,
  textbookScript,
} from './clientHarness';

const app = appPerTest(closeScriptedServers);

const line = (text: string) => encode(`${text}\r\n`);

/** A server that offers STARTTLS and, after its 220, does the handshake on the same connection. */
async function startTlsServer(options: { inject?: string } = {}) {
  const certificate = await testCertificate();
  const seen: Array<{ line: string; tls: boolean }> = [];
  const server = await scriptedServer(async (c: ScriptedConnection) => {
    c.write('220 hamburger.edu ESMTP\r\n');
    for (;;) {
      const received = await c.line();
      if (received === null) return;
      seen.push({ line: received, tls: c.isTls });
      const verb = received.split(' ')[0]?.toUpperCase();
      if (verb === 'EHLO') {
        c.write(c.isTls ? '250-hamburger.edu\r\n250 AUTH PLAIN LOGIN\r\n' : '250-hamburger.edu\r\n250 STARTTLS\r\n');
      } else if (verb === 'STARTTLS') {
        c.write(`220 2.0.0 Ready to start TLS\r\n${options.inject ?? ''}`);
        await c.upgrade(certificate).catch(() => c.destroy());
      } else if (verb === 'QUIT') {
        c.end('221 bye\r\n');
        return;
      } else c.write('250 OK\r\n');
    }
  });
  return { server, seen };
}

describe('SMTP over TLS', () => {
  it('connects with implicit TLS (465-style) and shows the certificate, only when self-signed is accepted', async () => {
    const certificate = await testCertificate();
    const server = await scriptedServer((c) => textbookScript(c), { tls: certificate });
    const a = app();

    const refused = await a.failure(
      a.client.call('smtp.connect', { host: 'localhost', port: server.port, security: 'implicit-tls' }),
    );
    expect(refused.code).toBe('E_TLS_CERT');
    expect(refused.message).toContain('self-signed');
    expect(refused.message).toContain(`localhost:${server.port}`);

    const connected = await a.client.call('smtp.connect', {
      host: 'localhost',
      port: server.port,
      security: 'implicit-tls',
      acceptSelfSigned: true,
    });
    expect(connected.security).toBe('implicit-tls');
    expect(connected.certificate).toMatchObject({ subject: 'CN=localhost', selfSigned: true, authorized: false });
    expect(connected.timings.tlsMs).toBeGreaterThanOrEqual(0);
    expect(connected.timings.lookupMs).toBeGreaterThanOrEqual(0);
    expect(connected.greeting).toMatchObject({ tls: true });
    expect(connected.greeting.reply.code).toBe(220);
    const helo = await a.client.call('smtp.send', { sessionId: connected.sessionId, data: line('HELO crepes.fr') });
    expect(helo).toMatchObject({ tls: true, outcome: 'replied' });
    const chunks = a.events['smtp.data'].filter((e) => e.sessionId === connected.sessionId).flatMap((e) => e.chunks);
    expect(chunks.every((chunk) => chunk.tls)).toBe(true);
  });

  it('refuses a self-signed certificate that names another host, even when self-signed is accepted', async () => {
    const server = await scriptedServer((c) => textbookScript(c), { tls: await testCertificate() });
    const a = app();
    const error = await a.failure(
      a.client.call('smtp.connect', {
        host: '127.0.0.1',
        port: server.port,
        security: 'implicit-tls',
        acceptSelfSigned: true,
        servername: 'mail.example.org',
      }),
    );
    expect(error.code).toBe('E_TLS_CERT');
    expect(error.message).toContain('not for mail.example.org');
  });

  it('says that a plain server is not speaking TLS when implicit TLS was chosen', async () => {
    const server = await scriptedServer((c) => textbookScript(c));
    const a = app();
    const error = await a.failure(
      a.client.call('smtp.connect', { host: '127.0.0.1', port: server.port, security: 'implicit-tls' }),
    );
    expect(error.code).toBe('E_TLS');
    expect(error.message).toContain('465');
  });

  it('upgrades with STARTTLS on the same connection; what follows is inside TLS', async () => {
    const { server, seen } = await startTlsServer();
    const a = app();
    const { sessionId, local } = await a.client.call('smtp.connect', { host: 'localhost', port: server.port });
    const ehlo = await a.client.call('smtp.send', { sessionId, data: line('EHLO crepes.fr') });
    expect(ehlo.reply?.reply.lines.map((l) => l.text)).toContain('STARTTLS');

    const early = await a.failure(a.client.call('smtp.startTls', { sessionId, acceptSelfSigned: true }));
    expect(early.code).toBe('E_STATE');
    expect(early.message).toContain('STARTTLS step first');

    const agreed = await a.client.call('smtp.send', { sessionId, data: line('STARTTLS'), label: 'STARTTLS' });
    expect(agreed.reply?.reply.code).toBe(220);
    expect(agreed.tls).toBe(false);
    const upgraded = await a.client.call('smtp.startTls', { sessionId, acceptSelfSigned: true });
    expect(upgraded.certificate).toMatchObject({ subject: 'CN=localhost', selfSigned: true, servername: 'localhost' });
    expect(upgraded.afterSeq).toBe(agreed.seq);
    expect(upgraded.handshakeMs).toBeGreaterThan(0);

    const again = await a.client.call('smtp.send', { sessionId, data: line('EHLO crepes.fr') });
    expect(again).toMatchObject({ tls: true, outcome: 'replied' });
    expect(again.reply?.tls).toBe(true);
    expect(again.reply?.reply.lines.map((l) => l.text)).toContain('AUTH PLAIN LOGIN');
    expect(again.reply?.phaseBefore).toBe('awaiting-hello');
    const quit = await a.client.call('smtp.send', { sessionId, data: line('QUIT') });
    expect(quit.reply?.reply.code).toBe(221);
    expect(seen).toEqual([
      { line: 'EHLO crepes.fr', tls: false },
      { line: 'STARTTLS', tls: false },
      { line: 'EHLO crepes.fr', tls: true },
      { line: 'QUIT', tls: true },
    ]);
    // Same TCP connection: one accepted socket, the same local port.
    expect(server.connections).toHaveLength(1);
    expect(server.connections[0]?.socket.remotePort).toBe(local.port);
    const chunks = a.events['smtp.data'].filter((e) => e.sessionId === sessionId).flatMap((e) => e.chunks);
    expect(
      chunks
        .filter((c) => !c.tls)
        .map((c) => decode(c.data))
        .join(''),
    ).toContain('220 2.0.0 Ready to start TLS');
    expect(
      chunks
        .filter((c) => c.tls)
        .map((c) => decode(c.data))
        .join(''),
    ).toContain('221 bye');
  });

  it('refuses the upgrade without acceptSelfSigned and reports the connection closed', async () => {
    const { server } = await startTlsServer();
    const a = app();
    const { sessionId } = await a.client.call('smtp.connect', { host: 'localhost', port: server.port });
    await a.client.call('smtp.send', { sessionId, data: line('STARTTLS') });
    const error = await a.failure(a.client.call('smtp.startTls', { sessionId }));
    expect(error.code).toBe('E_TLS_CERT');
    expect(error.message).toContain('Accept self-signed');
    const closed = await a.waitFor('smtp.closed', (e) => e.sessionId === sessionId);
    expect(closed.by).toBe('error');
    expect(closed.error?.code).toBe('E_TLS_CERT');
  });

  it('refuses to start TLS when the server sent bytes after its 220 (STARTTLS injection)', async () => {
    const { server } = await startTlsServer({ inject: '250 injected before the handshake\r\n' });
    const a = app();
    const { sessionId } = await a.client.call('smtp.connect', { host: 'localhost', port: server.port });
    const agreed = await a.client.call('smtp.send', { sessionId, data: line('STARTTLS') });
    expect(agreed.reply?.reply.code).toBe(220);
    await a.waitFor('smtp.reply', (r) => r.reply.text.includes('injected'));
    const error = await a.failure(a.client.call('smtp.startTls', { sessionId, acceptSelfSigned: true }));
    expect(error.code).toBe('E_STATE');
    expect(error.message).toContain('RFC 3207');
  });

  it('refuses to start TLS when the server did not agree', async () => {
    const server = await scriptedServer((c) =>
      textbookScript(c, { answer: (l) => (l === 'STARTTLS' ? '454 4.7.0 TLS not available\r\n' : undefined) }),
    );
    const a = app();
    const { sessionId } = await a.client.call('smtp.connect', { host: '127.0.0.1', port: server.port });
    const refused = await a.client.call('smtp.send', { sessionId, data: line('STARTTLS') });
    expect(refused.reply?.reply.code).toBe(454);
    const error = await a.failure(a.client.call('smtp.startTls', { sessionId, acceptSelfSigned: true }));
    expect(error.message).toContain('did not agree');
    // The session is still usable in plain text.
    expect((await a.client.call('smtp.send', { sessionId, data: line('NOOP') })).reply?.reply.code).toBe(250);
  });
});
