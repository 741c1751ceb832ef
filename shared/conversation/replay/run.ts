import type { Client } from '../../contract/client';
import { PlaygroundError } from '../../contract/errors';
import { concatBytes } from '../../bytes/utf8';
import {
  type CheckResult,
  type ConversationResult,
  emptyReply,
  isMatcherCheck,
  judge,
  type Reply,
  type ResolvedMatcher,
} from '../checks';
import type { Capture, Check, Conversation, ConversationFile, Payload, Step } from '../model';
import { expandEscapedText, expandTemplate } from '../templates';
import type { WaitPlan } from './collector';
import type { Driver, ResolvedTarget } from './driver';
import { httpDriver } from './http';
import { smtpDriver } from './smtp';
import { tcpDriver } from './tcp';
import { udpDriver } from './udp';

export const defaultStepTimeoutMs = 5000;
export const defaultSettleMs = 300;

export interface ReplayOptions {
  /** The app's typed client, connected to the Node side (in-memory, IPC or WebSocket). */
  client: Client;
  /** Values from outside (`--var`, the app's target fields); they replace the file's defaults. */
  variables?: Readonly<Record<string, string>>;
  /** Replaces every conversation's step timeout (`--timeout`). */
  timeoutMs?: number;
  /**
   * Reads a `file …` payload (variables expanded). `fromVariable`: the path starts with a
   * variable (`file "{{expect}}"`), so it was typed by whoever runs the file, relative to
   * where they are; otherwise it is relative to the conversation file. Without it, such payloads fail.
   */
  readFile?: (path: string, fromVariable: boolean) => Promise<Uint8Array>;
  /** The name results carry (a path, or what the user opened). */
  fileName?: string;
  signal?: AbortSignal;
  /** Each check's result as soon as it is known (for a live list). */
  onCheck?: (result: CheckResult, conversation: Conversation) => void;
}

/**
 * Replays every conversation of a file in order, through the app's own sessions via
 * the typed client; captures carry over to later conversations. Never throws: a
 * runtime problem (refused, reset, a missing file) becomes the conversation's `error`
 * and its checks' status `error`.
 */
export async function replayFile(file: ConversationFile, options: ReplayOptions): Promise<ConversationResult[]> {
  const captured = new Map<string, string>();
  const results: ConversationResult[] = [];
  for (const conversation of file.conversations) {
    results.push(await replayConversation(file, conversation, options, captured));
  }
  return results;
}

export async function replayConversation(
  file: ConversationFile,
  conversation: Conversation,
  options: ReplayOptions,
  captured = new Map<string, string>(),
): Promise<ConversationResult> {
  const startedAt = Date.now();
  const given = options.variables ?? {};
  const lookup = (name: string) =>
    captured.get(name) ?? given[name] ?? file.variables.find((v) => v.name === name)?.value;
  const result: ConversationResult = {
    file: options.fileName ?? '',
    title: conversation.title || `${conversation.tool} conversation at line ${conversation.at.line}`,
    tool: conversation.tool,
    target: '',
    checks: [],
    ms: 0,
  };
  const timeoutMs = options.timeoutMs ?? conversation.timeoutMs ?? defaultStepTimeoutMs;
  const settleMs = conversation.settleMs ?? defaultSettleMs;
  const push = (check: CheckResult) => {
    result.checks.push(check);
    options.onCheck?.(check, conversation);
  };
  const failRest = (from: number, message: string) => {
    conversation.steps.forEach((step, index) => {
      if (index < from) return;
      for (const check of step.checks) push(errorResult(check, stepNumber(conversation, step), message, 0));
    });
  };

  let driver: Driver | undefined;
  try {
    const target = resolveTarget(conversation, lookup);
    result.target = `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
    driver = makeDriver(conversation, target, options.client, timeoutMs);
    await driver.open(options.signal);
  } catch (error) {
    result.error = describe(error, result.target);
    failRest(0, result.error);
    result.ms = Date.now() - startedAt;
    await driver?.close();
    return result;
  }

  for (let index = 0; index < conversation.steps.length; index++) {
    const step = conversation.steps[index] as Step;
    const number = stepNumber(conversation, step);
    const stepStartedAt = Date.now();
    let reply: Reply;
    let matchers: (ResolvedMatcher | undefined)[];
    try {
      if (options.signal?.aborted) throw new PlaygroundError({ code: 'E_CANCELLED', message: 'stopped (Ctrl+C)' });
      matchers = await Promise.all(step.checks.map((check) => resolveMatcher(check, lookup, options)));
      const plan = planFor(step, matchers, timeoutMs, settleMs);
      if (step.send) {
        const bytes = await resolvePayloads(step.send, lookup, options);
        reply = await driver.exchange(bytes, plan, options.signal);
      } else {
        reply = await driver.first(plan, options.signal);
      }
    } catch (error) {
      result.error = describe(error, result.target);
      failRest(index, result.error);
      break;
    }
    const ms = Date.now() - stepStartedAt;
    const silent = reply.firstByteMs === undefined && !reply.closed;
    const expectsSilence = step.checks.some((c) => c.spec.kind === 'noReply');
    step.checks.forEach((check, i) => {
      if (check.onlyIf !== undefined && !lookup(check.onlyIf)) {
        push({ ...base(check, number, ms), status: 'skipped', message: `{{${check.onlyIf}}} is not set` });
        return;
      }
      if (silent && !expectsSilence && options.signal?.aborted) {
        push(errorResult(check, number, 'stopped (Ctrl+C) before the reply', ms));
        return;
      }
      if (silent && !expectsSilence) {
        push(errorResult(check, number, `no reply within ${timeoutMs / 1000} s from ${result.target}`, ms));
        return;
      }
      const verdict = judge(check.spec, reply, matchers[i], timeoutMs);
      push({
        ...base(check, number, ms),
        status: verdict.pass ? 'passed' : 'failed',
        expected: verdict.expected,
        got: verdict.got,
      });
    });
    for (const capture of step.captures) {
      const value = captureValue(capture.source, reply);
      if (value !== undefined) captured.set(capture.name, value);
    }
    if (silent && !expectsSilence && step.checks.length > 0) {
      result.error = `no reply within ${timeoutMs / 1000} s from ${result.target}`;
      if (options.signal?.aborted) result.error = 'stopped (Ctrl+C)';
      failRest(index + 1, `not run: ${result.error}`);
      break;
    }
  }
  await driver.close();
  result.ms = Date.now() - startedAt;
  return result;
}

/** Results for a file that could not be run at all (its program never came up): every check an error. */
export function notRun(file: ConversationFile, fileName: string, message: string): ConversationResult[] {
  return file.conversations.map((conversation) => ({
    file: fileName,
    title: conversation.title || `${conversation.tool} conversation at line ${conversation.at.line}`,
    tool: conversation.tool,
    target: '',
    checks: conversation.steps.flatMap((step) =>
      step.checks.map((check) => errorResult(check, stepNumber(conversation, step), message, 0)),
    ),
    error: message,
    ms: 0,
  }));
}

/** Step numbers (1, 2, … for sends; 0 for what the server says first), computed once per conversation. */
const stepNumbers = new WeakMap<Conversation, Map<Step, number>>();

function stepNumber(conversation: Conversation, step: Step): number {
  let numbers = stepNumbers.get(conversation);
  if (!numbers) {
    numbers = new Map();
    let sends = 0;
    for (const each of conversation.steps) numbers.set(each, each.send ? ++sends : 0);
    stepNumbers.set(conversation, numbers);
  }
  return numbers.get(step) ?? 0;
}

function base(check: Check, step: number, ms: number): Omit<CheckResult, 'status'> {
  return { name: check.name, points: check.points, ms, at: check.at, step };
}

function errorResult(check: Check, step: number, message: string, ms: number): CheckResult {
  return { ...base(check, step, ms), status: 'error', message };
}

function describe(error: unknown, target: string): string {
  if (error instanceof PlaygroundError) return error.message;
  if (error instanceof Error) return error.message;
  return `${String(error)} (${target})`;
}

function makeDriver(conversation: Conversation, target: ResolvedTarget, client: Client, timeoutMs: number): Driver {
  const connectTimeoutMs = Math.max(timeoutMs, 1000);
  switch (conversation.tool) {
    case 'tcp':
      return tcpDriver(client, target, connectTimeoutMs);
    case 'udp':
      return udpDriver(client, target);
    case 'http':
      return httpDriver(client, target, connectTimeoutMs);
    case 'smtp':
      return smtpDriver(client, target, connectTimeoutMs);
  }
}

type Lookup = (name: string) => string | undefined;

function unknown(name: string): PlaygroundError {
  return new PlaygroundError({ code: 'E_BAD_REQUEST', message: `unknown variable {{${name}}}` });
}

export function resolveTarget(conversation: Conversation, lookup: Lookup): ResolvedTarget {
  const target = conversation.target;
  if (!target) throw new PlaygroundError({ code: 'E_BAD_REQUEST', message: 'the conversation has no target' });
  const host = expandTemplate(target.host, lookup);
  if (!host.ok) throw unknown(host.variable);
  const port = expandTemplate(target.port, lookup);
  if (!port.ok) throw unknown(port.variable);
  const number = Number(port.value);
  if (!/^\d+$/.test(port.value) || number < 1 || number > 65535) {
    throw new PlaygroundError({
      code: 'E_BAD_REQUEST',
      message: `the port must be a number from 1 to 65535, not ${JSON.stringify(port.value)}`,
    });
  }
  return { host: host.value, port: number, tls: target.tls };
}

export async function resolvePayloads(
  payloads: Payload[],
  lookup: Lookup,
  options: ReplayOptions,
): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for (const payload of payloads) {
    if (payload.kind === 'hex' || payload.kind === 'base64') parts.push(payload.bytes);
    else if (payload.kind === 'text') {
      const expanded = expandEscapedText(payload.source, lookup);
      if (!expanded.ok) throw unknown(expanded.variable);
      parts.push(expanded.value);
    } else {
      const path = expandTemplate(payload.path, lookup);
      if (!path.ok) throw unknown(path.variable);
      if (!options.readFile) {
        throw new PlaygroundError({ code: 'E_BAD_REQUEST', message: `cannot read file ${path.value} here` });
      }
      parts.push(await options.readFile(path.value, /^\s*\{\{/.test(payload.path)));
    }
  }
  return concatBytes(parts.length === 0 ? [new Uint8Array(0)] : parts);
}

async function resolveMatcher(
  check: Check,
  lookup: Lookup,
  options: ReplayOptions,
): Promise<ResolvedMatcher | undefined> {
  if (check.onlyIf !== undefined && !lookup(check.onlyIf)) return undefined;
  const matcher = isMatcherCheck(check);
  if (!matcher) return undefined;
  if (matcher.op === 'regex') return matcher;
  return { op: matcher.op, bytes: await resolvePayloads(matcher.value, lookup, options) };
}

function planFor(step: Step, matchers: (ResolvedMatcher | undefined)[], timeoutMs: number, settleMs: number): WaitPlan {
  const noReply = step.checks.find((c) => c.spec.kind === 'noReply');
  return {
    timeoutMs,
    settleMs,
    waitForClose: step.checks.some((c) => c.spec.kind === 'closed'),
    noReplyMs: noReply && noReply.spec.kind === 'noReply' ? (noReply.spec.withinMs ?? timeoutMs) : undefined,
    satisfied: (reply) =>
      step.checks.every(
        (check, i) => check.onlyIf !== undefined || judge(check.spec, reply, matchers[i], timeoutMs).pass,
      ),
  };
}

const decoder = new TextDecoder();

function captureValue(source: Capture['source'], reply: Reply): string | undefined {
  if (source.from === 'header') {
    return reply.http?.headers.find(([name]) => name.toLowerCase() === source.header.toLowerCase())?.[1];
  }
  const bytes = source.from === 'body' ? (reply.http?.body ?? emptyReply().bytes) : reply.bytes;
  const match = new RegExp(source.source, source.flags).exec(decoder.decode(bytes));
  return match ? (match[1] ?? match[0]) : undefined;
}
