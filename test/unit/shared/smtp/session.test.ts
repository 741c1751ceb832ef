import { describe, expect, it } from 'vitest';
import {
  commandOrderProblem,
  describeAwaiting,
  parseReplies,
  type SmtpReply,
  SmtpSessionTracker,
  trackSmtpSession,
} from '../../../../shared/smtp';

const reply = (text: string): SmtpReply => parseReplies(new TextEncoder().encode(text))[0] as SmtpReply;

function connected(): SmtpSessionTracker {
  const tracker = new SmtpSessionTracker();
  tracker.connected();
  tracker.received(reply('220 hamburger.edu\r\n'));
  return tracker;
}

describe('SmtpSessionTracker', () => {
  it('follows the phases of a mail, moved on by the replies', () => {
    const tracker = new SmtpSessionTracker();
    expect(tracker.phase).toBe('not-connected');
    tracker.connected();
    expect(tracker.phase).toBe('awaiting-greeting');
    const phases: string[] = [];
    const step = (sent: string, answer: string) => {
      tracker.sent(sent);
      const exchange = tracker.received(reply(answer));
      phases.push(exchange.phaseAfter);
      return exchange;
    };
    expect(tracker.received(reply('220 hamburger.edu\r\n')).answers).toEqual({ kind: 'greeting' });
    step('EHLO crepes.fr\r\n', '250-hamburger.edu\r\n250-8BITMIME\r\n250 SIZE 1000\r\n');
    step('MAIL FROM:<alice@crepes.fr>\r\n', '250 ok\r\n');
    step('RCPT TO:<bob@hamburger.edu>\r\n', '250 ok\r\n');
    step('RCPT TO: <carol@hamburger.edu>\r\n', '251 will forward\r\n');
    const snapshot = tracker.snapshot();
    expect(snapshot).toMatchObject({
      hello: { verb: 'EHLO', domain: 'crepes.fr' },
      sender: 'alice@crepes.fr',
      recipients: ['bob@hamburger.edu', 'carol@hamburger.edu'],
    });
    expect(snapshot.ehlo).toMatchObject({ eightBitMime: true, maxSize: 1000 });
    step('DATA\r\n', '354 go ahead\r\n');
    const message = step('Subject: hi\r\n\r\n..dot\r\n.\r\n', '250 queued\r\n');
    expect(message.answers).toEqual({ kind: 'message', bytes: 25, lines: 3 });
    expect(message.explanation.forCommand).toContain('Message accepted');
    expect(tracker.snapshot()).toMatchObject({ sender: null, recipients: [], messagesAccepted: 1 });
    step('QUIT\r\n', '221 bye\r\n');
    expect(phases).toEqual([
      'ready',
      'mail-started',
      'recipients-given',
      'recipients-given',
      'in-data',
      'ready',
      'quit',
    ]);
    expect(tracker.closed()).toEqual([]);
    expect(tracker.phase).toBe('quit');
  });

  it('explains a command sent out of order with the server’s answer to it', () => {
    const tracker = connected();
    tracker.sent('HELO crepes.fr\r\n');
    tracker.received(reply('250 hi\r\n'));
    const [note] = tracker.sent('RCPT TO:<bob@hamburger.edu>\r\n');
    expect(note).toMatchObject({ expectedPhase: 'ready', problem: 'You sent RCPT TO before MAIL FROM.' });
    const exchange = tracker.received(reply('503 5.5.1 need MAIL first\r\n'));
    expect(exchange.note).toBe('You sent RCPT TO before MAIL FROM. The server answered 503.');
    expect(exchange.explanation.forCommand).toContain('expects MAIL FROM before RCPT TO');
    expect(exchange.explanation.context).toContain('no MAIL FROM accepted');
    expect(exchange).toMatchObject({ phaseBefore: 'ready', phaseAfter: 'ready' });
  });

  it('says when a lenient server accepts what it could refuse', () => {
    const tracker = connected();
    tracker.sent('MAIL FROM:<alice@crepes.fr>\r\n');
    const exchange = tracker.received(reply('250 ok\r\n'));
    expect(exchange.note).toBe(
      'You sent MAIL FROM before introducing yourself with HELO or EHLO. This server accepted it anyway (250).',
    );
    expect(exchange.phaseAfter).toBe('mail-started');
  });

  it('pairs pipelined commands with their replies in order', () => {
    const tracker = connected();
    const notes = tracker.sent(
      'EHLO crepes.fr\r\nMAIL FROM:<a@crepes.fr>\r\nRCPT TO:<b@hamburger.edu>\r\nRCPT TO:<c@x>\r\n',
    );
    expect(notes.map((note) => [note.expectedPhase, note.problem])).toEqual([
      ['awaiting-hello', null],
      ['ready', null],
      ['mail-started', null],
      ['recipients-given', null],
    ]);
    expect(describeAwaiting(tracker.snapshot())).toBe(
      'Greeted: say HELO — waiting for the reply to EHLO, MAIL FROM, RCPT TO, RCPT TO',
    );
    const codes = ['250 hi\r\n', '250 ok\r\n', '550 5.1.1 no such user\r\n', '250 ok\r\n'].map((text) =>
      tracker.received(reply(text)),
    );
    expect(codes.map((exchange) => exchange.answers?.kind === 'command' && exchange.answers.line)).toEqual([
      'EHLO crepes.fr',
      'MAIL FROM:<a@crepes.fr>',
      'RCPT TO:<b@hamburger.edu>',
      'RCPT TO:<c@x>',
    ]);
    expect(codes[2]?.explanation.enhanced?.detailTitle).toBe('Bad destination mailbox address');
    expect(tracker.snapshot().recipients).toEqual(['c@x']);
  });

  it('reads what follows DATA as the message only if DATA got its 354', () => {
    const tracker = connected();
    tracker.sent('HELO crepes.fr\r\nMAIL FROM:<a@crepes.fr>\r\n');
    tracker.received(reply('250 hi\r\n'));
    tracker.received(reply('250 ok\r\n'));
    // No recipient: DATA will be refused, and the message lines sent right behind it become commands.
    const notes = tracker.sent('DATA\r\nDo you like ketchup?\r\n.\r\n');
    expect(notes).toHaveLength(1);
    expect(notes[0]?.problem).toBe('You sent DATA before any recipient (RCPT TO) was accepted.');
    expect(tracker.snapshot().unreadBytes).toBe(25);
    const refused = tracker.received(reply('503 need RCPT\r\n'));
    expect(refused.note).toBe('You sent DATA before any recipient (RCPT TO) was accepted. The server answered 503.');
    expect(
      refused.readAfter.map((note) => [note.subject.kind === 'command' && note.subject.word, note.problem]),
    ).toEqual([
      ['DO', '“DO” is not an SMTP command.'],
      ['.', '“.” is not an SMTP command.'],
    ]);
    const unknown = tracker.received(reply('500 what?\r\n'));
    expect(unknown.explanation.meaning).toContain('message lines sent before DATA was accepted');
    tracker.received(reply('500 what?\r\n'));
    expect(tracker.snapshot().awaiting).toEqual([]);
  });

  it('takes the message sent ahead of the 354 once the 354 comes', () => {
    const tracker = connected();
    tracker.sent('HELO c\r\nMAIL FROM:<a@c>\r\nRCPT TO:<b@h>\r\nDATA\r\nhi\r\n.\r\nQUIT\r\n');
    for (const text of ['250 a\r\n', '250 b\r\n', '250 c\r\n']) tracker.received(reply(text));
    const go = tracker.received(reply('354 go\r\n'));
    expect(go.readAfter.map((note) => note.subject.kind)).toEqual(['message', 'command']);
    expect(tracker.received(reply('250 queued\r\n')).answers).toEqual({ kind: 'message', bytes: 7, lines: 1 });
    expect(tracker.received(reply('221 bye\r\n')).phaseAfter).toBe('quit');
  });

  it('follows the message typed line by line, as in telnet', () => {
    const tracker = connected();
    for (const [line, answer] of [
      ['HELO c', '250 a'],
      ['MAIL FROM:<a@c>', '250 b'],
      ['RCPT TO:<b@h>', '250 c'],
      ['DATA', '354 go'],
    ]) {
      tracker.sent(`${line}\r\n`);
      tracker.received(reply(`${answer}\r\n`));
    }
    expect(tracker.sent('Do you like ketchup?\r\n')).toEqual([]);
    expect(tracker.sent('How about pick')).toEqual([]);
    expect(tracker.sent('les?\r\n.')).toEqual([]);
    expect(tracker.phase).toBe('in-data');
    const [end] = tracker.sent('\r\n');
    expect(end?.subject).toEqual({ kind: 'message', bytes: 45, lines: 2 });
  });

  it('does not take a dot line after a bare LF for the end, and explains a server that does', () => {
    const tracker = connected();
    for (const [line, answer] of [
      ['HELO c', '250 a'],
      ['MAIL FROM:<a@c>', '250 b'],
      ['RCPT TO:<b@h>', '250 c'],
      ['DATA', '354 go'],
    ]) {
      tracker.sent(`${line}\r\n`);
      tracker.received(reply(`${answer}\r\n`));
    }
    expect(tracker.sent('hi\n.\r\n')).toEqual([]);
    const early = tracker.received(reply('250 queued\r\n'));
    expect(early.answers).toBeNull();
    expect(early.note).toContain('while the message was still being sent');
  });

  it('follows AUTH LOGIN and shows the login answers decoded', () => {
    const tracker = connected();
    tracker.sent('EHLO c\r\n');
    tracker.received(reply('250 hi\r\n'));
    tracker.sent('AUTH LOGIN\r\nYWxpY2U=\r\n');
    expect(tracker.snapshot().unreadBytes).toBe(10);
    const user = tracker.received(reply('334 VXNlcm5hbWU6\r\n'));
    expect(user.phaseAfter).toBe('authenticating');
    expect(user.explanation.challenge?.decoded).toBe('Username:');
    expect(user.readAfter[0]?.subject).toEqual({ kind: 'auth-response', line: 'YWxpY2U=', decoded: 'alice' });
    tracker.received(reply('334 UGFzc3dvcmQ6\r\n'));
    tracker.sent('c2VjcmV0\r\n');
    const done = tracker.received(reply('235 2.7.0 ok\r\n'));
    expect(done).toMatchObject({ phaseAfter: 'ready', answers: { kind: 'auth-response', decoded: 'secret' } });
    expect(tracker.snapshot().authenticated).toBe(true);
    tracker.sent('AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n');
    expect(tracker.received(reply('503 already\r\n')).note).toBe(
      'You sent AUTH but you are already logged in. The server answered 503.',
    );
  });

  it('starts over after STARTTLS: EHLO again', () => {
    const tracker = connected();
    tracker.sent('EHLO c\r\n');
    tracker.received(reply('250-hi\r\n250 STARTTLS\r\n'));
    expect(tracker.snapshot().ehlo?.startTls).toBe(true);
    tracker.sent('STARTTLS\r\n');
    expect(tracker.received(reply('220 go ahead\r\n')).phaseAfter).toBe('awaiting-hello');
    expect(tracker.snapshot()).toMatchObject({ tls: true, hello: null, ehlo: null });
    const [note] = tracker.sent('MAIL FROM:<a@c>\r\n');
    expect(note?.problem).toBe('You sent MAIL FROM before introducing yourself with HELO or EHLO.');
  });

  it('handles the server ending the session: 421 at any time, 554 greetings, closing with commands pending', () => {
    const tracker = new SmtpSessionTracker();
    tracker.connected();
    const refused = tracker.received(reply('554 no SMTP service here\r\n'));
    expect(refused.explanation.forCommand).toContain('No SMTP service');
    expect(tracker.snapshot().refused).toBe(true);
    tracker.sent('HELO c\r\n');
    const bye = tracker.received(reply('421 closing\r\n'));
    expect(bye.phaseAfter).toBe('closed');
    const unsolicited = tracker.received(reply('421 again\r\n'));
    expect(unsolicited).toMatchObject({
      answers: null,
      note: 'The server ends the session on its own (421), without being asked.',
    });
    const extra = connected();
    expect(extra.received(reply('250 ?\r\n')).note).toContain('A reply to nothing');
    extra.sent('NOOP\r\n');
    expect(extra.closed()).toEqual([{ kind: 'command', line: 'NOOP', word: 'NOOP', verb: 'NOOP' }]);
    expect(extra.phase).toBe('closed');
  });

  it('notes too-long command lines and stays bounded when the client runs far ahead', () => {
    const tracker = connected();
    const [long] = tracker.sent(`HELO ${'x'.repeat(600)}\r\n`);
    expect(long?.problem).toContain('longer than 512 octets');
    const small = new SmtpSessionTracker({ maxUnreadBytes: 100 });
    small.connected();
    small.sent('DATA\r\n');
    small.sent('x'.repeat(1000));
    expect(small.snapshot()).toMatchObject({ unreadBytes: 0, lostTrack: true });
  });

  it('replays a recorded session to the same result', () => {
    const events = [
      { kind: 'connected' as const },
      { kind: 'reply' as const, reply: reply('220 hamburger.edu\r\n') },
      { kind: 'sent' as const, data: 'RCPT TO:<bob@hamburger.edu>\r\n' },
      { kind: 'reply' as const, reply: reply('503 bad sequence\r\n') },
      { kind: 'sent' as const, data: new TextEncoder().encode('QUIT\r\n') },
      { kind: 'closed' as const },
    ];
    const track = trackSmtpSession(events);
    expect(track.exchanges.map((exchange) => exchange.note)).toEqual([
      null,
      'You sent RCPT TO before introducing yourself with HELO or EHLO. The server answered 503.',
    ]);
    expect(track.sendNotes).toHaveLength(2);
    expect(track.unanswered).toEqual([{ kind: 'command', line: 'QUIT', word: 'QUIT', verb: 'QUIT' }]);
    expect(track.snapshot.phase).toBe('closed');
    expect(JSON.stringify(trackSmtpSession(events))).toBe(JSON.stringify(track));
  });
});

describe('commandOrderProblem', () => {
  it('knows what fits each phase', () => {
    expect(commandOrderProblem('recipients-given', 'DATA', 'DATA')).toBeNull();
    expect(commandOrderProblem('recipients-given', 'RCPT', 'RCPT')).toBeNull();
    expect(commandOrderProblem('mail-started', 'RSET', 'RSET')).toBeNull();
    expect(commandOrderProblem('ready', 'DATA', 'DATA')).toBe('You sent DATA before MAIL FROM and RCPT TO.');
    expect(commandOrderProblem('recipients-given', 'MAIL', 'MAIL')).toContain('already started');
    expect(commandOrderProblem('ready', 'STARTTLS', 'STARTTLS', { tls: true })).toContain('already on');
    expect(commandOrderProblem('awaiting-greeting', 'HELO', 'HELO')).toContain('before the server’s greeting');
    expect(commandOrderProblem('quit', 'NOOP', 'NOOP')).toContain('after the session ended');
    expect(commandOrderProblem('ready', null, '')).toBe('You sent an empty line, which is not a command.');
    expect(commandOrderProblem('ready', null, 'DO')).toContain('message text goes after DATA');
  });
});
