/**
 * HTTP by hand end to end in browser mode: the built-in web server started from the UI,
 * requests typed into the raw editor and sent over real loopback connections, and the
 * response viewer showing status, headers, body and which connection carried what.
 *
 * Screenshots go to SCREENSHOT_DIR (default /tmp/pp/shots3).
 */
import { X509Certificate } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Locator, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { makeSelfSignedCertificate } from '../../electron/net/selfSignedCertificate';
import { freeTcpPort } from '../support/ports';
import { skipWithoutChromium } from './support/browser';
import { openHttp, send, startWebServer, viewer } from './support/http';
import { browserPages } from './support/pages';

const screenshotDir = process.env.SCREENSHOT_DIR ?? '/tmp/pp/shots3';

describe.skipIf(skipWithoutChromium('HTTP end-to-end spec'))('HTTP by hand', () => {
  const pages = browserPages({ width: 1440, height: 1100 });
  const servers: Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  async function headerValue(page: Page, name: string): Promise<string> {
    const row = viewer(page)
      .getByRole('table', { name: 'Headers' })
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${name}`) }) })
      .first();
    return ((await row.getByRole('cell').last().textContent()) ?? '').trim();
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    mkdirSync(screenshotDir, { recursive: true });
    await page.screenshot({ path: join(screenshotDir, name), fullPage: true });
    // The page scrolls inside its shell: a tall window shows the whole viewer.
    const size = page.viewportSize();
    await page.setViewportSize({ width: size?.width ?? 1440, height: 2600 });
    await viewer(page).screenshot({ path: join(screenshotDir, name.replace('.png', '-viewer.png')) });
    if (size) await page.setViewportSize(size);
  }

  async function localServer(handler: Parameters<typeof createServer>[1]): Promise<number> {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  it('GET from the built-in web server shows 200 and its headers; the conditional GET shows 304', async () => {
    const { page, problems } = await openHttp(pages.open);
    const port = await startWebServer(page);
    const host = `127.0.0.1:${port}`;
    await send(page, `http://${host}/`, ['GET / HTTP/1.1', `Host: ${host}`, '']);

    const status = viewer(page).getByRole('status', { name: 'Status' });
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toMatch(/^200\s*OK/);
    const etag = await headerValue(page, 'ETag');
    const lastModified = await headerValue(page, 'Last-Modified');
    expect(await headerValue(page, 'Content-Type')).toMatch(/^text\/html/);
    expect(etag).toMatch(/^(W\/)?".+"$/);
    expect(lastModified).toMatch(/GMT$/);
    expect(await viewer(page).getByText('The request succeeded').count()).toBeGreaterThan(0);
    await screenshot(page, 'http-200.png');

    await send(page, `http://${host}/`, ['GET / HTTP/1.1', `Host: ${host}`, `If-None-Match: ${etag}`, '']);
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toMatch(/^304\s*Not Modified/);
    await viewer(page).getByText('no body (304 Not Modified)').first().waitFor();
    await screenshot(page, 'http-304.png');

    // The server's refusals, each with its meaning.
    await send(page, `http://${host}/`, ['GET /no-such-page.html HTTP/1.1', `Host: ${host}`, '']);
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toMatch(/^404\s*Not Found/);
    expect(await viewer(page).locator('.status-meaning').textContent()).toMatch(/no object at this path/);
    await send(page, `http://${host}/`, ['GET / HTTP/3.0', `Host: ${host}`, '']);
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toMatch(/^505/);
    expect(await viewer(page).locator('.status-meaning').textContent()).toMatch(/does not speak the HTTP version/);
    // A header line without a colon, sent anyway although the linter flags it.
    await send(page, `http://${host}/`, ['GET / HTTP/1.1', `Host: ${host}`, 'no colon here', '']);
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toMatch(/^400\s*Bad Request/);
    expect(await viewer(page).locator('.status-meaning').textContent()).toMatch(/could not understand the request/);
    expect(problems.all).toEqual([]);
  });

  it('an HTML preview runs no script from the page', async () => {
    const page1 =
      '<!doctype html><html><head><title>t</title><style>h1 { color: rgb(170, 0, 0) }</style></head><body>' +
      '<h1 id="greeting">Hello from the test page</h1>' +
      '<script>document.getElementById("greeting").textContent = "SCRIPT RAN"; parent.document.title = "SCRIPT RAN";</script>' +
      '<img src="x.png" onerror="document.body.textContent = \'SCRIPT RAN\'"></body></html>';
    const port = await localServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(page1) });
      res.end(page1);
    });
    const { page, problems } = await openHttp(pages.open);
    const host = `127.0.0.1:${port}`;
    await send(page, `http://${host}/`, ['GET / HTTP/1.1', `Host: ${host}`, 'Connection: close', '']);
    const status = viewer(page).getByRole('status', { name: 'Status' });
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toMatch(/^200/);

    const frameElement = viewer(page).locator('iframe[title="HTML preview"]');
    await frameElement.waitFor();
    // The frame is sandboxed with no permissions at all: no scripts, an opaque origin.
    expect(await frameElement.getAttribute('sandbox')).toBe('');
    const frame = page.frameLocator('iframe[title="HTML preview"]');
    await frame.getByRole('heading', { name: 'Hello from the test page' }).waitFor();
    // Its stylesheet still applies (style-src data:), without inline styles.
    const color = await frame.getByRole('heading').evaluate((h) => getComputedStyle(h).color);
    expect(color).toBe('rgb(170, 0, 0)');
    await page.waitForTimeout(300);
    expect(await frame.locator('body').textContent()).not.toContain('SCRIPT RAN');
    expect(await page.title()).not.toBe('SCRIPT RAN');
    await screenshot(page, 'http-preview.png');
    expect(problems.all).toEqual([]);
  });

  it('a redirect says where Location points; gzip JSON shown pretty with the compressed bytes one click away; an image; a large body paged', async () => {
    const json = JSON.stringify({ lab: 'http', codes: [200, 301, 304], note: 'größer' });
    const gzipped = gzipSync(json);
    // A 1×1 red PNG.
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
      'base64',
    );
    const big = Buffer.from('line of text\r\n'.repeat(200_000));
    const port = await localServer((req, res) => {
      if (req.url === '/old') {
        res.writeHead(301, {
          Location: `http://127.0.0.1:${(req.socket.localPort ?? 0).toString()}/new`,
          'Content-Length': 0,
        });
        res.end();
      } else if (req.url === '/data.json') {
        res.writeHead(200, {
          'Content-Type': 'application/json',
          'Content-Encoding': 'gzip',
          'Content-Length': gzipped.length,
        });
        res.end(gzipped);
      } else if (req.url === '/dot.png') {
        res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': png.length });
        res.end(png);
      } else {
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': big.length });
        res.end(big);
      }
    });
    const { page, problems } = await openHttp(pages.open);
    const host = `127.0.0.1:${port}`;
    const status = viewer(page).getByRole('status', { name: 'Status' });
    await chooseConnection(page, 'keep');

    await send(page, `http://${host}/`, ['GET /old HTTP/1.1', `Host: ${host}`, '']);
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toMatch(/^301\s*Moved Permanently/);
    // The meaning beside the status says where the object went.
    expect(await viewer(page).locator('.status-meaning').textContent()).toMatch(
      new RegExp(`moved for good.*Location: http://${host.replaceAll('.', '\\.')}/new`),
    );

    await send(page, `http://${host}/`, ['GET /data.json HTTP/1.1', `Host: ${host}`, '']);
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toMatch(/^200/);
    const pretty = viewer(page).getByLabel('Body as JSON');
    await expect.poll(() => pretty.textContent(), { timeout: 10_000 }).toContain('"note": "größer"');
    expect(await pretty.textContent()).toContain('"lab": "http"');
    await screenshot(page, 'http-json.png');
    await viewer(page).getByRole('radio', { name: 'As received (compressed)' }).check();
    // The gzip member's magic bytes 1f 8b start the bytes as they came over the wire.
    await expect.poll(() => viewer(page).getByLabel('Body as hex').textContent()).toMatch(/^00000000 1f8b/);

    await send(page, `http://${host}/`, ['GET /dot.png HTTP/1.1', `Host: ${host}`, '']);
    const image = viewer(page).getByRole('img', { name: /The response body \(image\/png/ });
    await image.waitFor({ timeout: 10_000 });
    expect(await image.getAttribute('src')).toMatch(/^blob:/);
    await expect.poll(() => image.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(1);

    await send(page, `http://${host}/`, ['GET /big HTTP/1.1', `Host: ${host}`, '']);
    await viewer(page)
      .getByText(/bytes 0–1,048,575 of 2,800,000 \(page 1 of 3\)/)
      .waitFor({ timeout: 15_000 });
    const text = viewer(page).getByLabel('Body as text');
    // Only the blocks on screen are in the page, not 2.8 MB of text.
    expect((await text.textContent())?.length ?? 0).toBeLessThan(100_000);
    await viewer(page).getByRole('button', { name: 'Next MiB' }).click();
    await viewer(page)
      .getByText(/bytes 1,048,576–2,097,151 of 2,800,000/)
      .waitFor();
    await screenshot(page, 'http-big.png');
    expect(problems.all).toEqual([]);
  });

  it('a chunked body: its text joined, and its size lines with their extensions and its trailers one click away', async () => {
    const tcp = createTcpServer((socket) => {
      socket.once('data', () =>
        socket.end(
          'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n' +
            '5;lang=en\r\nhello\r\n7;flag\r\n, world\r\n0\r\nX-Checksum: abc\r\n\r\n',
        ),
      );
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    const port = (tcp.address() as AddressInfo).port;
    try {
      const { page, problems } = await openHttp(pages.open);
      const host = `127.0.0.1:${port}`;
      await send(page, `http://${host}/`, ['GET /stream HTTP/1.1', `Host: ${host}`, '']);
      const status = viewer(page).getByRole('status', { name: 'Status' });
      await expect.poll(() => status.textContent(), { timeout: 10_000 }).toMatch(/^200/);
      await expect.poll(() => viewer(page).getByLabel('Body as text').textContent()).toContain('hello, world');
      await viewer(page)
        .getByText(/Chunked framing: 3 chunk-size lines/)
        .click();
      const chunks = viewer(page).getByRole('table', { name: 'Chunks' });
      const lines = await chunks.locator('tbody tr td:nth-child(2)').allTextContents();
      expect(lines).toEqual(['5;lang=en', '7;flag', '0']);
      expect(await chunks.locator('tbody tr').nth(0).textContent()).toContain('lang=en');
      const trailers = viewer(page).getByRole('table', { name: 'Trailers' });
      expect(await trailers.textContent()).toMatch(/X-Checksum.*abc/);
      await screenshot(page, 'http-chunked.png');
      expect(problems.all).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    }
  });

  it('non-persistent connections use a new local port per request; a kept connection reuses it', async () => {
    const port = await localServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 2 });
      res.end('ok');
    });
    const { page, problems } = await openHttp(pages.open);
    const host = `127.0.0.1:${port}`;
    const status = viewer(page).getByRole('status', { name: 'Status' });
    const localPortOfLatest = async (count: number) => {
      const list = viewer(page).getByRole('navigation', { name: 'Requests sent' });
      if (count > 1) await expect.poll(() => list.getByRole('button').count(), { timeout: 10_000 }).toBe(count);
      await expect.poll(() => status.textContent(), { timeout: 10_000 }).toMatch(/^200/);
      const facts = (await viewer(page).locator('.response-facts').textContent()) ?? '';
      return /local port (\d+)/.exec(facts)?.[1];
    };

    await chooseConnection(page, 'new');
    await send(page, `http://${host}/`, ['GET /a HTTP/1.1', `Host: ${host}`, '']);
    const first = await localPortOfLatest(1);
    await send(page, `http://${host}/`, ['GET /b HTTP/1.1', `Host: ${host}`, '']);
    const second = await localPortOfLatest(2);
    expect(first).toBeDefined();
    expect(second).not.toBe(first);

    await chooseConnection(page, 'keep');
    await send(page, `http://${host}/`, ['GET /c HTTP/1.1', `Host: ${host}`, '']);
    const third = await localPortOfLatest(3);
    await send(page, `http://${host}/`, ['GET /d HTTP/1.1', `Host: ${host}`, '']);
    const fourth = await localPortOfLatest(4);
    expect(fourth).toBe(third);
    const connections = viewer(page)
      .getByRole('table')
      .filter({ hasText: 'Requests' })
      .filter({ hasText: 'Local port' });
    await expect.poll(() => connections.textContent()).toMatch(/#3, #4/);
    await screenshot(page, 'http-connections.png');
    expect(problems.all).toEqual([]);
  });
});

describe.skipIf(skipWithoutChromium('HTTP end-to-end spec at 1280×800'))('HTTP by hand at 1280×800', () => {
  const pages = browserPages({ width: 1280, height: 800 });
  const servers: Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  async function shoot(page: Page, name: string, part?: Locator): Promise<void> {
    mkdirSync(screenshotDir, { recursive: true });
    await (part ?? page).screenshot({ path: join(screenshotDir, name) });
  }

  it('the web server panel by its names; the toolbar stays one row, the viewer fits; stopping closes the kept connection in the log', async () => {
    const { page, problems } = await openHttp(pages.open);
    const server = page.getByRole('region', { name: 'Web server' });
    await expect(server.getByRole('textbox', { name: 'Folder' }).inputValue()).resolves.toBe('');
    // Browser mode has no folder dialog: the folder is typed, and no "Choose folder…" is offered.
    await expect(page.getByRole('button', { name: 'Choose folder…' }).count()).resolves.toBe(0);
    const port = await freeTcpPort();
    await server.getByRole('textbox', { name: 'Port' }).fill(String(port));
    await server.getByRole('button', { name: 'Start' }).click();
    await server.getByRole('button', { name: 'Stop' }).waitFor();
    const log = server.getByRole('log', { name: 'Server log' });
    await log.getByText(/serving the sample site/).waitFor();

    // Template and Version, with their labels, and "Write template" on one row.
    const toolbar = page.locator('.composer-templates');
    const rowOf = async (locator: Locator) => Math.round((await locator.boundingBox())?.y ?? -1);
    const writeTemplate = page.getByRole('button', { name: 'Write template' });
    const templateMenu = page.getByRole('combobox', { name: 'Template' });
    expect(Math.abs((await rowOf(writeTemplate)) - (await rowOf(templateMenu)))).toBeLessThan(8);
    await page
      .getByRole('radiogroup', { name: 'Enter writes' })
      .or(page.getByRole('group', { name: 'Enter writes' }))
      .waitFor();
    await shoot(page, 'http-1280-toolbar.png', toolbar);

    await page.getByRole('button', { name: 'Use the built-in web server' }).click();
    await chooseConnection(page, 'new');
    const send = page.getByRole('button', { name: 'Send', exact: true });
    const status = page.getByRole('region', { name: 'Response' }).getByRole('status', { name: 'Status' });
    await send.click();
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toMatch(/^200/);
    await send.click();
    const connections = page.getByRole('region', { name: 'Response' }).locator('.connections-table');
    await expect.poll(() => connections.locator('tbody tr').count(), { timeout: 10_000 }).toBe(2);
    // The first connection's close is in the table with its note.
    await expect.poll(() => connections.locator('tbody tr').first().textContent()).toMatch(/closed/);
    // Enter can write bare LFs on purpose: the linter says so, Send still sends them as typed, the server answers 400.
    await page.getByRole('radio', { name: 'LF only (\\n)' }).check();
    const editor = page.getByRole('textbox', { name: 'Raw request' });
    await editor.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    for (const line of ['GET / HTTP/1.1', `Host: 127.0.0.1:${port}`, '']) {
      await page.keyboard.insertText(line);
      await page.keyboard.press('Enter');
    }
    const findings = page.getByRole('region', { name: 'Linter findings' });
    await expect.poll(() => findings.getByText(/Line ends in a bare LF/).count()).toBe(3);
    await send.click();
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toMatch(/^400\s*Bad Request/);
    await log
      .getByText(/does not end in CRLF/)
      .first()
      .waitFor();
    await page.getByRole('radio', { name: 'CRLF (\\r\\n)' }).check();
    await writeTemplate.click();

    await chooseConnection(page, 'keep');
    await send.click();
    await expect.poll(() => connections.locator('tbody tr').count(), { timeout: 10_000 }).toBe(4);
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toMatch(/^200/);
    await log
      .getByText(/request 1 on this connection: GET \/ HTTP\/1\.1/)
      .first()
      .waitFor();

    // The response viewer never scrolls sideways in its half of the page.
    const viewer = page.getByRole('region', { name: 'Response' });
    const sideways = await viewer.evaluate((element) => element.scrollWidth - element.clientWidth);
    expect(sideways).toBeLessThanOrEqual(0);
    await shoot(page, 'http-1280-connections.png', connections);

    // Stop: the kept connection is closed by the stop, said in the log, and the panel offers Start again.
    await server.getByRole('button', { name: 'Stop' }).click();
    await server.getByRole('button', { name: 'Start' }).waitFor();
    await log.getByText(/closed because the server stopped after 1 request/).waitFor();
    await log.getByText(/stopped: the listening socket and every connection are closed/).waitFor();
    expect(await server.getByLabel('Web server counters').textContent()).toMatch(/\(0 open\)/);
    expect(problems.all).toEqual([]);
  });

  it('https with a self-signed certificate: refused with the certificate shown, then accepted explicitly', async () => {
    const certificate = await makeSelfSignedCertificate('localhost');
    const secure = createHttpsServer({ key: certificate.key, cert: certificate.cert }, (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 6 });
      res.end('secure');
    });
    servers.push(secure);
    await new Promise<void>((resolve) => secure.listen(0, '127.0.0.1', resolve));
    const port = (secure.address() as AddressInfo).port;
    const fingerprint = new X509Certificate(certificate.cert).fingerprint256;
    const { page, problems } = await openHttp(pages.open);
    await page.getByRole('textbox', { name: 'URL' }).fill(`https://localhost:${port}/`);
    await page.getByRole('button', { name: 'Write template' }).click();
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const composer = page.getByRole('region', { name: 'Request' });
    await composer
      .getByText(/self-signed/)
      .first()
      .waitFor({ timeout: 10_000 });
    const offered = composer.locator('.composer-refused-certificate').getByRole('definition');
    await expect
      .poll(() => offered.allTextContents())
      .toEqual(expect.arrayContaining(['CN=localhost', 'itself (self-signed)', fingerprint]));
    await shoot(page, 'http-1280-tls-refused.png', composer.locator('.composer-refused-certificate'));

    await page.getByRole('checkbox', { name: 'Accept a self-signed certificate (https)' }).check();
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const status = page.getByRole('region', { name: 'Response' }).getByRole('status', { name: 'Status' });
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toMatch(/^200/);
    const used = composer.locator('.composer-last-send').getByRole('definition');
    await expect.poll(() => used.allTextContents()).toEqual(expect.arrayContaining([fingerprint]));
    expect(await composer.locator('.composer-refused-certificate').count()).toBe(0);
    // TLS has its own row among the timings.
    await page
      .getByRole('region', { name: 'Response' })
      .locator('.timings-table')
      .getByRole('rowheader', { name: 'TLS' })
      .waitFor();
    await shoot(page, 'http-1280-tls-accepted.png', composer.locator('.composer-last-send'));
    expect(problems.all).toEqual([]);
  });
});

/** The composer's connection choice: a new connection per request, or keep it open. */
async function chooseConnection(page: Page, policy: 'new' | 'keep'): Promise<void> {
  const name =
    policy === 'new' ? 'New connection per request (non-persistent)' : 'Keep the connection open (persistent)';
  await page.getByRole('radio', { name, exact: true }).check();
}
