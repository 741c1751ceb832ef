import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { formatByteCount } from '../../../../../shared/bytes';
import {
  chooseCharset,
  contentTypeOf,
  decodeText,
  describeBodyTotals,
  prettyJson,
} from '../../../../../renderer/http/client/response/bodyFormat';
import { HttpExchanges } from '../../../../../renderer/http/client/exchanges';
import { type App, startApp } from '../../../../support/appClient';
import { encode } from '../../../../support/bytes';
import { until } from '../../../../support/waits';

/**
 * The response viewer's store against the real Node-side HTTP client (the services of
 * electron/services.ts behind the typed client) and a Node http server on loopback.
 */

const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function server(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<number> {
  const http: Server = createServer(handler);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  );
  return (http.address() as AddressInfo).port;
}

function setup(): { app: App; store: HttpExchanges } {
  const app = startApp();
  const store = new HttpExchanges(app.client);
  closers.push(() => {
    store.dispose();
    app.close();
  });
  return { app, store };
}

async function send(
  app: App,
  store: HttpExchanges,
  port: number,
  text: string,
  options: { connection?: 'new' | 'keep'; maxBodyBytes?: number } = {},
) {
  const raw = encode(text);
  const result = await app.client.call('http.send', {
    target: { host: '127.0.0.1', port },
    raw,
    connection: options.connection ?? 'new',
    ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
  });
  store.trackSend(result, { raw, target: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}` });
  const ids = result.exchanges.map((e) => e.exchangeId);
  await until(
    () => ids.every((id) => ['done', 'failed'].includes(store.find(id)?.phase ?? '')),
    `the responses to ${ids.join(', ')}`,
    10_000,
  );
  return { result, exchanges: ids.map((id) => store.find(id)!) };
}

async function readAll(store: HttpExchanges, id: string, decoded = false): Promise<Uint8Array> {
  const exchange = store.find(id)!;
  const length = decoded ? (exchange.body.decodedLength ?? 0) : exchange.body.kept;
  return store.readBody(id, 0, length, decoded);
}

describe('the exchanges store', () => {
  it('follows a GET: status, headers in order with repeats, validators, cookies, body in its charset, connection and transcript', async () => {
    const port = await server((_req, res) => {
      const body = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0d, 0x0a]); // "café\r\n" in ISO-8859-1
      res.writeHead(200, [
        ['Content-Type', 'text/plain; charset=ISO-8859-1'],
        ['ETag', '"v1"'],
        ['Last-Modified', 'Sun, 22 Nov 2026 06:00:00 GMT'],
        ['Set-Cookie', 'a=1; Path=/'],
        ['Set-Cookie', 'b=2'],
        ['Content-Length', String(body.length)],
      ]);
      res.end(body);
    });
    const { app, store } = setup();
    const seen: string[] = [];
    store.onResponse((latest) => seen.push(latest.exchangeId));
    const { result, exchanges } = await send(app, store, port, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    const [exchange] = exchanges;
    expect(exchange?.phase).toBe('done');
    expect(exchange?.response?.status).toBe(200);
    expect(exchange?.response?.reason).toBe('OK');
    expect(exchange?.response?.fields.map((f) => f.name).slice(0, 6)).toEqual([
      'Content-Type',
      'ETag',
      'Last-Modified',
      'Set-Cookie',
      'Set-Cookie',
      'Content-Length',
    ]);
    expect(store.state.latest?.validators).toEqual({ etag: '"v1"', lastModified: 'Sun, 22 Nov 2026 06:00:00 GMT' });
    expect(store.state.latest?.setCookies).toEqual(['a=1; Path=/', 'b=2']);
    expect(store.state.latest?.origin).toBe(`http://127.0.0.1:${port}`);
    expect(seen).toEqual([exchange?.id]);
    expect(store.state.selectedId).toBe(exchange?.id);

    // The body in the charset the server named.
    const body = await readAll(store, exchange!.id);
    const charset = chooseCharset(contentTypeOf(exchange!.response!.fields));
    expect(decodeText(body, charset.charset)).toBe('café\r\n');
    expect(exchange?.body).toMatchObject({ received: 6, kept: 6, complete: true });
    expect(exchange?.timings.totalMs).toBeGreaterThan(0);
    expect(exchange?.timings.firstByteMs).toBeGreaterThanOrEqual(0);

    // Which connection carried it, from which local port, and who closed it ('new': the client, after the response).
    expect(exchange?.localPort).toBe(result.local.port);
    await until(() => store.connection(result.connectionId)?.closedAt !== undefined, 'the connection to close');
    const connection = store.connection(result.connectionId);
    expect(connection).toMatchObject({ seq: 1, localPort: result.local.port, exchangeIds: [exchange?.id] });
    expect(connection?.closeNote).toBeTruthy();
    const rows = store.transcriptOf(result.connectionId).state.rows;
    expect(rows[0]?.note).toMatch(
      new RegExp(`^connection 1 opened: 127\\.0\\.0\\.1:${result.local.port} → 127\\.0\\.0\\.1:${port}`),
    );
    const request = rows.find((row) => row.direction === 'client-to-server');
    expect(new TextDecoder().decode(request?.data)).toBe(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    expect(rows.some((row) => row.direction === 'server-to-client' && row.note?.includes('HTTP/1.1 200 OK'))).toBe(
      true,
    );
    expect(rows.at(-1)?.note).toMatch(/^connection 1 closed: /);
  });

  it('shows a JSON body pretty, and a 304 with no body', async () => {
    const port = await server((req, res) => {
      if (req.headers['if-none-match'] === '"j"') {
        res.writeHead(304, { ETag: '"j"' });
        res.end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json', ETag: '"j"' });
      res.end('{"lab":"http","codes":[200,304]}');
    });
    const { app, store } = setup();
    const first = await send(app, store, port, 'GET /data HTTP/1.1\r\nHost: x\r\n\r\n');
    const json = prettyJson(decodeText(await readAll(store, first.exchanges[0]!.id), 'utf-8'));
    expect(json).toEqual({ ok: true, text: '{\n  "lab": "http",\n  "codes": [\n    200,\n    304\n  ]\n}' });
    const second = await send(app, store, port, 'GET /data HTTP/1.1\r\nHost: x\r\nIf-None-Match: "j"\r\n\r\n');
    expect(second.exchanges[0]?.response?.status).toBe(304);
    expect(second.exchanges[0]?.response?.framing).toEqual({ kind: 'none', because: 'not-modified' });
    expect(second.exchanges[0]?.body.received).toBe(0);
    expect(store.state.exchanges.map((e) => e.seq)).toEqual([1, 2]);
  });

  it('keeps one connection and its local port for "keep", a new one per request for "new"', async () => {
    const port = await server((_req, res) => {
      res.writeHead(200, { 'Content-Length': '2' });
      res.end('ok');
    });
    const { app, store } = setup();
    const a = await send(app, store, port, 'GET /a HTTP/1.1\r\nHost: x\r\n\r\n', { connection: 'keep' });
    const b = await send(app, store, port, 'GET /b HTTP/1.1\r\nHost: x\r\n\r\n', { connection: 'keep' });
    expect(b.result.connectionId).toBe(a.result.connectionId);
    expect(b.exchanges[0]?.localPort).toBe(a.exchanges[0]?.localPort);
    expect(b.exchanges[0]?.reused).toBe(true);
    expect(store.connection(a.result.connectionId)?.exchangeIds).toEqual([a.exchanges[0]?.id, b.exchanges[0]?.id]);

    const c = await send(app, store, port, 'GET /c HTTP/1.1\r\nHost: x\r\n\r\n', { connection: 'new' });
    const d = await send(app, store, port, 'GET /d HTTP/1.1\r\nHost: x\r\n\r\n', { connection: 'new' });
    expect(c.exchanges[0]?.localPort).not.toBe(d.exchanges[0]?.localPort);
    expect(new Set(store.state.connections.map((connection) => connection.id)).size).toBe(3);
  });

  it('follows pipelined requests on one connection in order', async () => {
    const port = await server((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': String(req.url?.length ?? 0) });
      res.end(req.url);
    });
    const { app, store } = setup();
    const { exchanges } = await send(
      app,
      store,
      port,
      'GET /one HTTP/1.1\r\nHost: x\r\n\r\nGET /two HTTP/1.1\r\nHost: x\r\n\r\n',
      { connection: 'keep' },
    );
    expect(exchanges.map((e) => e?.response?.status)).toEqual([200, 200]);
    expect(exchanges.map((e) => e?.localPort)).toEqual([exchanges[0]?.localPort, exchanges[0]?.localPort]);
    expect(new TextDecoder().decode(await readAll(store, exchanges[1]!.id))).toBe('/two');
  });

  it('shows a gzip body decoded, with the bytes as received one call away', async () => {
    const text = 'hello, compressed world\r\n'.repeat(200);
    const compressed = gzipSync(text);
    const port = await server((_req, res) => {
      res.writeHead(200, {
        'Content-Type': 'text/plain; charset=utf-8',
        'Content-Encoding': 'gzip',
        'Content-Length': compressed.length,
      });
      res.end(compressed);
    });
    const { app, store } = setup();
    const { exchanges } = await send(app, store, port, 'GET /z HTTP/1.1\r\nHost: x\r\n\r\n');
    const id = exchanges[0]!.id;
    await until(() => store.find(id)?.body.decodedLength !== undefined, 'the decoded size');
    const exchange = store.find(id)!;
    expect(exchange.body.encodings).toEqual(['gzip']);
    expect(exchange.body.decodedLength).toBe(text.length);
    expect(new TextDecoder().decode(await readAll(store, id, true))).toBe(text);
    expect(Buffer.from(await readAll(store, id, false)).equals(compressed)).toBe(true);
    expect(describeBodyTotals(exchange.body, true)).toBe(
      `${formatByteCount(compressed.length)} received, ${formatByteCount(text.length)} decoded.`,
    );
  });

  it('says when the body cap cut a body: what was kept, the cap, and the rest counted', async () => {
    const port = await server((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': '5000' });
      res.end(Buffer.alloc(5000, 0x41));
    });
    const { app, store } = setup();
    const { exchanges } = await send(app, store, port, 'GET /big HTTP/1.1\r\nHost: x\r\n\r\n', { maxBodyBytes: 1000 });
    const body = exchanges[0]!.body;
    expect(body).toMatchObject({ received: 5000, kept: 1000, capBytes: 1000, complete: true });
    expect(describeBodyTotals(body, false)).toBe(
      '5,000 bytes received. Truncated: only the first 1,000 bytes were kept (the body cap is 1,000 bytes); the other 4,000 bytes were counted, not stored.',
    );
    expect((await readAll(store, exchanges[0]!.id)).length).toBe(1000);
    // The default cap reads as the issue states it.
    expect(
      describeBodyTotals(
        { ...body, received: 70 * 1024 * 1024, kept: 64 * 1024 * 1024, capBytes: 64 * 1024 * 1024 },
        false,
      ),
    ).toBe(
      '70.0 MiB received. Truncated: only the first 64.0 MiB were kept (the body cap is 64.0 MiB); the other 6.0 MiB were counted, not stored.',
    );
  });

  it('keeps an interim 100 Continue apart from the final response, and stray bytes on the idle connection apart from both', async () => {
    const tcp = createTcpServer((socket) => {
      socket.once('data', () => {
        socket.write('HTTP/1.1 100 Continue\r\n\r\n');
        setTimeout(() => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'), 20);
        // Bytes nobody asked for, once the response is complete.
        setTimeout(() => socket.write('surprise'), 150);
      });
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => tcp.close(() => resolve())));
    const port = (tcp.address() as AddressInfo).port;
    const { app, store } = setup();
    const { result, exchanges } = await send(
      app,
      store,
      port,
      'POST /upload HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 0\r\n\r\n',
      { connection: 'keep' },
    );
    expect(exchanges[0]?.interim.map((head) => head.status)).toEqual([100]);
    expect(exchanges[0]?.response?.status).toBe(200);
    await until(() => (store.connection(result.connectionId)?.strayBytes ?? 0) > 0, 'the stray bytes');
    expect(store.connection(result.connectionId)?.strayBytes).toBe(8);
    const rows = store.transcriptOf(result.connectionId).state.rows;
    expect(rows.map((row) => row.note)).toEqual(
      expect.arrayContaining([
        'interim response to #1: HTTP/1.1 100 Continue',
        'response to #1: HTTP/1.1 200 OK',
        'bytes on an idle connection: no request was outstanding, so they belong to no response',
      ]),
    );
    // The exchange keeps its own 2-byte body; the stray bytes are not part of it.
    expect(new TextDecoder().decode(await readAll(store, exchanges[0]!.id))).toBe('ok');
  });

  it("keeps a chunked body's size lines with their extensions, arriving in pieces, and its trailers", async () => {
    const chunked =
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n' +
      '5;lang=en\r\nhello\r\n7;note="a b";flag\r\n, world\r\n0\r\nX-Checksum: abc\r\n\r\n';
    const tcp = createTcpServer((socket) => {
      socket.once('data', () => {
        // Two writes apart, so the lines come in more than one progress event.
        socket.write(chunked.slice(0, 80));
        setTimeout(() => socket.end(chunked.slice(80)), 60);
      });
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => tcp.close(() => resolve())));
    const port = (tcp.address() as AddressInfo).port;
    const { app, store } = setup();
    const { exchanges } = await send(app, store, port, 'GET /stream HTTP/1.1\r\nHost: x\r\n\r\n');
    const exchange = exchanges[0]!;
    expect(exchange.chunks.map((chunk) => [chunk.line, chunk.size])).toEqual([
      ['5;lang=en', 5],
      ['7;note="a b";flag', 7],
      ['0', 0],
    ]);
    expect(exchange.chunks[1]?.extensions).toEqual([{ name: 'note', value: '"a b"' }, { name: 'flag' }]);
    expect(exchange.body.chunks).toBe(3);
    expect(exchange.trailers.map((field) => [field.name, field.value])).toEqual([['X-Checksum', 'abc']]);
    expect(new TextDecoder().decode(await readAll(store, exchange.id))).toBe('hello, world');
  });

  it('shows a refused connection as a failed exchange with the reason', async () => {
    const port = await server(() => {});
    await closers.pop()?.();
    const { app, store } = setup();
    const raw = encode('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    const error = await app.failure(
      app.client.call('http.send', { target: { host: '127.0.0.1', port }, raw, connection: 'new' }),
    );
    store.trackFailure({ method: 'GET', request: raw, target: `127.0.0.1:${port}` }, error);
    const [exchange] = store.state.exchanges;
    expect(exchange?.phase).toBe('failed');
    expect(exchange?.failure?.code).toBe(error.code);
    expect(exchange?.failure?.message).toContain(String(port));
  });
});
