import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes, toVisibleString } from '../../../../../shared/bytes';
import { stuffMessage, unstuffData } from '../../../../../shared/smtp';

const bytes = (text: string) => new TextEncoder().encode(text);
const visible = (data: Uint8Array) => toVisibleString(data);

describe('stuffMessage', () => {
  it('sends the textbook message with the final CRLF.CRLF, and says what it added', () => {
    const result = stuffMessage('Do you like ketchup?\r\nHow about pickles?');
    expect(visible(result.bytes)).toBe('Do you like ketchup?␍␊How about pickles?␍␊.␍␊');
    expect(result).toMatchObject({ dotLines: [], stuffed: true, finalCrlfAdded: true, endedWithBareLf: false });
    expect(result.terminatorOffset).toBe(result.bytes.length - 3);
    expect(result.changes).toEqual([
      'The message did not end with CRLF: CRLF was added so that the final “.” is on a line by itself.',
      'A line holding only “.” (CRLF.CRLF) ends the message.',
    ]);
  });

  it('doubles the dot of every line that starts with one, and lists those lines', () => {
    const result = stuffMessage('.start\r\nmid . dot\r\n.\r\n..two\r\n');
    expect(visible(result.bytes)).toBe('..start␍␊mid . dot␍␊..␍␊...two␍␊.␍␊');
    expect(result.dotLines).toEqual([
      { line: 1, offset: 0, lone: false },
      { line: 3, offset: 19, lone: true },
      { line: 4, offset: 22, lone: false },
    ]);
    expect(result.finalCrlfAdded).toBe(false);
    expect(result.changes[0]).toBe(
      'lines 1, 3 and 4 start with “.”: sent with one more “.” so the server cannot take them for the end of the message; the server removes the extra dot.',
    );
  });

  it('stuffs after a bare LF too, and adds CRLF after a final bare LF', () => {
    const result = stuffMessage('a\n.b\n');
    expect(visible(result.bytes)).toBe('a␊..b␊␍␊.␍␊');
    expect(result).toMatchObject({ finalCrlfAdded: true, endedWithBareLf: true });
    expect(result.changes[1]).toContain('bare LF');
  });

  it('sends an empty message as the final dot alone', () => {
    const result = stuffMessage('');
    expect(visible(result.bytes)).toBe('.␍␊');
    expect(result).toMatchObject({ finalCrlfAdded: false, terminatorOffset: 0 });
    expect(result.changes).toEqual(['The message is empty: only the final “.” line is sent.']);
  });

  it('can leave the dots and the end alone on purpose, and says what that will do', () => {
    const result = stuffMessage('a\r\n.\r\n.b', { stuffDots: false, finalDot: false });
    expect(visible(result.bytes)).toBe('a␍␊.␍␊.b');
    expect(result).toMatchObject({ stuffed: false, finalCrlfAdded: false, terminatorOffset: null });
    expect(result.changes).toEqual([
      'Not dot-stuffed: line 2 is only “.”, so the server ends the message at line 2 and reads what follows as commands.',
      'Not dot-stuffed: the server removes the first “.” of line 3, so the message arrives changed.',
      'No final “.” line: the server keeps waiting for the end of the message.',
    ]);
  });

  it('lists many lines briefly', () => {
    const result = stuffMessage('.\r\n'.repeat(12));
    expect(result.changes[0]).toMatch(/^lines 1, 2, 3, 4, 5, 6, 7, 8 and 4 more start with/);
  });

  it('never returns a view of its input', () => {
    const input = bytes('abc');
    const result = stuffMessage(input, { finalDot: false });
    input[0] = 0x7a;
    expect(visible(result.bytes)).toBe('abc');
  });
});

describe('unstuffData', () => {
  it('finds the end, removes the extra dots, and leaves what follows for the next command', () => {
    const data = bytes('..start\r\nbody\r\n..\r\n.\r\nQUIT\r\n');
    const result = unstuffData(data);
    expect(result.complete).toBe(true);
    expect(visible(result.body)).toBe('.start␍␊body␍␊.␍␊');
    expect(result.removedDots).toEqual([0, 15]);
    expect(visible(data.subarray(result.consumed))).toBe('QUIT␍␊');
  });

  it('reads an empty message, and waits when the end has not come', () => {
    expect(unstuffData(bytes('.\r\n'))).toMatchObject({ complete: true, consumed: 3, body: new Uint8Array(0) });
    const partial = unstuffData(bytes('hello\r\n.'));
    expect(partial).toMatchObject({ complete: false, consumed: 8 });
    expect(visible(partial.body)).toBe('hello␍␊');
  });

  it('does not end at a dot line after a bare LF, and says that other servers might', () => {
    const result = unstuffData(bytes('a\n.\r\nb\r\n.\n\r\n.\r\n'));
    expect(result.complete).toBe(true);
    expect(visible(result.body)).toBe('a␊␍␊b␍␊␊␍␊');
    expect(result.diagnostics.map((d) => [d.kind, d.offset])).toEqual([
      ['dot-after-bare-lf', 2],
      ['dot-line-bare-lf', 8],
    ]);
  });

  it('gives back any message: stuff then unstuff is the message (plus the CRLF stuffing said it added)', () => {
    // Dots, CRs and LFs in every order, and any other bytes: where stuffing goes wrong.
    const piece = fc.oneof(
      fc.constantFrom('.', '.', '\r\n', '\n', '\r', 'a', '.\r\n', '\r\n.', '\n.\n', ' ').map(bytes),
      fc.uint8Array({ maxLength: 4 }),
    );
    const message = fc.array(piece, { maxLength: 20 }).map((parts) => concatBytes(parts));
    fc.assert(
      fc.property(message, (body) => {
        const stuffed = stuffMessage(body);
        const back = unstuffData(concatBytes([stuffed.bytes, bytes('QUIT\r\n')]));
        const expected = stuffed.finalCrlfAdded ? concatBytes([body, bytes('\r\n')]) : body;
        expect(back.complete).toBe(true);
        expect(visible(back.body)).toBe(visible(expected));
        expect(back.consumed).toBe(stuffed.bytes.length);
        expect(back.removedDots.length).toBe(stuffed.dotLines.length);
      }),
      { numRuns: 2000, seed: 2821 },
    );
  });

  it('brings lines that start with "." through intact', () => {
    const message = '.\r\n..\r\n.hidden\r\n. \r\n...\r\n';
    expect(new TextDecoder().decode(unstuffData(stuffMessage(message).bytes).body)).toBe(message);
  });
});
