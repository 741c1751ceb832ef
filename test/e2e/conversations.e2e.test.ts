/**
 * Conversation files in the app, end to end in browser mode: a student saves a TCP
 * conversation (a download), reopens it (a file chooser), replays it against the
 * built-in server and against an echo server; the Exercises page opens one in its tool.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { freeTcpPort } from '../support/ports';
import { type PageProblems, skipWithoutChromium } from './support/browser';
import { browserPages } from './support/pages';

const shots = process.env.SCREENSHOT_DIR ?? join(tmpdir(), 'pp-conversation-shots');

async function screenshot(page: Page, name: string, size: { width: number; height: number }): Promise<void> {
  mkdirSync(shots, { recursive: true });
  await page.setViewportSize(size);
  await page.screenshot({ path: join(shots, name) });
}

describe.skipIf(skipWithoutChromium('conversations end-to-end spec'))('conversation files in the app', () => {
  const pages = browserPages({ width: 1280, height: 900 });

  async function open(tool: string): Promise<{ page: Page; problems: PageProblems }> {
    const { page, problems } = await pages.open();
    await page.getByRole('contentinfo', { name: 'Status bar' }).getByText('Connected', { exact: true }).waitFor();
    await page.getByRole('navigation', { name: 'Tools' }).getByRole('link', { name: tool, exact: true }).click();
    return { page, problems };
  }

  async function startServer(server: Locator, port: number, mode: RegExp): Promise<void> {
    const modes = await server.getByLabel('Mode').locator('option').allTextContents();
    const label = modes.find((text) => mode.test(text));
    if (!label) throw new Error(`no mode ${mode} among ${modes.join(' | ')}`);
    await server.getByLabel('Mode').selectOption({ label });
    await server.getByLabel('Port', { exact: true }).fill(String(port));
    await server.getByRole('button', { name: 'Start' }).click();
    await server.getByText(`Listening on 127.0.0.1:${port}`, { exact: true }).waitFor();
  }

  async function save(page: Page, scope: Locator): Promise<string> {
    await scope.getByRole('button', { name: 'Save conversation…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Save conversation' });
    await dialog.waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Save', exact: true }).click(),
    ]);
    const path = join(mkdtempSync(join(tmpdir(), 'pp-conv-')), download.suggestedFilename());
    await download.saveAs(path);
    return path;
  }

  async function reopen(page: Page, scope: Locator, path: string): Promise<void> {
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      scope.getByRole('button', { name: 'Open conversation…' }).click(),
    ]);
    await chooser.setFiles(path);
    await scope.getByText('Conversation:').waitFor();
  }

  async function replay(scope: Locator): Promise<Locator> {
    await scope.getByRole('button', { name: 'Replay', exact: true }).click();
    const results = scope.getByRole('region', { name: 'Replay results' });
    await results.getByText('Replay finished').waitFor({ timeout: 15_000 });
    return results;
  }

  it('TCP: save, reopen, replay against the uppercase server (all pass) and an echo server (expected vs got)', async () => {
    const { page, problems } = await open('TCP');
    const port = await freeTcpPort();
    const server = page.getByRole('region', { name: 'TCP server' });
    await startServer(server, port, /classic/i);

    const client = page.getByRole('region', { name: 'TCP client' });
    await client.getByLabel('Host', { exact: true }).fill('127.0.0.1');
    await client.getByLabel('Port', { exact: true }).fill(String(port));
    await client.getByRole('button', { name: 'Connect', exact: true }).click();
    await client.getByRole('button', { name: 'Disconnect' }).waitFor();
    await client.getByLabel('Message').fill('hello\\n');
    await client.getByRole('button', { name: 'Send', exact: true }).click();
    const transcript = client.getByRole('log', { name: 'Transcript' });
    await expect.poll(() => transcript.textContent()).toContain('HELLO');
    await expect.poll(() => transcript.textContent()).toContain('FIN');

    const path = await save(page, client);
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('conversation tcp');
    expect(text).toContain(`var port = ${port}`);
    expect(text).toContain('send "hello\\n"');
    expect(text).toContain('expect exact "HELLO\\n"');

    await client.getByLabel('Message').fill('something else');
    await reopen(page, client, path);
    expect(await client.getByLabel('Message').inputValue()).toBe('hello\\n');

    const passing = await replay(client);
    await expect.poll(() => passing.getByRole('status').textContent()).toMatch(/^[1-9]\d* passed, 0 failed/);
    expect(await passing.textContent()).toContain('✓ passed');

    await client.getByRole('button', { name: 'Export as…' }).click();
    const exported = page.getByRole('dialog', { name: 'Export as code' });
    expect(await exported.getByLabel('Exported program').textContent()).toContain('from socket import *');
    await exported.getByRole('radio', { name: 'Shell (printf | nc)' }).check();
    expect(await exported.getByLabel('Exported program').textContent()).toContain('nc');
    await exported.getByRole('button', { name: 'Close' }).click();
    await exported.waitFor({ state: 'detached' });

    await server.getByRole('button', { name: 'Stop' }).click();
    await server.getByRole('button', { name: 'Start' }).waitFor();
    await startServer(server, port, /echo/i);
    const failing = await replay(client);
    expect(await failing.getByRole('status').textContent()).toMatch(/[1-9]\d* failed/);
    expect(await failing.textContent()).toContain('✗ failed');
    // Expected against got, LF drawn as the transcript draws it.
    expect(await failing.textContent()).toMatch(/expected\s*HELLOLF\s*got/);
    expect(await failing.textContent()).toMatch(/got\s*helloLF/);
    await failing.scrollIntoViewIfNeeded();
    await screenshot(page, 'conversation-tcp-1280.png', { width: 1280, height: 800 });
    await screenshot(page, 'conversation-tcp-1024.png', { width: 1024, height: 768 });
    expect(problems.all).toEqual([]);
  });

  it('SMTP: the conversation sent with Send all is saved, reopened as steps and replayed with every code passing', async () => {
    const { page, problems } = await open('SMTP');
    const server = page.getByRole('region', { name: 'Mail server' });
    const port = await freeTcpPort();
    await server.getByRole('textbox', { name: 'Port' }).fill(String(port));
    await server.getByRole('button', { name: 'Start', exact: true }).click();
    await server.getByRole('button', { name: 'Stop', exact: true }).waitFor();
    const builder = page.getByRole('region', { name: /SMTP conversation/ });
    await builder.getByLabel('Port', { exact: true }).fill(String(port));
    await builder.getByRole('button', { name: 'Connect', exact: true }).click();
    await builder.getByRole('button', { name: 'Disconnect' }).waitFor();
    await builder.getByRole('button', { name: 'Send all steps', exact: true }).click();
    await builder.getByRole('button', { name: 'Connect', exact: true }).waitFor({ timeout: 15_000 });

    const path = await save(page, builder);
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('conversation smtp');
    expect(text).toContain('expect code 220');
    expect(text).toContain('expect code 221');

    await reopen(page, builder, path);
    const results = await replay(builder);
    await expect.poll(() => results.getByRole('status').textContent()).toMatch(/^[1-9]\d* passed, 0 failed/);
    expect(problems.all).toEqual([]);
  });

  it('HTTP: a request sent from the composer is saved, reopened into the editor and replayed (status passes)', async () => {
    const { page, problems } = await open('HTTP');
    const webServer = page.getByRole('region', { name: 'Web server' });
    const port = await freeTcpPort();
    await webServer.getByLabel('Port', { exact: true }).fill(String(port));
    await webServer.getByRole('button', { name: 'Start' }).click();
    await webServer.getByRole('button', { name: 'Stop' }).waitFor();
    await page.getByRole('textbox', { name: 'URL' }).fill(`http://127.0.0.1:${port}/`);
    const editor = page.getByRole('textbox', { name: 'Raw request' });
    await editor.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    for (const line of ['GET / HTTP/1.1', `Host: 127.0.0.1:${port}`, 'Connection: close', '']) {
      await page.keyboard.insertText(line);
      await page.keyboard.press('Enter');
    }
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const main = page.getByRole('main');
    await expect.poll(() => main.textContent(), { timeout: 10_000 }).toMatch(/200 OK/);

    const path = await save(page, main);
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('conversation http');
    expect(text).toContain('expect status 200');
    expect(text).toContain('send "GET / HTTP/1.1\\r\\n"');

    await editor.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await reopen(page, main, path);
    await expect.poll(() => editor.textContent()).toContain('GET / HTTP/1.1');
    const results = await replay(main);
    await expect.poll(() => results.getByRole('status').textContent()).toMatch(/^[1-9]\d* passed, 0 failed/);
    expect(problems.all).toEqual([]);
  });

  it('Exercises: the shipped files are listed, and udp-uppercase opens in the UDP tool with its first send', async () => {
    const { page, problems } = await open('Exercises');
    const main = page.getByRole('main');
    await main.getByRole('heading', { name: 'UDP uppercase server' }).waitFor();
    await main.getByRole('heading', { name: 'Textbook SMTP conversation' }).waitFor();
    await main.getByRole('button', { name: 'Open UDP uppercase server in the UDP tool' }).click();
    await page.getByRole('heading', { name: 'UDP client and server', level: 1 }).waitFor();
    const client = page.getByRole('region', { name: 'UDP client' });
    await expect.poll(() => client.getByLabel('Message').inputValue()).toBe('hello, udp server');
    expect(await client.getByText('Conversation:').textContent()).toContain('UDP uppercase server');
    expect(problems.all).toEqual([]);
  });
});
