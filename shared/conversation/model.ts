/**
 * A conversation file, parsed: what docs/conversations.md describes. Everything keeps
 * its line and column so that a check's result and a run-time problem (an unknown
 * variable, a missing file) can point at the text that caused it.
 */

export const conversationTools = ['udp', 'tcp', 'http', 'smtp'] as const;
export type ConversationTool = (typeof conversationTools)[number];

/** 1-based, columns in code points, like every `file:line:column` the app prints. */
export interface Place {
  line: number;
  column: number;
}

/**
 * Bytes to send or compare. `text` is the escaped source between the quotes
 * (shared/bytes/escapes.ts plus `{{name}}` variables), kept as written.
 */
export type Payload =
  | { kind: 'text'; source: string; at: Place }
  | { kind: 'hex'; bytes: Uint8Array; at: Place }
  | { kind: 'base64'; bytes: Uint8Array; at: Place }
  /** A file read when the conversation runs; the path may use variables and is relative to the conversation file. */
  | { kind: 'file'; path: string; at: Place };

export type Matcher =
  | { op: 'exact'; value: Payload[] }
  | { op: 'contains'; value: Payload[] }
  | { op: 'regex'; source: string; flags: string };

export type CheckSpec =
  /** The step's reply: TCP bytes, a UDP datagram, an HTTP response (head + body), an SMTP reply. */
  | { kind: 'reply'; matcher: Matcher }
  | { kind: 'body'; matcher: Matcher }
  /** Present when `matcher` is absent. */
  | { kind: 'header'; header: string; matcher?: Matcher }
  /** `200`, `2xx`, `30x`. */
  | { kind: 'status'; pattern: string }
  | { kind: 'statusLine'; matcher: Matcher }
  /** An SMTP reply code, same patterns as `status`. */
  | { kind: 'code'; pattern: string }
  | { kind: 'noReply'; withinMs?: number }
  | { kind: 'closed' }
  | { kind: 'within'; ms: number }
  /** The HTTP response arrived in full, as its framing (Content-Length, chunked) says. */
  | { kind: 'complete' };

export interface Check {
  spec: CheckSpec;
  /** As written with `name "…"`; otherwise made from the check's text. */
  name: string;
  named: boolean;
  points?: number;
  /** `if NAME`: only checked when the variable is set to something non-empty. */
  onlyIf?: string;
  at: Place;
  /** The check's own text after `expect`, for messages. */
  text: string;
}

export type CaptureSource =
  { from: 'header'; header: string } | { from: 'reply' | 'body'; source: string; flags: string };

export interface Capture {
  name: string;
  source: CaptureSource;
  at: Place;
}

export interface Step {
  /** Absent for what the server says first (an SMTP greeting, a TCP banner). */
  send?: Payload[];
  checks: Check[];
  captures: Capture[];
  at: Place;
}

export interface Variable {
  name: string;
  /** The default; `--var name=value` or the app's target replaces it. */
  value: string;
  at: Place;
}

export interface Conversation {
  tool: ConversationTool;
  title: string;
  description: string;
  /** `host:port` with variables, e.g. `{{host}}:{{port}}`. */
  target: { host: string; port: string; tls: boolean; at: Place } | undefined;
  /** Per-step reply deadline (`timeout 5s`). */
  timeoutMs?: number;
  /** A reply has ended once no byte came for this long (`settle 300ms`). */
  settleMs?: number;
  steps: Step[];
  at: Place;
}

export interface ConversationFile {
  /** Variables in file order (all conversations of a file share them). */
  variables: Variable[];
  conversations: Conversation[];
}

export interface ParseProblem {
  line: number;
  column: number;
  /** "expected …" and what was found, without the place. */
  message: string;
}

export type ParseOutcome = { ok: true; file: ConversationFile } | { ok: false; problems: ParseProblem[] };

/** `file:line:column: message`, the form every problem is printed in. */
export function formatProblem(fileName: string, problem: ParseProblem): string {
  return `${fileName}:${problem.line}:${problem.column}: ${problem.message}`;
}
