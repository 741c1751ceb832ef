import { encodeUtf8 } from '../../bytes/utf8';
import { isToken } from '../parse/ascii';
import { cookieHeaderValue } from '../cookies';
import type { ResponseHead } from '../parse/events';
import { fieldValue, type HttpField, sameName } from '../parse/fields';
import { parseHttpUrl } from '../url';

/**
 * Helpers that write into the composer's raw text where the user sees it,
 * never at send time. Each returns the new text, the change in the old text's
 * coordinates (a CodeMirror ChangeSpec: from, to, insert; UTF-16 indices) and
 * the range of the new text to highlight.
 */
export interface TextChange {
  from: number;
  to: number;
  insert: string;
}

export type EditResult =
  { ok: true; text: string; change: TextChange; range: { from: number; to: number } } | { ok: false; message: string };

interface TextLine {
  start: number;
  /** End of the content, before the line ending. */
  end: number;
  /** Start of the next line (end + the ending's length). */
  next: number;
  ending: string;
}

interface HeadLayout {
  requestLine: TextLine;
  fields: (TextLine & { name: string })[];
  /** The empty line that ends the head, if written. */
  blank: TextLine | null;
  /** The line ending the user writes with (that of the request line, else CRLF). */
  lineEnding: string;
}

function nextLine(text: string, start: number): TextLine {
  // A lone CR counts as a line break here, as it does in the editor.
  const match = /\r\n|\n|\r/g;
  match.lastIndex = start;
  const found = match.exec(text);
  if (!found) return { start, end: text.length, next: text.length, ending: '' };
  return { start, end: found.index, next: found.index + found[0].length, ending: found[0] };
}

/** The head of the first request in the text: request line, header lines, and the empty line if any. */
function layout(text: string): HeadLayout | null {
  let line = nextLine(text, 0);
  // Empty lines before the request line are not part of it.
  while (line.end === line.start && line.next < text.length) line = nextLine(text, line.next);
  if (line.end === line.start) return null;
  const requestLine = line;
  const fields: HeadLayout['fields'] = [];
  let blank: TextLine | null = null;
  while (line.ending !== '' && line.next < text.length) {
    line = nextLine(text, line.next);
    if (line.end === line.start) {
      if (line.ending !== '') blank = line;
      break;
    }
    const colon = text.indexOf(':', line.start);
    const name = colon === -1 || colon > line.end ? '' : text.slice(line.start, colon).trim();
    fields.push({ ...line, name });
  }
  return { requestLine, fields, blank, lineEnding: requestLine.ending || '\r\n' };
}

function result(text: string, change: TextChange, range?: { from: number; to: number }): EditResult {
  const next = text.slice(0, change.from) + change.insert + text.slice(change.to);
  return {
    ok: true,
    text: next,
    change,
    range: range ?? { from: change.from, to: change.from + change.insert.length },
  };
}

function checkField(name: string, value: string): string | null {
  if (!isToken(name)) return `"${name}" is not a valid header name.`;
  if (/[\r\n\0]/.test(value)) return `The value for ${name} may not contain line breaks or NUL.`;
  return null;
}

export interface SetHeaderOptions {
  /** Where a new header goes: right after the request line (Host's customary place) or after the others (default). */
  placement?: 'after-request-line' | 'end';
}

/**
 * Sets a header: rewrites the value of the first header with that name (its
 * spelling kept), or inserts a new line. Never touches anything else.
 */
export function setHeader(text: string, name: string, value: string, options: SetHeaderOptions = {}): EditResult {
  const problem = checkField(name, value);
  if (problem) return { ok: false, message: problem };
  const head = layout(text);
  if (!head) return { ok: false, message: 'Write the request line first (e.g. "GET / HTTP/1.1").' };
  const existing = head.fields.find((field) => sameName(field.name, name));
  if (existing) {
    const line = `${existing.name}: ${value}`;
    return result(text, { from: existing.start, to: existing.end, insert: line });
  }
  const line = `${name}: ${value}`;
  const after =
    options.placement === 'after-request-line' ? head.requestLine : (head.fields.at(-1) ?? head.requestLine);
  if (after.ending === '') {
    // The last line has no ending yet: end it, then add ours (the linter will ask for the empty line).
    const insert = `${head.lineEnding}${line}`;
    return result(
      text,
      { from: after.end, to: after.end, insert },
      {
        from: after.end + head.lineEnding.length,
        to: after.end + insert.length,
      },
    );
  }
  return result(
    text,
    { from: after.next, to: after.next, insert: `${line}${head.lineEnding}` },
    {
      from: after.next,
      to: after.next + line.length,
    },
  );
}

/** Removes every header line with that name (a no-op change when there is none). */
export function removeHeader(text: string, name: string): EditResult {
  const head = layout(text);
  if (!head) return result(text, { from: 0, to: 0, insert: '' });
  const matching = head.fields.filter((field) => sameName(field.name, name));
  const first = matching[0];
  const last = matching.at(-1);
  if (!first || !last) return result(text, { from: 0, to: 0, insert: '' });
  const kept = head.fields
    .filter((field) => field.start >= first.start && field.start <= last.start && !sameName(field.name, name))
    .map((field) => text.slice(field.start, field.next))
    .join('');
  // A removed last line without an ending leaves the line before it ending the text: fine as it is.
  return result(text, { from: first.start, to: last.next, insert: kept }, { from: first.start, to: first.start });
}

/** Several edits as one change (the smallest span that covers them), for one undo step and one highlight. */
function combine(original: string, edited: string): EditResult {
  let from = 0;
  while (from < original.length && from < edited.length && original[from] === edited[from]) from++;
  let end = 0;
  while (
    end < original.length - from &&
    end < edited.length - from &&
    original[original.length - 1 - end] === edited[edited.length - 1 - end]
  ) {
    end++;
  }
  const insert = edited.slice(from, edited.length - end);
  return {
    ok: true,
    text: edited,
    change: { from, to: original.length - end, insert },
    range: { from, to: from + insert.length },
  };
}

function setHeaders(text: string, headers: readonly [string, string][]): EditResult {
  let current = text;
  for (const [name, value] of headers) {
    const step = setHeader(current, name, value);
    if (!step.ok) return step;
    current = step.text;
  }
  return combine(text, current);
}

/** Host from a URL ("example.com", or "example.com:8080" for a port that is not the default). */
export function setHostFromUrl(text: string, url: string): EditResult {
  const parsed = parseHttpUrl(url);
  if (!parsed.ok) return parsed;
  return setHeader(text, 'Host', parsed.target.hostHeader, { placement: 'after-request-line' });
}

/** Rewrites the request line's target (keeping method and version) to the URL's path and query. */
export function setTargetFromUrl(text: string, url: string): EditResult {
  const parsed = parseHttpUrl(url);
  if (!parsed.ok) return parsed;
  const head = layout(text);
  if (!head) return { ok: false, message: 'Write the request line first (e.g. "GET / HTTP/1.1").' };
  const line = text.slice(head.requestLine.start, head.requestLine.end);
  const match = /^(\S+)([ \t]+)(\S+)/.exec(line);
  if (!match) return { ok: false, message: 'The request line has no target to replace ("GET /path HTTP/1.1").' };
  const from = head.requestLine.start + (match[1] as string).length + (match[2] as string).length;
  return result(text, { from, to: from + (match[3] as string).length, insert: parsed.target.path });
}

/** The body: everything after the first empty line. Its UTF-8 length is what Content-Length counts. */
export function requestBody(text: string): string | null {
  const head = layout(text);
  return head?.blank ? text.slice(head.blank.next) : null;
}

/** Content-Length: the body's length in bytes as sent (UTF-8), not in characters. */
export function setContentLengthFromBody(text: string): EditResult {
  const body = requestBody(text);
  if (body === null) {
    return {
      ok: false,
      message: 'End the headers with an empty line first: the body is what comes after it.',
    };
  }
  return setHeader(text, 'Content-Length', String(encodeUtf8(body).length));
}

export interface Validators {
  lastModified?: string;
  etag?: string;
}

/** Last-Modified and ETag of a previous response, for a conditional GET. */
export function validatorsFrom(response: ResponseHead | readonly HttpField[]): Validators {
  const fields = Array.isArray(response) ? response : (response as ResponseHead).fields;
  const out: Validators = {};
  const lastModified = fieldValue(fields, 'Last-Modified');
  const etag = fieldValue(fields, 'ETag');
  if (lastModified) out.lastModified = lastModified;
  if (etag) out.etag = etag;
  return out;
}

/** If-Modified-Since from Last-Modified and If-None-Match from ETag, as one change. */
export function setConditionalHeaders(text: string, validators: Validators): EditResult {
  const headers: [string, string][] = [];
  if (validators.lastModified) headers.push(['If-Modified-Since', validators.lastModified]);
  if (validators.etag) headers.push(['If-None-Match', validators.etag]);
  if (headers.length === 0) {
    return {
      ok: false,
      message:
        'The last response had neither Last-Modified nor ETag: there is nothing to make the request conditional on.',
    };
  }
  return setHeaders(text, headers);
}

/** Cookie from a list of cookies (name=value; ...), or no Cookie header for an empty list. */
export function setCookieHeader(text: string, cookies: readonly { name: string; value: string }[]): EditResult {
  if (cookies.length === 0) return removeHeader(text, 'Cookie');
  return setHeader(text, 'Cookie', cookieHeaderValue(cookies));
}
