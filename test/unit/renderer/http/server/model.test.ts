import net from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, test } from 'vitest';
import { WebServerPanel } from '../../../../../renderer/http/server/View';
import { WebServerModel } from '../../../../../renderer/http/server/model';
import { type App, startApp } from '../../../../support/appClient';
import { until } from '../../../../support/waits';
import { RawHttp } from '../../../../integration/http/serverHarness';

let app: App;
let model: WebServerModel | undefined;
let unwatch: (() => void) | undefined;
const cleanups: Array<() => void> = [];
afterEach(async () => {
  unwatch?.();
  if (model?.running) await model.stop();
  for (const cleanup of cleanups.splice(0)) cleanup();
  app?.close();
});

function open(): WebServerModel {
  app = startApp();
  model = new WebServerModel(app.client);
  unwatch = model.watch();
  model.setPort('0');
  return model;
}

const rows = (m: WebServerModel) => m.log.state.rows;
const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString('latin1');

describe('the web server panel model against the real service', () => {
  test('starts the sample site by default, logs a connection, the raw request with its number and the response head', async () => {
    const m = open();
    expect(m.state.port).toBe('0');
    expect(await m.start()).toBe(true);
    expect(m.state.phase).toBe('running');
    expect(m.settings.state.served?.sampleSite).toBe(true);
    expect(m.settings.state.served?.folder).toMatch(/sampleSite$/);
    const port = m.state.local?.port ?? 0;

    const client = await RawHttp.connect(port);
    cleanups.push(() => client.close());
    const first = 'GET /index.html HTTP/1.1\r\nHost: localhost\r\n\r\n';
    client.send(first);
    await client.responses(1);
    client.send('GET /nope HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await client.responses(2);
    await until(() => rows(m).filter((r) => r.direction === 'server-to-client').length === 2, 'two responses');

    const requests = rows(m).filter((r) => r.direction === 'client-to-server');
    expect(text(requests[0]?.data)).toBe(first);
    expect(requests.map((r) => r.seq)).toEqual([1, 2]);
    expect(requests[0]?.party).toBe(`c1 127.0.0.1:${client.localPort}`);
    expect(requests[1]?.note).toBe('request 2 on this connection: GET /nope HTTP/1.1');
    const responses = rows(m).filter((r) => r.direction === 'server-to-client');
    expect(text(responses[0]?.data)).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*ETag: [^\r]+\r\n[\s\S]*\r\n\r\n$/);
    expect(responses[0]?.note).toMatch(
      /^200 OK · index\.html · body [\d,]+ bytes \(not shown\) · connection stays open$/,
    );
    expect(responses[1]?.tone).toBe('warn');
    expect(responses[1]?.note).toContain('Not Found');
    expect(responses.map((r) => r.seq)).toEqual([1, 2]);
    expect(rows(m).some((r) => r.note?.startsWith('new TCP connection from 127.0.0.1:'))).toBe(true);
    expect(m.state.counters).toMatchObject({ requests: 2, responses2xx: 1, responses4xx: 1, connectionsOpen: 1 });

    client.close();
    await until(() => rows(m).some((r) => r.note?.includes('after 2 requests')), 'the close line');
    await m.stop();
    expect(m.state.phase).toBe('stopped');
  });

  test('the Host check is on by default and the panel can switch it off; the running limits come from the server', async () => {
    const m = open();
    expect(m.state.flags.checkHost).toBe(true);
    expect(await m.start()).toBe(true);
    const ask = async () => {
      const client = await RawHttp.connect(m.state.local?.port ?? 0);
      cleanups.push(() => client.close());
      client.send('GET / HTTP/1.1\r\nHost: rebound.example\r\n\r\n');
      return (await client.responses(1))[0]?.status;
    };
    expect(await ask()).toBe(421);
    expect(m.settings.state.timeouts).toEqual({
      headersTimeoutMs: 120_000,
      requestTimeoutMs: 130_000,
      keepAliveTimeoutMs: 15_000,
      connectionsCheckingIntervalMs: 1_000,
    });
    await m.stop();
    m.setCheckHost(false);
    expect(await m.start()).toBe(true);
    expect(await ask()).toBe(200);
  });

  test('a folder that does not exist is shown under Folder, not under Start', async () => {
    const m = open();
    m.setFolder('/definitely/not/here');
    expect(await m.start()).toBe(false);
    expect(m.state.phase).toBe('stopped');
    expect(m.settings.state.folderError?.code).toBe('E_NOT_FOUND');
    expect(m.settings.state.folderError?.message).toContain('/definitely/not/here');
    expect(m.state.errors.start).toBeUndefined();
    m.setFolder('');
    expect(m.settings.state.folderError).toBeUndefined();
  });

  test('serves a chosen folder, and the cookie demo can be turned off', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'pp-webmodel-'));
    cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
    writeFileSync(join(folder, 'index.html'), 'mine');
    const m = open();
    m.setFolder(folder);
    m.setCookieDemo(false);
    expect(await m.start()).toBe(true);
    expect(m.settings.state.served).toEqual({ folder, sampleSite: false });
    const client = await RawHttp.connect(m.state.local?.port ?? 0);
    cleanups.push(() => client.close());
    client.send('GET /cookie HTTP/1.1\r\nHost: localhost\r\n\r\nGET / HTTP/1.1\r\nHost: localhost\r\n\r\n');
    const [cookie, index] = await client.responses(2);
    expect(cookie?.status).toBe(404);
    expect(index?.body.toString()).toBe('mine');
  });

  test('a port in use is shown under Port', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => blocker.close());
    const m = open();
    m.setPort(String((blocker.address() as net.AddressInfo).port));
    expect(await m.start()).toBe(false);
    expect(m.state.errors.port?.code).toBe('E_ADDR_IN_USE');
    expect(rows(m).at(-1)?.note).toContain('could not start');
  });

  test('a malformed request is logged with its problem and the 400 that answered it', async () => {
    const m = open();
    await m.start();
    const client = await RawHttp.connect(m.state.local?.port ?? 0);
    cleanups.push(() => client.close());
    client.send('GET / HTTP/1.2\r\nHost: localhost\r\n\r\n');
    await client.waitClosed();
    await until(() => rows(m).some((r) => r.direction === 'server-to-client'), 'the response');
    const request = rows(m).find((r) => r.direction === 'client-to-server');
    expect(request?.tone).toBe('warn');
    expect(request?.note).toContain('could not be parsed');
    const response = rows(m).find((r) => r.direction === 'server-to-client');
    expect(response?.tone).toBe('error');
    expect(response?.note).toContain('HTTP Version Not Supported');
    expect(response?.note).toContain('server closes the connection');
  });
});

describe('the panel', () => {
  test('is a region named "Web server" with Folder, Port, Start, the cookie switch and the "Server log"', () => {
    app = startApp();
    const m = new WebServerModel(app.client);
    const html = renderToStaticMarkup(createElement(WebServerPanel, { model: m }));
    const heading = /<h2 id="([^"]+)">Web server<\/h2>/.exec(html);
    expect(heading).not.toBeNull();
    expect(html).toContain(`<section class="panel server-panel web-server-panel" aria-labelledby="${heading?.[1]}">`);
    expect(html).toMatch(/<label for="[^"]+">Folder<\/label><input[^>]+placeholder="the sample site/);
    expect(html).toMatch(/<label for="[^"]+">Port<\/label><input[^>]+value="8080"/);
    expect(html).toMatch(/<button type="button" class="primary">Start<\/button>/);
    expect(html).toMatch(/type="checkbox" checked=""/);
    expect(html).toMatch(
      /type="checkbox" checked=""\/><label for="[^"]+">Answer only this computer&#x27;s own names in/,
    );
    expect(html).toContain('(DNS rebinding)');
    expect(html).toContain(
      'Time limits: the request head within 120 s (time enough to type a request by hand in telnet or nc), the whole request within 130 s (else 408), an idle persistent connection closed after 15 s; checked every 1 s. When every connection slot is taken, a new connection closes the one that has waited longest without a complete request head',
    );
    expect(html).toMatch(/<h3 id="([^"]+)-label" class="transcript-title">Server log<\/h3>/);
    expect(html).toContain('role="log"');
  });
});
