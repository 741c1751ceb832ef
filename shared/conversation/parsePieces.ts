import { parseEscapes } from '../bytes/escapes';
import { parseHex } from '../bytes/hex';
import { decodeValidUtf8 } from '../bytes/utf8';
import { decodeBase64 } from '../smtp/base64';
import { type LineCursor, LineProblem, parseDuration } from './lineCursor';
import type { Capture, Check, CheckSpec, Matcher, Payload } from './model';
import { splitTemplate, variableName } from './templates';

/** `"text with \r\n escapes and {{vars}}"`, `hex 0d0a`, `base64 DQo=` or `file path`. */
export function parsePayload(cursor: LineCursor, what: string): Payload {
  const first = cursor.peekChar();
  const at = cursor.place();
  if (first === '"') {
    const start = cursor.position;
    const source = cursor.quoted(what);
    checkEscapes(cursor, source, start + 1);
    return { kind: 'text', source, at };
  }
  const word = cursor.word();
  if (word === 'hex') {
    const digitsAt = cursor.place();
    const digits = cursor.expectWord('hex digits, e.g. hex 0d0a');
    const parsed = /^(?:[0-9a-fA-F]{2})+$/.test(digits) ? parseHex(digits) : undefined;
    if (!parsed?.ok)
      throw new LineProblem(digitsAt, `expected pairs of hex digits without spaces, found ${JSON.stringify(digits)}`);
    return { kind: 'hex', bytes: parsed.bytes, at };
  }
  if (word === 'base64') {
    const textAt = cursor.place();
    const text = cursor.expectWord('base64 text, e.g. base64 SGVsbG8=');
    const bytes = decodeBase64(text);
    if (!bytes)
      throw new LineProblem(textAt, `expected base64 (A–Z a–z 0–9 + /, padded with =), found ${JSON.stringify(text)}`);
    return { kind: 'base64', bytes, at };
  }
  if (word === 'file') {
    const path = cursor.peekChar() === '"' ? cursor.quoted('a file path') : cursor.expectWord('a file path');
    if (path === '') throw new LineProblem(at, 'expected a file path, found ""');
    return { kind: 'file', path, at };
  }
  throw new LineProblem(
    at,
    `expected ${what}: "text" in double quotes, hex …, base64 … or file …, found ${word === undefined ? 'the end of the line' : JSON.stringify(word)}`,
  );
}

function checkEscapes(cursor: LineCursor, source: string, sourceIndex: number): void {
  for (const piece of splitTemplate(source)) {
    if (piece.variable) continue;
    const parsed = parseEscapes(piece.text);
    if (!parsed.ok) {
      const index = sourceIndex + piece.offset + parsed.error.index;
      const problem = parsed.error.message.replace(/ \(at (line \d+, )?column \d+\)$/, '');
      throw new LineProblem(cursor.place(index), `expected text with valid escapes: ${problem}`);
    }
  }
  if (/\{\{(?!\s*[A-Za-z_][A-Za-z0-9_-]*\s*\}\})/.test(source)) {
    const index = sourceIndex + source.search(/\{\{(?!\s*[A-Za-z_][A-Za-z0-9_-]*\s*\}\})/);
    throw new LineProblem(
      cursor.place(index),
      'expected {{name}} (a variable) after {{: write \\x7b{ for two literal braces',
    );
  }
}

/** A quoted label (a title, a check's name): escapes allowed, must be valid UTF-8. */
export function parseLabel(cursor: LineCursor, what: string): string {
  const start = cursor.position;
  const source = cursor.quoted(what);
  const parsed = parseEscapes(source);
  if (!parsed.ok)
    throw new LineProblem(cursor.place(start + 1 + parsed.error.index), `expected ${what}: ${parsed.error.message}`);
  return decodeValidUtf8(parsed.bytes);
}

function parseMatcher(cursor: LineCursor, op: string | undefined): Matcher {
  if (op === 'exact' || op === 'contains') {
    const value = [parsePayload(cursor, `the bytes to compare with`)];
    return { op, value };
  }
  if (op === 'regex') return { op, ...cursor.regex() };
  throw cursor.found('expected exact, contains or regex');
}

const codePattern = /^[1-5][0-9x][0-9x]$/;

const checkWords =
  'exact, contains, regex, body, header, status, status-line, code, no-reply, closed, within or complete';

/** After `expect`: the check, then its modifiers `name "…"`, `points N`, `if VARIABLE`. */
export function parseCheck(cursor: LineCursor): Check {
  const at = cursor.place();
  const start = cursor.position;
  const spec = parseCheckSpec(cursor);
  const text = cursor.text.slice(start, cursor.position).trim();
  const check: Check = { spec, name: text, named: false, at, text };
  for (;;) {
    const word = cursor.peekWord();
    if (word === undefined || cursor.atEnd()) break;
    if (word === 'name') {
      cursor.word();
      check.name = parseLabel(cursor, "the check's name");
      check.named = true;
    } else if (word === 'points') {
      cursor.word();
      const pointsAt = cursor.place();
      const value = cursor.expectWord('a number of points');
      const points = Number(value);
      if (!/^\d+(\.\d+)?$/.test(value) || points > 1_000_000) {
        throw new LineProblem(pointsAt, `expected a number of points like 1 or 2.5, found ${JSON.stringify(value)}`);
      }
      check.points = points;
    } else if (word === 'if') {
      cursor.word();
      const nameAt = cursor.place();
      const name = cursor.expectWord('a variable name');
      if (!variableName.test(name))
        throw new LineProblem(nameAt, `expected a variable name, found ${JSON.stringify(name)}`);
      check.onlyIf = name;
    } else {
      throw cursor.found('expected name "…", points N, if VARIABLE or the end of the line');
    }
  }
  return check;
}

function parseCheckSpec(cursor: LineCursor): CheckSpec {
  const at = cursor.place();
  const word = cursor.word();
  switch (word) {
    case 'exact':
    case 'contains':
    case 'regex':
      return { kind: 'reply', matcher: parseMatcher(cursor, word) };
    case 'body':
      return { kind: 'body', matcher: parseMatcher(cursor, cursor.word()) };
    case 'status-line':
      return { kind: 'statusLine', matcher: parseMatcher(cursor, cursor.word()) };
    case 'header': {
      const header = cursor.expectWord('a header name');
      if (!/^[!#-'*+.0-9A-Z^-z|~-]+:?$/.test(header) && !/\{\{/.test(header)) {
        throw new LineProblem(at, `expected a header name like Content-Type, found ${JSON.stringify(header)}`);
      }
      const next = cursor.peekWord();
      const name = header.replace(/:$/, '');
      if (next === 'exact' || next === 'contains' || next === 'regex') {
        return { kind: 'header', header: name, matcher: parseMatcher(cursor, cursor.word()) };
      }
      return { kind: 'header', header: name };
    }
    case 'status':
    case 'code': {
      const patternAt = cursor.place();
      const pattern = cursor.expectWord(
        word === 'status' ? 'a status like 200 or 3xx' : 'a reply code like 250 or 2xx',
      );
      if (!codePattern.test(pattern)) {
        throw new LineProblem(
          patternAt,
          `expected three digits (x for any digit) like 250 or 2xx, found ${JSON.stringify(pattern)}`,
        );
      }
      return word === 'status' ? { kind: 'status', pattern } : { kind: 'code', pattern };
    }
    case 'no-reply': {
      const next = cursor.peekWord();
      if (next === undefined || cursor.atEnd() || next === 'name' || next === 'points' || next === 'if') {
        return { kind: 'noReply' };
      }
      if (next === 'within') cursor.word();
      return { kind: 'noReply', withinMs: parseDuration(cursor) };
    }
    case 'closed':
      return { kind: 'closed' };
    case 'complete':
      return { kind: 'complete' };
    case 'within':
      return { kind: 'within', ms: parseDuration(cursor) };
    default:
      throw new LineProblem(
        at,
        `expected a check (${checkWords}), found ${word === undefined ? 'the end of the line' : JSON.stringify(word)}`,
      );
  }
}

/** After `capture`: `NAME header H`, `NAME regex /…/` or `NAME body regex /…/`. */
export function parseCapture(cursor: LineCursor): Capture {
  const at = cursor.place();
  const name = cursor.expectWord('a variable name to capture into');
  if (!variableName.test(name))
    throw new LineProblem(at, `expected a variable name (letters, digits, _ and -), found ${JSON.stringify(name)}`);
  const from = cursor.word();
  if (from === 'header')
    return { name, source: { from: 'header', header: cursor.expectWord('a header name').replace(/:$/, '') }, at };
  if (from === 'regex') return { name, source: { from: 'reply', ...cursor.regex() }, at };
  if (from === 'body') {
    if (cursor.word() !== 'regex') throw cursor.found('expected regex /…/ after capture NAME body');
    return { name, source: { from: 'body', ...cursor.regex() }, at };
  }
  throw new LineProblem(at, `expected header NAME, regex /…/ or body regex /…/ after the variable name`);
}
