import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../../../../shared/bytes';
import { createReplyParser, parseReplies, type SmtpReply } from '../../../../../shared/smtp';

const bytes = (text: string) => new TextEncoder().encode(text);

function parseInChunks(input: Uint8Array, cuts: readonly number[], options = {}): SmtpReply[] {
  const parser = createReplyParser(options);
  const out: SmtpReply[] = [];
  let start = 0;
  for (const cut of [...cuts, input.length]) {
    out.push(...parser.push(input.slice(start, cut)));
    start = cut;
  }
  out.push(...parser.end());
  return out;
}

/** A comparable form (typed arrays as plain arrays): comparing strings keeps the every-split loops fast. */
function key(replies: readonly SmtpReply[]): string {
  return JSON.stringify(replies, (_, value) => (value instanceof Uint8Array ? Array.from(value) : value));
}

/** Replies as fixtures: every kind of line a server can send, good and bad. */
const fixtures: Record<string, string> = {
  textbook:
    '220 hamburger.edu\r\n250 Hello crepes.fr, pleased to meet you\r\n250 alice@crepes.fr ... Sender ok\r\n' +
    '250 bob@hamburger.edu ... Recipient ok\r\n354 Enter mail, end with "." on a line by itself\r\n' +
    '250 Message accepted for delivery\r\n221 hamburger.edu closing connection\r\n',
  ehlo: '250-hamburger.edu Hello crepes.fr\r\n250-SIZE 10240000\r\n250-8BITMIME\r\n250-PIPELINING\r\n250 AUTH PLAIN LOGIN\r\n',
  'empty last lines': '250-hamburger.edu\r\n250-8BITMIME\r\n250 \r\n250-x\r\n250\r\n250-\r\n250-\r\n250 ok\r\n',
  'bare LF and bare CR': '250-one\n250-t\rwo\r\n250 three\n220 x\r\r\n',
  'inconsistent codes': '250-first\r\n251-second\r\n250 third\r\n',
  malformed: 'hello there\r\n\r\n25\r\n250x junk\r\n199 low\r\n561 second digit\r\n',
  'non-ASCII': '250 café\r\n550 \xff\r\n',
  'long line': `250-${'a'.repeat(600)}\r\n250 ok\r\n`,
  'unterminated at the end': '250-first\r\n250 second, no CRLF',
  'multi-line cut off': '250-first\r\n250-second\r\n',
};

function fixtureBytes(text: string): Uint8Array {
  // \xff in the fixtures stands for the raw byte, not U+00FF.
  const out: number[] = [];
  for (const part of text.split(/(\xff)/)) {
    if (part === '\xff') out.push(0xff);
    else out.push(...bytes(part));
  }
  return Uint8Array.from(out);
}

describe('createReplyParser', () => {
  it('reads the textbook replies one by one, with codes, text and exact raw bytes', () => {
    const input = fixtureBytes(fixtures.textbook as string);
    const replies = parseReplies(input);
    expect(replies.map((reply) => reply.code)).toEqual([220, 250, 250, 250, 354, 250, 221]);
    expect(replies[0]?.text).toBe('hamburger.edu');
    expect(replies[4]?.text).toBe('Enter mail, end with "." on a line by itself');
    expect(replies.every((reply) => reply.complete && reply.diagnostics.length === 0)).toBe(true);
    const first = replies[0] as SmtpReply;
    expect(first.raw).toEqual(bytes('220 hamburger.edu\r\n'));
    expect(first.start).toBe(0);
    expect(replies[1]?.start).toBe(first.length);
    expect(replies.reduce((sum, reply) => sum + reply.length, 0)).toBe(input.length);
  });

  it('joins a multi-line reply, including last lines with no text (`250 ` and `250`)', () => {
    const replies = parseReplies(bytes(fixtures['empty last lines'] as string));
    expect(replies).toHaveLength(3);
    const [a, b, c] = replies as [SmtpReply, SmtpReply, SmtpReply];
    expect(a.lines.map((line) => [line.code, line.separator, line.text])).toEqual([
      [250, '-', 'hamburger.edu'],
      [250, '-', '8BITMIME'],
      [250, ' ', ''],
    ]);
    expect(b.lines.map((line) => [line.separator, line.text])).toEqual([
      ['-', 'x'],
      ['', ''],
    ]);
    expect(c.lines.map((line) => line.text)).toEqual(['', '', 'ok']);
    expect(c.text).toBe('\n\nok');
    expect(replies.every((reply) => reply.diagnostics.length === 0)).toBe(true);
  });

  it('accepts a bare LF as a line end and says so; flags a CR inside a line', () => {
    const [reply, next] = parseReplies(bytes(fixtures['bare LF and bare CR'] as string)) as [SmtpReply, SmtpReply];
    expect(reply.lines.map((line) => line.terminator)).toEqual(['lf', 'crlf', 'lf']);
    expect(reply.lines[1]?.text).toBe('t\rwo');
    const bareLf = reply.diagnostics.find((d) => d.kind === 'bare-lf');
    expect(bareLf).toMatchObject({ line: 0, offset: 7, count: 2, severity: 'warning' });
    expect(reply.diagnostics.find((d) => d.kind === 'bare-cr')).toMatchObject({ line: 1, offset: 13, count: 1 });
    // `220 x\r\r\n`: the first CR is bare, the second belongs to CRLF.
    expect(next.lines[0]).toMatchObject({ text: 'x\r', terminator: 'crlf' });
    expect(next.diagnostics.map((d) => [d.kind, d.offset])).toEqual([['bare-cr', 5]]);
  });

  it('flags lines whose code differs from the first line, and keeps the first code', () => {
    const [reply] = parseReplies(bytes(fixtures['inconsistent codes'] as string));
    expect(reply?.code).toBe(250);
    expect(reply?.lines).toHaveLength(3);
    expect(reply?.diagnostics).toEqual([
      expect.objectContaining({ kind: 'inconsistent-code', line: 1, offset: 11, count: 1, severity: 'error' }),
    ]);
    expect(reply?.diagnostics[0]?.message).toContain('251');
  });

  it('ends a reply at a line without a code, so that a server speaking something else is shown, not waited on', () => {
    const replies = parseReplies(bytes(fixtures.malformed as string));
    expect(replies.map((reply) => [reply.code, reply.text])).toEqual([
      [null, 'hello there'],
      [null, ''],
      [null, '25'],
      [250, 'x junk'],
      [199, 'low'],
      [561, 'second digit'],
    ]);
    expect(replies.map((reply) => reply.diagnostics.map((d) => d.kind))).toEqual([
      ['malformed-code'],
      ['malformed-code'],
      ['malformed-code'],
      ['missing-separator'],
      ['malformed-code'],
      ['malformed-code'],
    ]);
    expect(replies[3]?.lines[0]?.separator).toBeNull();
    expect(replies[3]?.diagnostics[0]?.offset).toBe(3);
  });

  it('flags bytes above 127 and decodes the text as UTF-8', () => {
    const [cafe, invalid] = parseReplies(fixtureBytes(fixtures['non-ASCII'] as string));
    expect(cafe?.text).toBe('café');
    expect(cafe?.diagnostics).toEqual([expect.objectContaining({ kind: 'non-ascii', offset: 7, count: 2 })]);
    expect(invalid?.text).toBe('\uFFFD');
    expect(invalid?.raw).toEqual(Uint8Array.of(0x35, 0x35, 0x30, 0x20, 0xff, 0x0d, 0x0a));
  });

  it('flags a line over 512 octets, CRLF included, and only then', () => {
    const [long] = parseReplies(bytes(fixtures['long line'] as string));
    expect(long?.diagnostics).toEqual([expect.objectContaining({ kind: 'line-too-long', line: 0, offset: 0 })]);
    expect(long?.diagnostics[0]?.message).toContain('606 bytes');
    const exactly512 = `250 ${'a'.repeat(512 - 6)}\r\n`;
    expect(parseReplies(bytes(exactly512))[0]?.diagnostics).toEqual([]);
    const octets513 = `250 ${'a'.repeat(512 - 5)}\r\n`;
    expect(parseReplies(bytes(octets513))[0]?.diagnostics[0]?.kind).toBe('line-too-long');
  });

  it('returns the unfinished reply at end(), marked incomplete', () => {
    const [reply] = parseReplies(bytes(fixtures['unterminated at the end'] as string));
    expect(reply).toMatchObject({ code: 250, complete: false, text: 'first\nsecond, no CRLF' });
    expect(reply?.lines[1]?.terminator).toBe('none');
    expect(reply?.diagnostics.map((d) => d.kind)).toEqual(['unterminated']);

    const parser = createReplyParser();
    expect(parser.push(bytes(fixtures['multi-line cut off'] as string))).toEqual([]);
    expect(parser.inMultilineReply).toBe(true);
    expect(parser.pendingBytes).toBe(23);
    const [cut] = parser.end();
    expect(cut).toMatchObject({ code: 250, complete: false, text: 'first\nsecond' });
    expect(parser.end()).toEqual([]);
    expect(parser.pendingBytes).toBe(0);
  });

  it('gives the same replies whatever the chunking: every split position, and byte by byte', () => {
    for (const [name, text] of Object.entries(fixtures)) {
      const input = fixtureBytes(text);
      const whole = key(parseInChunks(input, []));
      for (let cut = 0; cut <= input.length; cut++) {
        expect(key(parseInChunks(input, [cut])), `${name}, split at ${cut}`).toBe(whole);
      }
      const everyByte = Array.from({ length: input.length }, (_, i) => i);
      expect(key(parseInChunks(input, everyByte)), `${name}, byte by byte`).toBe(whole);
    }
  });

  it('gives the same replies for every pair of split positions in a short conversation', () => {
    const input = bytes('250-a\r\n250 \n5x\r\r\n221');
    const whole = key(parseInChunks(input, []));
    for (let a = 0; a <= input.length; a++) {
      for (let b = a; b <= input.length; b++) expect(key(parseInChunks(input, [a, b]))).toBe(whole);
    }
  });

  it('gives the same replies for random streams cut at random places, also at tiny keep limits', () => {
    const piece = fc.oneof(
      fc.constantFrom('250', '-', ' ', 'ok', '\r\n', '\n', '\r', '5', '\u00e9', '354 go\r\n', '421-').map(bytes),
      fc.uint8Array({ maxLength: 6 }),
    );
    const stream = fc.array(piece, { maxLength: 40 }).map((parts) => concatBytes(parts));
    const options = { maxLineBytes: 8, maxReplyBytes: 24 };
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 6 }), (input, raw) => {
        const cuts = raw.map((n) => n % (input.length + 1)).sort((a, b) => a - b);
        expect(key(parseInChunks(input, cuts, options))).toBe(key(parseInChunks(input, [], options)));
        expect(key(parseInChunks(input, cuts))).toBe(key(parseInChunks(input, [])));
      }),
      { numRuns: 500, seed: 5 },
    );
  });

  it('bounds what it keeps: long lines are cut for display, long replies stop keeping lines, counts stay exact', () => {
    const options = { maxLineBytes: 16, maxReplyBytes: 40 };
    const line = `250-${'x'.repeat(100)}\r\n`;
    const input = bytes(`${line.repeat(5)}250 end\r\n`);
    const whole = parseInChunks(input, [], options);
    expect(whole).toHaveLength(1);
    const reply = whole[0] as SmtpReply;
    expect(reply.length).toBe(input.length);
    expect(reply.lines.length + reply.droppedLines).toBe(6);
    expect(reply.lines[0]).toMatchObject({ text: 'x'.repeat(12), droppedBytes: 88, length: 106 });
    expect(reply.lines[0]?.raw).toEqual(bytes(`250-${'x'.repeat(12)}\r\n`));
    expect(reply.raw.length).toBeLessThanOrEqual(40 + 16 + 2);
    expect(reply.diagnostics.find((d) => d.kind === 'truncated')).toBeDefined();
    // The lines not kept still end the reply where they should.
    expect(reply.complete).toBe(true);
    for (let cut = 0; cut <= input.length; cut++) expect(key(parseInChunks(input, [cut], options))).toBe(key(whole));

    // A line that never ends does not grow the parser's memory past its limits.
    const parser = createReplyParser(options);
    for (let i = 0; i < 1000; i++) parser.push(bytes('y'.repeat(1000)));
    expect(parser.pendingBytes).toBe(1_000_000);
    const [endless] = parser.end();
    expect(endless?.raw.length).toBe(16);
    expect(endless?.length).toBe(1_000_000);
  });

  it('never keeps a view of the pushed chunk', () => {
    const chunk = bytes('250 ok\r\n');
    const parser = createReplyParser();
    const [reply] = parser.push(chunk);
    chunk.fill(0x41);
    expect(reply?.raw).toEqual(bytes('250 ok\r\n'));
    expect(reply?.lines[0]?.raw).toEqual(bytes('250 ok\r\n'));
  });
});
