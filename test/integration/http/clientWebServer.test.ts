import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fieldValue } from '../../../shared/http/parse/fields';
import { crlf, ended, progressOf, readBody, target } from './clientHarness';
import { type App, startApp } from '../../support/appClient';
import { encode } from '../../support/bytes';

/** The composer's peer in the lab: the app's own web server (webServer.*), driven by the app's own client. */

const site = join(process.cwd(), 'electron', 'http', 'server', 'sampleSite');
let app: App;

afterEach(() => app?.close());

async function startServer(): Promise<number> {
  const started = await app.client.call('webServer.start', { port: 0 });
  return started.local.port;
}

const request = (line: string, extra = '') => encode(crlf(`${line}\nHost: 127.0.0.1\n${extra}\n`));

describe('http client against the built-in web server', () => {
  it('GET a page: 200 with its headers and the file as body; then a conditional GET gets 304 and no body', async () => {
    app = startApp();
    const port = await startServer();
    const sent = await app.client.call('http.send', { target: target(port), raw: request('GET /index.html HTTP/1.1') });
    const end = await ended(app, sent.exchanges[0]!.exchangeId);
    const head = progressOf(app, sent.exchanges[0]!.exchangeId).heads[0]!;
    expect(head.status).toBe(200);
    expect(fieldValue(head.fields, 'Content-Type')).toBe('text/html; charset=utf-8');
    const etag = fieldValue(head.fields, 'ETag');
    expect(etag).toBeDefined();
    expect(end.outcome).toBe('complete');
    expect(
      (await readBody(app, sent.exchanges[0]!.exchangeId)).bytes.equals(readFileSync(join(site, 'index.html'))),
    ).toBe(true);

    const again = await app.client.call('http.send', {
      target: target(port),
      raw: request('GET /index.html HTTP/1.1', `If-None-Match: ${etag}\n`),
    });
    expect(again.reused).toBe(true);
    const notModified = await ended(app, again.exchanges[0]!.exchangeId);
    expect(progressOf(app, again.exchanges[0]!.exchangeId).heads[0]?.status).toBe(304);
    expect(notModified.body.receivedBytes).toBe(0);
  });

  it('persistent vs non-persistent: the page and its images over one connection, or one connection each', async () => {
    app = startApp();
    const port = await startServer();
    const paths = ['/index.html', '/style.css', '/server.svg', '/client.svg'];
    // One after another, as a browser without pipelining would.
    const serial = [];
    for (const path of paths) {
      const sent = await app.client.call('http.send', {
        target: target(port),
        raw: request(`GET ${path} HTTP/1.1`),
        connection: 'new',
      });
      await ended(app, sent.exchanges[0]!.exchangeId);
      serial.push(sent);
    }
    expect(new Set(serial.map((s) => s.local.port)).size).toBe(4);
    const persistent = [];
    for (const path of paths) {
      const sent = await app.client.call('http.send', {
        target: target(port),
        raw: request(`GET ${path} HTTP/1.1`),
        connection: 'keep',
      });
      await ended(app, sent.exchanges[0]!.exchangeId);
      persistent.push(sent);
    }
    expect(new Set(persistent.map((s) => s.local.port)).size).toBe(1);
  });

  it('pipelined HEAD and GET in one send: answered in order on one connection', async () => {
    app = startApp();
    const port = await startServer();
    const raw = new Uint8Array([...request('HEAD /style.css HTTP/1.1'), ...request('GET /style.css HTTP/1.1')]);
    const sent = await app.client.call('http.send', { target: target(port), raw });
    const [head, get] = await Promise.all(sent.exchanges.map((e) => ended(app, e.exchangeId)));
    const css = readFileSync(join(site, 'style.css'));
    expect(head?.body.receivedBytes).toBe(0);
    expect(fieldValue(progressOf(app, sent.exchanges[0]!.exchangeId).heads[0]?.fields ?? [], 'Content-Length')).toBe(
      String(css.length),
    );
    expect(get?.body.receivedBytes).toBe(css.length);
  });

  it('broken requests sent on purpose: 400 for garbage, 505 for HTTP/1.2, 404 for a missing file', async () => {
    app = startApp();
    const port = await startServer();
    const cases: Array<[Uint8Array, number]> = [
      [encode('HELLO THERE\r\n\r\n'), 400],
      [request('GET / HTTP/1.2'), 505],
      [request('GET /no-such-page.html HTTP/1.1'), 404],
    ];
    for (const [raw, status] of cases) {
      const sent = await app.client.call('http.send', { target: target(port), raw, connection: 'new' });
      await ended(app, sent.exchanges[0]!.exchangeId);
      expect(progressOf(app, sent.exchanges[0]!.exchangeId).heads.at(-1)?.status).toBe(status);
    }
  });
});
