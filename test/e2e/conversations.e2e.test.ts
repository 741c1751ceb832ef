/**
 * Conversation files in the app, end to end in browser mode: a student saves a TCP
 * conversation (a download), reopens it (a file chooser), replays it against the
 * built-in server and against an echo server; the Exercises page opens one in its tool.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { freeTcpPort } from '../support/ports';
import { type PageProblems, skipWithoutChromium } from './support/browser';
import { browserPages } from './support/pages';

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

    await server.getByRole('button', { name: 'Stop' }).click();
    await server.getByRole('button', { name: 'Start' }).waitFor();
    await startServer(server, port, /echo/i);
    const failing = await replay(client);
    expect(await failing.getByRole('status').textContent()).toMatch(/[1-9]\d* failed/);
    expect(await failing.textContent()).toContain('✗ failed');
    expect(await failing.textContent()).toContain('HELLO\\n');
    expect(await failing.textContent()).toContain('hello\\n');
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
