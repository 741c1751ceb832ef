import { describe, expect, it } from 'vitest';
import { applyLineEnding, composeMessage, lineEndingBytes, normaliseLineEndings } from '../../../../shared/bytes';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('applyLineEnding', () => {
  it('appends the chosen terminator to text or bytes', () => {
    expect([...applyLineEnding('hi', 'none')]).toEqual([0x68, 0x69]);
    expect([...applyLineEnding('hi', 'lf')]).toEqual([0x68, 0x69, 0x0a]);
    expect([...applyLineEnding(utf8('hi'), 'crlf')]).toEqual([0x68, 0x69, 0x0d, 0x0a]);
    expect([...applyLineEnding('ß', 'lf')]).toEqual([0xc3, 0x9f, 0x0a]);
    expect([...applyLineEnding(new Uint8Array(0), 'crlf')]).toEqual([0x0d, 0x0a]);
  });

  it('always appends, even after an existing terminator, and never aliases its input', () => {
    expect([...applyLineEnding('hi\n', 'lf')]).toEqual([0x68, 0x69, 0x0a, 0x0a]);
    const input = utf8('x');
    const out = applyLineEnding(input, 'none');
    out[0] = 0;
    expect(input[0]).toBe(0x78);
    expect([...lineEndingBytes('crlf')]).toEqual([0x0d, 0x0a]);
  });
});

describe('normaliseLineEndings', () => {
  it('rewrites CRLF, lone LF and lone CR in text', () => {
    expect(normaliseLineEndings('a\nb\r\nc\rd\n\re', 'crlf')).toBe('a\r\nb\r\nc\r\nd\r\n\r\ne');
    expect(normaliseLineEndings('a\nb\r\nc\rd', 'lf')).toBe('a\nb\nc\nd');
  });

  it('does the same on bytes and leaves other bytes alone', () => {
    const bytes = Uint8Array.of(0x61, 0x0a, 0x62, 0x0d, 0x0a, 0x63, 0x0d, 0xff, 0x0d);
    expect([...normaliseLineEndings(bytes, 'crlf')]).toEqual([
      0x61, 0x0d, 0x0a, 0x62, 0x0d, 0x0a, 0x63, 0x0d, 0x0a, 0xff, 0x0d, 0x0a,
    ]);
    expect([...normaliseLineEndings(bytes, 'lf')]).toEqual([0x61, 0x0a, 0x62, 0x0a, 0x63, 0x0a, 0xff, 0x0a]);
  });
});

describe('composeMessage', () => {
  it('encodes text, escapes or hex, then adds the line ending', () => {
    expect(composeMessage('héllo', { mode: 'text', lineEnding: 'lf' })).toEqual({
      ok: true,
      bytes: Uint8Array.of(...utf8('héllo\n')),
    });
    expect(composeMessage('a\\tb\\xff', { mode: 'escapes', lineEnding: 'crlf' })).toEqual({
      ok: true,
      bytes: Uint8Array.of(0x61, 0x09, 0x62, 0xff, 0x0d, 0x0a),
    });
    expect(composeMessage('68 69', { mode: 'hex', lineEnding: 'none' })).toEqual({
      ok: true,
      bytes: Uint8Array.of(0x68, 0x69),
    });
  });

  it('keeps backslashes literal in text mode and passes parse errors through', () => {
    expect(composeMessage('\\q', { mode: 'text', lineEnding: 'none' })).toEqual({ ok: true, bytes: utf8('\\q') });
    const result = composeMessage('ok \\q', { mode: 'escapes', lineEnding: 'lf' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatchObject({ index: 3, length: 2 });
    expect(composeMessage('4', { mode: 'hex', lineEnding: 'lf' }).ok).toBe(false);
  });
});
