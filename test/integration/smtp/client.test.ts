import { describe, expect, it } from 'vitest';
import { stuffMessage } from '../../../shared/smtp/message/dotStuffing';
import { appPerTest } from '../../support/appClient';
import { decode, encode } from '../../support/bytes';
import { freeTcpPort } from '../../support/ports';
import { closeScriptedServers, scriptedServer, textbookScript } from './clientHarness';

const app = appPerTest(closeScriptedServers);

const line = (text: string) => encode(`${text}\r\n`);

describe('the SMTP client against a textbook server', () => {
  it('holds the textbook conversation: each step gets its reply, explained, and 221 ends it', async () => {
    const messages: Buffer[] = [];
    const server = await scriptedServer((c) =>
      textbookScript(c, {
        onMessage: (message) => {
          messages.push(message);
          return undefined;
        },
      }),
    );
    const a = app();
    const connected = await a.client.call('smtp.connect', { host: '127.0.0.1', port: server.port });
    expect(connected.greeting.reply.code).toBe(220);
    expect(connected.greeting.seq).toBe(0);
    expect(connected.greeting.index).toBe(1);
    expect(decode(connected.greeting.reply.raw)).toBe('220 hamburger.edu\r\n');
    expect(connected.greeting.explanation.title).toBeTruthy();
    expect(connected.security).toBe('plain');
    expect(connected.certificate).toBeUndefined();
    expect(connected.timings.connectMs).toBeGreaterThanOrEqual(0);
    expect(connected.peer.port).toBe(server.port);
    const { sessionId } = connected;

    const send = (data: Uint8Array, label: string) => a.client.call('smtp.send', { sessionId, data, label });
    const helo = await send(line('HELO crepes.fr'), 'HELO');
    expect(helo.outcome).toBe('replied');
    expect(helo.seq).toBe(1);
    expect(helo.reply?.reply.code).toBe(250);
    expect(helo.reply?.reply.text).toBe('Hello crepes.fr, pleased to meet you');
    expect(helo.reply?.answers).toMatchObject({ kind: 'command', verb: 'HELO' });
    expect(helo.reply?.rttMs).toBeGreaterThanOrEqual(0);
    expect(helo.notes[0]?.problem).toBeNull();

    expect((await send(line('MAIL FROM:<alice@crepes.fr>'), 'MAIL FROM')).reply?.reply.code).toBe(250);
    expect((await send(line('RCPT TO:<bob@hamburger.edu>'), 'RCPT TO')).reply?.reply.code).toBe(250);
    const data = await send(line('DATA'), 'DATA');
    expect(data.reply?.reply.code).toBe(354);
    expect(data.reply?.explanation.forCommand ?? data.reply?.explanation.summary).toMatch(/\./);
    const body = stuffMessage('Do you like ketchup?\r\nHow about pickles?');
    const accepted = await send(body.bytes, 'The message');
    expect(accepted.reply?.reply.code).toBe(250);
    expect(accepted.reply?.answers).toMatchObject({ kind: 'message' });
    const quit = await send(line('QUIT'), 'QUIT');
    expect(quit.reply?.reply.code).toBe(221);
    expect(quit.reply?.explanation.closes).toBe(true);

    const closed = await a.waitFor('smtp.closed', (e) => e.sessionId === sessionId);
    expect(closed).toMatchObject({ by: 'server', afterQuit: true, seq: 6, label: 'QUIT', unanswered: [] });
    expect(decode(messages[0] ?? Buffer.alloc(0))).toBe('Do you like ketchup?\r\nHow about pickles?\r\n');

    // The transcript: every received byte in smtp.data, every reply in smtp.reply, in order.
    const received = a.events['smtp.data'].flatMap((e) => e.chunks.map((chunk) => decode(chunk.data))).join('');
    expect(received).toContain('220 hamburger.edu\r\n');
    expect(received).toContain('221 hamburger.edu closing connection\r\n');
    expect(a.events['smtp.reply'].map((r) => r.reply.code)).toEqual([220, 250, 250, 250, 354, 250, 221]);
    expect(a.events['smtp.reply'].map((r) => r.seq)).toEqual([0, 1, 2, 3, 4, 5, 6]);

    const after = await a.failure(send(line('NOOP'), 'NOOP'));
    expect(after.code).toBe('E_CLOSED');
    expect(after.message).toContain(`127.0.0.1:${server.port}`);
  });

  it('reads a multi-line reply whose last line has no text, split at any byte', async () => {
    const reply = '250-hamburger.edu\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250 \r\n';
    const server = await scriptedServer(async (c) => {
      c.write('220-hamburger.edu ESMTP\r\n220 \r\n');
      await c.line();
      // One byte at a time, with pauses: the reply is complete only at its last CRLF.
      for (const byte of Buffer.from(reply)) {
        c.write(Uint8Array.of(byte));
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      await c.line();
    });
    const a = app();
    const { sessionId, greeting } = await a.client.call('smtp.connect', { host: '127.0.0.1', port: server.port });
    expect(greeting.reply.lines.map((l) => [l.separator, l.text])).toEqual([
      ['-', 'hamburger.edu ESMTP'],
      [' ', ''],
    ]);
    const ehlo = await a.client.call('smtp.send', { sessionId, data: line('EHLO crepes.fr') });
    expect(ehlo.replies).toHaveLength(1);
    expect(ehlo.reply?.reply.lines.map((l) => l.text)).toEqual(['hamburger.edu', 'PIPELINING', 'SIZE 1000', '']);
    expect(decode(ehlo.reply?.reply.raw ?? new Uint8Array())).toBe(reply);
    expect(ehlo.reply?.reply.complete).toBe(true);
    expect(a.events['smtp.reply']).toHaveLength(2);
  });
});

describe('the SMTP client when the server misbehaves', () => {
  it('gives up on a server that never greets, at the greeting, naming host and port', async () => {
    const server = await scriptedServer(() => {});
    const a = app();
    const started = Date.now();
    const error = await a.failure(
      a.client.call('smtp.connect', { host: '127.0.0.1', port: server.port, greetingTimeoutMs: 300 }),
    );
    expect(error.code).toBe('E_TIMEOUT');
    expect(error.message).toContain(`no greeting from 127.0.0.1:${server.port} within 300 ms`);
    expect(error.message).toContain('implicit TLS');
    expect(Date.now() - started).toBeLessThan(3000);
    // The socket is gone: the server sees the client close.
    await expect
      .poll(() => server.connections[0]?.socket.destroyed || server.connections[0]?.socket.readableEnded)
      .toBe(true);
  });

  it('stops waiting for the greeting when the call is cancelled, and closes the socket', async () => {
    const server = await scriptedServer(() => {});
    const a = app();
    const controller = new AbortController();
    const connecting = a.client.call(
      'smtp.connect',
      { host: '127.0.0.1', port: server.port, greetingTimeoutMs: 60_000 },
      { signal: controller.signal },
    );
    await expect.poll(() => server.connections.length).toBe(1);
    controller.abort();
    expect((await a.failure(connecting)).code).toBe('E_CANCELLED');
    await expect
      .poll(() => server.connections[0]?.socket.destroyed || server.connections[0]?.socket.readableEnded)
      .toBe(true);
  });

  it('closes on request: smtp.closed says the client closed it', async () => {
    const server = await scriptedServer((c) => textbookScript(c));
    const a = app();
    const { sessionId } = await a.client.call('smtp.connect', { host: '127.0.0.1', port: server.port });
    await a.client.call('smtp.send', { sessionId, data: line('HELO crepes.fr') });
    const totals = await a.client.call('smtp.close', { sessionId });
    expect(totals.sentBytes).toBe(16);
    const closed = await a.waitFor('smtp.closed', (e) => e.sessionId === sessionId);
    expect(closed).toMatchObject({ by: 'client', afterQuit: false, seq: 1 });
    expect((await a.failure(a.client.call('smtp.send', { sessionId, data: line('NOOP') }))).code).toBe('E_NOT_FOUND');
  });

  it('reports a server that closes before its greeting', async () => {
    const server = await scriptedServer((c) => c.end());
    const a = app();
    const error = await a.failure(a.client.call('smtp.connect', { host: '127.0.0.1', port: server.port }));
    expect(error.code).toBe('E_CLOSED');
    expect(error.message).toContain('before its greeting');
  });

  it('shows a 421 greeting explained, then the close', async () => {
    const server = await scriptedServer((c) => c.end('421 hamburger.edu Service not available, closing channel\r\n'));
    const a = app();
    const connected = await a.client.call('smtp.connect', { host: '127.0.0.1', port: server.port });
    expect(connected.greeting.reply.code).toBe(421);
    expect(connected.greeting.explanation.closes).toBe(true);
    expect(connected.greeting.explanation.replyClass).toBe('transient-negative');
    const closed = await a.waitFor('smtp.closed', (e) => e.sessionId === connected.sessionId);
    expect(closed.by).toBe('server');
    expect(closed.afterQuit).toBe(false);
  });

  it('shows a greeting that is not SMTP (another protocol on that port) as “not an SMTP reply”', async () => {
    const server = await scriptedServer((c) => c.write('SSH-2.0-OpenSSH_9.6\r\n'));
    const connected = await app().client.call('smtp.connect', { host: '127.0.0.1', port: server.port });
    expect(connected.greeting.reply.code).toBeNull();
    expect(connected.greeting.explanation.replyClass).toBe('invalid');
    expect(connected.greeting.explanation.title).toBe('Not an SMTP reply');
    expect(connected.greeting.reply.diagnostics.map((d) => d.kind)).toContain('malformed-code');
  });

  it.each([
    ['MAIL FROM:<alice@crepes.fr>', '451 4.3.0 Try again later\r\n', 451, 'transient-negative'],
    [
      'RCPT TO:<nobody@hamburger.edu>',
      '550 5.1.1 <nobody@hamburger.edu>... User unknown\r\n',
      550,
      'permanent-negative',
    ],
    ['DATA', '554 5.5.1 No valid recipients\r\n', 554, 'permanent-negative'],
    ['HELO', '501 5.5.4 HELO requires domain address\r\n', 501, 'permanent-negative'],
    ['RCPT TO:<bob@hamburger.edu>', '452 4.5.3 Too many recipients\r\n', 452, 'transient-negative'],
  ])('explains a %s answered with %i…', async (command, answer, code, replyClass) => {
    const server = await scriptedServer((c) =>
      textbookScript(c, { answer: (l) => (l === command ? answer : undefined) }),
    );
    const a = app();
    const { sessionId } = await a.client.call('smtp.connect', { host: '127.0.0.1', port: server.port });
    const result = await a.client.call('smtp.send', { sessionId, data: line(command), label: command });
    expect(result.outcome).toBe('replied');
    expect(result.reply?.reply.code).toBe(code);
    expect(result.reply?.explanation.replyClass).toBe(replyClass);
    expect(result.reply?.explanation.summary.length).toBeGreaterThan(20);
    if (code === 550) expect(result.reply?.explanation.enhanced?.code).toBe('5.1.1');
  });

  it('explains a step sent out of order (RCPT TO before MAIL FROM) with the server’s 503', async () => {
    const server = await scriptedServer((c) =>
      textbookScript(c, {
        answer: (l) => (l.startsWith('RCPT') ? '503 5.5.1 Error: need MAIL command\r\n' : undefined),
      }),
    );
    const a = app();
    const { sessionId } = await a.client.call('smtp.connect', { host: '127.0.0.1', port: server.port });
    await a.client.call('smtp.send', { sessionId, data: line('HELO crepes.fr') });
    const rcpt = await a.client.call('smtp.send', { sessionId, data: line('RCPT TO:<bob@hamburger.edu>') });
    expect(rcpt.notes[0]?.problem).toContain('before MAIL FROM');
    expect(rcpt.reply?.reply.code).toBe(503);
    expect(rcpt.reply?.note).toContain('503');
  });

  it('reports silence after the message at that step, delivers the late reply, and can cancel a wait', async () => {
    let release: (() => void) | undefined;
    const server = await scriptedServer((c) =>
      textbookScript(c, {
        onMessage: () => {
          setTimeout(() => c.write('250 finally accepted\r\n'), 400);
          return '';
        },
        answer: (l) => {
          if (l !== 'NOOP') return undefined;
          // One answer for each of the two NOOPs whose waits are stopped below.
          release = () => c.write('250 OK late\r\n250 OK later\r\n');
          return '';
        },
      }),
    );
    const a = app();
    const { sessionId } = await a.client.call('smtp.connect', { host: '127.0.0.1', port: server.port });
    for (const command of ['HELO crepes.fr', 'MAIL FROM:<a@crepes.fr>', 'RCPT TO:<b@hamburger.edu>', 'DATA']) {
      await a.client.call('smtp.send', { sessionId, data: line(command) });
    }
    const silent = await a.client.call('smtp.send', {
      sessionId,
      data: stuffMessage('Hello').bytes,
      replyTimeoutMs: 150,
      label: 'The message',
    });
    expect(silent.outcome).toBe('timeout');
    expect(silent.replies).toEqual([]);
    expect(silent.error?.code).toBe('E_TIMEOUT');
    expect(silent.error?.message).toContain(
      `no reply from 127.0.0.1:${server.port} to step #5 (The message) within 150 ms`,
    );
    expect(silent.replyDeadline?.timeoutMs).toBe(150);
    const late = await a.waitFor('smtp.reply', (r) => r.seq === silent.seq);
    expect(late).toMatchObject({ late: true, answers: { kind: 'message' } });
    expect(late.reply.code).toBe(250);

    // Cancel through smtp.cancelWait: the send resolves with "cancelled".
    const waiting = a.client.call('smtp.send', { sessionId, data: line('NOOP'), replyTimeoutMs: 60_000 });
    await expect.poll(() => release !== undefined).toBe(true);
    const cancelled = await a.client.call('smtp.cancelWait', { sessionId });
    expect(cancelled.cancelled).toEqual([6]);
    expect((await waiting).outcome).toBe('cancelled');

    // Cancel through the call's signal: the call rejects, the session goes on.
    const controller = new AbortController();
    const aborted = a.client.call(
      'smtp.send',
      { sessionId, data: line('NOOP'), replyTimeoutMs: 60_000 },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 50);
    expect((await a.failure(aborted)).code).toBe('E_CANCELLED');
    release?.();
    const quit = await a.client.call('smtp.send', { sessionId, data: line('QUIT') });
    expect(quit.outcome).toBe('replied');
    expect(quit.reply?.reply.code).toBe(221);
    expect(a.events['smtp.reply'].filter((r) => r.late).map((r) => [r.seq, r.reply.code])).toEqual([
      [5, 250],
      [6, 250],
      [7, 250],
    ]);
  });

  it('says when a server answers only the first of pipelined commands (pipelining refused)', async () => {
    const server = await scriptedServer(async (c) => {
      c.write('220 hamburger.edu\r\n');
      await c.line();
      c.write('250 hamburger.edu\r\n');
      await c.line();
      // Reads one command, answers it and throws away what was sent ahead.
      c.write('250 Sender ok\r\n');
      await c.line();
    });
    const a = app();
    const { sessionId } = await a.client.call('smtp.connect', { host: '127.0.0.1', port: server.port });
    await a.client.call('smtp.send', { sessionId, data: line('HELO crepes.fr') });
    const pipelined = await a.client.call('smtp.send', {
      sessionId,
      data: encode('MAIL FROM:<alice@crepes.fr>\r\nRCPT TO:<bob@hamburger.edu>\r\nDATA\r\n'),
      replyTimeoutMs: 200,
      label: 'pipelined',
    });
    expect(pipelined.notes).toHaveLength(3);
    expect(pipelined.outcome).toBe('timeout');
    expect(pipelined.replies.map((r) => r.reply.code)).toEqual([250]);
    expect(pipelined.error?.message).toContain('only 1 of the 3 replies');
    expect(pipelined.error?.message).toContain('PIPELINING');
  });

  it('pairs the replies of pipelined commands with one step when the server answers them all', async () => {
    const server = await scriptedServer((c) => textbookScript(c));
    const a = app();
    const { sessionId } = await a.client.call('smtp.connect', { host: '127.0.0.1', port: server.port });
    await a.client.call('smtp.send', { sessionId, data: line('EHLO crepes.fr') });
    const first = await a.client.call('smtp.send', {
      sessionId,
      data: line('MAIL FROM:<alice@crepes.fr>'),
      expectReply: false,
    });
    expect(first.outcome).toBe('not-awaited');
    const rest = await a.client.call('smtp.send', {
      sessionId,
      data: encode('RCPT TO:<bob@hamburger.edu>\r\nRCPT TO:<carol@hamburger.edu>\r\n'),
    });
    expect(rest.outcome).toBe('replied');
    expect(rest.replies.map((r) => r.answers)).toMatchObject([{ verb: 'RCPT' }, { verb: 'RCPT' }]);
    const mail = a.events['smtp.reply'].find((r) => r.seq === first.seq);
    expect(mail?.answers).toMatchObject({ verb: 'MAIL' });
    expect(mail?.late).toBe(false);
  });

  it('pairs the reply with the last piece of a message sent in several pieces', async () => {
    const messages: Buffer[] = [];
    const server = await scriptedServer((c) =>
      textbookScript(c, {
        onMessage: (message) => {
          messages.push(message);
          return undefined;
        },
      }),
    );
    const a = app();
    const { sessionId } = await a.client.call('smtp.connect', { host: '127.0.0.1', port: server.port });
    for (const command of ['HELO crepes.fr', 'MAIL FROM:<a@crepes.fr>', 'RCPT TO:<b@hamburger.edu>', 'DATA']) {
      await a.client.call('smtp.send', { sessionId, data: line(command) });
    }
    const stuffed = stuffMessage(`${'line of text\r\n'.repeat(1000)}.dot\r\nlast line`).bytes;
    const cut = [0, 5000, 5001, 12000, stuffed.length];
    const results = [];
    for (let i = 1; i < cut.length; i++) {
      results.push(
        await a.client.call('smtp.send', {
          sessionId,
          data: stuffed.subarray(cut[i - 1], cut[i]),
          expectReply: i === cut.length - 1,
        }),
      );
    }
    expect(results.map((r) => r.outcome)).toEqual(['not-awaited', 'not-awaited', 'not-awaited', 'replied']);
    expect(results.at(-1)?.reply?.answers).toMatchObject({ kind: 'message' });
    expect(results.at(-1)?.reply?.reply.code).toBe(250);
    expect(decode(messages[0] ?? Buffer.alloc(0))).toBe(`${'line of text\r\n'.repeat(1000)}.dot\r\nlast line\r\n`);
  });

  it('reports a server that closes in the middle of a step at that step', async () => {
    const server = await scriptedServer((c) =>
      textbookScript(c, {
        answer: (l) => {
          if (!l.startsWith('RCPT')) return undefined;
          c.write('250-first line of a reply\r\n250-');
          setTimeout(() => c.destroy(), 20);
          return '';
        },
      }),
    );
    const a = app();
    const { sessionId } = await a.client.call('smtp.connect', { host: '127.0.0.1', port: server.port });
    await a.client.call('smtp.send', { sessionId, data: line('HELO crepes.fr') });
    await a.client.call('smtp.send', { sessionId, data: line('MAIL FROM:<alice@crepes.fr>') });
    const rcpt = await a.client.call('smtp.send', {
      sessionId,
      data: line('RCPT TO:<bob@hamburger.edu>'),
      label: 'RCPT TO',
    });
    expect(rcpt.outcome).toBe('closed');
    expect(rcpt.error?.message).toContain(
      `127.0.0.1:${server.port} closed the connection at step #3 (RCPT TO) before replying`,
    );
    expect(rcpt.partial?.complete).toBe(false);
    expect(rcpt.partial?.lines[0]?.text).toBe('first line of a reply');
    const closed = await a.waitFor('smtp.closed', (e) => e.sessionId === sessionId);
    expect(closed).toMatchObject({ seq: 3, label: 'RCPT TO', afterQuit: false });
    expect(closed.unanswered).toMatchObject([{ kind: 'command', verb: 'RCPT' }]);
  });

  it('shows an unsolicited 421 while idle, then the close', async () => {
    const server = await scriptedServer(async (c) => {
      c.write('220 hamburger.edu\r\n');
      await c.line();
      c.write('250 hello\r\n');
      await new Promise((resolve) => setTimeout(resolve, 50));
      c.end('421 4.4.2 hamburger.edu Error: timeout exceeded\r\n');
    });
    const a = app();
    const { sessionId } = await a.client.call('smtp.connect', { host: '127.0.0.1', port: server.port });
    await a.client.call('smtp.send', { sessionId, data: line('HELO crepes.fr') });
    const unsolicited = await a.waitFor('smtp.reply', (r) => r.reply.code === 421);
    expect(unsolicited).toMatchObject({ seq: null, answers: null, rttMs: null });
    expect(unsolicited.note).toContain('421');
    expect((await a.waitFor('smtp.closed')).by).toBe('server');
  });

  it('handles bytes after QUIT’s 221 as replies to nothing', async () => {
    const server = await scriptedServer(async (c) => {
      c.write('220 hamburger.edu\r\n');
      await c.line();
      c.write('221 bye\r\n250 one more thing\r\n');
      setTimeout(() => c.end(), 30);
    });
    const a = app();
    const { sessionId } = await a.client.call('smtp.connect', { host: '127.0.0.1', port: server.port });
    const quit = await a.client.call('smtp.send', { sessionId, data: line('QUIT') });
    expect(quit.replies.map((r) => r.reply.code)).toEqual([221]);
    const extra = await a.waitFor('smtp.reply', (r) => r.reply.code === 250);
    expect(extra.seq).toBeNull();
    expect(extra.note).toMatch(/reply to nothing/i);
    expect((await a.waitFor('smtp.closed')).afterQuit).toBe(true);
  });

  it('refuses a connection with a clear message naming host and port', async () => {
    const port = await freeTcpPort();
    const a = app();
    const error = await a.failure(a.client.call('smtp.connect', { host: '127.0.0.1', port }));
    expect(error.code).toBe('E_REFUSED');
    expect(error.message).toContain(`127.0.0.1:${port}`);
  });

  it('keeps a dot-stuffed body intact through a server that un-stuffs', async () => {
    const messages: Buffer[] = [];
    const server = await scriptedServer((c) =>
      textbookScript(c, {
        onMessage: (message) => {
          messages.push(message);
          return undefined;
        },
      }),
    );
    const a = app();
    const { sessionId } = await a.client.call('smtp.connect', { host: '127.0.0.1', port: server.port });
    for (const command of ['HELO crepes.fr', 'MAIL FROM:<a@crepes.fr>', 'RCPT TO:<b@hamburger.edu>', 'DATA']) {
      await a.client.call('smtp.send', { sessionId, data: line(command) });
    }
    const body = '.\r\n..two dots\r\n.hidden\r\nnormal line\r\n. space\r\n...\r\nend';
    const stuffed = stuffMessage(body);
    expect(stuffed.dotLines).toHaveLength(5);
    const result = await a.client.call('smtp.send', { sessionId, data: stuffed.bytes });
    expect(result.reply?.reply.code).toBe(250);
    expect(decode(messages[0] ?? Buffer.alloc(0))).toBe(`${body}\r\n`);
  });
});
