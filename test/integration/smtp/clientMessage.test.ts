import { createHash, randomBytes } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { stuffMessage } from '../../../shared/smtp/message/dotStuffing';
import { appPerTest } from '../../support/appClient';
import { decode, encode } from '../../support/bytes';
import { closeScriptedServers, scriptedServer, textbookScript } from './clientHarness';

const app = appPerTest(closeScriptedServers);

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('smtp.composeMessage', () => {
  it('builds the MIME source with the headers as given, text, HTML and an attachment', async () => {
    const composed = await app().client.call('smtp.composeMessage', {
      from: 'Alice <alice@crepes.fr>',
      to: ['bob@hamburger.edu'],
      cc: ['Carol <carol@hamburger.edu>'],
      subject: 'Ketchup? ü',
      date: 'Sun, 22 Nov 2026 07:00:00 +0000',
      messageId: '<ketchup-1@crepes.fr>',
      text: 'Do you like ketchup?\nHow about pickles?',
      html: '<p>Do you like <b>ketchup</b>?</p>',
      attachments: [{ filename: 'recipe.txt', contentType: 'text/plain', data: encode('tomatoes, vinegar, sugar') }],
      headers: [{ name: 'X-Course', value: 'Networking 101' }],
    });
    const raw = decode(composed.raw);
    expect(composed.messageId).toBe('<ketchup-1@crepes.fr>');
    expect(composed.date).toBe('Sun, 22 Nov 2026 07:00:00 +0000');
    expect(composed.envelope).toEqual({
      from: 'alice@crepes.fr',
      to: ['bob@hamburger.edu', 'carol@hamburger.edu'],
    });
    expect(composed.size).toBe(composed.raw.byteLength);
    expect(raw).toContain('Message-ID: <ketchup-1@crepes.fr>\r\n');
    expect(raw).toContain('X-Course: Networking 101\r\n');
    expect(raw).toContain('Subject: =?UTF-8?');
    expect(raw).not.toMatch(/[^\r]\n/);
    const parsed = await simpleParser(Buffer.from(composed.raw));
    expect(parsed.subject).toBe('Ketchup? ü');
    expect(parsed.text?.trim()).toBe('Do you like ketchup?\nHow about pickles?');
    expect(parsed.html).toContain('<b>ketchup</b>');
    expect(parsed.attachments[0]?.filename).toBe('recipe.txt');
    expect(parsed.attachments[0]?.content.toString()).toBe('tomatoes, vinegar, sugar');
  });

  it('fills in the date and a message id when they are left out', async () => {
    const composed = await app().client.call('smtp.composeMessage', {
      from: 'alice@crepes.fr',
      to: ['bob@hamburger.edu'],
      text: 'hi',
    });
    expect(composed.messageId).toMatch(/^<[^<>@\s]+@[^<>\s]+>$/);
    expect(Number.isNaN(Date.parse(composed.date))).toBe(false);
  });

  it('says clearly what is wrong: no recipient, an unreadable date, attachments over 25 MiB', async () => {
    const a = app();
    const noRecipient = await a.failure(a.client.call('smtp.composeMessage', { from: 'alice@crepes.fr', text: '' }));
    expect(noRecipient).toMatchObject({ code: 'E_BAD_REQUEST', field: 'payload.to' });
    const badDate = await a.failure(
      a.client.call('smtp.composeMessage', { from: 'a@b.c', to: ['d@e.f'], date: 'next Tuesday-ish' }),
    );
    expect(badDate.message).toContain('is not a date');
    const big = new Uint8Array(13 * 1024 * 1024);
    const tooBig = await a.failure(
      a.client.call('smtp.composeMessage', {
        from: 'a@b.c',
        to: ['d@e.f'],
        attachments: [
          { filename: 'a.bin', data: big },
          { filename: 'b.bin', data: big },
        ],
      }),
    );
    expect(tooBig.code).toBe('E_BAD_REQUEST');
    expect(tooBig.message).toContain('25 MiB');
  });
});

describe('a composed message sent over SMTP', () => {
  it('carries a 10 MB attachment intact: composed, dot-stuffed, sent and un-stuffed by the server', async () => {
    const messages: Buffer[] = [];
    const server = await scriptedServer((c) =>
      textbookScript(c, {
        onMessage: (message) => {
          messages.push(message);
          return `250 OK ${message.length} bytes\r\n`;
        },
      }),
    );
    const attachment = randomBytes(10 * 1024 * 1024);
    const a = app();
    const composed = await a.client.call('smtp.composeMessage', {
      from: 'alice@crepes.fr',
      to: ['bob@hamburger.edu'],
      subject: 'A big one',
      text: '.a line starting with a dot\nand the attachment below',
      attachments: [{ filename: 'big.bin', contentType: 'application/octet-stream', data: attachment }],
    });
    expect(composed.size).toBeGreaterThan(13_000_000);
    const { sessionId } = await a.client.call('smtp.connect', { host: '127.0.0.1', port: server.port });
    for (const command of ['EHLO crepes.fr', 'MAIL FROM:<alice@crepes.fr>', 'RCPT TO:<bob@hamburger.edu>', 'DATA']) {
      await a.client.call('smtp.send', { sessionId, data: encode(`${command}\r\n`) });
    }
    const stuffed = stuffMessage(composed.raw);
    const sent = await a.client.call('smtp.send', {
      sessionId,
      data: stuffed.bytes,
      replyTimeoutMs: 60_000,
      label: 'The message',
    });
    expect(sent.sentBytes).toBe(stuffed.bytes.byteLength);
    expect(sent.outcome).toBe('replied');
    expect(sent.reply?.reply.code).toBe(250);
    expect(sent.reply?.answers).toMatchObject({ kind: 'message' });
    const received = messages[0] ?? Buffer.alloc(0);
    expect(sha256(received)).toBe(sha256(composed.raw));
    const parsed = await simpleParser(received);
    expect(parsed.text?.startsWith('.a line starting with a dot')).toBe(true);
    expect(sha256(parsed.attachments[0]?.content ?? Buffer.alloc(0))).toBe(sha256(attachment));
  }, 60_000);
});
