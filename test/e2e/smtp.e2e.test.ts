/**
 * SMTP by hand end to end in browser mode: the conversation builder holding the
 * textbook conversation over real loopback sockets.
 *
 * Screenshots go to SCREENSHOT_DIR (default /tmp/pp/shots3).
 */
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { freeTcpPort } from '../support/ports';
import { type PageProblems, skipWithoutChromium } from './support/browser';
import { browserPages } from './support/pages';

const shots = process.env.SCREENSHOT_DIR ?? '/tmp/pp/shots3';

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, name) });
}

/** The page scrolls inside its main area, so a full-page shot needs a tall window for a moment. */
async function tallScreenshot(page: Page, name: string, height = 4000): Promise<void> {
  const size = page.viewportSize();
  await page.setViewportSize({ width: size?.width ?? 1280, height });
  await screenshot(page, name);
  if (size) await page.setViewportSize(size);
}

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** The textbook's server, written here: one reply per command, the message read to CRLF.CRLF. */
async function textbookServer(): Promise<{ port: number; messages: string[] }> {
  const messages: string[] = [];
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    let buffer = '';
    let inData = false;
    let mailFrom = false;
    socket.write('220 hamburger.edu\r\n');
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          messages.push(buffer.slice(0, end + 2));
          buffer = buffer.slice(end + 5);
          inData = false;
          socket.write('250 Message accepted for delivery\r\n');
          continue;
        }
        const end = buffer.indexOf('\r\n');
        if (end < 0) return;
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const verb = line.split(/[ :]/)[0]?.toUpperCase();
        if (verb === 'HELO') socket.write(`250 Hello ${line.slice(5)}, pleased to meet you\r\n`);
        else if (verb === 'EHLO') socket.write('250-hamburger.edu\r\n250-8BITMIME\r\n250 SIZE 1000000\r\n');
        else if (verb === 'MAIL') {
          mailFrom = true;
          socket.write(`250 ${line.slice(11, -1)} ... Sender ok\r\n`);
        } else if (verb === 'RCPT') {
          socket.write(mailFrom ? `250 ${line.slice(9, -1)} ... Recipient ok\r\n` : '503 5.5.1 need MAIL first\r\n');
        } else if (verb === 'DATA') {
          inData = true;
          socket.write('354 Enter mail, end with "." on a line by itself\r\n');
        } else if (verb === 'QUIT') socket.end('221 hamburger.edu closing connection\r\n');
        else socket.write('502 Command not implemented\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  server.unref();
  return { port: (server.address() as net.AddressInfo).port, messages };
}

describe.skipIf(skipWithoutChromium('SMTP end-to-end spec'))('SMTP by hand', () => {
  const pages = browserPages({ width: 1280, height: 800 });

  async function openSmtp(): Promise<{ page: Page; problems: PageProblems; builder: Locator }> {
    const { page, problems } = await pages.open();
    await page.getByRole('contentinfo', { name: 'Status bar' }).getByText('Connected', { exact: true }).waitFor();
    await page.goto(`${page.url().split('#')[0]}#/smtp`);
    const builder = page.getByRole('region', { name: 'SMTP conversation' });
    await builder.waitFor();
    return { page, problems, builder };
  }

  async function startMailServer(page: Page): Promise<{ server: Locator; port: number }> {
    const server = page.getByRole('region', { name: 'Mail server' });
    const port = await freeTcpPort();
    await server.getByLabel('Port', { exact: true }).fill(String(port));
    await server.getByRole('button', { name: 'Start', exact: true }).click();
    await server.getByRole('button', { name: 'Stop', exact: true }).waitFor();
    return { server, port };
  }

  it('starts the mail server from the UI and holds the textbook conversation with it: 221, and the mail in the Inbox', async () => {
    const { page, problems, builder } = await openSmtp();
    const { server, port } = await startMailServer(page);
    await builder.getByLabel('Host', { exact: true }).fill('127.0.0.1');
    await builder.getByLabel('Port', { exact: true }).fill(String(port));
    await builder.getByRole('button', { name: 'Connect', exact: true }).click();
    await builder.getByRole('button', { name: 'Disconnect' }).waitFor();
    await builder.getByRole('button', { name: 'Send all steps', exact: true }).click();

    const transcript = builder.getByRole('log', { name: 'Transcript' });
    await expect.poll(() => transcript.textContent(), { timeout: 15_000 }).toMatch(/221 /);
    const text = (await transcript.textContent()) ?? '';
    expect(text).toContain('HELO crepes.fr');
    expect(text).toContain('354 ');
    const inbox = server.getByRole('list', { name: 'Inbox' });
    await expect.poll(() => inbox.getByRole('listitem').count(), { timeout: 10_000 }).toBe(1);
    expect(await inbox.textContent()).toContain('alice@crepes.fr');
    // The server's side of the same conversation.
    const log = server.getByRole('log', { name: 'Server log' });
    await expect.poll(() => log.textContent()).toContain('RCPT TO:<bob@hamburger.edu>');

    await screenshot(page, 'smtp-mail-server.png');
    await tallScreenshot(page, 'smtp-mail-server-tall.png');
    await inbox.getByRole('button').first().click();
    await server.getByLabel('Raw source').waitFor();
    expect(await server.getByLabel('Raw source').textContent()).toContain('Do you like ketchup?');
    await server.scrollIntoViewIfNeeded();
    await server.getByLabel('Raw source').scrollIntoViewIfNeeded();
    await screenshot(page, 'smtp-inbox-message.png');
    expect(problems.all).toEqual([]);
  });

  it('an HTML mail with a script arrives in the Inbox and is shown in a sandboxed frame where the script never runs', async () => {
    const { page, problems, builder } = await openSmtp();
    const { server, port } = await startMailServer(page);
    const title = await page.title();
    await builder.getByLabel('Port', { exact: true }).fill(String(port));
    const message = builder.getByRole('listitem', { name: '5. The message' });
    await message.getByRole('radio', { name: /Compose/ }).check();
    await message.getByLabel('Subject', { exact: true }).fill('Script inside');
    await message
      .getByLabel('HTML body (optional)')
      .fill(
        '<p id="hello">Hello from HTML</p><script>parent.document.title = "pwned"; document.body.append("ran")</script>' +
          '<img src="x" onerror="parent.document.title = \'pwned too\'">',
      );
    await builder.getByRole('button', { name: 'Send all steps', exact: true }).click();
    const transcript = builder.getByRole('log', { name: 'Transcript' });
    await expect.poll(() => transcript.textContent(), { timeout: 15_000 }).toMatch(/221 /);

    const inbox = server.getByRole('list', { name: 'Inbox' });
    await inbox.getByRole('button', { name: /Script inside/ }).click();
    const frame = server.locator('iframe[title^="HTML body"]');
    await frame.waitFor();
    expect(await frame.getAttribute('sandbox')).toBe('');
    expect(await server.getByText(/1 script not run/).count()).toBe(1);
    const content = page.frameLocator('iframe[title^="HTML body"]');
    await expect.poll(() => content.locator('#hello').textContent()).toBe('Hello from HTML');
    expect(await content.locator('body').textContent()).not.toContain('ran');
    expect(await page.title()).toBe(title);
    await frame.scrollIntoViewIfNeeded();
    await screenshot(page, 'smtp-html-sandboxed.png');
    expect(problems.all).toEqual([]);
  });

  it('with the teacher’s STARTTLS and AUTH on: EHLO’s extensions explained, TLS with its certificate, AUTH PLAIN decoded', async () => {
    const { page, problems, builder } = await openSmtp();
    const server = page.getByRole('region', { name: 'Mail server' });
    const port = await freeTcpPort();
    await server.getByLabel('Port', { exact: true }).fill(String(port));
    await server.getByText('Options').click();
    await server.getByLabel('Offer STARTTLS (a certificate is made on the spot)').check();
    await server.getByLabel('Require AUTH (PLAIN or LOGIN) before MAIL FROM').check();
    await server.getByRole('button', { name: 'Start', exact: true }).click();
    await server.getByRole('button', { name: 'Stop', exact: true }).waitFor();

    await builder.getByRole('button', { name: /Use the built-in server/ }).click();
    await builder.getByRole('button', { name: 'Connect', exact: true }).click();
    await builder.getByRole('button', { name: 'Disconnect' }).waitFor();
    const sendStep = builder.getByRole('button', { name: 'Send next step', exact: true });
    const add = async (kind: string) => {
      await builder.getByLabel('New step').selectOption({ label: kind });
      await builder.getByRole('button', { name: 'Add step' }).click();
    };
    // While connected, a new step goes first in line: add it, send it.
    await add('EHLO');
    await sendStep.click();
    const ehlo = builder.getByRole('listitem', { name: '1. EHLO' });
    await expect.poll(() => ehlo.textContent()).toContain('What this server offers');
    expect(await ehlo.textContent()).toContain('STARTTLS');
    expect(await ehlo.textContent()).toContain('You can switch this connection to TLS with STARTTLS');

    await add('STARTTLS');
    await sendStep.click();
    const starttls = builder.getByRole('listitem', { name: '2. STARTTLS' });
    await starttls.getByLabel('Server certificate').waitFor();
    expect(await starttls.getByLabel('Server certificate').textContent()).toContain('self-signed');

    await add('EHLO');
    await sendStep.click();
    const again = builder.getByRole('listitem', { name: '3. EHLO' });
    await expect.poll(() => again.textContent()).toContain('inside TLS');

    await add('AUTH PLAIN');
    const auth = builder.getByRole('listitem', { name: '4. AUTH PLAIN' });
    await auth.getByLabel('Password (4. AUTH PLAIN)').fill('ketchup');
    expect(await auth.textContent()).toContain('base64 of NULaliceNUL••••••');
    await auth.getByRole('button', { name: 'Show the password decoded' }).click();
    expect(await auth.textContent()).toContain('base64 of NULaliceNULketchup');
    await sendStep.click();
    await expect.poll(() => auth.textContent()).toContain('235');

    // The rest of the textbook, inside TLS and logged in.
    await builder.getByRole('button', { name: 'Send all steps', exact: true }).click();
    const transcript = builder.getByRole('log', { name: 'Transcript' });
    await expect.poll(() => transcript.textContent(), { timeout: 15_000 }).toMatch(/221 /);
    const inbox = server.getByRole('list', { name: 'Inbox' });
    await expect.poll(() => inbox.textContent(), { timeout: 10_000 }).toContain('TLS');
    await auth.scrollIntoViewIfNeeded();
    await screenshot(page, 'smtp-tls-auth.png');
    await starttls.scrollIntoViewIfNeeded();
    await screenshot(page, 'smtp-starttls.png');
    await ehlo.scrollIntoViewIfNeeded();
    await screenshot(page, 'smtp-ehlo.png');
    expect(problems.all).toEqual([]);
  });

  it('a slow server: the waiting step counts down, Cancel stops Send all steps, and the late reply is still shown', async () => {
    const { page, problems, builder } = await openSmtp();
    const server = page.getByRole('region', { name: 'Mail server' });
    const port = await freeTcpPort();
    await server.getByLabel('Port', { exact: true }).fill(String(port));
    await server.getByText('Options').click();
    await server.getByLabel('DATA reply delay (seconds)').fill('3');
    await server.getByRole('button', { name: 'Start', exact: true }).click();
    await server.getByRole('button', { name: 'Stop', exact: true }).waitFor();

    await builder.getByRole('button', { name: /Use the built-in server/ }).click();
    await builder.getByRole('button', { name: 'Send all steps', exact: true }).click();
    const message = builder.getByRole('listitem', { name: '5. The message' });
    const status = message.getByRole('status').filter({ hasText: 'Waiting for the reply to The message' });
    await status.waitFor();
    await message.getByRole('button', { name: 'Cancel' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'smtp-countdown.png');
    await message.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => message.textContent()).toContain('You stopped waiting for the reply to The message');
    // QUIT was not sent; the 250 that comes later is shown as a reply no step waited for.
    expect(await builder.getByRole('listitem', { name: '6. QUIT' }).textContent()).toContain('next');
    await expect
      .poll(() => builder.getByText('sent by the server without a step waiting for it').count(), { timeout: 10_000 })
      .toBe(1);
    expect(await message.getByLabel('Message as typed (raw)').inputValue()).toBe(
      'Do you like ketchup?\nHow about pickles?',
    );
    expect(problems.all).toEqual([]);
  });

  it('runs the textbook conversation with Send all steps against a server on loopback', async () => {
    const server = await textbookServer();
    const { page, problems, builder } = await openSmtp();
    await screenshot(page, 'smtp-start.png');
    await builder.getByLabel('Host', { exact: true }).fill('127.0.0.1');
    await builder.getByLabel('Port', { exact: true }).fill(String(server.port));
    await builder.getByRole('button', { name: 'Connect', exact: true }).click();
    await builder.getByRole('button', { name: 'Disconnect' }).waitFor();
    await builder.getByRole('button', { name: 'Send all steps', exact: true }).click();

    const transcript = builder.getByRole('log', { name: 'Transcript' });
    await expect.poll(() => transcript.textContent(), { timeout: 10_000 }).toContain('221 hamburger.edu');
    const text = (await transcript.textContent()) ?? '';
    expect(text).toContain('HELO crepes.fr');
    expect(text).toMatch(/CR\s*LF/);
    expect(server.messages).toEqual(['Do you like ketchup?\r\nHow about pickles?\r\n']);
    const steps = builder.getByRole('list', { name: 'Steps' });
    await expect.poll(() => steps.textContent()).toContain('Goodbye');
    await screenshot(page, 'smtp-textbook.png');
    await tallScreenshot(page, 'smtp-textbook-tall.png');
    await builder
      .locator('li[data-step]')
      .nth(4)
      .screenshot({ path: join(shots, 'smtp-message-step.png') });
    await transcript.screenshot({ path: join(shots, 'smtp-transcript.png') });
    expect(problems.all).toEqual([]);
  });

  it('moves a step with Alt+↑ and sends it out of order: the 503 is explained at that step', async () => {
    const server = await textbookServer();
    const { page, problems, builder } = await openSmtp();
    await builder.getByLabel('Port', { exact: true }).fill(String(server.port));
    await builder.getByLabel('Port', { exact: true }).press('Enter');
    await builder.getByRole('button', { name: 'Disconnect' }).waitFor();

    const recipient = builder.getByLabel('Recipient address (3. RCPT TO)');
    await recipient.focus();
    await page.keyboard.press('Alt+ArrowUp');
    // The step is now second, and the focus stayed in its field.
    const moved = builder.getByLabel('Recipient address (2. RCPT TO)');
    await moved.waitFor();
    expect(await moved.evaluate((element) => element === document.activeElement)).toBe(true);

    await builder.getByRole('button', { name: 'Send all steps', exact: true }).click();
    const step = builder.getByRole('listitem', { name: '2. RCPT TO' });
    await expect.poll(() => step.textContent(), { timeout: 10_000 }).toContain('503');
    expect(await step.textContent()).toContain('You sent RCPT TO before MAIL FROM');
    // Send all steps stopped there, MAIL FROM (now third) was not sent, and the refused RCPT TO, the
    // first step not sent successfully, is next: move MAIL FROM up, or send it, then RCPT again.
    expect(await step.locator('.smtp-badge.is-next').count()).toBe(1);
    expect(await builder.getByRole('listitem', { name: '3. MAIL FROM' }).locator('.smtp-badge.is-next').count()).toBe(
      0,
    );
    await step.scrollIntoViewIfNeeded();
    await screenshot(page, 'smtp-out-of-order.png');
    expect(problems.all).toEqual([]);
  });

  it('composes a message with an attachment: the MIME source is shown before it is sent', async () => {
    const server = await textbookServer();
    const { page, problems, builder } = await openSmtp();
    await builder.getByLabel('Port', { exact: true }).fill(String(server.port));
    const message = builder.getByRole('listitem', { name: '5. The message' });
    await message.getByRole('radio', { name: /Compose/ }).check();
    await message.getByLabel('Subject', { exact: true }).fill('Pickles');
    await message.getByLabel('Attach files').setInputFiles({
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('ketchup: yes\n'),
    });
    await message.getByText('notes.txt').waitFor();
    await message.getByRole('button', { name: 'Build MIME source' }).click();
    const source = message.getByLabel('MIME source (built, read-only here)');
    await expect.poll(() => source.inputValue()).toContain('Subject: Pickles');
    expect(await source.inputValue()).toMatch(/filename=notes\.txt/);
    await message.scrollIntoViewIfNeeded();
    await screenshot(page, 'smtp-compose.png');

    await builder.getByRole('button', { name: 'Send all steps', exact: true }).click();
    const transcript = builder.getByRole('log', { name: 'Transcript' });
    await expect.poll(() => transcript.textContent(), { timeout: 10_000 }).toContain('221 hamburger.edu');
    expect(server.messages[0]).toMatch(/^Subject: Pickles\r$/m);
    expect(server.messages[0]).toContain('a2V0Y2h1cDogeWVzCg==');
    expect(problems.all).toEqual([]);
  });
});
