/**
 * SMTP in a student's first hour (issue 12): sending out of order, and what the next
 * step then is; message lines before the server's 354.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { freeTcpPort, listenOnFreePort } from '../support/ports';
import { skipWithoutChromium } from './support/browser';
import { browserPages } from './support/pages';

const SEND_NEXT = 'Send next step';
const SEND_ALL = 'Send all steps';
const SEND_THIS = 'Send this step';

async function connectToMailServer(page: Page) {
  await page
    .getByRole('navigation', { name: 'Tools' })
    .getByRole('link', { name: /^SMTP\b/ })
    .click();
  const server = page.getByRole('region', { name: 'Mail server' });
  const port = await freeTcpPort();
  await server.getByRole('textbox', { name: 'Port' }).fill(String(port));
  await server.getByRole('button', { name: 'Start', exact: true }).click();
  await server.getByRole('button', { name: 'Stop', exact: true }).waitFor();
  const builder = page.getByRole('region', { name: /SMTP conversation/ });
  await builder.getByLabel('Port', { exact: true }).fill(String(port));
  await builder.getByRole('button', { name: 'Connect', exact: true }).click();
  await builder.getByRole('button', { name: 'Disconnect' }).waitFor();
  return { builder, server };
}

async function inViewport(page: Page, locator: ReturnType<Page['locator']>): Promise<boolean> {
  const box = await locator.boundingBox();
  const viewport = page.viewportSize();
  if (!box || !viewport) return false;
  return box.y >= 0 && box.y + Math.min(box.height, 40) <= viewport.height;
}

describe.skipIf(skipWithoutChromium('SMTP first-hour end-to-end spec'))('SMTP at 1024×768', () => {
  const { open } = browserPages({ width: 1024, height: 768 });

  it('after sending, the newest reply is brought into view', async () => {
    const { page, problems } = await open();
    const { builder } = await connectToMailServer(page);
    const steps = builder.getByRole('list', { name: 'Steps' });
    const toolbar = builder.getByRole('toolbar', { name: 'Conversation' });
    // The toolbar's button: 1. HELO's reply shows in its card.
    await toolbar.getByRole('button', { name: SEND_NEXT }).click();
    const helo = steps.getByRole('listitem', { name: /^1\. HELO/ });
    await expect.poll(() => helo.locator('.smtp-reply').count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => inViewport(page, helo.locator('.smtp-reply').last())).toBe(true);
    // A step far below, sent from its own card after scrolling back to the top.
    await toolbar.scrollIntoViewIfNeeded();
    const quit = steps.getByRole('listitem', { name: /QUIT/ });
    await quit.getByRole('button', { name: new RegExp(`^${SEND_THIS}: \\d+\\. QUIT`) }).click();
    await expect.poll(() => quit.locator('.smtp-reply').count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => inViewport(page, quit.locator('.smtp-reply').last())).toBe(true);
    // Send all steps from the top: where it stopped is in view.
    await builder.getByRole('button', { name: 'Disconnect' }).waitFor({ state: 'detached', timeout: 10_000 });
    await builder.getByRole('button', { name: 'Connect', exact: true }).click();
    await builder.getByRole('button', { name: 'Disconnect' }).waitFor();
    await toolbar.scrollIntoViewIfNeeded();
    await page.evaluate(() => document.querySelector('main')?.scrollTo(0, 0));
    await toolbar.getByRole('button', { name: SEND_ALL, exact: true }).click();
    const last = steps.getByRole('listitem').last();
    await expect.poll(() => last.locator('.smtp-reply').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await expect.poll(() => inViewport(page, last.locator('.smtp-reply').last())).toBe(true);
    expect(problems.all).toEqual([]);
  });
});

describe.skipIf(skipWithoutChromium('SMTP first-hour end-to-end spec'))('SMTP, first hour', () => {
  const { open } = browserPages();
  const servers: net.Server[] = [];
  const sockets = new Set<net.Socket>();
  afterEach(async () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
  });

  it('after DATA first (503) the next step is still 1. HELO, and message lines before 354 are asked about', async () => {
    const { page, problems } = await open();
    const { builder } = await connectToMailServer(page);
    const steps = builder.getByRole('list', { name: 'Steps' });
    const data = steps.getByRole('listitem', { name: /^4\. DATA/ });
    await data.getByRole('button', { name: /^Send this step: 4\. DATA/ }).click();
    await expect.poll(() => data.textContent(), { timeout: 10_000 }).toMatch(/503/);
    const toolbar = builder.getByRole('toolbar', { name: 'Conversation' });
    await expect.poll(() => toolbar.textContent()).toContain('Next: 1. HELO');

    const transcript = builder.getByRole('log', { name: 'Transcript' });
    const before = (await transcript.textContent()) ?? '';
    const message = steps.getByRole('listitem', { name: /^5\. The message/ });
    await message.getByRole('button', { name: /^Send this step: 5\. The message/ }).click();
    const question = builder.getByRole('alertdialog');
    await question.getByText(/has not said 354/).waitFor();
    // Nothing went out: the transcript is as it was.
    expect(await transcript.textContent()).toBe(before);
    await question.getByRole('button', { name: 'Keep it unsent' }).click();
    expect(await question.count()).toBe(0);

    // Send next step now sends HELO, and the pointer moves to the first step not yet sent: 2. MAIL FROM.
    await toolbar.getByRole('button', { name: 'Send next step' }).click();
    await expect.poll(() => toolbar.textContent(), { timeout: 10_000 }).toContain('Next: 2. MAIL FROM');
    expect(problems.all).toEqual([]);
  });

  it('a save folder that does not exist is offered "Create folder", for the server and the Inbox alike', async () => {
    const base = mkdtempSync(join(tmpdir(), 'pp-create-folder-'));
    try {
      const { page, problems } = await open();
      await page
        .getByRole('navigation', { name: 'Tools' })
        .getByRole('link', { name: /^SMTP\b/ })
        .click();
      const server = page.getByRole('region', { name: 'Mail server' });
      await server.getByText('Options').first().click();
      await server.getByRole('checkbox', { name: 'Save each message as an .eml file' }).check();
      const serverFolder = join(base, 'server', 'mail');
      await server.getByRole('textbox', { name: 'Save folder' }).fill(serverFolder);
      const port = await freeTcpPort();
      await server.getByRole('textbox', { name: 'Port' }).fill(String(port));
      await server.getByRole('button', { name: 'Start', exact: true }).click();
      await server
        .getByText(/does not exist/)
        .first()
        .waitFor();
      await server.getByRole('button', { name: 'Create folder' }).click();
      await server.getByRole('button', { name: 'Stop', exact: true }).waitFor();
      expect(existsSync(serverFolder)).toBe(true);

      const builder = page.getByRole('region', { name: /SMTP conversation/ });
      await builder.getByLabel('Port', { exact: true }).fill(String(port));
      await builder.getByRole('button', { name: 'Connect', exact: true }).click();
      await builder.getByRole('button', { name: 'Disconnect' }).waitFor();
      await builder.getByRole('button', { name: SEND_ALL, exact: true }).click();
      const inbox = server.getByRole('list', { name: 'Inbox' });
      await expect.poll(() => inbox.getByRole('listitem').count(), { timeout: 15_000 }).toBe(1);
      await inbox.getByRole('button').first().click();
      const inboxFolder = join(base, 'inbox', 'saved');
      await server.getByRole('textbox', { name: 'Save as .eml in folder' }).fill(inboxFolder);
      await server.getByRole('button', { name: 'Save .eml' }).click();
      await server.getByRole('button', { name: 'Create folder' }).click();
      await server.getByText(/^Saved as/).waitFor();
      expect(existsSync(inboxFolder)).toBe(true);
      expect(problems.all).toEqual([]);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });

  it('a 500 to a well-formed RCPT TO is the server refusing it: its words first, no talk of a typo', async () => {
    // A server that refuses every recipient with a syntax code, as the walkthrough met.
    const server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.write('220 refuser.test\r\n');
      let buffer = '';
      socket.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('latin1');
        for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
          const verb = buffer.slice(0, 4).toUpperCase();
          buffer = buffer.slice(end + 2);
          socket.write(verb === 'RCPT' ? '500 5.3.0 Error: command failed\r\n' : '250 ok\r\n');
        }
      });
    });
    servers.push(server);
    const port = await listenOnFreePort(server);
    const { page, problems } = await open();
    await page
      .getByRole('navigation', { name: 'Tools' })
      .getByRole('link', { name: /^SMTP\b/ })
      .click();
    const builder = page.getByRole('region', { name: /SMTP conversation/ });
    await builder.getByLabel('Port', { exact: true }).fill(String(port));
    await builder.getByRole('button', { name: 'Connect', exact: true }).click();
    await builder.getByRole('button', { name: 'Disconnect' }).waitFor();
    await builder.getByRole('button', { name: 'Send all steps', exact: true }).click();
    const rcpt = builder.getByRole('list', { name: 'Steps' }).getByRole('listitem', { name: /^3\. RCPT TO/ });
    await expect.poll(() => rcpt.textContent(), { timeout: 10_000 }).toContain('The server refused RCPT TO');
    const text = (await rcpt.textContent()) ?? '';
    expect(text).toContain('“Error: command failed”');
    expect(text).toMatch(/5\.3\.0: permanent failure/);
    expect(text).not.toMatch(/typo/);
    expect(problems.all).toEqual([]);
  });
});
