import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { Service } from '../../../electron/service';
import { createHttpClientService } from '../../../electron/http/client/service';
import { crlf, ended, nodeServer, progressOf, rawServer, readBody, type Running, target } from './clientHarness';
import { type App, connectApp, startApp } from '../../support/appClient';
import { encode } from '../../support/bytes';
import { freeTcpPort } from '../../support/ports';
import { until } from '../../support/waits';

let app: App;
const servers: Running[] = [];

async function track<T extends Running>(server: Promise<T>): Promise<T> {
  const running = await server;
  servers.push(running);
  return running;
}

afterEach(async () => {
  app?.close();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const get = (path = '/', extra = '') => encode(crlf(`GET ${path} HTTP/1.1\nHost: 127.0.0.1\n${extra}\n`));

describe('http client against a Node http server', () => {
  it('non-persistent: a new connection per send, closed by the client after the response; local ports differ', async () => {
    const server = await track(nodeServer((_req, res) => res.end('hello')));
    app = startApp();
    const first = await app.client.call('http.send', { target: target(server.port), raw: get(), connection: 'new' });
    const firstEnd = await ended(app, first.exchanges[0]!.exchangeId);
    const closed = await app.waitFor('http.connectionClosed', (e) => e.connectionId === first.connectionId);
    const second = await app.client.call('http.send', { target: target(server.port), raw: get(), connection: 'new' });
    await ended(app, second.exchanges[0]!.exchangeId);

    expect(firstEnd.outcome).toBe('complete');
    expect(first.reused).toBe(false);
    expect(first.connect?.connectMs).toBeGreaterThanOrEqual(0);
    expect(closed.by).toBe('client');
    expect(closed.message).toMatch(/after 1 response/);
    expect(second.connectionId).not.toBe(first.connectionId);
    expect(second.local.port).not.toBe(first.local.port);
    expect(server.connections()).toBe(2);
    expect(new TextDecoder().decode((await readBody(app, first.exchanges[0]!.exchangeId)).bytes)).toBe('hello');
    expect(firstEnd.timings.firstByteMs).toBeGreaterThanOrEqual(0);
    expect(firstEnd.timings.totalMs).toBeGreaterThanOrEqual(firstEnd.timings.firstByteMs ?? 0);
    const opened = app.events['http.connectionOpened'].find((e) => e.connectionId === first.connectionId);
    expect(opened?.local.port).toBe(first.local.port);
  });

  it('persistent: the second send reuses the open connection (same local port)', async () => {
    const server = await track(nodeServer((req, res) => res.end(`you asked for ${req.url}`)));
    app = startApp();
    const first = await app.client.call('http.send', {
      target: target(server.port),
      raw: get('/a'),
      connection: 'keep',
    });
    await ended(app, first.exchanges[0]!.exchangeId);
    const second = await app.client.call('http.send', {
      target: target(server.port),
      raw: get('/b'),
      connection: 'keep',
    });
    const secondEnd = await ended(app, second.exchanges[0]!.exchangeId);

    expect(second.reused).toBe(true);
    expect(second.connect).toBeUndefined();
    expect(second.connectionId).toBe(first.connectionId);
    expect(second.local.port).toBe(first.local.port);
    expect(server.connections()).toBe(1);
    expect(secondEnd.timings.connectMs).toBeUndefined();
    expect(new TextDecoder().decode((await readBody(app, second.exchanges[0]!.exchangeId)).bytes)).toBe(
      'you asked for /b',
    );
    const closed = await app.client.call('http.close', { connectionId: first.connectionId });
    expect(closed.sentBytes).toBe(get('/a').length + get('/b').length);
    expect((await app.waitFor('http.connectionClosed', (e) => e.connectionId === first.connectionId)).by).toBe(
      'client',
    );
  });

  it('a response that announces Connection: close is not followed by a reused send, even before the close', async () => {
    const server = await track(
      rawServer((socket) => {
        socket.once('data', () => {
          socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok');
          setTimeout(() => socket.end(), 300);
        });
      }),
    );
    app = startApp();
    const first = await app.client.call('http.send', { target: target(server.port), raw: get(), connection: 'keep' });
    await ended(app, first.exchanges[0]!.exchangeId);
    const second = await app.client.call('http.send', { target: target(server.port), raw: get(), connection: 'keep' });
    expect(second.reused).toBe(false);
    expect(second.connectionId).not.toBe(first.connectionId);
    expect((await ended(app, second.exchanges[0]!.exchangeId)).outcome).toBe('complete');
  });

  it('pipelining: two requests in one raw text become two exchanges answered in order', async () => {
    const server = await track(nodeServer((req, res) => res.end(`body of ${req.url}`)));
    app = startApp();
    const raw = new Uint8Array([...get('/one'), ...get('/two')]);
    const sent = await app.client.call('http.send', { target: target(server.port), raw, connection: 'keep' });
    expect(sent.exchanges.map((e) => [e.method, e.target, e.offset, e.length])).toEqual([
      ['GET', '/one', 0, get('/one').length],
      ['GET', '/two', get('/one').length, get('/two').length],
    ]);
    const ends = await Promise.all(sent.exchanges.map((e) => ended(app, e.exchangeId)));
    expect(ends.map((e) => e.outcome)).toEqual(['complete', 'complete']);
    const bodies = await Promise.all(sent.exchanges.map((e) => readBody(app, e.exchangeId)));
    expect(bodies.map((b) => b.bytes.toString())).toEqual(['body of /one', 'body of /two']);
    expect(server.connections()).toBe(1);
  });

  it('conditional GET: 304 with no body, framing says why', async () => {
    const server = await track(
      nodeServer((req, res) => {
        if (req.headers['if-none-match'] === '"v1"') {
          res.writeHead(304, { ETag: '"v1"' });
          res.end();
          return;
        }
        res.writeHead(200, { ETag: '"v1"', 'Content-Type': 'text/plain' });
        res.end('fresh');
      }),
    );
    app = startApp();
    const sent = await app.client.call('http.send', {
      target: target(server.port),
      raw: get('/', 'If-None-Match: "v1"\n'),
    });
    const end = await ended(app, sent.exchanges[0]!.exchangeId);
    const progress = progressOf(app, sent.exchanges[0]!.exchangeId);
    expect(progress.heads[0]?.status).toBe(304);
    expect(progress.heads[0]?.framing).toEqual({ kind: 'none', because: 'not-modified' });
    expect(end.outcome).toBe('complete');
    expect(end.body.receivedBytes).toBe(0);
  });

  it('HEAD: Content-Length announced, no body read; the next request on the connection is framed right', async () => {
    const server = await track(
      nodeServer((req, res) => {
        res.writeHead(200, { 'Content-Length': '11', 'Content-Type': 'text/plain' });
        res.end(req.method === 'HEAD' ? undefined : 'hello world');
      }),
    );
    app = startApp();
    const raw = new Uint8Array([...encode(crlf('HEAD / HTTP/1.1\nHost: x\n\n')), ...get('/')]);
    const sent = await app.client.call('http.send', { target: target(server.port), raw });
    const [head, getEnd] = await Promise.all(sent.exchanges.map((e) => ended(app, e.exchangeId)));
    expect(sent.exchanges.map((e) => e.method)).toEqual(['HEAD', 'GET']);
    expect(progressOf(app, sent.exchanges[0]!.exchangeId).heads[0]?.framing).toEqual({
      kind: 'none',
      because: 'head-request',
    });
    expect(head?.body.receivedBytes).toBe(0);
    expect(getEnd?.body.receivedBytes).toBe(11);
    expect(getEnd?.outcome).toBe('complete');
  });

  it('gzip and br bodies: raw bytes as received, decoded through http.body', async () => {
    const text = 'compress me '.repeat(5000);
    const server = await track(
      nodeServer((req, res) => {
        const coding = req.url === '/br' ? 'br' : req.url === '/deflate' ? 'deflate' : 'gzip';
        const body =
          coding === 'br'
            ? zlib.brotliCompressSync(text)
            : coding === 'deflate'
              ? zlib.deflateSync(text)
              : zlib.gzipSync(text);
        res.writeHead(200, { 'Content-Encoding': coding, 'Content-Length': body.length });
        res.end(body);
      }),
    );
    app = startApp();
    for (const path of ['/gzip', '/br', '/deflate']) {
      const sent = await app.client.call('http.send', { target: target(server.port), raw: get(path) });
      const end = await ended(app, sent.exchanges[0]!.exchangeId);
      expect(end.body.encodings).toEqual([path.slice(1)]);
      const raw = await readBody(app, sent.exchanges[0]!.exchangeId);
      expect(raw.bytes.length).toBe(end.body.keptBytes);
      expect(raw.bytes.length).toBeLessThan(text.length);
      const decoded = await readBody(app, sent.exchanges[0]!.exchangeId, true, 7000);
      expect(decoded.bytes.toString()).toBe(text);
      expect(decoded.last.totalBytes).toBe(text.length);
      expect(decoded.last.decodeError).toBeUndefined();
    }
  });

  it('a damaged gzip body: what decodes is given, and the error says so', async () => {
    const good = zlib.gzipSync('x'.repeat(100_000));
    const damaged = Buffer.concat([good.subarray(0, good.length / 2), Buffer.from('garbage!garbage!')]);
    const server = await track(
      nodeServer((_req, res) => {
        res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Length': damaged.length });
        res.end(damaged);
      }),
    );
    app = startApp();
    const sent = await app.client.call('http.send', { target: target(server.port), raw: get() });
    await ended(app, sent.exchanges[0]!.exchangeId);
    const decoded = await app.client.call('http.body', {
      exchangeId: sent.exchanges[0]!.exchangeId,
      offset: 0,
      length: 1000,
      decoded: true,
    });
    expect(decoded.decodeError).toMatch(/gzip data is damaged/);
  });

  it('body cap: the rest is counted, not kept, and the cut is noted', async () => {
    const server = await track(nodeServer((_req, res) => res.end(Buffer.alloc(50_000, 0x61))));
    app = startApp();
    const sent = await app.client.call('http.send', { target: target(server.port), raw: get(), maxBodyBytes: 1000 });
    const end = await ended(app, sent.exchanges[0]!.exchangeId);
    expect(end.body).toMatchObject({ receivedBytes: 50_000, keptBytes: 1000, cappedAt: 1000 });
    expect(progressOf(app, sent.exchanges[0]!.exchangeId).diagnostics.map((d) => d.code)).toContain('body-capped');
    expect((await readBody(app, sent.exchanges[0]!.exchangeId)).bytes.length).toBe(1000);
  });

  it('a fast 8 MB body comes as a few coalesced progress events, not one per chunk', async () => {
    const big = Buffer.alloc(8 * 1024 * 1024, 0x62);
    const server = await track(nodeServer((_req, res) => res.end(big)));
    app = startApp();
    const sent = await app.client.call('http.send', { target: target(server.port), raw: get() });
    const end = await ended(app, sent.exchanges[0]!.exchangeId, 20_000);
    expect(end.body.receivedBytes).toBe(big.length);
    const events = progressOf(app, sent.exchanges[0]!.exchangeId).events;
    expect(events).toBeGreaterThan(0);
    // Loopback delivers 8 MB in far more than 100 socket reads.
    expect(events).toBeLessThan(100);
    const middle = await app.client.call('http.body', {
      exchangeId: sent.exchanges[0]!.exchangeId,
      offset: 4_000_000,
      length: 10,
    });
    expect(Buffer.from(middle.data).toString()).toBe('bbbbbbbbbb');
  });

  it('bodies are kept byte for byte though the socket reads into reused or lent memory and forgotten bodies hand their blocks on', async () => {
    // A pattern that differs from read to read and block to block, so a view of reused memory would show.
    const pattern = (seed: number) => {
      const bytes = Buffer.alloc(3 * 1024 * 1024 + 123);
      for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + (i >> 13) + seed) & 0xff;
      return bytes;
    };
    const bodies: Record<string, Buffer> = { '/one': pattern(1), '/two': pattern(2), '/three': pattern(3) };
    const server = await track(
      nodeServer((req, res) => {
        const body = bodies[req.url ?? ''] as Buffer;
        if (req.url !== '/two') return void res.end(body);
        // Chunked, in chunks of several sizes: size lines between the body bytes of one read.
        for (const [from, to] of [
          [0, 10],
          [10, 100_000],
          [100_000, 1_500_000],
          [1_500_000, body.length],
        ] as const) {
          res.write(body.subarray(from, to));
        }
        res.end();
      }),
    );
    app = startApp();
    // Pipelined: reads carry the end of one response together with the head and body of the next.
    const raw = new Uint8Array([...get('/one'), ...get('/two')]);
    const sent = await app.client.call('http.send', { target: target(server.port), raw, connection: 'keep' });
    const [one, two] = sent.exchanges.map((e) => e.exchangeId) as [string, string];
    await Promise.all([ended(app, one, 20_000), ended(app, two, 20_000)]);
    expect((await readBody(app, one)).bytes.equals(bodies['/one']!)).toBe(true);
    await app.client.call('http.forget', { exchangeId: one });
    const again = await app.client.call('http.send', { target: target(server.port), raw: get('/three') });
    const three = again.exchanges[0]!.exchangeId;
    expect((await ended(app, three, 20_000)).outcome).toBe('complete');
    expect((await readBody(app, three)).bytes.equals(bodies['/three']!)).toBe(true);
    expect((await readBody(app, two)).bytes.equals(bodies['/two']!)).toBe(true);
  });

  it('the raw text goes out exactly as typed, broken or not', async () => {
    const server = await track(
      rawServer((socket) => {
        socket.once('data', () =>
          socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'),
        );
      }),
    );
    app = startApp();
    const raw = encode('GET /bare-lf HTTP/1.1\nHost: x\n\n');
    const sent = await app.client.call('http.send', { target: target(server.port), raw });
    const end = await ended(app, sent.exchanges[0]!.exchangeId);
    expect(end.outcome).toBe('complete');
    expect(Buffer.compare(server.received[0]!, Buffer.from(raw))).toBe(0);
    expect(progressOf(app, sent.exchanges[0]!.exchangeId).heads[0]?.status).toBe(400);
    // The server said Connection: close and closed.
    expect((await app.waitFor('http.connectionClosed', (e) => e.connectionId === sent.connectionId)).by).toBe('server');
  });

  it('an unfinished request still goes out, counted as one exchange that may never be answered', async () => {
    const server = await track(rawServer(() => {}));
    app = startApp();
    const raw = encode(crlf('GET / HTTP/1.1\nHost: x\n'));
    const sent = await app.client.call('http.send', {
      target: target(server.port),
      raw,
      responseTimeoutMs: 300,
    });
    expect(sent.exchanges).toEqual([expect.objectContaining({ method: 'GET', complete: false, length: raw.length })]);
    const end = await ended(app, sent.exchanges[0]!.exchangeId);
    expect(end.outcome).toBe('failed');
    expect(end.error?.code).toBe('E_TIMEOUT');
    expect(end.error?.message).toMatch(/no response from 127\.0\.0\.1:\d+ within 300 ms.*empty line/);
    const closed = await app.waitFor('http.connectionClosed', (e) => e.connectionId === sent.connectionId);
    expect(closed.by).toBe('timeout');
    await until(() => server.received[0]?.length === raw.length, 'the server to receive the bytes');
  });
});

describe('http client against hand-written responses', () => {
  it('chunked with extensions and trailers: chunk sizes and extensions visible, body joined', async () => {
    const server = await track(
      rawServer((socket) => {
        socket.once('data', () => {
          socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n');
          socket.write('5;name=value\r\nhello\r\n');
          setTimeout(() => socket.write('7;last\r\n, world\r\n0\r\nX-Sum: 12\r\n\r\n'), 30);
        });
      }),
    );
    app = startApp();
    const sent = await app.client.call('http.send', { target: target(server.port), raw: get() });
    const end = await ended(app, sent.exchanges[0]!.exchangeId);
    const progress = progressOf(app, sent.exchanges[0]!.exchangeId);
    expect(end.outcome).toBe('complete');
    expect(progress.heads[0]?.framing).toEqual({ kind: 'chunked' });
    expect(progress.chunks.map((c) => [c.size, c.line, c.extensions])).toEqual([
      [5, '5;name=value', [{ name: 'name', value: 'value' }]],
      [7, '7;last', [{ name: 'last' }]],
      [0, '0', []],
    ]);
    expect(progress.trailers.map((f) => [f.name, f.value])).toEqual([['X-Sum', '12']]);
    expect(end.body.chunkCount).toBe(3);
    expect((await readBody(app, sent.exchanges[0]!.exchangeId)).bytes.toString()).toBe('hello, world');
  });

  it('the same response written at once or a byte at a time reports the same heads, chunks, trailers and body', async () => {
    const response = Buffer.from(
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-A: 1\r\n\r\n3;x=y\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nT: v\r\n\r\n',
    );
    const server = await track(
      rawServer((socket) => {
        socket.once('data', async (request) => {
          if (!request.toString().startsWith('GET /slow')) {
            socket.write(response);
            return;
          }
          for (const byte of response) {
            socket.write(Buffer.from([byte]));
            await new Promise((resolve) => setImmediate(resolve));
          }
        });
      }),
    );
    app = startApp();
    const seen = [];
    for (const path of ['/fast', '/slow']) {
      const sent = await app.client.call('http.send', {
        target: target(server.port),
        raw: get(path),
        connection: 'new',
      });
      const end = await ended(app, sent.exchanges[0]!.exchangeId);
      const { heads, chunks, trailers, diagnostics } = progressOf(app, sent.exchanges[0]!.exchangeId);
      seen.push({
        outcome: end.outcome,
        body: end.body,
        heads: heads.map(({ at: _at, mono: _mono, ...head }) => head),
        chunks,
        trailers,
        diagnostics,
        bytes: (await readBody(app, sent.exchanges[0]!.exchangeId)).bytes.toString(),
      });
    }
    expect(seen[0]?.bytes).toBe('abc0123456789abcdef');
    expect(seen[1]).toEqual(seen[0]);
  });

  it('close-delimited: the body is everything until the server closes', async () => {
    const server = await track(
      rawServer((socket) => {
        socket.once('data', () => {
          socket.write('HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nfirst part, ');
          setTimeout(() => socket.end('second part'), 30);
        });
      }),
    );
    app = startApp();
    const sent = await app.client.call('http.send', {
      target: target(server.port),
      raw: encode(crlf('GET / HTTP/1.0\n\n')),
      connection: 'keep',
    });
    const end = await ended(app, sent.exchanges[0]!.exchangeId);
    const progress = progressOf(app, sent.exchanges[0]!.exchangeId);
    expect(progress.heads[0]?.framing).toEqual({ kind: 'close' });
    expect(progress.diagnostics.map((d) => d.code)).toContain('close-delimited');
    expect(end.outcome).toBe('complete');
    expect((await readBody(app, sent.exchanges[0]!.exchangeId)).bytes.toString()).toBe('first part, second part');
    expect((await app.waitFor('http.connectionClosed', (e) => e.connectionId === sent.connectionId)).by).toBe('server');
  });

  it('a body cut short by the close ends incomplete, with the parser’s words', async () => {
    const server = await track(
      rawServer((socket) => {
        socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this'));
      }),
    );
    app = startApp();
    const sent = await app.client.call('http.send', { target: target(server.port), raw: get() });
    const end = await ended(app, sent.exchanges[0]!.exchangeId);
    expect(end.outcome).toBe('incomplete');
    expect(end.error?.message).toMatch(/cut short/);
    expect(progressOf(app, sent.exchanges[0]!.exchangeId).diagnostics.map((d) => d.code)).toContain('truncated-body');
  });

  it('1xx interim responses come before the final one', async () => {
    const server = await track(
      rawServer((socket) => {
        socket.once('data', () =>
          socket.write(
            'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok',
          ),
        );
      }),
    );
    app = startApp();
    const sent = await app.client.call('http.send', { target: target(server.port), raw: get() });
    await ended(app, sent.exchanges[0]!.exchangeId);
    const heads = progressOf(app, sent.exchanges[0]!.exchangeId).heads;
    expect(heads.map((h) => [h.status, h.interim])).toEqual([
      [100, true],
      [103, true],
      [200, false],
    ]);
    expect(heads[1]?.fields.map((f) => f.name)).toEqual(['Link']);
  });

  it('101 Switching Protocols: what follows is shown as another protocol’s bytes, and the exchange is answered', async () => {
    const server = await track(
      rawServer((socket) => {
        socket.once('data', () =>
          socket.write(
            'HTTP/1.1 101 Switching Protocols\r\nUpgrade: demo\r\nConnection: Upgrade\r\n\r\nnot http any more',
          ),
        );
      }),
    );
    app = startApp();
    const sent = await app.client.call('http.send', {
      target: target(server.port),
      raw: get('/', 'Upgrade: demo\nConnection: Upgrade\n'),
      responseTimeoutMs: 300,
    });
    const end = await ended(app, sent.exchanges[0]!.exchangeId);
    const progress = progressOf(app, sent.exchanges[0]!.exchangeId);
    expect(end.outcome).toBe('complete');
    expect(progress.heads[0]?.framing).toEqual({ kind: 'switch' });
    expect(progress.unparsed.map((u) => [u.reason, Buffer.from(u.data).toString()])).toEqual([
      ['switched', 'not http any more'],
    ]);
    expect((await app.waitFor('http.connectionClosed', (e) => e.connectionId === sent.connectionId)).by).toBe(
      'timeout',
    );
  });

  it('headers keep their order and repeats; parser diagnostics arrive with the exchange', async () => {
    const server = await track(
      rawServer((socket) => {
        socket.once('data', () =>
          socket.write(
            'HTTP/1.1 200 OK\nSet-Cookie: a=1\r\nContent-Length: 2\r\nSet-Cookie: b=2\r\nContent-Length: 2\r\nX-Folded: one\r\n  two\r\n\r\nok',
          ),
        );
      }),
    );
    app = startApp();
    const sent = await app.client.call('http.send', { target: target(server.port), raw: get() });
    await ended(app, sent.exchanges[0]!.exchangeId);
    const progress = progressOf(app, sent.exchanges[0]!.exchangeId);
    expect(progress.heads[0]?.fields.map((f) => `${f.name}: ${f.value}`)).toEqual([
      'Set-Cookie: a=1',
      'Content-Length: 2',
      'Set-Cookie: b=2',
      'Content-Length: 2',
      'X-Folded: one two',
    ]);
    expect(progress.diagnostics.map((d) => d.code)).toEqual(
      expect.arrayContaining(['bare-lf', 'duplicate-content-length', 'obs-fold']),
    );
    expect(Buffer.from(progress.heads[0]!.raw).toString()).toMatch(/^HTTP\/1\.1 200 OK\nSet-Cookie/);
  });

  it('bytes on an idle connection are stray, not the next response', async () => {
    const server = await track(
      rawServer((socket) => {
        let n = 0;
        socket.on('data', () => {
          n++;
          if (n === 1) {
            socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
            setTimeout(() => socket.write('surprise!'), 50);
          } else socket.write('HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecond');
        });
      }),
    );
    app = startApp();
    const first = await app.client.call('http.send', { target: target(server.port), raw: get(), connection: 'keep' });
    await ended(app, first.exchanges[0]!.exchangeId);
    const stray = await app.waitFor('http.stray', (e) => e.connectionId === first.connectionId);
    expect(Buffer.from(stray.data).toString()).toBe('surprise!');
    expect(stray.length).toBe(9);
    const second = await app.client.call('http.send', { target: target(server.port), raw: get(), connection: 'keep' });
    expect(second.connectionId).toBe(first.connectionId);
    const end = await ended(app, second.exchanges[0]!.exchangeId);
    expect(end.outcome).toBe('complete');
    expect((await readBody(app, second.exchanges[0]!.exchangeId)).bytes.toString()).toBe('second');
  });

  it('a server that is not HTTP: the parse error and its bytes are shown, then the deadline closes it', async () => {
    const server = await track(
      rawServer((socket) => {
        socket.write('220 mail.example ESMTP ready\r\n');
      }),
    );
    app = startApp();
    const sent = await app.client.call('http.send', {
      target: target(server.port),
      raw: get(),
      responseTimeoutMs: 300,
    });
    const end = await ended(app, sent.exchanges[0]!.exchangeId);
    const progress = progressOf(app, sent.exchanges[0]!.exchangeId);
    expect(progress.diagnostics.some((d) => d.fatal)).toBe(true);
    expect(
      Buffer.from(progress.unparsed.map((u) => Buffer.from(u.data)).reduce((a, b) => Buffer.concat([a, b]))).toString(),
    ).toBe('220 mail.example ESMTP ready\r\n');
    expect(end.outcome).toBe('failed');
    expect(end.error?.message).toMatch(/could not be read as HTTP/);
  });
});

describe('http client: deadlines, cancel, errors', () => {
  it('a refused port fails the send with E_REFUSED naming the address', async () => {
    const port = await freeTcpPort();
    app = startApp();
    const error = await app.failure(app.client.call('http.send', { target: target(port), raw: get() }));
    expect(error.code).toBe('E_REFUSED');
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(error.message).toMatch(/web server/);
  });

  it('http.cancel stops a response wait: the exchange ends cancelled, the connection is closed', async () => {
    const server = await track(rawServer(() => {}));
    app = startApp();
    const sent = await app.client.call('http.send', {
      target: target(server.port),
      raw: get(),
      responseTimeoutMs: 60_000,
    });
    expect(sent.responseDeadline.timeoutMs).toBe(60_000);
    const cancelled = await app.client.call('http.cancel', { exchangeId: sent.exchanges[0]!.exchangeId });
    expect(cancelled.cancelled).toEqual([sent.exchanges[0]!.exchangeId]);
    expect((await ended(app, sent.exchanges[0]!.exchangeId)).outcome).toBe('cancelled');
    expect((await app.waitFor('http.connectionClosed', (e) => e.connectionId === sent.connectionId)).by).toBe(
      'cancelled',
    );
  });

  it('a slow response restarts the deadline with every byte; silence past it fails with E_TIMEOUT', async () => {
    const server = await track(
      rawServer((socket) => {
        socket.once('data', () => {
          socket.write('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n');
          let sent = 0;
          const timer = setInterval(() => {
            socket.write('x');
            if (++sent === 4) clearInterval(timer);
          }, 100);
        });
      }),
    );
    app = startApp();
    const sent = await app.client.call('http.send', {
      target: target(server.port),
      raw: get(),
      responseTimeoutMs: 250,
    });
    const end = await ended(app, sent.exchanges[0]!.exchangeId);
    expect(end.outcome).toBe('failed');
    expect(end.error?.code).toBe('E_TIMEOUT');
    expect(end.error?.message).toMatch(/stalled/);
    expect(end.body.receivedBytes).toBe(4);
  });

  it('forgetting an exchange frees its body; reading it after says it is gone', async () => {
    const server = await track(nodeServer((_req, res) => res.end('abc')));
    app = startApp();
    const sent = await app.client.call('http.send', { target: target(server.port), raw: get() });
    await ended(app, sent.exchanges[0]!.exchangeId);
    const forgotten = await app.client.call('http.forget', { exchangeId: sent.exchanges[0]!.exchangeId });
    expect(forgotten.freedBytes).toBe(3);
    const error = await app.failure(
      app.client.call('http.body', { exchangeId: sent.exchanges[0]!.exchangeId, offset: 0, length: 10 }),
    );
    expect(error.code).toBe('E_NOT_FOUND');
  });

  it('an empty raw request is refused before anything is sent', async () => {
    app = startApp();
    const error = await app.failure(app.client.call('http.send', { target: target(80), raw: new Uint8Array(0) }));
    expect(error.code).toBe('E_BAD_REQUEST');
    expect(error.message).toMatch(/request is empty/);
  });
});

describe('http client: what a session keeps', () => {
  function appWith(service: Service) {
    const { client, close } = connectApp({ services: [service] });
    const forgotten: string[][] = [];
    client.on('http.forgotten', (e) => forgotten.push(e.exchangeIds));
    const endedIds = new Set<string>();
    client.on('http.exchangeEnd', (e) => endedIds.add(e.exchangeId));
    return { client, forgotten, endedIds, close };
  }

  it('beyond the bound on kept exchanges, the oldest finished ones are forgotten, and said to be', async () => {
    const server = await track(nodeServer((_req, res) => res.end('x')));
    const small = appWith(createHttpClientService({ maxExchanges: 2 }));
    try {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const sent = await small.client.call('http.send', { target: target(server.port), raw: get() });
        const id = sent.exchanges[0]!.exchangeId;
        ids.push(id);
        await until(() => small.endedIds.has(id), 'the exchange to end');
      }
      expect(small.forgotten).toEqual([[ids[0]]]);
      await expect(small.client.call('http.body', { exchangeId: ids[0]!, offset: 0, length: 1 })).rejects.toThrow(
        /keeps the last 2 exchanges/,
      );
      expect((await small.client.call('http.body', { exchangeId: ids[2]!, offset: 0, length: 1 })).data).toEqual(
        encode('x'),
      );
    } finally {
      small.close();
    }
  });

  it('when the page goes away, its connections are closed', async () => {
    let serverSawClose = false;
    const server = await track(
      rawServer((socket) => {
        socket.on('close', () => (serverSawClose = true));
      }),
    );
    app = startApp();
    await app.client.call('http.send', { target: target(server.port), raw: get(), responseTimeoutMs: 60_000 });
    app.close();
    await until(() => serverSawClose, 'the server to see the connection close');
  });
});
