/**
 * What the parsers and the linter report. The parsers are lenient so that a
 * student sees whatever the peer sent, but nothing they tolerate goes unsaid:
 * every deviation from RFC 9110/9112 becomes one of these, pointing at the bytes.
 */
export type Severity = 'error' | 'warning' | 'info';

export const diagnosticCodes = [
  // line syntax
  'bare-lf',
  'bare-cr',
  'leading-empty-line',
  'control-character',
  'non-ascii',
  // start lines
  'not-http',
  'tls-bytes',
  'malformed-status-line',
  'missing-reason-phrase',
  'malformed-request-line',
  'http09-request',
  'invalid-method',
  'lowercase-method',
  'invalid-target',
  'malformed-version',
  'lowercase-version',
  'unsupported-version',
  'extra-whitespace',
  // field lines
  'obs-fold',
  'whitespace-before-first-field',
  'no-colon',
  'space-before-colon',
  'empty-field-name',
  'invalid-field-name',
  // framing
  'invalid-content-length',
  'duplicate-content-length',
  'conflicting-content-length',
  'transfer-encoding-with-content-length',
  'transfer-encoding-not-chunked',
  'transfer-encoding-in-http10',
  'close-delimited',
  // chunked bodies
  'invalid-chunk-size',
  'chunk-size-whitespace',
  'invalid-chunk-extension',
  'missing-chunk-crlf',
  'chunk-line-too-long',
  // the connection
  'head-too-large',
  'truncated-head',
  'truncated-body',
  'truncated-chunked',
  'body-capped',
  'idle-bytes',
  'no-response',
  'after-close',
  // the composer's linter
  'missing-line-end',
  'missing-blank-line',
  'missing-host',
  'duplicate-host',
  'invalid-host',
  'content-length-mismatch',
  'body-without-length',
  'body-with-get',
  'length-required',
  'backslash-in-target',
  'unknown-method',
  'host-differs-from-url',
  'target-differs-from-url',
] as const;
export type DiagnosticCode = (typeof diagnosticCodes)[number];

export interface HttpDiagnostic {
  code: DiagnosticCode;
  severity: Severity;
  /** For people: what is wrong, and what a correct message looks like. */
  message: string;
  /** Offset of the offending bytes in the connection's byte stream (or in the linted text's UTF-8 bytes). */
  offset: number;
  /** How many bytes the problem covers (0 for "something is missing here"). */
  length: number;
  /** The message (head) it belongs to, counted from 0 on the connection; absent for connection-level notes. */
  messageIndex?: number;
  /** The parser cannot tell where the message ends: everything after is reported as unparsed bytes. */
  fatal?: boolean;
}

export function diagnostic(
  code: DiagnosticCode,
  severity: Severity,
  offset: number,
  length: number,
  message: string,
  extra: { messageIndex?: number | undefined; fatal?: boolean } = {},
): HttpDiagnostic {
  const out: HttpDiagnostic = { code, severity, message, offset, length };
  if (extra.messageIndex !== undefined) out.messageIndex = extra.messageIndex;
  if (extra.fatal) out.fatal = true;
  return out;
}

export function hasErrors(diagnostics: readonly HttpDiagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
