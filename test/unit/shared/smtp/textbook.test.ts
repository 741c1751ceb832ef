import { describe, expect, it } from 'vitest';
import { toVisibleString } from '../../../../shared/bytes';
import {
  buildStep,
  createReplyParser,
  lintMessage,
  parseCommandLine,
  type SmtpReply,
  SmtpSessionTracker,
  textbookSteps,
  unstuffData,
} from '../../../../shared/smtp';

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** The textbook's server, as a script: what it answers to each command, read the way a server reads. */
function textbookServer() {
  let inData = false;
  let pending = '';
  const received: Uint8Array[] = [];
  return {
    received,
    /** Returns the server's reply bytes for what the client sent. */
    take(bytes: Uint8Array): string {
      if (inData) {
        received.push(bytes);
        const result = unstuffData(bytes);
        if (!result.complete) return '';
        inData = false;
        return '250 Message accepted for delivery\r\n';
      }
      pending += decode(bytes);
      const line = pending.replace(/\r\n$/, '');
      pending = '';
      const { verb, argument } = parseCommandLine(line);
      if (verb === 'HELO') return `250 Hello ${argument}, pleased to meet you\r\n`;
      if (verb === 'MAIL') return `250 ${argument.replace(/^FROM:<(.*)>$/, '$1')} ... Sender ok\r\n`;
      if (verb === 'RCPT') return `250 ${argument.replace(/^TO:<(.*)>$/, '$1')} ... Recipient ok\r\n`;
      if (verb === 'DATA') {
        inData = true;
        return '354 Enter mail, end with "." on a line by itself\r\n';
      }
      if (verb === 'QUIT') return '221 hamburger.edu closing connection\r\n';
      return '500 unrecognised\r\n';
    },
  };
}

describe('the textbook conversation, through every pure piece', () => {
  it('sends the textbook bytes, reads the textbook replies, explains each, and delivers the message intact', () => {
    const server = textbookServer();
    const parser = createReplyParser();
    const tracker = new SmtpSessionTracker();
    const transcript: string[] = [];

    // The server's bytes arrive in awkward pieces: three bytes at a time.
    const deliver = (text: string): SmtpReply[] => {
      const bytes = encode(text);
      const replies: SmtpReply[] = [];
      for (let i = 0; i < bytes.length; i += 3) replies.push(...parser.push(bytes.subarray(i, i + 3)));
      return replies;
    };
    const hear = (text: string) => {
      const replies = deliver(text);
      expect(replies).toHaveLength(1);
      const exchange = tracker.received(replies[0] as SmtpReply);
      expect(exchange.note).toBeNull();
      transcript.push(`S: ${replies[0]?.code} ${replies[0]?.text}`);
      return exchange;
    };

    tracker.connected();
    const greeting = hear('220 hamburger.edu\r\n');
    expect(greeting.explanation.summary).toContain('introduce yourself with HELO');

    const explanations: string[] = [];
    for (const step of textbookSteps()) {
      const built = buildStep(step);
      if (!built.ok) throw new Error(built.message);
      expect(built.warnings).toEqual([]);
      for (const line of built.lines) {
        const notes = tracker.sent(line.bytes);
        for (const note of notes) expect(note.problem).toBeNull();
        transcript.push(`C: ${toVisibleString(line.bytes)}`);
        const answer = server.take(line.bytes);
        if (answer) explanations.push(hear(answer).explanation.summary);
      }
    }

    expect(transcript).toEqual([
      'S: 220 hamburger.edu',
      'C: HELO crepes.fr␍␊',
      'S: 250 Hello crepes.fr, pleased to meet you',
      'C: MAIL FROM:<alice@crepes.fr>␍␊',
      'S: 250 alice@crepes.fr ... Sender ok',
      'C: RCPT TO:<bob@hamburger.edu>␍␊',
      'S: 250 bob@hamburger.edu ... Recipient ok',
      'C: DATA␍␊',
      'S: 354 Enter mail, end with "." on a line by itself',
      'C: Do you like ketchup?␍␊How about pickles?␍␊.␍␊',
      'S: 250 Message accepted for delivery',
      'C: QUIT␍␊',
      'S: 221 hamburger.edu closing connection',
    ]);
    expect(explanations.map((text) => text.split(/[.:]/)[0])).toEqual([
      'The server greets you back',
      'Sender accepted',
      'Recipient accepted',
      'Go ahead with the message',
      'Message accepted for delivery',
      'Goodbye',
    ]);
    expect(tracker.snapshot()).toMatchObject({ phase: 'quit', messagesAccepted: 1, awaiting: [] });
    expect(parser.pendingBytes).toBe(0);

    // The server kept the message as typed, line breaks as CRLF, the final CRLF included.
    const [data] = server.received;
    expect(decode(unstuffData(data as Uint8Array).body)).toBe('Do you like ketchup?\r\nHow about pickles?\r\n');

    // The linter has only a note for it: the textbook message has no headers.
    const message = textbookSteps()[4]?.text as string;
    const issues = lintMessage(message, { lineBreaksSentAsCrlf: true }).issues;
    expect(issues.map((issue) => [issue.kind, issue.severity])).toEqual([['no-headers', 'info']]);
  });
});
