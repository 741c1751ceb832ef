import type { Check, CheckSpec, Conversation, ConversationFile, ConversationTool, Place, Step } from './model';
import { bytesToPayloads, formatCheckSpec } from './serialize';

const nowhere: Place = { line: 0, column: 0 };

/** A check as the app makes it from a reply it saw (named after its own text unless a name is given). */
export function makeCheck(spec: CheckSpec, options: { name?: string; points?: number } = {}): Check {
  const text = formatCheckSpec(spec);
  const check: Check = { spec, name: options.name ?? text, named: options.name !== undefined, at: nowhere, text };
  if (options.points !== undefined) check.points = options.points;
  return check;
}

/** One step: what was actually sent, and the checks made from what came back. */
export function makeStep(sent: Uint8Array | undefined, checks: Check[] = []): Step {
  return { send: sent === undefined ? undefined : bytesToPayloads(sent), checks, captures: [], at: nowhere };
}

/** The usual check for a received reply: exactly these bytes. */
export function exactReply(bytes: Uint8Array): Check {
  return makeCheck({ kind: 'reply', matcher: { op: 'exact', value: bytesToPayloads(bytes) } });
}

/**
 * A file holding one conversation of one tool, its target saved as `{{host}}:{{port}}`
 * with the values used as the defaults, so `--var host=… --var port=…` runs it elsewhere.
 */
export function makeConversationFile(options: {
  tool: ConversationTool;
  host: string;
  port: number;
  title?: string;
  description?: string;
  tls?: boolean;
  steps: Step[];
}): ConversationFile {
  const conversation: Conversation = {
    tool: options.tool,
    title: options.title ?? '',
    description: options.description ?? '',
    target: { host: '{{host}}', port: '{{port}}', tls: options.tls ?? false, at: nowhere },
    steps: options.steps,
    at: nowhere,
  };
  return {
    variables: [
      { name: 'host', value: options.host, at: nowhere },
      { name: 'port', value: String(options.port), at: nowhere },
    ],
    conversations: [conversation],
  };
}
