import { EventEmitter } from 'node:events';
import type net from 'node:net';
import { describe, expect, test } from 'vitest';
import { ConnectionTranscript } from '../../../electron/smtp/server/transcript';

/** The server-side transcript's cutting of a byte stream into log lines, on a stand-in socket. */

function tapped() {
  const entries: string[] = [];
  const transcript = new ConnectionTranscript({
    received: (data, message) => entries.push(`${message ? 'M' : 'C'}: ${Buffer.from(data).toString('latin1')}`),
    replied: (data) => entries.push(`S: ${Buffer.from(data).toString('latin1')}`),
  });
  const written: string[] = [];
  const socket = Object.assign(new EventEmitter(), {
    write(data: string | Uint8Array) {
      written.push(typeof data === 'string' ? data : Buffer.from(data).toString('latin1'));
      return true;
    },
  });
  transcript.attach(socket as unknown as net.Socket);
  const receive = (text: string) => socket.emit('data', Buffer.from(text, 'latin1'));
  const reply = (text: string) => (socket as unknown as net.Socket).write(text);
  return { entries, written, receive, reply, transcript };
}

describe('ConnectionTranscript', () => {
  test('a line split over reads is one entry; pipelined commands in one read are one entry each', () => {
    const { entries, receive } = tapped();
    receive('HE');
    receive('LO crepes.fr\r');
    receive('\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n');
    expect(entries).toEqual(['C: HELO crepes.fr\r\n', 'C: MAIL FROM:<a@b>\r\n', 'C: RCPT TO:<c@d>\r\n', 'C: DATA\r\n']);
  });

  test('replies pass through unchanged and are logged as written; after 354 lines are the message until "."', () => {
    const { entries, written, receive, reply } = tapped();
    reply('354 End data with <CR><LF>.<CR><LF>\r\n');
    receive('Subject: hi\r\n\r\n..dot\r\n.\r\nQUIT\r\n');
    expect(written).toEqual(['354 End data with <CR><LF>.<CR><LF>\r\n']);
    expect(entries).toEqual([
      'S: 354 End data with <CR><LF>.<CR><LF>\r\n',
      'M: Subject: hi\r\n\r\n..dot\r\n',
      'M: .\r\n',
      'C: QUIT\r\n',
    ]);
  });

  test('the message ends where smtp-server ends it: at CR LF . CR LF, or . CR LF first of all, whatever the reads', async () => {
    const lines = (chunks: string[]) => {
      const { entries, receive, reply } = tapped();
      reply('354 go ahead\r\n');
      for (const chunk of chunks) receive(chunk);
      return entries.slice(1);
    };
    // A dot line after a bare LF is message text; the real end comes later.
    expect(lines(['hello\n.\r\nRSET\r\n.\r\nQUIT\r\n'])).toEqual([
      'M: hello\n.\r\nRSET\r\n',
      'M: .\r\n',
      'C: QUIT\r\n',
    ]);
    // The same, the dot line in a read of its own: what came before decides, not the read.
    expect(lines(['hello\n', '.\r\n', 'RSET\r\n', '.\r\n'])).toEqual(['M: hello\n.\r\nRSET\r\n', 'M: .\r\n']);
    expect(lines(['hello\r\n', '.', '\r\n'])).toEqual(['M: hello\r\n', 'M: .\r\n']);
    // An empty message: the dot line first of all ends it.
    expect(lines(['.\r\nQUIT\r\n'])).toEqual(['M: .\r\n', 'C: QUIT\r\n']);
  });

  test('message lines typed one at a time are one entry each', async () => {
    const { entries, receive, reply } = tapped();
    reply('354 go ahead\r\n');
    receive('Do you like ketchup?\r\n');
    await new Promise((resolve) => setImmediate(resolve));
    receive('How about pickles?\r\n');
    await new Promise((resolve) => setImmediate(resolve));
    receive('.\r\n');
    expect(entries.slice(1)).toEqual(['M: Do you like ketchup?\r\n', 'M: How about pickles?\r\n', 'M: .\r\n']);
  });

  test('a big message is gathered into entries of about 64 KiB; nothing is lost or reordered', () => {
    const { entries, receive, reply } = tapped();
    reply('354 go ahead\r\n');
    const body = Array.from({ length: 50_000 }, (_, i) => `line ${i}\r\n`).join('');
    for (let at = 0; at < body.length; at += 1000) receive(body.slice(at, at + 1000));
    receive('.\r\n');
    const message = entries.filter((entry) => entry.startsWith('M: ')).map((entry) => entry.slice(3));
    expect(message.join('')).toBe(`${body}.\r\n`);
    expect(message.length).toBeLessThan(Math.ceil(body.length / (64 * 1024)) + 3);
  });

  test('a line without LF is held, and logged when the connection closes; an endless one is logged in pieces', () => {
    const { entries, receive, transcript } = tapped();
    receive('NOOP');
    expect(entries).toEqual([]);
    transcript.flush();
    expect(entries).toEqual(['C: NOOP']);
    receive('x'.repeat(70 * 1024));
    expect(entries).toHaveLength(2);
    expect(entries[1]?.length).toBe(3 + 70 * 1024);
  });
});
