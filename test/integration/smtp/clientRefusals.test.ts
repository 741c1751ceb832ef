import { describe, expect, it } from 'vitest';
import { stuffMessage } from '../../../shared/smtp/message/dotStuffing';
import { appPerTest } from '../../support/appClient';
import { decode, encode } from '../../support/bytes';
import { closeScriptedServers, scriptedServer, textbookScript } from './clientHarness';

/**
 * A server may refuse any step, for now (4xx) or for good (5xx). Whatever step it
 * refuses, the refusal must be shown at that step, explained for that command, and
 * (unless the server said it is closing) the connection must stay usable.
 */

const app = appPerTest(closeScriptedServers);

const line = (text: string) => encode(`${text}\r\n`);
const textbookMessage = () => stuffMessage('Do you like ketchup?\r\nHow about pickles?').bytes;

interface StepCase {
  step: string;
  /** What goes before it, so that the server is where that step makes sense. */
  before: string[];
  /** The step's line; undefined: the message after DATA's 354. */
  command?: string;
  verb: string | null;
}

const steps: StepCase[] = [
  { step: 'HELO', before: [], command: 'HELO crepes.fr', verb: 'HELO' },
  { step: 'EHLO', before: [], command: 'EHLO crepes.fr', verb: 'EHLO' },
  { step: 'STARTTLS', before: ['EHLO crepes.fr'], command: 'STARTTLS', verb: 'STARTTLS' },
  { step: 'AUTH PLAIN', before: ['EHLO crepes.fr'], command: 'AUTH PLAIN AGFsaWNlAGtldGNodXA=', verb: 'AUTH' },
  { step: 'MAIL FROM', before: ['HELO crepes.fr'], command: 'MAIL FROM:<alice@crepes.fr>', verb: 'MAIL' },
  {
    step: 'RCPT TO',
    before: ['HELO crepes.fr', 'MAIL FROM:<alice@crepes.fr>'],
    command: 'RCPT TO:<bob@hamburger.edu>',
    verb: 'RCPT',
  },
  {
    step: 'DATA',
    before: ['HELO crepes.fr', 'MAIL FROM:<alice@crepes.fr>', 'RCPT TO:<bob@hamburger.edu>'],
    command: 'DATA',
    verb: 'DATA',
  },
  {
    step: 'the message',
    before: ['HELO crepes.fr', 'MAIL FROM:<alice@crepes.fr>', 'RCPT TO:<bob@hamburger.edu>', 'DATA'],
    verb: null,
  },
  { step: 'RSET', before: ['HELO crepes.fr'], command: 'RSET', verb: 'RSET' },
  { step: 'NOOP', before: ['HELO crepes.fr'], command: 'NOOP', verb: 'NOOP' },
  { step: 'VRFY', before: ['HELO crepes.fr'], command: 'VRFY bob', verb: 'VRFY' },
  { step: 'HELP', before: ['HELO crepes.fr'], command: 'HELP', verb: 'HELP' },
  { step: 'QUIT', before: ['HELO crepes.fr'], command: 'QUIT', verb: 'QUIT' },
];

/** A transient and a permanent refusal a real server could give at each step. */
const refusals: Record<string, [string, string]> = {
  HELO: ['451 4.3.0 hamburger.edu: local error, try again later', '501 5.5.4 HELO requires a domain'],
  EHLO: ['450 4.7.1 Client host rejected: try again later', '550 5.7.1 Client host rejected: access denied'],
  STARTTLS: ['454 4.7.0 TLS not available due to temporary reason', '502 5.5.1 STARTTLS not implemented'],
  'AUTH PLAIN': ['454 4.7.0 Temporary authentication failure', '535 5.7.8 Authentication credentials invalid'],
  'MAIL FROM': ['451 4.3.0 Mail server temporarily rejected message', '553 5.1.7 Bad sender address syntax'],
  'RCPT TO': ['450 4.2.1 Mailbox busy, try again later', '551 5.1.6 User not local; please try elsewhere'],
  DATA: ['451 4.3.0 Not now, try again later', '554 5.5.1 No valid recipients'],
  'the message': ['452 4.3.1 Insufficient system storage', '552 5.3.4 Message size exceeds fixed limit'],
  RSET: ['451 4.3.0 Local error', '500 5.5.2 Syntax error, command unrecognized'],
  NOOP: ['451 4.3.0 Local error', '500 5.5.2 Syntax error, command unrecognized'],
  VRFY: ['450 4.2.0 Cannot check now', '502 5.5.1 VRFY disabled'],
  HELP: ['451 4.3.0 Local error', '502 5.5.1 HELP not implemented'],
  QUIT: ['451 4.3.0 Local error', '500 5.5.2 Syntax error, command unrecognized'],
};

const cases = steps.flatMap((step) => {
  const [transient, permanent] = refusals[step.step] as [string, string];
  return [
    { ...step, answer: transient, replyClass: 'transient-negative' },
    { ...step, answer: permanent, replyClass: 'permanent-negative' },
  ];
});

describe('a server refusing a step, for now or for good', () => {
  it.each(cases)(
    '$step answered with “$answer”: shown and explained at that step; the connection goes on',
    async (c) => {
      let refused = false;
      const refuseOnce = (reply: string) => {
        if (refused) return undefined;
        refused = true;
        return `${reply}\r\n`;
      };
      const server = await scriptedServer((connection) =>
        textbookScript(connection, {
          answer: (l) => (c.command !== undefined && l === c.command ? refuseOnce(c.answer) : undefined),
          onMessage: () => (c.command === undefined ? refuseOnce(c.answer) : undefined),
        }),
      );
      const a = app();
      const { sessionId } = await a.client.call('smtp.connect', { host: '127.0.0.1', port: server.port });
      const send = (data: Uint8Array, label: string) => a.client.call('smtp.send', { sessionId, data, label });
      for (const command of c.before) {
        const before = await send(line(command), command);
        expect(before.reply?.reply.code ?? 0, command).toBeLessThan(400);
      }

      const result = await send(c.command === undefined ? textbookMessage() : line(c.command), c.step);
      expect(result.outcome).toBe('replied');
      expect(result.replies).toHaveLength(1);
      const code = Number(c.answer.slice(0, 3));
      expect(result.reply?.reply.code).toBe(code);
      expect(decode(result.reply?.reply.raw ?? new Uint8Array())).toBe(`${c.answer}\r\n`);
      // Paired with the step that was refused, not with the one before or after.
      expect(result.reply?.seq).toBe(result.seq);
      if (c.verb === null) expect(result.reply?.answers).toMatchObject({ kind: 'message' });
      else expect(result.reply?.answers).toMatchObject({ kind: 'command', verb: c.verb });
      const explanation = result.reply?.explanation;
      expect(explanation?.replyClass).toBe(c.replyClass);
      expect(explanation?.known).toBe(true);
      expect(explanation?.summary).toMatch(/^[A-Z].{30,}/);
      expect(explanation?.enhanced?.code).toBe(c.answer.split(' ')[1]);
      expect(explanation?.closes).toBe(false);

      // Refused is not closed: the same connection still answers.
      const after = await send(line('NOOP'), 'NOOP');
      expect(after.outcome).toBe('replied');
      expect(after.reply?.reply.code).toBe(250);
      expect(a.events['smtp.closed']).toEqual([]);
    },
  );

  it('a 421 at a step is shown at that step, then the close it announced', async () => {
    const server = await scriptedServer((connection) =>
      textbookScript(connection, {
        answer: (l) =>
          l.startsWith('MAIL') ? '421 4.3.2 hamburger.edu Service shutting down, closing channel\r\n' : undefined,
      }),
    );
    const a = app();
    const { sessionId } = await a.client.call('smtp.connect', { host: '127.0.0.1', port: server.port });
    await a.client.call('smtp.send', { sessionId, data: line('HELO crepes.fr') });
    const mail = await a.client.call('smtp.send', { sessionId, data: line('MAIL FROM:<alice@crepes.fr>') });
    expect(mail.reply?.reply.code).toBe(421);
    expect(mail.reply?.answers).toMatchObject({ kind: 'command', verb: 'MAIL' });
    expect(mail.reply?.explanation.closes).toBe(true);
    const closed = await a.waitFor('smtp.closed', (e) => e.sessionId === sessionId);
    expect(closed.by).toBe('server');
    expect(closed.afterQuit).toBe(false);
    const next = await a.failure(a.client.call('smtp.send', { sessionId, data: line('RCPT TO:<bob@hamburger.edu>') }));
    expect(next.code).toBe('E_CLOSED');
  });

  it('pipelining refused Postfix-style: the commands sent ahead get 554 each, every refusal paired with its command', async () => {
    const server = await scriptedServer(async (c) => {
      c.write('220 hamburger.edu ESMTP\r\n');
      await c.line();
      c.write('250 hamburger.edu\r\n');
      await c.line();
      // Postfix refuses commands that came in ahead of its reply; here every command after the first is one.
      c.write('250 2.1.0 Ok\r\n');
      for (let i = 0; i < 2; i++) {
        await c.line();
        c.write('554 5.5.0 Error: improper use of SMTP command pipelining\r\n');
      }
    });
    const a = app();
    const { sessionId } = await a.client.call('smtp.connect', { host: '127.0.0.1', port: server.port });
    await a.client.call('smtp.send', { sessionId, data: line('HELO crepes.fr') });
    const pipelined = await a.client.call('smtp.send', {
      sessionId,
      data: encode('MAIL FROM:<alice@crepes.fr>\r\nRCPT TO:<bob@hamburger.edu>\r\nRCPT TO:<carol@hamburger.edu>\r\n'),
      label: 'pipelined',
    });
    expect(pipelined.outcome).toBe('replied');
    expect(pipelined.replies.map((r) => r.reply.code)).toEqual([250, 554, 554]);
    expect(pipelined.replies.map((r) => r.answers)).toMatchObject([
      { kind: 'command', verb: 'MAIL' },
      { kind: 'command', verb: 'RCPT', line: 'RCPT TO:<bob@hamburger.edu>' },
      { kind: 'command', verb: 'RCPT', line: 'RCPT TO:<carol@hamburger.edu>' },
    ]);
    for (const refusal of pipelined.replies.slice(1)) {
      expect(refusal.explanation.replyClass).toBe('permanent-negative');
      expect(refusal.explanation.enhanced?.code).toBe('5.5.0');
    }
  });

  it('a 554 greeting (no service here) is explained; the server then refuses everything but QUIT', async () => {
    const server = await scriptedServer((connection) =>
      textbookScript(connection, {
        greeting: '554 5.3.2 hamburger.edu does not accept mail from you\r\n',
        answer: (l) => (l === 'QUIT' ? undefined : '503 5.5.1 Bad sequence of commands\r\n'),
      }),
    );
    const a = app();
    const { sessionId, greeting } = await a.client.call('smtp.connect', { host: '127.0.0.1', port: server.port });
    expect(greeting.reply.code).toBe(554);
    expect(greeting.explanation.replyClass).toBe('permanent-negative');
    expect(greeting.explanation.answers).toBe('greeting');
    expect(greeting.explanation.summary).toMatch(/^[A-Z].{30,}/);
    const helo = await a.client.call('smtp.send', { sessionId, data: line('HELO crepes.fr') });
    expect(helo.reply?.reply.code).toBe(503);
    const quit = await a.client.call('smtp.send', { sessionId, data: line('QUIT') });
    expect(quit.reply?.reply.code).toBe(221);
  });
});
