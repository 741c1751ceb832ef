import type tls from 'node:tls';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeSelfSignedCertificate, type SelfSignedCertificate } from '../../../electron/net/selfSignedCertificate';
import type { TlsCertificate } from '../../../shared/net/contract';
import { crlf, ended, nodeServer, rawServer, readBody, type Running, target } from './clientHarness';
import { type App, startApp } from '../../support/appClient';
import { encode } from '../../support/bytes';

let app: App;
let certificate: SelfSignedCertificate;
const servers: Running[] = [];

beforeAll(async () => {
  certificate = await makeSelfSignedCertificate('localhost');
});

afterEach(async () => {
  app?.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const get = encode(crlf('GET /secret HTTP/1.1\nHost: localhost\n\n'));

async function httpsServer() {
  const servernames: Array<string | false> = [];
  const server = await nodeServer(
    (req, res) => {
      servernames.push((req.socket as tls.TLSSocket).servername ?? false);
      res.end(`secure ${req.url}`);
    },
    { key: certificate.key, cert: certificate.cert },
  );
  servers.push(server);
  return { ...server, servernames };
}

describe('http client over TLS', () => {
  it('a self-signed certificate is refused unless accepted; the refusal names host, port and why, and shows it', async () => {
    const server = await httpsServer();
    app = startApp();
    const error = await app.failure(
      app.client.call('http.send', { target: target(server.port, { host: 'localhost', tls: true }), raw: get }),
    );
    expect(error.code).toBe('E_TLS_CERT');
    expect(error.message).toContain(`localhost:${server.port}`);
    expect(error.message).toMatch(/self-signed/);
    expect(error.message).toMatch(/tick .Accept self-signed/i);
    const shown = error.details?.certificate as TlsCertificate;
    expect(shown.subject).toContain('CN=localhost');
    expect(shown.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(app.events['http.connectionOpened']).toHaveLength(0);
  });

  it('accepted: the response arrives, the certificate and TLS timing are shown, SNI carries the name', async () => {
    const server = await httpsServer();
    app = startApp();
    const sent = await app.client.call('http.send', {
      target: target(server.port, { host: 'localhost', tls: true, acceptSelfSigned: true }),
      raw: get,
    });
    const end = await ended(app, sent.exchanges[0]!.exchangeId);
    expect(end.outcome).toBe('complete');
    expect((await readBody(app, sent.exchanges[0]!.exchangeId)).bytes.toString()).toBe('secure /secret');
    expect(sent.certificate).toMatchObject({ selfSigned: true, authorized: false, servername: 'localhost' });
    expect(sent.certificate?.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(sent.connect?.tlsMs).toBeGreaterThan(0);
    expect(sent.connect?.lookupMs).toBeGreaterThanOrEqual(0);
    expect(end.timings.tlsMs).toBe(sent.connect?.tlsMs);
    const opened = app.events['http.connectionOpened'].find((e) => e.connectionId === sent.connectionId);
    expect(opened).toMatchObject({ tls: true, target: `localhost:${server.port} (TLS)` });
    expect(opened?.certificate?.fingerprint256).toBe(sent.certificate?.fingerprint256);
    expect(server.servernames).toEqual(['localhost']);
  });

  it('an IP address gets no SNI (RFC 6066), and no lookup time', async () => {
    const server = await httpsServer();
    app = startApp();
    const sent = await app.client.call('http.send', {
      target: target(server.port, { tls: true, acceptSelfSigned: true }),
      raw: get,
    });
    await ended(app, sent.exchanges[0]!.exchangeId);
    expect(server.servernames).toEqual([false]);
    expect(sent.certificate?.servername).toBeUndefined();
    expect(sent.connect?.lookupMs).toBeUndefined();
  });

  it('a server that never answers the TLS hello: the connect deadline names the handshake', async () => {
    const silent = await rawServer(() => {});
    servers.push(silent);
    app = startApp();
    const error = await app.failure(
      app.client.call('http.send', {
        target: target(silent.port, { tls: true, acceptSelfSigned: true }),
        raw: get,
        connectTimeoutMs: 300,
      }),
    );
    expect(error.code).toBe('E_TIMEOUT');
    expect(error.message).toMatch(/TLS handshake with 127\.0\.0\.1:\d+ did not finish within the 300 ms allowed/);
  });

  it('cancelling the call (AbortSignal) stops a hanging connect with E_CANCELLED and leaves nothing open', async () => {
    const silent = await rawServer(() => {});
    servers.push(silent);
    app = startApp();
    const controller = new AbortController();
    const call = app.client.call(
      'http.send',
      { target: target(silent.port, { tls: true, acceptSelfSigned: true }), raw: get, connectTimeoutMs: 60_000 },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 100);
    const error = await app.failure(call);
    expect(error.code).toBe('E_CANCELLED');
    expect(app.events['http.connectionOpened']).toHaveLength(0);
  });

  it('TLS to a plain HTTP port fails the handshake with a hint', async () => {
    const server = await nodeServer((_req, res) => res.end('plain'));
    servers.push(server);
    app = startApp();
    const error = await app.failure(
      app.client.call('http.send', {
        target: target(server.port, { tls: true, acceptSelfSigned: true }),
        raw: get,
        connectTimeoutMs: 3000,
      }),
    );
    expect(error.code).toMatch(/^E_TLS/);
    expect(error.message).toContain(`127.0.0.1:${server.port}`);
  });
});
