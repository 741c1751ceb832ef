import { describe, expect, it } from 'vitest';
import { lintMessage, lintMessageStep, type MessageIssue } from '../../../../../shared/smtp';

const brief = (issues: readonly MessageIssue[]) =>
  issues.map((issue) => [issue.kind, issue.severity, issue.offset, issue.length, issue.line, issue.column]);

describe('lintMessage', () => {
  it('finds nothing wrong with a proper message', () => {
    const message = 'From: alice@crepes.fr\r\nSubject: Lunch\r\n  folded\r\n\r\nDo you like ketchup?\r\n';
    expect(lintMessage(message)).toEqual({ issues: [], omitted: {}, lines: 5, bodyStartLine: 5 });
  });

  it('notes that the textbook message has no headers, and nothing else', () => {
    const result = lintMessage('Do you like ketchup?\r\nHow about pickles?');
    expect(brief(result.issues)).toEqual([['no-headers', 'info', 0, 20, 1, 1]]);
    expect(result.issues[0]?.message).toContain('“Do you like ketchup?” is not a header');
    expect(result.bodyStartLine).toBe(1);
    expect(lintMessage('\r\nbody only').issues).toEqual([]);
    expect(lintMessage('').issues).toEqual([]);
  });

  it('points at bare LFs and bare CRs', () => {
    const result = lintMessage('Subject: x\n\r\nhe\rllo\r');
    expect(brief(result.issues)).toEqual([
      ['bare-lf', 'warning', 10, 1, 1, 11],
      ['bare-cr', 'warning', 15, 1, 3, 3],
      ['bare-cr', 'warning', 19, 1, 3, 7],
    ]);
  });

  it('flags a lone "." inside the body by how dot-stuffing will treat it', () => {
    const message = 'Subject: x\r\n\r\nbefore\r\n.\r\nafter\r\n.\r\n';
    expect(brief(lintMessage(message).issues)).toEqual([
      ['lone-dot', 'info', 22, 1, 4, 1],
      ['lone-dot', 'warning', 32, 1, 6, 1],
    ]);
    expect(lintMessage(message).issues[1]?.message).toContain('adds the final “.” line itself');
    const unstuffed = lintMessage(`${message}.x\r\n`, { dotStuffing: false });
    expect(brief(unstuffed.issues)).toEqual([
      ['lone-dot', 'error', 22, 1, 4, 1],
      ['lone-dot', 'error', 32, 1, 6, 1],
      ['leading-dot', 'warning', 35, 1, 7, 1],
    ]);
  });

  it('flags lines over 1,000 octets with their CRLF, from the first octet too many', () => {
    const ok = `Subject: x\r\n\r\n${'a'.repeat(998)}\r\n`;
    expect(lintMessage(ok).issues).toEqual([]);
    const long = `Subject: x\r\n\r\n${'a'.repeat(1000)}\r\n`;
    const [issue] = lintMessage(long).issues;
    expect(issue).toMatchObject({ kind: 'line-too-long', severity: 'error', offset: 14 + 998, length: 2, line: 3 });
    expect(issue?.message).toContain('1,002 octets');
  });

  it('flags 8-bit text unless the server offered 8BITMIME, once per line, with UTF-16 positions for the editor', () => {
    const message = 'Subject: 😀 café\r\n\r\nmañana é\r\n';
    const result = lintMessage(message);
    expect(brief(result.issues)).toEqual([
      ['eight-bit', 'warning', 9, 4, 1, 10],
      ['eight-bit', 'warning', 25, 2, 3, 3],
    ]);
    const [emoji, enye] = result.issues;
    expect(message.slice(emoji?.index, (emoji?.index ?? 0) + (emoji?.indexLength ?? 0))).toBe('😀');
    expect(message.slice(enye?.index, (enye?.index ?? 0) + (enye?.indexLength ?? 0))).toBe('ñ');
    expect(lintMessage(message, { eightBitMime: true }).issues).toEqual([]);
  });

  it('tells a missing blank line from a header without a colon', () => {
    const missing = lintMessage('From: alice@crepes.fr\r\nSubject: Lunch\r\nDo you like ketchup?\r\nSee: you\r\n');
    expect(brief(missing.issues)).toEqual([['missing-blank-line', 'warning', 39, 20, 3, 1]]);
    expect(missing.bodyStartLine).toBe(3);
    const broken = lintMessage('From: alice@crepes.fr\r\nSubject Lunch\r\nTo: bob@hamburger.edu\r\n\r\nhi\r\n');
    expect(brief(broken.issues)).toEqual([['header-without-colon', 'error', 23, 13, 2, 1]]);
    expect(broken.issues[0]?.message).toContain('“Subject Lunch”');
    expect(broken.bodyStartLine).toBe(5);
    // A lone word followed by more headers is a header too; prose followed by "Name: value" is the body.
    const word = lintMessage('From: a@b.c\r\nX-Trace\r\nTo: d@e.f\r\n');
    expect(brief(word.issues)).toEqual([['header-without-colon', 'error', 13, 7, 2, 1]]);
    expect(word.bodyStartLine).toBeNull();
    expect(lintMessage('Subject : obsolete but fine\r\n\r\nx').issues).toEqual([]);
  });

  it('lists at most maxIssuesPerKind of each kind and counts the rest', () => {
    const result = lintMessage('\n'.repeat(30), { maxIssuesPerKind: 5 });
    expect(result.issues).toHaveLength(5);
    expect(result.omitted).toEqual({ 'bare-lf': 25 });
    expect(result.lines).toBe(30);
  });

  it('lints the text as typed when its line breaks will be sent as CRLF, with positions in the typed text', () => {
    const typed = `Subject: x\n\rbody\r\n.\n${'y'.repeat(998)}`;
    const result = lintMessage(typed, { lineBreaksSentAsCrlf: true });
    expect(brief(result.issues)).toEqual([['lone-dot', 'info', 18, 1, 4, 1]]);
    expect(typed[result.issues[0]?.index ?? -1]).toBe('.');
    expect(result).toMatchObject({ lines: 5, bodyStartLine: 3 });
    expect(brief(lintMessage(`${typed}y`, { lineBreaksSentAsCrlf: true }).issues)[1]).toEqual([
      'line-too-long',
      'error',
      20 + 998,
      1,
      5,
      999,
    ]);
    // Ten thousand lines without a CR split quickly (the CR search is not repeated per line).
    expect(lintMessage('a\n'.repeat(10_000), { lineBreaksSentAsCrlf: true }).lines).toBe(10_000);
  });

  it('lints a message step the way it will be sent', () => {
    const text = 'Subject: café\n\n.\nend';
    expect(brief(lintMessageStep({ text }).issues)).toEqual([
      ['eight-bit', 'warning', 12, 2, 1, 13],
      ['lone-dot', 'info', 16, 1, 3, 1],
    ]);
    expect(
      brief(lintMessageStep({ text, keepLineEndings: true, dotStuffing: false }, { eightBitMime: true }).issues),
    ).toEqual([
      ['bare-lf', 'warning', 14, 1, 1, 14],
      ['bare-lf', 'warning', 15, 1, 2, 1],
      ['lone-dot', 'error', 16, 1, 3, 1],
      ['bare-lf', 'warning', 17, 1, 3, 2],
    ]);
  });

  it('reads bytes as well as text', () => {
    const result = lintMessage(Uint8Array.of(0x53, 0x3a, 0x20, 0xff, 0x0a));
    expect(brief(result.issues)).toEqual([
      ['eight-bit', 'warning', 3, 1, 1, 4],
      ['bare-lf', 'warning', 4, 1, 1, 5],
    ]);
  });
});
