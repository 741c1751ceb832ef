import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { maxLoggedRequestBytes } from '../../../shared/http/server/contract';
import { type App, startApp } from '../../support/appClient';
import { until } from '../../support/waits';
import { entriesOf, exchange, RawHttp, startWebServer, webLog } from './serverHarness';

const site = join(process.cwd(), 'electron', 'http', 'server', 'sampleSite');
let app: App;
const clients: RawHttp[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
  app?.close();
});

async function connect(port: number): Promise<RawHttp> {
  const client = await RawHttp.connect(port);
  clients.push(client);
  return client;
}

describe('files from the sample site', () => {
  test('GET answers 200 with Content-Type, Content-Length, Last-Modified and ETag, and the log shows the raw request beside the response line', async () => {
    app = startApp();
    const started = await startWebServer(app);
    expect(started.sampleSite).toBe(true);
    expect(started.folder).toBe(site);
    expect(started.local.address).toBe('127.0.0.1');
    const request = 'GET /index.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n';
    const [response] = await exchange(started.local.port, request);
    const file = readFileSync(join(site, 'index.html'));
    expect(response?.statusLine).toBe('HTTP/1.1 200 OK');
    expect(response?.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response?.headers.get('content-length')).toBe(String(file.length));
    expect(new Date(response?.headers.get('last-modified') ?? '').getTime()).toBe(
      Math.floor(statSync(join(site, 'index.html')).mtimeMs / 1000) * 1000,
    );
    expect(response?.headers.get('etag')).toMatch(/^W\/"[0-9a-f]+-[0-9a-f]+"$/);
    expect(response?.body.equals(file)).toBe(true);

    await until(() => entriesOf(app, started.serverId, 'closed').length === 1, 'the connection to be logged closed');
    const [logged] = entriesOf(app, started.serverId, 'request');
    expect(Buffer.from(logged?.raw ?? []).toString('latin1')).toBe(request);
    expect(logged).toMatchObject({ method: 'GET', target: '/index.html', version: 'HTTP/1.1', requestNumber: 1 });
    const [answered] = entriesOf(app, started.serverId, 'response');
    expect(answered).toMatchObject({
      connectionId: logged?.connectionId,
      requestNumber: 1,
      statusLine: 'HTTP/1.1 200 OK',
      file: 'index.html',
      bodyBytes: file.length,
      keepAlive: false,
    });
    expect(answered?.headers.map((h) => h.name)).toEqual(
      expect.arrayContaining(['Content-Type', 'Content-Length', 'Last-Modified', 'ETag', 'Date', 'Connection']),
    );
    const [accepted] = entriesOf(app, started.serverId, 'accepted');
    expect(accepted?.connectionId).toBe(logged?.connectionId);
    expect(entriesOf(app, started.serverId, 'closed')[0]).toMatchObject({ by: 'server', requestsServed: 1 });
  });

  test('a PNG and an SVG get their image types', async () => {
    app = startApp();
    const { local } = await startWebServer(app);
    const [png] = await exchange(local.port, 'GET /checkerboard.png HTTP/1.0\r\n\r\n');
    expect(png?.status).toBe(200);
    expect(png?.headers.get('content-type')).toBe('image/png');
    expect(png?.body.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    const [svg] = await exchange(local.port, 'GET /client.svg HTTP/1.0\r\n\r\n');
    expect(svg?.headers.get('content-type')).toBe('image/svg+xml');
  });

  test('HEAD gives the same headers as GET and no body', async () => {
    app = startApp();
    const { local, serverId } = await startWebServer(app);
    const client = await connect(local.port);
    client.send(
      'HEAD /style.css HTTP/1.1\r\nHost: localhost\r\n\r\nGET /style.css HTTP/1.1\r\nHost: localhost\r\n\r\n',
    );
    const [head, get] = await client.responses(2, [true, false]);
    expect(head?.status).toBe(200);
    expect(head?.body.length).toBe(0);
    expect(head?.headers.get('content-length')).toBe(get?.headers.get('content-length'));
    expect(head?.headers.get('etag')).toBe(get?.headers.get('etag'));
    expect(get?.body.toString()).toBe(readFileSync(join(site, 'style.css'), 'utf8'));
    await until(() => entriesOf(app, serverId, 'response').length === 2, 'both responses logged');
    expect(entriesOf(app, serverId, 'response').map((r) => r.bodyBytes)).toEqual([0, get?.body.length]);
  });

  test('a conditional GET gets 304 Not Modified via If-Modified-Since and via If-None-Match, and 200 when the file changed', async () => {
    app = startApp();
    const { local, serverId } = await startWebServer(app);
    const [first] = await exchange(
      local.port,
      'GET /server.svg HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
    );
    const lastModified = first?.headers.get('last-modified') ?? '';
    const etag = first?.headers.get('etag') ?? '';
    const [bySince] = await exchange(
      local.port,
      `GET /server.svg HTTP/1.1\r\nHost: localhost\r\nIf-Modified-Since: ${lastModified}\r\nConnection: close\r\n\r\n`,
    );
    expect(bySince?.statusLine).toBe('HTTP/1.1 304 Not Modified');
    expect(bySince?.body.length).toBe(0);
    const [byTag] = await exchange(
      local.port,
      `GET /server.svg HTTP/1.1\r\nHost: localhost\r\nIf-None-Match: ${etag}\r\nConnection: close\r\n\r\n`,
    );
    expect(byTag?.status).toBe(304);
    expect(byTag?.headers.get('etag')).toBe(etag);
    const [changed] = await exchange(
      local.port,
      'GET /server.svg HTTP/1.1\r\nHost: localhost\r\nIf-None-Match: "something-else"\r\nConnection: close\r\n\r\n',
    );
    expect(changed?.status).toBe(200);
    const [older] = await exchange(
      local.port,
      'GET /server.svg HTTP/1.1\r\nHost: localhost\r\nIf-Modified-Since: Thu, 01 Jan 1970 00:00:00 GMT\r\nConnection: close\r\n\r\n',
    );
    expect(older?.status).toBe(200);
    await until(() => entriesOf(app, serverId, 'response').length === 5, 'five responses logged');
    const logged = entriesOf(app, serverId, 'response');
    expect(logged.map((r) => r.status)).toEqual([200, 304, 304, 200, 200]);
    expect(logged[1]?.bodyBytes).toBe(0);
  });

  test("/ serves the folder's index.html", async () => {
    app = startApp();
    const { local } = await startWebServer(app);
    const [root] = await exchange(local.port, 'GET / HTTP/1.0\r\n\r\n');
    expect(root?.status).toBe(200);
    expect(root?.body.toString()).toContain('One page, six objects');
  });
});

describe('errors answered on purpose', () => {
  test('404 for a file that is not there, with a page that says so', async () => {
    app = startApp();
    const { local, serverId } = await startWebServer(app);
    const [response] = await exchange(local.port, 'GET /no-such-page.html HTTP/1.1\r\nHost: localhost\r\n\r\n');
    expect(response?.statusLine).toBe('HTTP/1.1 404 Not Found');
    expect(response?.body.toString()).toContain('no such file');
    await until(() => entriesOf(app, serverId, 'response').length === 1, 'the 404 logged');
    expect(entriesOf(app, serverId, 'response')[0]).toMatchObject({
      status: 404,
      reason: 'no such file',
      keepAlive: true,
    });
  });

  test.each([
    ['GARBAGE\r\n\r\n', 'no request line at all'],
    ['GET / HTTP/1.1x\r\nHost: localhost\r\n\r\n', 'a version with junk after it'],
    ['GET / HTTP/11.1\r\nHost: localhost\r\n\r\n', 'a two-digit major version'],
    ['GET /\r\nHost: localhost\r\n\r\n', 'an HTTP/0.9-style line without a version'],
    ['GET / HTTP/1.1\r\n\r\n', 'HTTP/1.1 without Host'],
    ['GET / HTTP/1.1\r\nHost a\r\n\r\n', 'a header line without a colon'],
  ])('400 Bad Request for %j (%s)', async (request) => {
    app = startApp();
    const { local, serverId } = await startWebServer(app);
    const [response] = await exchange(local.port, request);
    expect(response?.statusLine).toBe('HTTP/1.1 400 Bad Request');
    await until(() => entriesOf(app, serverId, 'response').length === 1, 'the 400 logged');
    const [logged] = entriesOf(app, serverId, 'request');
    expect(Buffer.from(logged?.raw ?? []).toString('latin1')).toBe(request);
    expect(entriesOf(app, serverId, 'response')[0]?.reason).toBeTruthy();
  });

  test.each([
    ['POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello', 'POST'],
    ['PUT /index.html HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n', 'PUT'],
    ['DELETE / HTTP/1.1\r\nHost: localhost\r\n\r\n', 'DELETE'],
    ['BREW / HTTP/1.1\r\nHost: localhost\r\n\r\n', 'BREW'],
    ['get / HTTP/1.1\r\nHost: localhost\r\n\r\n', 'get'],
  ])('405 Method Not Allowed with Allow: GET, HEAD for %j', async (request, method) => {
    app = startApp();
    const { local, serverId } = await startWebServer(app);
    const [response] = await exchange(local.port, request);
    expect(response?.statusLine).toBe('HTTP/1.1 405 Method Not Allowed');
    expect(response?.headers.get('allow')).toBe('GET, HEAD');
    await until(() => entriesOf(app, serverId, 'request').length === 1, 'the request logged');
    expect(entriesOf(app, serverId, 'request')[0]?.method).toBe(method);
  });

  test.each([
    ['GET / HTTP/1.1\nHost: localhost\r\n\r\n', 'a bare LF after the request line'],
    ['GET / HTTP/1.1\nHost: localhost\n\n', 'bare LF everywhere'],
    ['GET / HTTP/1.1\r\nHost: localhost\n\r\n', 'a bare LF after a header'],
    ['GET / HTTP/1.1\rHost: localhost\r\n\r\n', 'a bare CR after the request line'],
  ])('400 naming the line ending, never 505, for %j (%s)', async (request) => {
    app = startApp();
    const { local, serverId } = await startWebServer(app);
    const [response] = await exchange(local.port, request);
    expect(response?.statusLine).toBe('HTTP/1.1 400 Bad Request');
    await until(() => entriesOf(app, serverId, 'response').length === 1, 'the 400 logged');
    expect(entriesOf(app, serverId, 'response')[0]?.reason).toMatch(/does not end in CRLF/);
    expect(response?.body.toString()).toContain('CRLF');
  });

  test('the HTTP/2 connection preface (PRI * HTTP/2.0) gets 505: this server speaks HTTP/1.x only', async () => {
    app = startApp();
    const { local } = await startWebServer(app);
    const [response] = await exchange(local.port, 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
    expect(response?.statusLine).toBe('HTTP/1.1 505 HTTP Version Not Supported');
  });

  test('a head larger than 16 KiB gets 431, and the log keeps only its first 16 KiB while counting it all', async () => {
    app = startApp();
    const { local, serverId } = await startWebServer(app);
    const [response] = await exchange(local.port, `GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
    expect(response?.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    await until(() => entriesOf(app, serverId, 'request').length === 1, 'the request logged');
    const [logged] = entriesOf(app, serverId, 'request');
    expect(logged?.raw.byteLength).toBe(maxLoggedRequestBytes);
    expect(logged?.rawBytes).toBeGreaterThan(maxLoggedRequestBytes);
  });

  test('CONNECT (a tunnel) gets 405 too, and an Upgrade request is answered as plain HTTP', async () => {
    app = startApp();
    const { local, serverId } = await startWebServer(app);
    const connectRequest = 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n';
    const [tunnel] = await exchange(local.port, connectRequest);
    expect(tunnel?.statusLine).toBe('HTTP/1.1 405 Method Not Allowed');
    expect(tunnel?.headers.get('allow')).toBe('GET, HEAD');
    const [upgrade] = await exchange(
      local.port,
      'GET / HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n',
    );
    expect(upgrade?.status).toBe(200);
    await until(() => entriesOf(app, serverId, 'response').length === 2, 'both logged');
    const [logged] = entriesOf(app, serverId, 'request');
    expect(logged).toMatchObject({ method: 'CONNECT', target: 'example.com:443', requestNumber: 1 });
    expect(Buffer.from(logged?.raw ?? []).toString('latin1')).toBe(connectRequest);
  });

  test.each(['HTTP/2.0', 'HTTP/3.0', 'HTTP/1.2', 'HTTP/0.9', 'HTTP/9.9'])(
    '505 HTTP Version Not Supported for %s, and the connection is closed',
    async (version) => {
      app = startApp();
      const { local, serverId } = await startWebServer(app);
      const client = await connect(local.port);
      client.send(`GET / ${version}\r\nHost: localhost\r\n\r\n`);
      const [response] = await client.responses(1);
      expect(response?.statusLine).toBe('HTTP/1.1 505 HTTP Version Not Supported');
      expect(response?.body.toString()).toContain(`${version} is not supported`);
      await client.waitClosed();
      await until(() => entriesOf(app, serverId, 'closed').length === 1, 'the close logged');
      expect(entriesOf(app, serverId, 'closed')[0]?.by).toBe('server');
    },
  );
});

describe('persistent and non-persistent connections', () => {
  test('HTTP/1.1 keeps the connection: two requests, one after the other, numbered 1 and 2 on the same connection', async () => {
    app = startApp();
    const { local, serverId } = await startWebServer(app);
    const client = await connect(local.port);
    client.send('GET /index.html HTTP/1.1\r\nHost: localhost\r\n\r\n');
    const [first] = await client.responses(1);
    expect(first?.headers.get('connection')).toBe('keep-alive');
    expect(first?.headers.get('keep-alive')).toBe('timeout=3');
    client.send('GET /client.svg HTTP/1.1\r\nHost: localhost\r\n\r\n');
    const responses = await client.responses(2);
    expect(responses.map((r) => r.status)).toEqual([200, 200]);
    expect(client.closed).toBe(false);

    await until(() => entriesOf(app, serverId, 'response').length === 2, 'both responses logged');
    const requests = entriesOf(app, serverId, 'request');
    expect(requests.map((r) => [r.connectionId, r.requestNumber, r.target])).toEqual([
      ['c1', 1, '/index.html'],
      ['c1', 2, '/client.svg'],
    ]);
    expect(entriesOf(app, serverId, 'accepted')).toHaveLength(1);
    expect(entriesOf(app, serverId, 'accepted')[0]?.client.port).toBe(client.localPort);
    client.close();
    await until(() => entriesOf(app, serverId, 'closed').length === 1, 'the close logged');
    expect(entriesOf(app, serverId, 'closed')[0]).toMatchObject({ by: 'client', requestsServed: 2 });
  });

  test('pipelined requests in one write, one with a body, are each logged with exactly their own bytes', async () => {
    app = startApp();
    const { local, serverId } = await startWebServer(app);
    const client = await connect(local.port);
    const post = 'POST /form HTTP/1.1\r\nHost: localhost\r\nContent-Length: 11\r\n\r\nhello=world';
    const get = 'GET /style.css HTTP/1.1\r\nHost: localhost\r\n\r\n';
    client.send(`${get}${post}${get}`);
    const responses = await client.responses(3);
    expect(responses.map((r) => r.status)).toEqual([200, 405, 200]);
    await until(() => entriesOf(app, serverId, 'response').length === 3, 'three responses logged');
    const raws = entriesOf(app, serverId, 'request').map((r) => Buffer.from(r.raw).toString('latin1'));
    expect(raws).toEqual([get, post, get]);
    expect(entriesOf(app, serverId, 'request').map((r) => r.requestNumber)).toEqual([1, 2, 3]);
  });

  test('a chunked body, leading blank lines and a request split across writes are cut apart exactly in the log', async () => {
    app = startApp();
    const { local, serverId } = await startWebServer(app);
    const client = await connect(local.port);
    const chunked =
      'POST /upload HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n5;note=x\r\nhello\r\n0\r\n\r\n';
    const blankFirst = '\r\nGET /style.css HTTP/1.1\r\nHost: localhost\r\n\r\n';
    const split = 'GET /server.svg HTTP/1.1\r\nHost: localhost\r\n\r\n';
    client.send(`${chunked}${blankFirst}${split.slice(0, 9)}`);
    await client.responses(2);
    client.send(split.slice(9));
    const responses = await client.responses(3);
    expect(responses.map((r) => r.status)).toEqual([405, 200, 200]);
    await until(() => entriesOf(app, serverId, 'response').length === 3, 'three responses logged');
    const requests = entriesOf(app, serverId, 'request');
    expect(requests.map((r) => Buffer.from(r.raw).toString('latin1'))).toEqual([chunked, blankFirst, split]);
    expect(requests.map((r) => r.rawBytes)).toEqual([chunked.length, blankFirst.length, split.length]);
  });

  test('a malformed request pipelined behind a good one is answered after it, in order', async () => {
    app = startApp();
    const { local, serverId } = await startWebServer(app);
    const client = await connect(local.port);
    client.send('GET / HTTP/1.1\r\nHost: localhost\r\n\r\nGARBAGE\r\n\r\n');
    await client.waitClosed();
    const responses = await client.responses(2);
    expect(responses.map((r) => r.status)).toEqual([200, 400]);
    await until(() => entriesOf(app, serverId, 'response').length === 2, 'both logged');
    expect(entriesOf(app, serverId, 'request').map((r) => Buffer.from(r.raw).toString('latin1'))).toEqual([
      'GET / HTTP/1.1\r\nHost: localhost\r\n\r\n',
      'GARBAGE\r\n\r\n',
    ]);
  });

  test('HTTP/1.0 closes after the response unless keep-alive is asked for', async () => {
    app = startApp();
    const { local, serverId } = await startWebServer(app);
    const plain = await connect(local.port);
    plain.send('GET / HTTP/1.0\r\n\r\n');
    const [response] = await plain.responses(1);
    expect(response?.headers.get('connection')).toBe('close');
    await plain.waitClosed();

    const kept = await connect(local.port);
    kept.send('GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
    const [first] = await kept.responses(1);
    expect(first?.headers.get('connection')).toBe('keep-alive');
    kept.send('GET /style.css HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
    await kept.responses(2);
    expect(kept.closed).toBe(false);

    await until(() => entriesOf(app, serverId, 'response').length === 3, 'three responses logged');
    expect(entriesOf(app, serverId, 'closed')[0]).toMatchObject({
      connectionId: 'c1',
      by: 'server',
      requestsServed: 1,
    });
    expect(entriesOf(app, serverId, 'response').map((r) => [r.connectionId, r.requestNumber, r.keepAlive])).toEqual([
      ['c1', 1, false],
      ['c2', 1, true],
      ['c2', 2, true],
    ]);
  });

  test('bytes after a response that closes the connection are logged as ignored, not answered', async () => {
    app = startApp();
    const { local, serverId } = await startWebServer(app);
    const client = await connect(local.port);
    client.send('GET / HTTP/1.0\r\n\r\nGET /style.css HTTP/1.0\r\n\r\n');
    await client.waitClosed();
    expect(client.received.toString('latin1').match(/HTTP\/1\.1 \d{3} /g)).toHaveLength(1);
    await until(() => entriesOf(app, serverId, 'ignored').length === 1, 'the ignored bytes logged');
    expect(Buffer.from(entriesOf(app, serverId, 'ignored')[0]?.raw ?? []).toString()).toBe(
      'GET /style.css HTTP/1.0\r\n\r\n',
    );
  });

  test('an idle persistent connection is closed by the server after the keep-alive timeout', async () => {
    app = startApp();
    const { local, serverId } = await startWebServer(app, { keepAliveTimeoutMs: 300 });
    const client = await connect(local.port);
    client.send('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await client.responses(1);
    await client.waitClosed(3000);
    await until(() => entriesOf(app, serverId, 'closed').length === 1, 'the close logged');
    expect(entriesOf(app, serverId, 'closed')[0]).toMatchObject({ by: 'idle', requestsServed: 1 });
  });

  test('stopping the server closes its open connections: each is logged as closed by the stop, before the last line', async () => {
    app = startApp();
    const { local, serverId } = await startWebServer(app);
    const kept = await connect(local.port);
    kept.send('GET / HTTP/1.1\r\nHost: localhost\r\n\r\nGET /style.css HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await kept.responses(2);
    const idle = await connect(local.port);
    await until(() => entriesOf(app, serverId, 'accepted').length === 2, 'both connections accepted');
    await app.client.call('webServer.stop', { serverId });
    await kept.waitClosed();
    await idle.waitClosed();
    await until(() => entriesOf(app, serverId, 'stopped').length === 1, 'the stop logged');
    const tail = webLog(app, serverId).slice(-3);
    expect(tail).toMatchObject([
      { kind: 'closed', connectionId: 'c1', by: 'stopped', requestsServed: 2 },
      { kind: 'closed', connectionId: 'c2', by: 'stopped', requestsServed: 0 },
      { kind: 'stopped', reason: 'local' },
    ]);
    // The last counters the panel shows have no connection open any more.
    const last = app.events['webServer.log'].filter((e) => e.serverId === serverId).at(-1);
    expect(last?.counters).toMatchObject({ connectionsAccepted: 2, connectionsOpen: 0 });
  });

  test('a flood of pipelined requests is answered in full; the log leaves some request lines out and counts them', async () => {
    app = startApp({ coalescing: { maxItems: 8 } });
    const { local, serverId } = await startWebServer(app);
    const client = await connect(local.port);
    const count = 100;
    client.send('GET /missing HTTP/1.1\r\nHost: localhost\r\n\r\n'.repeat(count));
    const responses = await client.responses(count);
    expect(responses.map((r) => r.status)).toEqual(Array(count).fill(404));
    const events = () => app.events['webServer.log'].filter((e) => e.serverId === serverId);
    await until(() => events().at(-1)?.counters.responses4xx === count, 'every response counted');
    const listed = () => entriesOf(app, serverId, 'request').length + entriesOf(app, serverId, 'response').length;
    await until(() => listed() + (events().at(-1)?.omittedEntries ?? 0) === 2 * count, 'every line listed or counted');
    expect(events().at(-1)?.omittedEntries).toBeGreaterThan(0);
    expect(events().at(-1)?.counters.requests).toBe(count);
    // Connections are never left out.
    expect(entriesOf(app, serverId, 'accepted')).toHaveLength(1);
  });

  test('a connection beyond the limit closes the oldest one waiting for a request head, counted', async () => {
    app = startApp();
    const { local, serverId } = await startWebServer(app, { maxConnections: 1 });
    const first = await connect(local.port);
    await until(() => entriesOf(app, serverId, 'accepted').length === 1, 'the first connection accepted');
    // Idle, not being answered: the second connection makes room by closing it.
    const second = await connect(local.port);
    await first.waitClosed();
    await until(() => entriesOf(app, serverId, 'evicted').length === 1, 'the first closed to make room');
    expect(second.closed).toBe(false);
    second.send('GET /missing HTTP/1.1\r\nHost: localhost\r\n\r\n');
    expect((await second.responses(1)).map((r) => r.status)).toEqual([404]);
    const counters = app.events['webServer.log'].at(-1)?.counters;
    expect(counters).toMatchObject({ connectionsAccepted: 2, connectionsEvicted: 1, connectionsRefused: 0 });
  });
});
