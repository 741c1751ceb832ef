import { formatEscapes } from '../bytes/escapes';
import { countInvalidUtf8 } from '../bytes/utf8';
import { encodeBase64 } from '../smtp/base64';
import { indexOfControl } from './lineCursor';
import type { Capture, Check, CheckSpec, Conversation, ConversationFile, Matcher, Payload, Place } from './model';

const nowhere: Place = { line: 0, column: 0 };

/**
 * Bytes as payloads that read back as exactly these bytes: escaped text split after
 * each LF (one line of the file per line on the wire, so diffs stay readable), or hex
 * when most of it is not text. `{{` and `"` are escaped so that nothing in the bytes
 * can read as a variable or end the string.
 */
export function bytesToPayloads(bytes: Uint8Array): Payload[] {
  if (bytes.length === 0) return [{ kind: 'text', source: '', at: nowhere }];
  if (looksBinary(bytes)) {
    const payloads: Payload[] = [];
    for (let i = 0; i < bytes.length; i += 32)
      payloads.push({ kind: 'hex', bytes: bytes.slice(i, i + 32), at: nowhere });
    return payloads;
  }
  const payloads: Payload[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a || i - start >= 4096) {
      payloads.push(textPayload(bytes.subarray(start, i + 1)));
      start = i + 1;
    }
  }
  if (start < bytes.length) payloads.push(textPayload(bytes.subarray(start)));
  return payloads;
}

function looksBinary(bytes: Uint8Array): boolean {
  let odd = countInvalidUtf8(bytes);
  for (const b of bytes) if (b < 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) odd++;
  return odd * 4 > bytes.length;
}

export function textPayload(bytes: Uint8Array): Payload {
  return { kind: 'text', source: escapeForFile(formatEscapes(bytes)), at: nowhere };
}

/** formatEscapes' output made safe inside "…": quotes and `{{` escaped. */
export function escapeForFile(escaped: string): string {
  return escaped.replace(/"/g, '\\"').replace(/\{(?=\{)/g, '\\x7b');
}

/** A label (title, check name) inside "…". */
function label(text: string): string {
  return `"${escapeForFile(formatEscapes(text))}"`;
}

export function formatPayload(payload: Payload): string {
  switch (payload.kind) {
    case 'text':
      return `"${payload.source}"`;
    case 'hex':
      return `hex ${Array.from(payload.bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
    case 'base64':
      return `base64 ${encodeBase64(payload.bytes)}`;
    case 'file':
      return /[\s"#]/.test(payload.path) || payload.path === ''
        ? `file "${escapeForFile(payload.path.replace(/\\/g, '\\\\'))}"`
        : `file ${payload.path}`;
  }
}

function formatMatcher(matcher: Matcher): string {
  if (matcher.op === 'regex') return `regex /${matcher.source}/${matcher.flags}`;
  return `${matcher.op} ${matcher.value.map(formatPayload).join(' ')}`;
}

function formatDurationWord(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

export function formatCheckSpec(spec: CheckSpec): string {
  switch (spec.kind) {
    case 'reply':
      return formatMatcher(spec.matcher);
    case 'body':
      return `body ${formatMatcher(spec.matcher)}`;
    case 'statusLine':
      return `status-line ${formatMatcher(spec.matcher)}`;
    case 'header':
      return spec.matcher ? `header ${spec.header} ${formatMatcher(spec.matcher)}` : `header ${spec.header}`;
    case 'status':
      return `status ${spec.pattern}`;
    case 'code':
      return `code ${spec.pattern}`;
    case 'noReply':
      return spec.withinMs === undefined ? 'no-reply' : `no-reply ${formatDurationWord(spec.withinMs)}`;
    case 'closed':
      return 'closed';
    case 'complete':
      return 'complete';
    case 'within':
      return `within ${formatDurationWord(spec.ms)}`;
  }
}

function formatCheck(check: Check): string {
  let line = `expect ${formatCheckSpec(check.spec)}`;
  if (check.named) line += ` name ${label(check.name)}`;
  if (check.points !== undefined) line += ` points ${check.points}`;
  if (check.onlyIf !== undefined) line += ` if ${check.onlyIf}`;
  return line;
}

function formatCapture(capture: Capture): string {
  const source = capture.source;
  if (source.from === 'header') return `capture ${capture.name} header ${source.header}`;
  const regex = `regex /${source.source}/${source.flags}`;
  return `capture ${capture.name} ${source.from === 'body' ? 'body ' : ''}${regex}`;
}

function formatValue(value: string): string {
  return value === '' ||
    value !== value.trim() ||
    /["\\#]/.test(value) ||
    indexOfControl(value) >= 0 ||
    value.includes('\t')
    ? label(value)
    : value;
}

function formatConversation(conversation: Conversation): string[] {
  const lines: string[] = [];
  lines.push(`conversation ${conversation.tool}${conversation.title ? ` ${label(conversation.title)}` : ''}`);
  for (const line of conversation.description ? conversation.description.split('\n') : []) {
    lines.push(`description ${line}`.trimEnd());
  }
  const target = conversation.target;
  if (target) {
    const host = target.host.includes(':') && !target.host.startsWith('{{') ? `[${target.host}]` : target.host;
    lines.push(`target ${host}:${target.port}${target.tls ? ' tls' : ''}`);
  }
  if (conversation.timeoutMs !== undefined) lines.push(`timeout ${formatDurationWord(conversation.timeoutMs)}`);
  if (conversation.settleMs !== undefined) lines.push(`settle ${formatDurationWord(conversation.settleMs)}`);
  for (const step of conversation.steps) {
    lines.push('');
    if (step.send) {
      const [first, ...rest] = step.send;
      if (first) lines.push(`send ${formatPayload(first)}`);
      for (const payload of rest) lines.push(`     ${formatPayload(payload)}`);
    }
    for (const check of step.checks) lines.push(formatCheck(check));
    for (const capture of step.captures) lines.push(formatCapture(capture));
  }
  return lines;
}

/** The file's text: parseConversationFile(serializeConversationFile(f)) gives back f (places aside). */
export function serializeConversationFile(file: ConversationFile, header?: string): string {
  const lines: string[] = [];
  for (const line of header ? header.split('\n') : []) lines.push(`# ${line}`.trimEnd());
  for (const variable of file.variables) lines.push(`var ${variable.name} = ${formatValue(variable.value)}`);
  for (const conversation of file.conversations) {
    if (lines.length > 0) lines.push('');
    lines.push(...formatConversation(conversation));
  }
  return `${lines.join('\n')}\n`;
}
