/**
 * The HTTP points of a student's first hour (issue 12), each reproduced through the UI in
 * headless Chromium: validators from the right response, a request text that disagrees
 * with the URL, a bounded request history, the reply brought into view, a cancelled or
 * cut-off response, one numbering, timings explained inline, following a redirect and
 * fetching the objects a page references.
 *
 * Screenshots go to SCREENSHOT_DIR (default /tmp/pp/shots12h).
 */
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { skipWithoutChromium } from './support/browser';
import { openHttp, send, startWebServer, typeRequest, viewer } from './support/http';
import { browserPages } from './support/pages';

const screenshotDir = process.env.SCREENSHOT_DIR ?? '/tmp/pp/shots12h';
const sizes = [
  { width: 1280, height: 800 },
  { width: 1024, height: 768 },
];

type Connection = 'New connection per request (non-persistent)' | 'Keep the connection open (persistent)';
const pipelining = 'Pipelining: every request in the text at once';

function status(page: Page): Locator {
  return viewer(page).getByRole('status', { name: 'Status' });
}

function get(host: string, path: string): string[] {
  return [`GET ${path} HTTP/1.1`, `Host: ${host}`, ''];
}

async function editorText(page: Page): Promise<string> {
  return (await page.getByRole('textbox', { name: 'Raw request' }).textContent()) ?? '';
}

async function chooseConnection(page: Page, name: Connection | typeof pipelining): Promise<void> {
  await page.getByRole('radio', { name, exact: true }).check();
}

/** Whether the element is wholly inside the window (the page scrolls inside its shell). */
function inView(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => {
    const box = element.getBoundingClientRect();
    return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight;
  });
}

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, name) });
}

describe.skipIf(skipWithoutChromium('HTTP first-hour end-to-end spec'))("HTTP in a student's first hour", () => {
  const servers: Array<Server | TcpServer> = [];
  const sockets = new Set<Socket>();
  afterEach(async () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    for (const server of servers.splice(0)) {
      if ('closeAllConnections' in server) server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  async function localServer(handler: Parameters<typeof createServer>[1]): Promise<number> {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  async function tcpServer(onSocket: (socket: Socket) => void): Promise<number> {
    const server = createTcpServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {});
      onSocket(socket);
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  /** "Another server" serving /known.txt with its own validators, answering 304 when they match. */
  function knownTxtServer(): Promise<number> {
    const etag = '"known-1"';
    const lastModified = 'Tue, 01 Apr 2025 10:00:00 GMT';
    return localServer((req, res) => {
      if (req.url !== '/known.txt') {
        res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Length': 13 });
        res.end('<p>index</p>\n');
      } else if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { ETag: etag, 'Last-Modified': lastModified });
        res.end();
      } else {
        res.writeHead(200, {
          'Content-Type': 'text/plain',
          'Content-Length': 6,
          ETag: etag,
          'Last-Modified': lastModified,
        });
        res.end('known\n');
      }
    });
  }

  describe('at 1280×800', () => {
    const { open } = browserPages(sizes[0]);

    it('#12.2 the conditional-GET helper takes validators only from the last response for the same URL', async () => {
      const { page, problems } = await openHttp(open);
      const builtIn = `127.0.0.1:${await startWebServer(page)}`;
      const other = `127.0.0.1:${await knownTxtServer()}`;
      await send(page, `http://${builtIn}/client.svg`, get(builtIn, '/client.svg'));
      await expect.poll(() => status(page).textContent(), { timeout: 10_000 }).toMatch(/^200/);

      // The URL now names another server's /known.txt: nothing was fetched from there yet.
      await page.getByRole('textbox', { name: 'URL' }).fill(`http://${other}/known.txt`);
      await typeRequest(page, get(other, '/known.txt'));
      await page.getByRole('button', { name: 'Conditional from last response' }).click();
      await page
        .getByText(new RegExp(`No response from http://${other.replaceAll('.', '\\.')}/known\\.txt yet`))
        .waitFor();
      expect(await editorText(page)).not.toMatch(/If-None-Match|If-Modified-Since/);

      await page.getByRole('button', { name: 'Send', exact: true }).click();
      await expect.poll(() => viewer(page).locator('.response-which').textContent()).toContain('GET /known.txt');
      await expect.poll(() => status(page).textContent(), { timeout: 10_000 }).toMatch(/^200/);
      await page.getByRole('button', { name: 'Conditional from last response' }).click();
      await expect.poll(() => editorText(page)).toContain('If-None-Match: "known-1"');
      expect(await editorText(page)).toContain('If-Modified-Since: Tue, 01 Apr 2025 10:00:00 GMT');
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      await expect.poll(() => status(page).textContent(), { timeout: 10_000 }).toMatch(/^304\s*Not Modified/);
      expect(problems.all).toEqual([]);
    });

    it('#12.3 the linter warns when Host or the request target differ from the URL, fixed in one click; the heading names the path', async () => {
      const { page, problems } = await openHttp(open);
      const other = `127.0.0.1:${await knownTxtServer()}`;
      const findings = page.getByRole('region', { name: 'Linter findings' });
      await findings.getByText('No problems found.').waitFor();
      // The default text says GET / with Host 127.0.0.1:8080; only the URL changes.
      await page.getByRole('textbox', { name: 'URL' }).fill(`http://${other}/known.txt`);
      await findings.getByText(`Host says 127.0.0.1:8080 but the URL is on ${other}`).waitFor();
      await findings.getByText('The request line asks for / but the URL’s path is /known.txt').waitFor();
      await findings.getByRole('button', { name: `Write Host: ${other}` }).click();
      await findings.getByRole('button', { name: 'Write /known.txt into the request line' }).click();
      await findings.getByText('No problems found.').waitFor();
      expect(await editorText(page)).toContain(`GET /known.txt HTTP/1.1`);
      expect(await editorText(page)).toContain(`Host: ${other}`);

      await page.getByRole('button', { name: 'Send', exact: true }).click();
      await expect.poll(() => status(page).textContent(), { timeout: 10_000 }).toMatch(/^200/);
      expect(await viewer(page).locator('.response-which').textContent()).toBe(
        `to request #1: GET /known.txt on ${other}`,
      );
      expect(problems.all).toEqual([]);
    });

    it('#12.8 a cancelled or cut-off response says so first, with the byte counts', async () => {
      const declared = 64_512;
      const arrived = 28_430;
      let cut = false;
      const port = await tcpServer((socket) => {
        socket.once('data', () => {
          socket.write(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${declared}\r\n\r\n`);
          socket.write('x'.repeat(arrived));
          // The first connection stalls (the student stops waiting); the second is cut by the server.
          if (cut) setTimeout(() => socket.destroy(), 200);
          cut = true;
        });
      });
      const { page, problems } = await openHttp(open);
      const host = `127.0.0.1:${port}`;
      await send(page, `http://${host}/big.txt`, get(host, '/big.txt'));
      await expect.poll(() => status(page).textContent(), { timeout: 10_000 }).toMatch(/200/);
      await page.waitForTimeout(300);
      await page.getByRole('button', { name: 'Stop waiting' }).click();
      await expect.poll(() => status(page).textContent(), { timeout: 10_000 }).toMatch(/^Cancelled/);
      expect(await status(page).textContent()).toContain('28,430 of 64,512 bytes');
      expect(await status(page).textContent()).toMatch(/^Cancelled after .* the server had begun 200 OK$/);
      expect(await viewer(page).textContent()).not.toContain('the server keeps the connection open');

      await page.getByRole('button', { name: 'Send', exact: true }).click();
      await expect.poll(() => status(page).textContent(), { timeout: 10_000 }).toMatch(/^Cut off/);
      expect(await status(page).textContent()).toContain('28,430 of 64,512 bytes');
      expect(await viewer(page).textContent()).not.toContain('the server keeps the connection open');
      await shoot(page, 'http-1280-cut-off.png');
      expect(problems.all).toEqual([]);
    });

    it('#12.9 one numbering: a failed pipelined request is labelled; reusing a persistent connection is said', async () => {
      // Every connection gets at most two responses, then the server closes it.
      const port = await tcpServer((socket) => {
        let answered = 0;
        let pending = '';
        socket.on('data', (chunk) => {
          pending += chunk.toString('latin1');
          let end = pending.indexOf('\r\n\r\n');
          while (end !== -1 && answered < 2) {
            pending = pending.slice(end + 4);
            answered++;
            socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
            end = pending.indexOf('\r\n\r\n');
          }
          if (answered >= 2) socket.end();
        });
      });
      const { page, problems } = await openHttp(open);
      const host = `127.0.0.1:${port}`;
      const list = viewer(page).getByRole('navigation', { name: 'Requests sent' });
      await send(page, `http://${host}/a`, get(host, '/a'));
      await expect.poll(() => status(page).textContent(), { timeout: 10_000 }).toMatch(/^200/);
      await chooseConnection(page, 'Keep the connection open (persistent)');
      await send(page, `http://${host}/b`, get(host, '/b'));
      await expect.poll(() => list.getByRole('button').count(), { timeout: 10_000 }).toBe(2);
      await expect.poll(() => status(page).textContent(), { timeout: 10_000 }).toMatch(/^200/);

      await chooseConnection(page, pipelining);
      await send(page, `http://${host}/c`, [...get(host, '/c'), ...get(host, '/d'), ...get(host, '/e')]);
      await page
        .getByRole('region', { name: 'Request' })
        .getByText(/on connection 2, opened earlier in persistent mode \(request #2\)/)
        .waitFor({ timeout: 10_000 });
      await expect.poll(() => list.getByRole('button').count(), { timeout: 10_000 }).toBe(5);
      await expect.poll(() => list.getByRole('button').last().textContent(), { timeout: 10_000 }).toMatch(/failed/);
      await list.getByRole('button').last().click();
      const problemsFound = viewer(page).getByRole('region', { name: 'Problems found' });
      await expect
        .poll(() => problemsFound.textContent())
        .toMatch(/No response to the 4th request on this connection \(GET\)/);
      expect(await problemsFound.textContent()).not.toMatch(/request #4/);
      expect(await viewer(page).locator('.response-which').textContent()).toMatch(/^to request #5: GET \/e/);
      expect(await viewer(page).locator('.response-facts').textContent()).toMatch(
        /2 \(local port \d+\), its 4th request, reused: opened in persistent mode for request #2/,
      );
      expect(problems.all).toEqual([]);
    });

    it('#12.17 Follow redirect sends the request again to where Location points', async () => {
      const port = await localServer((req, res) => {
        if (req.url === '/old') {
          res.writeHead(301, { Location: '/new', 'Content-Length': 0 });
          res.end();
        } else {
          res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 9 });
          res.end('new page\n');
        }
      });
      const { page, problems } = await openHttp(open);
      const host = `127.0.0.1:${port}`;
      await send(page, `http://${host}/old`, get(host, '/old'));
      await expect.poll(() => status(page).textContent(), { timeout: 10_000 }).toMatch(/^301/);
      await viewer(page).getByRole('button', { name: 'Follow redirect' }).click();
      await expect.poll(() => status(page).textContent(), { timeout: 10_000 }).toMatch(/^200/);
      expect(await viewer(page).locator('.response-which').textContent()).toBe(`to request #2: GET /new on ${host}`);
      expect(await page.getByRole('textbox', { name: 'URL' }).inputValue()).toBe(`http://${host}/new`);
      expect(await editorText(page)).toContain('GET /new HTTP/1.1');
      // A 200 has no redirect to follow.
      expect(await viewer(page).getByRole('button', { name: 'Follow redirect' }).count()).toBe(0);
      expect(problems.all).toEqual([]);
    });

    it('#12.17 fetches the objects the page references on the connection mode chosen', async () => {
      const { page, problems } = await openHttp(open);
      const port = await startWebServer(page);
      await page.getByRole('button', { name: 'Use the built-in web server' }).click();
      const list = viewer(page).getByRole('navigation', { name: 'Requests sent' });
      const connections = viewer(page).locator('.connections-table tbody tr');
      const fetchObjects = viewer(page).getByRole('button', { name: 'Fetch the objects this page references' });

      // Non-persistent: the page, then each of its five objects on a connection of its own.
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      await expect.poll(() => status(page).textContent(), { timeout: 10_000 }).toMatch(/^200/);
      await fetchObjects.click();
      await expect.poll(() => list.getByRole('button').count(), { timeout: 20_000 }).toBe(6);
      await expect.poll(() => connections.count(), { timeout: 10_000 }).toBe(6);
      const chips = await list.getByRole('button').allTextContents();
      for (const path of ['/style.css', '/client.svg', '/handshake.svg', '/server.svg', '/checkerboard.png'])
        expect(
          chips.some((chip) => chip.includes(`GET ${path} 200`)),
          `${path} in ${chips.join(' | ')}`,
        ).toBe(true);

      // Persistent: the page and its objects on one connection.
      await chooseConnection(page, 'Keep the connection open (persistent)');
      await list.getByRole('button').first().click();
      await fetchObjects.click();
      await expect.poll(() => list.getByRole('button').count(), { timeout: 20_000 }).toBe(11);
      await expect.poll(() => connections.count(), { timeout: 10_000 }).toBe(7);
      await expect.poll(() => connections.last().textContent()).toMatch(/#7, #8, #9, #10, #11/);
      await page
        .getByRole('region', { name: 'Web server' })
        .getByRole('log', { name: 'Server log' })
        .getByText(/request 5 on this connection/)
        .first()
        .waitFor();
      expect(port).toBeGreaterThan(0);
      expect(problems.all).toEqual([]);
    });
  });

  for (const viewport of sizes) {
    describe(`at ${viewport.width}×${viewport.height}`, () => {
      const { open } = browserPages(viewport);

      it('#12.4 #12.5 #12.11 chips name the path in a bounded list with Clear; the reply comes into view; timings explained inline', async () => {
        const { page, problems } = await openHttp(open);
        const port = await startWebServer(page);
        const host = `127.0.0.1:${port}`;
        const paths = ['/', '/style.css', '/client.svg', '/server.svg', '/handshake.svg', '/checkerboard.png'];

        // #12.5: Ctrl+Enter in the editor, and the status of the reply is on screen.
        await page.getByRole('textbox', { name: 'URL' }).fill(`http://${host}/`);
        await typeRequest(page, get(host, '/'));
        await page.keyboard.press('ControlOrMeta+Enter');
        await expect.poll(() => status(page).textContent(), { timeout: 10_000 }).toMatch(/^200/);
        await expect.poll(() => inView(status(page))).toBe(true);

        // #12.11: every phase says what it is on the page, not in a tooltip; so does Other.
        const timings = viewer(page).locator('.timings-table');
        for (const row of await timings.locator('tbody tr').all()) {
          expect(await row.getAttribute('title')).toBeNull();
        }
        await timings.getByText(/request written until the first byte of the response/i).waitFor();
        const help = viewer(page).locator('.timings-help');
        await help.getByText(/Other:/).waitFor();
        expect(await help.textContent()).toMatch(/not network time/);
        expect(await help.isVisible()).toBe(true);
        mkdirSync(screenshotDir, { recursive: true });
        await timings.screenshot({ path: join(screenshotDir, `http-${viewport.width}-timings.png`) });

        // #12.4: 24 requests, pipelined four times six; each chip names its path.
        await chooseConnection(page, pipelining);
        const lines = paths.flatMap((path) => get(host, path));
        for (let round = 0; round < 4; round++) {
          await typeRequest(page, lines);
          await page.getByRole('button', { name: 'Send', exact: true }).click();
          await expect
            .poll(() => viewer(page).getByRole('navigation', { name: 'Requests sent' }).getByRole('button').count(), {
              timeout: 10_000,
            })
            .toBe(1 + 6 * (round + 1));
        }
        const list = viewer(page).getByRole('navigation', { name: 'Requests sent' });
        await expect
          .poll(() => list.getByRole('button').last().textContent())
          .toMatch(/^#25 GET \/checkerboard\.png 200/);
        expect(await list.getByRole('button').nth(2).textContent()).toMatch(/^#3 GET \/style\.css 200/);
        const box = await list.boundingBox();
        expect(box?.height ?? 0).toBeLessThanOrEqual(110);
        await expect.poll(() => inView(status(page))).toBe(true);
        await shoot(page, `http-${viewport.width}-history.png`);

        await viewer(page).getByRole('button', { name: 'Clear list' }).click();
        await expect.poll(() => list.count()).toBe(0);
        await status(page).getByText('No request sent yet').waitFor();
        await chooseConnection(page, 'New connection per request (non-persistent)');
        await typeRequest(page, get(host, '/'));
        await page.getByRole('button', { name: 'Send', exact: true }).click();
        await expect
          .poll(() => viewer(page).locator('.response-which').textContent())
          .toMatch(/^to request #26: GET \//);
        await expect.poll(() => status(page).textContent(), { timeout: 10_000 }).toMatch(/^200/);
        await shoot(page, `http-${viewport.width}-after-clear.png`);
        expect(problems.all).toEqual([]);
      });
    });
  }
});
