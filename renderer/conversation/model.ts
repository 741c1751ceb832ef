import { concatBytes, formatEscapes } from '../../shared/bytes';
import {
  type Check,
  type Conversation,
  type ConversationFile,
  type ConversationTool,
  expandEscapedText,
  makeCheck,
  type Payload,
  parseConversationFile,
  type Step,
} from '../../shared/conversation/index';
import type { TranscriptEntry } from '../../shared/net/transcript';

/** The extension docs/conversations.md and exercises/ use. */
export const conversationExtension = '.conv';

/** One check the Save dialog offers: kept unless unticked, its name editable. */
export interface DraftCheck {
  check: Check;
  keep: boolean;
}

/** One step as the tool saw it: the bytes sent (none for a greeting) and checks made from the reply. */
export interface DraftStep {
  sent: Uint8Array | undefined;
  checks: DraftCheck[];
}

/** What a tool hands the Save dialog: the target it used and its steps. */
export interface Recording {
  host: string;
  port: number;
  steps: DraftStep[];
}

/** How a tool takes part: what it sent and got, its target now, and loading a file's steps into it. */
export interface ConversationSource {
  tool: ConversationTool;
  /** A sentence instead of a recording when nothing was sent yet. */
  record(): Recording | string;
  /** The target as typed in the tool now: replay runs against it. */
  target(): { host: string; port: string };
  /** Puts the conversation into the tool (message, editor or steps, and the target). */
  load(conversation: Conversation, lookup: (name: string) => string | undefined): void;
}

export const toolLabels: Record<ConversationTool, string> = { udp: 'UDP', tcp: 'TCP', http: 'HTTP', smtp: 'SMTP' };

/** Steps of the last connection in a UDP or TCP transcript: each send with what came back before the next. */
export function stepsFromTranscript(entries: readonly TranscriptEntry[]): DraftStep[] {
  let start = 0;
  entries.forEach((entry, index) => {
    if (entry.kind === 'open') start = index;
  });
  const steps: { sent: Uint8Array | undefined; replies: Uint8Array[]; closed: boolean }[] = [];
  for (const entry of entries.slice(start)) {
    if (entry.kind === 'send' && entry.data) steps.push({ sent: entry.data, replies: [], closed: false });
    else if (entry.kind === 'receive' && entry.data) {
      if (steps.length === 0) steps.push({ sent: undefined, replies: [], closed: false });
      steps[steps.length - 1]?.replies.push(entry.data);
    } else if (entry.kind === 'peerEnded' && steps.length > 0) {
      const last = steps[steps.length - 1];
      if (last) last.closed = true;
    }
  }
  return steps.map((step) => {
    const checks: DraftCheck[] = [];
    if (step.replies.length > 0) {
      const reply = concatBytes(step.replies);
      checks.push({ keep: true, check: exactCheck(reply) });
    }
    if (step.closed) checks.push({ keep: true, check: makeCheck({ kind: 'closed' }) });
    return { sent: step.sent, checks };
  });
}

function exactCheck(bytes: Uint8Array): Check {
  return makeCheck({
    kind: 'reply',
    matcher: { op: 'exact', value: [{ kind: 'text', source: formatEscapes(bytes), at: { line: 0, column: 0 } }] },
  });
}

/** A payload list's bytes with variables filled in; undefined when one has no value or is a file. */
export function payloadBytes(
  payloads: readonly Payload[],
  lookup: (name: string) => string | undefined,
): Uint8Array | undefined {
  const parts: Uint8Array[] = [];
  for (const payload of payloads) {
    if (payload.kind === 'file') return undefined;
    if (payload.kind === 'text') {
      const expanded = expandEscapedText(payload.source, lookup);
      if (!expanded.ok) return undefined;
      parts.push(expanded.value);
    } else parts.push(payload.bytes);
  }
  return concatBytes(parts);
}

/** The sends of a conversation, as bytes (variables from the file's defaults and the given values). */
export function sends(
  file: ConversationFile,
  conversation: Conversation,
  given: Readonly<Record<string, string>> = {},
): Uint8Array[] {
  const lookup = lookupFor(file, given);
  return conversation.steps.flatMap((step: Step) =>
    step.send ? [payloadBytes(step.send, lookup) ?? new Uint8Array(0)] : [],
  );
}

export function lookupFor(file: ConversationFile, given: Readonly<Record<string, string>> = {}) {
  return (name: string) => given[name] ?? file.variables.find((v) => v.name === name)?.value;
}

/** A file opened by the user, a drop, or the Exercises page. */
export interface OpenedFile {
  name: string;
  file: ConversationFile;
}

export type OpenOutcome = { ok: true; opened: OpenedFile } | { ok: false; message: string };

export function openText(name: string, text: string): OpenOutcome {
  const parsed = parseConversationFile(text);
  if (!parsed.ok) {
    const shown = parsed.problems
      .slice(0, 3)
      .map((p) => `${name}:${p.line}:${p.column}: ${p.message}`)
      .join('\n');
    return { ok: false, message: shown };
  }
  if (parsed.file.conversations.length === 0) return { ok: false, message: `${name} holds no conversation.` };
  return { ok: true, opened: { name, file: parsed.file } };
}

/**
 * A file waiting for its tool: set by a drop, the Exercises page or "Open it in the
 * … tool", taken by that tool's Conversation actions when they appear.
 */
let pending: OpenedFile | undefined;

export function openInTool(opened: OpenedFile): void {
  const tool = opened.file.conversations[0]?.tool;
  if (!tool) return;
  pending = opened;
  window.location.hash = `#/${tool}`;
  window.dispatchEvent(new Event('conversation-pending'));
}

export function takePending(tool: ConversationTool): OpenedFile | undefined {
  if (pending?.file.conversations[0]?.tool !== tool) return undefined;
  const taken = pending;
  pending = undefined;
  return taken;
}
