import { formatDuration } from '../../../shared/bytes';
import type { Client } from '../../../shared/contract/client';
import { isPlaygroundError } from '../../../shared/contract/errors';
import type { ResponseOf } from '../../../shared/contract/index';
import { type BuiltLine, buildStep, type SmtpStep, stepTitles } from '../../../shared/smtp';
import { type ControlError, controlError, isCancelled, parseSecondsField, placeError } from '../../net/errors';
import { without } from '../../net/session';
import type { TranscriptModel } from '../../transcript/model';
import { isDraftStale, type MessageDrafts } from './messageDraft';
import { replyGoesOn } from './replyView';
import type { LiveSession } from './session';
import {
  type ConversationCell,
  type ConversationControl,
  type ConversationState,
  callGraceMs,
  placement,
  type StepOutcome,
  type StepRun,
  type StepStatus,
} from './state';
import type { StepList } from './steps';

type SendResult = ResponseOf<'smtp.send'>;

/** A step ready to leave: the bytes of what is sent (a stale message rebuilt first) and where they go. */
interface Outgoing {
  readonly stepId: string;
  /** The step as sent: for a message, its text after the rebuild. */
  readonly step: SmtpStep;
  readonly lines: readonly BuiltLine[];
  readonly title: string;
  readonly warnings: readonly string[];
  readonly insideTls: boolean;
  readonly sessionId: string;
  readonly replyTimeoutMs: number;
}

/** How a step ended, when it did not run through to 'ok'. */
type Ending = [StepStatus, Partial<StepRun>?];

/**
 * Sending the conversation's steps over the live session, one at a time or all in a
 * row: each step's lines go out one after the other (AUTH LOGIN waits for each 334),
 * each with its exact bytes in the transcript, and the step's run records the replies
 * and why it stopped. Nothing the user typed is touched when a step fails.
 */
export class StepSender {
  private stopAll = false;

  constructor(
    private readonly cell: ConversationCell,
    private readonly client: Client,
    private readonly transcript: TranscriptModel,
    private readonly now: () => number,
    private readonly steps: StepList,
    private readonly drafts: MessageDrafts,
    private readonly session: LiveSession,
  ) {}

  private get state(): ConversationState {
    return this.cell.state;
  }

  /**
   * Sends one step (default: the next one) and waits for its reply within the reply deadline.
   * Afterwards the next step is the first not yet sent successfully, so a step sent out of
   * order (DATA first, refused) leaves the pointer where the conversation really stands.
   * A message step goes only after the server's 354, unless `anyway` (the user was asked).
   */
  async sendStep(id = this.state.nextStepId, options: { anyway?: boolean } = {}): Promise<StepOutcome> {
    const ready = this.ready(id);
    if (typeof ready === 'string') return ready;
    if (ready.step.kind === 'message' && !options.anyway && this.state.session.phase !== 'in-data') {
      this.cell.update({ confirmMessage: ready.step.id });
      return 'invalid';
    }
    if (this.state.confirmMessage) this.cell.update({ confirmMessage: undefined });
    const outcome = await this.sendReady(ready);
    if (outcome !== 'invalid') this.cell.update({ nextStepId: this.steps.firstNotDone() });
    return outcome;
  }

  /** Keeps the message step unsent after the question "the server has not said 354". */
  dismissMessageConfirm(): void {
    this.cell.update({ confirmMessage: undefined });
  }

  private async sendReady(ready: { step: SmtpStep; sessionId: string; replyTimeoutMs: number }): Promise<StepOutcome> {
    const outgoing = await this.prepare(ready.step, ready.sessionId, ready.replyTimeoutMs);
    if (!outgoing) return 'invalid';
    const run = this.start(outgoing);
    for (const [index, line] of outgoing.lines.entries()) {
      const ended = await this.sendLine(outgoing, run, line, index);
      if (ended) return run.finish(...ended);
    }
    if (outgoing.step.kind === 'starttls' && run.current.replies.at(-1)?.code === 220) {
      return run.finish(...(await this.upgrade(outgoing.sessionId, outgoing.replyTimeoutMs)));
    }
    return run.finish('ok');
  }

  /** Sends the steps from the next one to the end, stopping at the first 4xx/5xx reply or error. */
  async sendAll(): Promise<StepOutcome> {
    if (this.state.sendingAll) return 'invalid';
    if (!this.session.sessionId && !(await this.session.connect())) return 'failed';
    this.stopAll = false;
    this.cell.update({ sendingAll: true });
    let outcome: StepOutcome = 'ok';
    try {
      let id = this.state.nextStepId;
      while (id !== undefined && !this.stopAll && this.session.sessionId) {
        outcome = await this.sendStep(id);
        if (outcome !== 'ok') break;
        id = this.state.nextStepId;
      }
    } finally {
      this.cell.update({ sendingAll: false });
    }
    return outcome;
  }

  /** Send all steps stops before its next step (the step on its way finishes or fails first). */
  stopSendAll(): void {
    this.stopAll = true;
  }

  /** The Cancel beside the reply countdown: stop waiting and stop Send all steps. */
  async cancelStep(): Promise<void> {
    this.stopAll = true;
    const sessionId = this.session.sessionId;
    if (!sessionId) return;
    try {
      await this.client.call('smtp.cancelWait', { sessionId }, { timeoutMs: callGraceMs });
    } catch {
      // The wait ends on the Node side at its deadline anyway; the step then says so.
    }
  }

  /* ---- the pieces of sending a step ---- */

  /** The step, the open session and the reply deadline, or why the step cannot go (said beside the control). */
  private ready(id: string | undefined): StepOutcome | { step: SmtpStep; sessionId: string; replyTimeoutMs: number } {
    const step = id === undefined ? undefined : this.steps.byId(id);
    if (!step) {
      this.setError('send', controlError('There is no step to send: add one with “Add step”.'));
      return 'invalid';
    }
    if (this.state.stepWait) {
      this.setError('send', controlError('A step is still waiting for its reply: wait for it, or Cancel.'));
      return 'invalid';
    }
    const sessionId = this.session.sessionId;
    if (!sessionId) {
      this.setError('send', controlError('Not connected: press Connect first (the server greets you, then you talk).'));
      return 'failed';
    }
    const replyTimeoutMs = this.replyDeadline(step.id);
    if (replyTimeoutMs === undefined) return 'invalid';
    return { step, sessionId, replyTimeoutMs };
  }

  /** The step's own reply deadline, or else the common one; undefined when the one that applies is no time. */
  private replyDeadline(stepId: string): number | undefined {
    const own = this.state.stepDeadlines[stepId]?.trim() ?? '';
    const deadline = parseSecondsField(own === '' ? this.state.replyDeadline : own, false);
    if (deadline.ok && deadline.ms !== undefined) return deadline.ms;
    const problem = controlError(deadline.ok ? 'Type a reply deadline.' : deadline.message);
    if (own === '') this.setError('replyDeadline', problem);
    else this.setStepError(stepId, problem);
    return undefined;
  }

  /** The step's bytes, a message rebuilt from its editor if the fields changed since; undefined if they cannot be made. */
  private async prepare(step: SmtpStep, sessionId: string, replyTimeoutMs: number): Promise<Outgoing | undefined> {
    let sending = step;
    const draft = this.state.drafts[step.id];
    if (step.kind === 'message' && draft && isDraftStale(draft)) {
      if (!(await this.drafts.build(step.id))) return undefined;
      sending = this.steps.byId(step.id) ?? step;
    }
    const built = buildStep(sending);
    if (!built.ok) {
      this.setStepError(step.id, controlError(built.message, 'E_PARSE'));
      return undefined;
    }
    const warnings = [...built.warnings];
    if (sending.kind === 'message') {
      const issues = this.drafts.lint(sending).issues.filter((issue) => issue.severity !== 'info');
      for (const issue of issues) warnings.push(`Sent anyway: ${issue.message}.`);
    }
    return {
      stepId: step.id,
      step: sending,
      lines: built.lines,
      title: stepTitles[sending.kind],
      warnings,
      insideTls: this.state.connection?.tls ?? false,
      sessionId,
      replyTimeoutMs,
    };
  }

  /** The step's run begins empty, and the step after it becomes the next one. */
  private start(outgoing: Outgoing): StepRunRecord {
    const run = new StepRunRecord(this.cell, outgoing.stepId, {
      status: 'sending',
      lines: [],
      replies: [],
      warnings: outgoing.warnings,
      outOfOrder: undefined,
      error: undefined,
      insideTls: outgoing.insideTls,
      certificate: undefined,
    });
    run.write({ errors: without(this.state.errors, 'send'), nextStepId: this.steps.after(outgoing.stepId) });
    return run;
  }

  /** One line of the step out and its replies in; how the step ended, or undefined to send the next line. */
  private async sendLine(
    outgoing: Outgoing,
    run: StepRunRecord,
    line: BuiltLine,
    index: number,
  ): Promise<Ending | undefined> {
    const { step, title, lines, warnings, sessionId, replyTimeoutMs } = outgoing;
    this.session.sent(line.bytes);
    run.change({
      lines: [...run.current.lines, { bytes: line.bytes, decoded: line.decoded, secret: line.secret ?? false }],
    });
    const label = lines.length > 1 ? `${title} (${index + 1}/${lines.length})` : title;
    const flagged = index === 0 && warnings.length > 0;
    this.transcript.append({
      direction: 'client-to-server',
      data: line.bytes,
      note: sentNote(outgoing, line, label, flagged),
      tone: flagged ? 'warn' : 'info',
    });
    const expectReply = !(step.kind === 'message' && step.finalDot === false);
    run.write({
      stepWait: expectReply
        ? { stepId: step.id, what: title, startedAt: this.now(), timeoutMs: replyTimeoutMs }
        : undefined,
    });
    let result: SendResult;
    try {
      result = await this.client.call(
        'smtp.send',
        { sessionId, data: line.bytes, expectReply, replyTimeoutMs, label },
        { timeoutMs: replyTimeoutMs + callGraceMs },
      );
    } catch (error) {
      return [isCancelled(error) ? 'cancelled' : 'failed', { error: this.stepFailure(error, title, replyTimeoutMs) }];
    }
    this.takeReplies(run, result, step.kind === 'ehlo');
    return this.ending(result, line, title, label, replyTimeoutMs);
  }

  /** The replies to a line: into the session and the step's run; an unfinished one into the transcript. */
  private takeReplies(run: StepRunRecord, result: SendResult, isEhlo: boolean): void {
    const problem = result.notes.find((note) => note.problem !== null)?.problem ?? undefined;
    run.change({ insideTls: result.tls, outOfOrder: run.current.outOfOrder ?? problem });
    for (const info of result.replies) {
      const view = this.session.received(info, isEhlo);
      run.change({ replies: [...run.current.replies, view] });
    }
    if (result.partial) {
      this.transcript.append({
        direction: 'server-to-client',
        data: result.partial.raw,
        note: 'an unfinished reply: the connection closed in the middle of it',
        tone: 'error',
      });
    }
  }

  /** Whether the step ends at this line's result, and how; undefined: its next line goes. */
  private ending(
    result: SendResult,
    line: BuiltLine,
    title: string,
    label: string,
    replyTimeoutMs: number,
  ): Ending | undefined {
    switch (result.outcome) {
      case 'not-awaited':
        return ['sent'];
      case 'timeout':
        this.session.note('warn', `no reply to ${label} within ${formatDuration(replyTimeoutMs)}`);
        return [
          'failed',
          {
            error: controlError(
              `No reply to ${title} within ${formatDuration(replyTimeoutMs)}: the server went silent here. ${result.error?.message ?? ''} Raise the reply deadline, send another step, or Disconnect; what you typed stays.`.replace(
                /\s+/g,
                ' ',
              ),
              'E_TIMEOUT',
            ),
          },
        ];
      case 'closed':
        return [
          'failed',
          {
            // The Node side's message already names who closed, at which step, and says to connect again.
            error: controlError(
              `${upperFirst(result.error?.message ?? `The connection closed at this step (${title}); connect again to go on.`)} Your steps are kept.`,
              result.error?.code === 'E_RESET' ? 'E_RESET' : 'E_CLOSED',
            ),
          },
        ];
      case 'cancelled':
        return ['cancelled', { error: controlError(`You stopped waiting for the reply to ${title}.`, 'E_CANCELLED') }];
      default:
        break;
    }
    const last = result.replies.at(-1);
    if (!last) return ['failed', { error: controlError(`No reply to ${title}.`, 'E_NO_REPLY') }];
    if (result.replies.some((info) => !replyGoesOn(info.reply.code))) return ['negative'];
    if (line.expect !== undefined && last.reply.code !== line.expect) return ['ok'];
    return undefined;
  }

  /** STARTTLS answered 220: the handshake on the same connection, and its certificate on the step. */
  private async upgrade(sessionId: string, timeoutMs: number): Promise<Ending> {
    try {
      const { certificate } = await this.client.call(
        'smtp.startTls',
        { sessionId, acceptSelfSigned: this.state.acceptSelfSigned, timeoutMs },
        { timeoutMs: timeoutMs + callGraceMs },
      );
      const connection = this.state.connection;
      if (connection) this.cell.update({ connection: { ...connection, tls: true, certificate } });
      this.session.note(
        'ok',
        `TLS started on this connection (${[certificate.protocol, certificate.cipher].filter(Boolean).join(', ') || 'TLS'}); everything after this line is encrypted. The session starts over: send EHLO again.`,
      );
      return ['ok', { certificate }];
    } catch (error) {
      return ['failed', { error: this.stepFailure(error, 'the TLS handshake', timeoutMs) }];
    }
  }

  /** A step's failure in words that say where and what to do; the step's text is untouched. */
  private stepFailure(error: unknown, what: string, timeoutMs: number): ControlError {
    const code = isPlaygroundError(error) ? String(error.code) : 'E_INTERNAL';
    if (code === 'E_CANCELLED') return controlError(`You cancelled the wait for the reply to ${what}.`, code);
    if (code === 'E_TIMEOUT') {
      return controlError(
        `No reply to ${what} within ${formatDuration(timeoutMs)}: the server went silent here. Cancel, raise the reply deadline, or send another step.`,
        code,
      );
    }
    return placeError(error, 'send', { ...placement, typed: { replyDeadline: this.state.replyDeadline } }).error;
  }

  private setError(control: ConversationControl, error: ControlError): void {
    this.cell.update({ errors: { ...this.state.errors, [control]: error } });
  }

  private setStepError(stepId: string, error: ControlError): void {
    this.cell.update({ stepErrors: { ...this.state.stepErrors, [stepId]: error } });
  }
}

/**
 * The run of one step while it goes: changed as lines leave and replies come, and written
 * into the state at the moments the view shows it (a line left, the step ended).
 */
class StepRunRecord {
  constructor(
    private readonly cell: ConversationCell,
    private readonly stepId: string,
    private run: StepRun,
  ) {}

  get current(): StepRun {
    return this.run;
  }

  change(change: Partial<StepRun>): void {
    this.run = { ...this.run, ...change };
  }

  write(change: Partial<ConversationState> = {}): void {
    this.cell.update({ ...change, runs: { ...this.cell.state.runs, [this.stepId]: this.run } });
  }

  finish(status: StepStatus, change: Partial<StepRun> = {}): StepOutcome {
    this.change({ ...change, status });
    this.write({ stepWait: undefined });
    return status === 'ok' || status === 'sent' ? 'ok' : status === 'negative' ? 'negative' : 'failed';
  }
}

/** The transcript's words for a line sent: which step, TLS, what an AUTH line's base64 stands for, oddities. */
function sentNote(outgoing: Outgoing, line: BuiltLine, label: string, flagged: boolean): string {
  return [
    label,
    outgoing.insideTls ? 'inside TLS' : undefined,
    line.decoded !== undefined
      ? `base64 of ${escapeNul(line.secret ? hideSecret(line.decoded) : line.decoded)}`
      : undefined,
    flagged ? outgoing.warnings.join(' ') : undefined,
  ]
    .filter(Boolean)
    .join('; ');
}

/** `␀alice␀secret` → `␀alice␀••••••`: the transcript names the user but not the password. */
export function hideSecret(decoded: string): string {
  const parts = decoded.split('␀');
  if (parts.length === 3) return `${parts[0]}␀${parts[1]}␀${'•'.repeat(6)}`;
  return '•'.repeat(6);
}

/** NUL as `\0` in plain-text notes: the control picture ␀ is missing from many lab machines' fonts. */
function escapeNul(text: string): string {
  return text.replaceAll('␀', '\\0');
}

/** A Node-side message may start mid-sentence ("the connection was closed here…"); shown alone, it needs a capital. */
function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
