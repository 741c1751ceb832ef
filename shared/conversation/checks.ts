import { formatEscapes } from '../bytes/escapes';
import type { Check, CheckSpec, Matcher, Place } from './model';

/** What one step got back, whatever the tool. */
export interface Reply {
  /** The reply's bytes (kept up to a cap): TCP bytes, UDP datagrams, SMTP replies, an HTTP head + body. */
  bytes: Uint8Array;
  /** Bytes that arrived beyond the cap (counted, not kept). */
  droppedBytes: number;
  /** From the send to the reply's first byte; undefined when nothing arrived. */
  firstByteMs: number | undefined;
  /** The peer closed the connection (or the HTTP server after this response). */
  closed: boolean;
  http?: {
    status: number;
    statusLine: string;
    headers: [string, string][];
    body: Uint8Array;
    complete: boolean;
  };
  smtp?: { codes: (number | null)[] };
}

export function emptyReply(): Reply {
  return { bytes: new Uint8Array(0), droppedBytes: 0, firstByteMs: undefined, closed: false };
}

/** A check's matcher with its payloads already expanded to bytes. */
export type ResolvedMatcher =
  { op: 'exact' | 'contains'; bytes: Uint8Array } | { op: 'regex'; source: string; flags: string };

export type Verdict = { pass: boolean; expected: string; got: string };

const maxShown = 400;

/** Bytes with CR, LF and every other invisible byte written as escapes, shortened for a report line. */
export function visible(bytes: Uint8Array, limit = maxShown): string {
  const text = formatEscapes(bytes.length > limit * 4 ? bytes.subarray(0, limit * 4) : bytes);
  return text.length > limit ? `${text.slice(0, limit)}… (${bytes.length} bytes)` : text;
}

const utf8 = new TextDecoder();

function matches(matcher: ResolvedMatcher, bytes: Uint8Array): Verdict {
  if (matcher.op === 'regex') {
    const pass = new RegExp(matcher.source, matcher.flags).test(utf8.decode(bytes));
    return { pass, expected: `a match for /${matcher.source}/${matcher.flags}`, got: quote(bytes) };
  }
  if (matcher.op === 'exact') {
    const pass = sameBytes(bytes, matcher.bytes);
    return { pass, expected: quote(matcher.bytes), got: quote(bytes) };
  }
  return {
    pass: indexOfBytes(bytes, matcher.bytes) >= 0,
    expected: `to contain ${quote(matcher.bytes)}`,
    got: quote(bytes),
  };
}

function quote(bytes: Uint8Array): string {
  return `"${visible(bytes)}"`;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function indexOfBytes(haystack: Uint8Array, needle: Uint8Array): number {
  if (needle.length === 0) return 0;
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function codeMatches(pattern: string, code: number | null | undefined): boolean {
  if (code === null || code === undefined) return false;
  const digits = String(code);
  return digits.length === 3 && [...pattern].every((c, i) => c === 'x' || c === digits[i]);
}

const encoder = new TextEncoder();

/**
 * Judges one check against a reply. `matcher` is the check's matcher with its
 * payloads expanded (the caller resolves variables and files first).
 */
export function judge(
  spec: CheckSpec,
  reply: Reply,
  matcher: ResolvedMatcher | undefined,
  stepTimeoutMs: number,
): Verdict {
  const http = reply.http;
  const nothing = reply.firstByteMs === undefined;
  switch (spec.kind) {
    case 'reply':
      return matches(matcher as ResolvedMatcher, reply.bytes);
    case 'body':
      if (!http) return { pass: false, expected: 'an HTTP response', got: nothing ? 'no reply' : quote(reply.bytes) };
      return matches(matcher as ResolvedMatcher, http.body);
    case 'statusLine':
      if (!http) return { pass: false, expected: 'an HTTP response', got: nothing ? 'no reply' : quote(reply.bytes) };
      return matches(matcher as ResolvedMatcher, encoder.encode(http.statusLine));
    case 'header': {
      if (!http)
        return { pass: false, expected: `a ${spec.header} header`, got: nothing ? 'no reply' : quote(reply.bytes) };
      const found = http.headers.find(([name]) => name.toLowerCase() === spec.header.toLowerCase());
      if (!matcher) {
        return {
          pass: found !== undefined,
          expected: `a ${spec.header} header`,
          got: found ? `${found[0]}: ${found[1]}` : `no ${spec.header} header`,
        };
      }
      if (!found) return { pass: false, expected: `a ${spec.header} header`, got: `no ${spec.header} header` };
      const verdict = matches(matcher, encoder.encode(found[1]));
      return { ...verdict, expected: `${spec.header} ${verdict.expected}` };
    }
    case 'status':
      return {
        pass: codeMatches(spec.pattern, http?.status),
        expected: `status ${spec.pattern}`,
        got: http ? http.statusLine : nothing ? 'no response' : quote(reply.bytes),
      };
    case 'code': {
      const codes = reply.smtp?.codes ?? [];
      const last = codes[codes.length - 1];
      return {
        pass: codeMatches(spec.pattern, last),
        expected: `reply code ${spec.pattern}`,
        got: codes.length === 0 ? 'no reply' : quote(reply.bytes),
      };
    }
    case 'noReply': {
      const within = spec.withinMs ?? stepTimeoutMs;
      const pass = nothing || (reply.firstByteMs as number) > within;
      return {
        pass,
        expected: `no reply within ${seconds(within)}`,
        got: nothing ? 'no reply' : `${quote(reply.bytes)} after ${Math.round(reply.firstByteMs as number)} ms`,
      };
    }
    case 'closed':
      return {
        pass: reply.closed,
        expected: 'the server closes the connection',
        got: reply.closed ? 'closed' : 'still open',
      };
    case 'within':
      return {
        pass: !nothing && (reply.firstByteMs as number) <= spec.ms,
        expected: `a reply within ${spec.ms} ms`,
        got: nothing ? 'no reply' : `the first byte after ${Math.round(reply.firstByteMs as number)} ms`,
      };
    case 'complete':
      return {
        pass: http?.complete === true,
        expected: 'the whole response, as its framing says',
        got: http ? (http.complete ? 'complete' : 'cut short') : 'no response',
      };
  }
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

export type CheckStatus = 'passed' | 'failed' | 'error' | 'skipped';

export interface CheckResult {
  /** The check's name, e.g. `status 200` or what `name "…"` said. */
  name: string;
  status: CheckStatus;
  points: number | undefined;
  expected?: string;
  got?: string;
  /** For `error` and `skipped`: why. */
  message?: string;
  /** The step's time from its send to the end of its reply. */
  ms: number;
  at: Place;
  /** 1-based step number within its conversation (0: what the server said first). */
  step: number;
}

export interface ConversationResult {
  file: string;
  title: string;
  tool: string;
  /** host:port as run. */
  target: string;
  checks: CheckResult[];
  /** A runtime error that stopped the conversation (refused, reset, no reply at all). */
  error?: string;
  ms: number;
}

export function isMatcherCheck(check: Check): Matcher | undefined {
  const spec = check.spec;
  if (spec.kind === 'reply' || spec.kind === 'body' || spec.kind === 'statusLine') return spec.matcher;
  if (spec.kind === 'header') return spec.matcher;
  return undefined;
}
