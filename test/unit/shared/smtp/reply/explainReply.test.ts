import { describe, expect, it } from 'vitest';
import {
  decodeBase64,
  describeReplyClass,
  encodeBase64,
  explainEnhancedStatus,
  explainReply,
  parseCommandLine,
  parseEnhancedStatus,
  parseReplies,
  pathAddress,
  replyClass,
  replyCodeInfo,
  replyCodes,
} from '../../../../../shared/smtp';
import { randomBytes, seededRandom } from '../../../../support/random';

const bytes = (text: string) => new TextEncoder().encode(text);
const reply = (text: string) => parseReplies(bytes(text))[0] as NonNullable<ReturnType<typeof parseReplies>[0]>;

const required = [
  211, 214, 220, 221, 235, 250, 251, 252, 334, 354, 421, 450, 451, 452, 455, 500, 501, 502, 503, 504, 521, 530, 534,
  535, 538, 550, 551, 552, 553, 554, 555,
];

describe('reply code table', () => {
  it('explains every code the builder meets, in plain sentences', () => {
    for (const code of required) {
      const info = replyCodeInfo(code);
      expect(info, String(code)).toBeDefined();
      expect(info?.title.length).toBeGreaterThanOrEqual(2);
      expect(info?.meaning).toMatch(/^[A-Z].{20,}\.$/);
      for (const text of Object.values(info?.byCommand ?? {})) expect(text).toMatch(/^[A-Z].{15,}\.$/);
    }
    expect(replyCodes.map((info) => info.code)).toEqual([...replyCodes.map((info) => info.code)].sort((a, b) => a - b));
    expect(replyCodeInfo(221)?.closes).toBe(true);
    expect(replyCodeInfo(421)?.closes).toBe(true);
    expect(replyCodeInfo(250)?.closes).toBe(false);
    expect(replyCodeInfo(235)?.reference).toContain('4954');
  });

  it('classes any code by its first two digits', () => {
    expect(replyClass(250)).toBe('positive-completion');
    expect(replyClass(354)).toBe('positive-intermediate');
    expect(replyClass(451)).toBe('transient-negative');
    expect(replyClass(550)).toBe('permanent-negative');
    expect(replyClass(199)).toBe('invalid');
    expect(replyClass(null)).toBe('invalid');
    expect(describeReplyClass(501)).toBe(
      '5xx: not done, and sending the same again will fail the same way; about syntax',
    );
    expect(describeReplyClass(421)).toContain('about the connection');
    expect(describeReplyClass(99)).toContain('not an SMTP reply code');
  });
});

describe('explainReply', () => {
  it('says a well-formed command was refused, server text and enhanced code first, not a typo', () => {
    const refused = explainReply(
      { code: 500, text: '5.3.0 Error: command failed' },
      { lastCommand: 'RCPT TO:<bob@hamburger.edu>', phase: 'mail-started' },
    );
    expect(refused.summary).toMatch(
      /^The server refused RCPT TO, although the line is well formed; in its own words: “Error: command failed”\. 5\.3\.0: permanent failure/,
    );
    expect(refused.summary).not.toMatch(/typo/);
    // A real typo keeps the syntax explanation.
    const typo = explainReply(
      { code: 500, text: 'Unrecognized command' },
      { lastCommand: 'RCTP TO:<bob@hamburger.edu>' },
    );
    expect(typo.summary).toMatch(/typo/);
    // A 501 to a malformed address keeps its advice.
    const malformed = explainReply({ code: 501, text: 'Bad address' }, { lastCommand: 'RCPT TO:bob' });
    expect(malformed.summary).toMatch(/angle brackets/);
  });

  it('tailors a 503 to the command it answers, and says where the session stood', () => {
    const explained = explainReply(reply('503 5.5.1 Error: need MAIL command\r\n'), {
      lastCommand: 'RCPT TO:<bob@hamburger.edu>',
      phase: 'ready',
    });
    expect(explained.answers).toBe('RCPT');
    expect(explained.forCommand).toContain('expects MAIL FROM before RCPT TO');
    expect(explained.context).toBe(
      'When you sent RCPT TO, HELO/EHLO had been accepted and no mail was started (no MAIL FROM accepted).',
    );
    expect(explained.summary).toBe(`${explained.forCommand} ${explained.context}`);
    expect(explained.enhanced).toMatchObject({ code: '5.5.1', detailTitle: 'Invalid command', classMismatch: false });
    expect(explainReply({ code: 503 }, { lastCommand: 'data' }).forCommand).toContain('RCPT TO');
    expect(explainReply({ code: 503 }, { lastCommand: 'MAIL FROM:<a@b>' }).forCommand).toContain('HELO/EHLO');
  });

  it('falls back to the general meaning when nothing more specific is known', () => {
    const explained = explainReply({ code: 250 });
    expect(explained).toMatchObject({ known: true, answers: null, forCommand: null, context: null, closes: false });
    expect(explained.summary).toBe(explained.meaning);
    expect(explainReply({ code: 250 }, { lastCommand: 'NOSUCH x' }).forCommand).toBeNull();
  });

  it('explains the greeting, the message and the end', () => {
    expect(explainReply({ code: 220 }, { lastCommand: { kind: 'greeting' } }).summary).toContain('HELO crepes.fr');
    expect(explainReply({ code: 554 }, { lastCommand: { kind: 'greeting' } }).forCommand).toContain('No SMTP service');
    expect(explainReply({ code: 250 }, { lastCommand: { kind: 'message' } }).forCommand).toContain(
      'Message accepted for delivery',
    );
    expect(explainReply({ code: 354 }, { lastCommand: 'DATA' }).forCommand).toContain('dot-stuffing');
    expect(explainReply({ code: 221 }, { lastCommand: 'QUIT' })).toMatchObject({ closes: true });
  });

  it('decodes a 334 challenge', () => {
    const explained = explainReply(reply('334 VXNlcm5hbWU6\r\n'), { lastCommand: 'AUTH LOGIN' });
    expect(explained.challenge).toEqual({ base64: 'VXNlcm5hbWU6', decoded: 'Username:' });
    expect(explained.summary).toContain('“Username:”');
    expect(explained.enhanced).toBeNull();
    expect(explainReply({ code: 334, text: 'not base64!' }).challenge).toEqual({
      base64: 'not base64!',
      decoded: null,
    });
    expect(explainReply({ code: 334, text: '' }).challenge).toEqual({ base64: '', decoded: '' });
  });

  it('still says something for unknown codes and for lines without a code', () => {
    const unknown = explainReply({ code: 599 });
    expect(unknown.known).toBe(false);
    expect(unknown.meaning).toContain('5xx');
    const none = explainReply({ code: null, text: 'HELO CREPES.FR' });
    expect(none.title).toBe('Not an SMTP reply');
    expect(none.meaning).toContain('check the port');
    expect(none.enhanced).toBeNull();
  });
});

describe('enhanced status codes', () => {
  it('parses class.subject.detail at the start of the text, and nothing else', () => {
    expect(parseEnhancedStatus('5.1.1 <bob@hamburger.edu>: User unknown')).toEqual({
      code: '5.1.1',
      statusClass: 5,
      subject: 1,
      detail: 1,
    });
    expect(parseEnhancedStatus('2.0.0')).toMatchObject({ code: '2.0.0' });
    expect(parseEnhancedStatus('4.7.123 later')).toMatchObject({ detail: 123 });
    expect(parseEnhancedStatus('1.2.3 no such class')).toBeNull();
    expect(parseEnhancedStatus('5.1.1.4 an address')).toBeNull();
    expect(parseEnhancedStatus('5.1.1234 too long')).toBeNull();
    expect(parseEnhancedStatus('Sender 5.1.1 ok')).toBeNull();
  });

  it('explains class, subject and detail, with plain words for the common ones', () => {
    const unknownUser = explainEnhancedStatus(
      parseEnhancedStatus('5.1.1') as NonNullable<ReturnType<typeof parseEnhancedStatus>>,
      550,
    );
    expect(unknownUser).toMatchObject({
      classTitle: 'Permanent failure',
      subjectTitle: 'Addressing',
      detailTitle: 'Bad destination mailbox address',
      classMismatch: false,
    });
    expect(unknownUser.meaning).toContain('the mailbox does not exist here');
    const odd = explainReply({ code: 250, text: '5.7.8 hmm' }).enhanced;
    expect(odd?.classMismatch).toBe(true);
    expect(odd?.meaning).toContain('should agree');
    const unregistered = explainReply({ code: 550, text: '5.9.42 ???' }).enhanced;
    expect(unregistered).toMatchObject({ detailTitle: null, subjectTitle: 'Subject 9 (not in the registry)' });
  });
});

describe('commands', () => {
  it('splits a command line into its word and argument, case-insensitively', () => {
    expect(parseCommandLine('mail FROM:<alice@crepes.fr>\r\n')).toEqual({
      word: 'MAIL',
      verb: 'MAIL',
      argument: 'FROM:<alice@crepes.fr>',
    });
    expect(parseCommandLine('QUIT')).toEqual({ word: 'QUIT', verb: 'QUIT', argument: '' });
    expect(parseCommandLine('Do you like ketchup?')).toMatchObject({ word: 'DO', verb: null });
    expect(parseCommandLine('')).toEqual({ word: '', verb: null, argument: '' });
    expect(pathAddress('FROM:<alice@crepes.fr> SIZE=10')).toBe('alice@crepes.fr');
    expect(pathAddress('TO: <bob@hamburger.edu>')).toBe('bob@hamburger.edu');
    expect(pathAddress('FROM:<>')).toBe('');
    expect(pathAddress('FROM:alice@crepes.fr')).toBeNull();
  });
});

describe('base64', () => {
  it('matches Node for any bytes, and decodes back', () => {
    const random = seededRandom(64);
    for (let round = 0; round < 300; round++) {
      const input = randomBytes(random, 40);
      const encoded = encodeBase64(input);
      expect(encoded).toBe(Buffer.from(input).toString('base64'));
      expect(decodeBase64(encoded)).toEqual(input);
    }
  });

  it('refuses what is not base64 rather than guessing', () => {
    for (const bad of ['abc', 'ab=c', 'a===', '$$$$', 'AGFsaWNl AHNlY3JldA==', 'é123'])
      expect(decodeBase64(bad)).toBeNull();
    expect(decodeBase64(' AA== ')).toEqual(Uint8Array.of(0));
    expect(decodeBase64('')).toEqual(new Uint8Array(0));
  });
});
