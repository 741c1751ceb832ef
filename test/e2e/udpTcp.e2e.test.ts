/**
 * The UDP/TCP lab end to end in browser mode: the built-in servers started from the
 * UI, the clients talking to them over real loopback sockets, both ends visible.
 *
 * SCREENSHOT_DIR=/some/dir also saves tcp.png and udp.png there.
 */
import { mkdirSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { freeTcpPort } from '../support/ports';
import { type PageProblems, skipWithoutChromium } from './support/browser';
import { browserPages } from './support/pages';

describe.skipIf(skipWithoutChromium('UDP/TCP lab end-to-end spec'))('the UDP/TCP lab', () => {
  const pages = browserPages({ width: 1440, height: 1100 });

  async function open(tool: 'udp' | 'tcp'): Promise<{ page: Page; problems: PageProblems }> {
    const { page, problems } = await pages.open();
    await page.getByRole('contentinfo', { name: 'Status bar' }).getByText('Connected', { exact: true }).waitFor();
    await page.getByRole('navigation', { name: 'Tools' }).getByRole('link', { name: tool.toUpperCase() }).click();
    return { page, problems };
  }

  async function startServer(server: Locator, port: number): Promise<void> {
    await server.getByLabel('Port', { exact: true }).fill(String(port));
    await server.getByRole('button', { name: 'Start' }).click();
    await server.getByText(`Listening on 127.0.0.1:${port}`, { exact: true }).waitFor();
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    const dir = process.env.SCREENSHOT_DIR;
    if (!dir) return;
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, name), fullPage: true });
  }

  it('TCP: start the server from the UI, connect, send hello, see HELLO and the accepted connection', async () => {
    const { page, problems } = await open('tcp');
    const port = await freeTcpPort();
    const server = page.getByRole('region', { name: 'TCP server' });
    // Line by line keeps the connection open, so the client can be seen connected afterwards.
    await server.getByLabel('Mode').selectOption({ label: await lineModeLabel(server) });
    await startServer(server, port);

    const client = page.getByRole('region', { name: 'TCP client' });
    await client.getByLabel('Host', { exact: true }).fill('127.0.0.1');
    await client.getByLabel('Port', { exact: true }).fill(String(port));
    await client.getByRole('button', { name: 'Connect', exact: true }).click();
    await client.getByRole('button', { name: 'Disconnect' }).waitFor();

    // The line-by-line server answers whole lines: end it with an escaped LF.
    const message = client.getByLabel('Message');
    await message.fill('hello\\n');
    await client.getByRole('button', { name: 'Send', exact: true }).click();

    const transcript = client.getByRole('log', { name: 'Transcript' });
    await expect.poll(() => transcript.textContent()).toContain('HELLO');
    expect(await transcript.textContent()).toMatch(/client → server/);
    expect(await transcript.textContent()).toMatch(/server → client/);
    // The typed message stays for the next send.
    expect(await message.inputValue()).toBe('hello\\n');
    expect(await transcript.textContent()).toContain('LF');

    const log = server.getByRole('log', { name: 'Server log' });
    const facts = await client.locator('dl').first().textContent();
    const localPort = /127\.0\.0\.1:(\d+)/.exec(facts ?? '')?.[1];
    expect(localPort).toBeDefined();
    // The server log names the connection socket by the client's own address:port.
    await expect.poll(() => log.textContent()).toContain(`127.0.0.1:${localPort}`);
    expect(await log.textContent()).toMatch(/accept\(\)/);
    expect(await log.textContent()).toContain('HELLO');
    await screenshot(page, 'tcp.png');
    expect(problems.all).toEqual([]);
  });

  it('UDP: start the server from the UI, send straße and hello (Enter), see STRASSE and HELLO and the client port in its log', async () => {
    const { page, problems } = await open('udp');
    const port = await freeTcpPort();
    const server = page.getByRole('region', { name: 'UDP server' });
    await startServer(server, port);

    const client = page.getByRole('region', { name: 'UDP client' });
    await client.getByLabel('Host', { exact: true }).fill('127.0.0.1');
    await client.getByLabel('Port', { exact: true }).fill(String(port));
    await client.getByLabel('Message').fill('straße');
    await client.getByRole('button', { name: 'Send', exact: true }).click();

    const transcript = client.getByRole('log', { name: 'Transcript' });
    await expect.poll(() => transcript.textContent()).toContain('STRASSE');
    expect(await transcript.textContent()).toContain(`from 127.0.0.1:${port}`);
    const log = server.getByRole('log', { name: 'Server log' });
    await expect.poll(() => log.textContent()).toContain('STRASSE');

    // hello, sent from the keyboard: Enter in the Message field sends the next datagram from the same socket.
    await client.getByLabel('Message').fill('hello');
    await client.getByLabel('Message').press('Enter');
    await expect.poll(() => transcript.textContent()).toContain('HELLO');
    const facts = (await client.locator('dl').first().textContent()) ?? '';
    const localPort = /0\.0\.0\.0:(\d+)/.exec(facts)?.[1];
    expect(localPort).toBeDefined();
    // The server saw the datagrams come from the client socket's port.
    await expect.poll(() => log.textContent()).toContain(`127.0.0.1:${localPort}`);
    expect(await log.textContent()).toContain('HELLO');
    expect(await client.getByLabel('Message').inputValue()).toBe('hello');
    await screenshot(page, 'udp.png');
    expect(problems.all).toEqual([]);
  });

  it('two TCP clients in tabs, driven from the keyboard: two connection sockets, two source ports', async () => {
    const { page, problems } = await open('tcp');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    const port = await freeTcpPort();
    const server = page.getByRole('region', { name: 'TCP server' });
    await server.getByLabel('Mode').selectOption({ label: await lineModeLabel(server) });
    // Enter in the server's Port field starts it.
    await server.getByLabel('Port', { exact: true }).fill(String(port));
    await server.getByLabel('Port', { exact: true }).press('Enter');
    await server.getByText(`Listening on 127.0.0.1:${port}`, { exact: true }).waitFor();

    const client = page.getByRole('region', { name: 'TCP client' });
    const connectAndSend = async (text: string) => {
      await client.getByLabel('Port', { exact: true }).fill(String(port));
      await client.getByLabel('Port', { exact: true }).press('Enter');
      await client.getByRole('button', { name: 'Disconnect' }).waitFor();
      // Connecting moves the focus to the Message field: type, then Enter sends.
      await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
      await page.keyboard.type(text);
      await page.keyboard.press('Enter');
      const facts = (await client.locator('dl').first().textContent()) ?? '';
      return /This socket\s*127\.0\.0\.1:(\d+)/.exec(facts)?.[1];
    };

    const firstPort = await connectAndSend('one\\n');
    const transcript = client.getByRole('log', { name: 'Transcript' });
    await expect.poll(() => transcript.textContent()).toContain('ONE');

    await page.getByRole('button', { name: '+ New client' }).click();
    const tabs = page.getByRole('tablist', { name: 'TCP client sessions' });
    await expect.poll(() => tabs.getByRole('tab', { selected: true }).textContent()).toContain('Client 2');
    const secondPort = await connectAndSend('two\\n');
    await expect.poll(() => transcript.textContent()).toContain('TWO');
    expect(await transcript.textContent()).not.toContain('ONE');
    expect(firstPort).toBeDefined();
    expect(secondPort).toBeDefined();
    expect(secondPort).not.toBe(firstPort);

    // One welcoming socket, two connection sockets: the log names each client's own port.
    const log = server.getByRole('log', { name: 'Server log' });
    await expect.poll(() => log.textContent()).toContain(`c2 127.0.0.1:${secondPort}`);
    expect(await log.textContent()).toContain(`c1 127.0.0.1:${firstPort}`);
    await expect.poll(() => server.textContent()).toMatch(/Connections accepted\s*2/);

    // Arrow keys move between the tabs; the first client's conversation is still there.
    await tabs.getByRole('tab', { selected: true }).focus();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => tabs.getByRole('tab', { selected: true }).textContent()).toContain('Client 1');
    await expect.poll(() => transcript.textContent()).toContain('ONE');

    // Copy as text: one line per event, bytes escaped so they can be pasted back as a message.
    await client.getByRole('button', { name: 'Copy as text' }).click();
    await client.getByText(/^Copied \d+ lines\.$/).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toMatch(/client → server {2}4 bytes {2}#1 {2}one\\n/);
    expect(copied).toMatch(/server → client {2}4 bytes {2}#1 {2}RTT [\d.]+ ms {2}ONE\\n/);
    expect(problems.all).toEqual([]);
  });

  it('stays responsive while a server sends without end, and says what it did not keep', async () => {
    // A misbehaving peer: writes 64 KiB blocks as fast as the client reads, for at most 20 s.
    const block = Buffer.alloc(64 * 1024, 'x');
    const flooder = createServer((socket) => {
      const stopAt = Date.now() + 20_000;
      const pump = () => {
        while (!socket.destroyed && Date.now() < stopAt) if (!socket.write(block)) return;
        if (Date.now() >= stopAt) socket.end();
      };
      socket.on('drain', pump);
      socket.on('error', () => {});
      pump();
    });
    await new Promise<void>((resolve) => flooder.listen(0, '127.0.0.1', resolve));
    try {
      const { page, problems } = await open('tcp');
      const client = page.getByRole('region', { name: 'TCP client' });
      await client.getByLabel('Port', { exact: true }).fill(String((flooder.address() as AddressInfo).port));
      await client.getByRole('button', { name: 'Connect', exact: true }).click();
      await client.getByRole('button', { name: 'Disconnect' }).waitFor();
      // While the bytes pour in, the page still answers at once: another tool opens and back.
      await page.waitForTimeout(1500);
      const nav = page.getByRole('navigation', { name: 'Tools' });
      const started = Date.now();
      await nav.getByRole('link', { name: 'UDP' }).click();
      await page.getByRole('heading', { level: 1, name: 'UDP client and server' }).waitFor({ timeout: 5000 });
      await nav.getByRole('link', { name: 'TCP' }).click();
      await page.getByRole('heading', { level: 1, name: 'TCP client and server' }).waitFor({ timeout: 5000 });
      console.log(`flood: the page switched tools and back in ${Date.now() - started} ms`);
      expect(Date.now() - started).toBeLessThan(5000);
      // Past the per-session cap (64 MiB) the transcript says bytes were counted but not kept.
      await expect
        .poll(() => client.getByRole('log', { name: 'Transcript' }).textContent(), { timeout: 60_000 })
        .toMatch(/not kept/);
      console.log(`flood: "not kept" shown ${Date.now() - started} ms after the tool switch`);
      await client.getByRole('button', { name: 'Disconnect' }).click();
      await client.getByRole('button', { name: 'Connect', exact: true }).waitFor();
      expect(problems.all).toEqual([]);
    } finally {
      flooder.close();
    }
  });

  it('explains bad input next to the field and keeps what was typed', async () => {
    const { page, problems } = await open('tcp');
    const client = page.getByRole('region', { name: 'TCP client' });
    await client.getByLabel('Message').fill('keep me');
    await client.getByLabel('Port', { exact: true }).fill('70000');
    await client.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect.poll(() => client.textContent()).toMatch(/port must be from 1 to 65535/i);

    // Nobody listens on a port we just freed: the OS refuses and the UI says what to try.
    const closed = await freeTcpPort();
    await client.getByLabel('Port', { exact: true }).fill(String(closed));
    await client.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect.poll(() => client.textContent()).toMatch(/refused/i);
    expect(await client.textContent()).toContain(`127.0.0.1:${closed}`);
    expect(await client.getByLabel('Message').inputValue()).toBe('keep me');
    expect(problems.all).toEqual([]);
  });
});

/** The option of the Mode list for the line-by-line server, whatever its exact wording. */
async function lineModeLabel(server: Locator): Promise<string> {
  const options = await server.getByLabel('Mode').locator('option').allTextContents();
  const label = options.find((text) => /line/i.test(text));
  if (!label) throw new Error(`no line-by-line mode among ${options.join(' | ')}`);
  return label;
}
