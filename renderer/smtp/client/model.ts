import { formatDuration } from '../../../shared/bytes';
import type { Client } from '../../../shared/contract/client';
import { isPlaygroundError } from '../../../shared/contract/errors';
import type { EventPayloadOf, ResponseOf } from '../../../shared/contract/index';
import { buildStep, type SmtpStep, type SmtpStepKind, SmtpSessionTracker, stepTitles } from '../../../shared/smtp';
import type { SmtpReplyInfo } from '../../../shared/smtp/client/contract';
import { CancellableCall, checkConnectFields, connectFailure } from '../../net/connect';
import {
  type ControlError,
  type ControlErrors,
  controlError,
  isCancelled,
  parseSecondsField,
  placeError,
} from '../../net/errors';
import { formatAddress } from '../../net/format';
import { without } from '../../net/session';
import { Store } from '../../net/store';
import { type TranscriptInput, TranscriptModel, type TranscriptOptions } from '../../transcript/model';
import { type DraftField, isDraftStale, type MessageEditMode, MessageDrafts } from './messageDraft';
import { type ReplyView, replyGoesOn, replyView } from './replyView';
import {
  type ConversationCell,
  type ConversationControl,
  type ConversationState,
  callGraceMs,
  placement,
  type Security,
  type StepOutcome,
  type StepRun,
  type StepStatus,
} from './state';
import { StepList, textbookStart } from './steps';

export interface ConversationOptions {
  transcript?: TranscriptOptions;
  now?: () => number;
}

/**
 * The SMTP conversation builder: a list of steps (the textbook's to start with)
 * the user edits, reorders and sends one at a time or all in a row over one
 * connection, each step showing exactly the bytes it sent and the reply with its
 * meaning. The session tracker follows the conversation as the server sees it,
 * so a step sent out of order is explained with the server's answer. Nothing the
 * user typed is lost when a server hangs up or goes silent.
 */
export class ConversationModel extends Store<ConversationState> {
  readonly transcript: TranscriptModel;
  private readonly steps: StepList;
  private readonly drafts: MessageDrafts;
  private tracker = new SmtpSessionTracker();
  private readonly connecting = new CancellableCall();
  private stopAll = false;
  private readonly now: () => number;
  private readonly unsubscribes: Array<() => void>;

  constructor(
    private readonly client: Client,
    options: ConversationOptions = {},
  ) {
    super({
      host: '127.0.0.1',
      port: '2525',
      security: 'plain',
      acceptSelfSigned: true,
      connectDeadline: '10',
      replyDeadline: '10',
      stepDeadlines: {},
      ...textbookStart(),
      runs: {},
      phase: 'idle',
      connection: undefined,
      connectWait: undefined,
      stepWait: undefined,
      sendingAll: false,
      session: new SmtpSessionTracker().snapshot(),
      errors: {},
      stepErrors: {},
    });
    this.now = options.now ?? Date.now;
    this.transcript = new TranscriptModel(options.transcript);
    const read = () => this.state;
    const cell: ConversationCell = {
      get state() {
        return read();
      },
      update: (change) => this.set({ ...this.state, ...change }),
    };
    this.steps = new StepList(cell);
    this.drafts = new MessageDrafts(cell, client);
    this.unsubscribes = [
      client.on('smtp.reply', (payload) => this.unsolicited(payload)),
      client.on('smtp.closed', (payload) => this.closedEvent(payload)),
    ];
  }

  get sessionId(): string | undefined {
    const connection = this.state.connection;
    return connection?.open ? connection.sessionId : undefined;
  }

  /* ---- fields ---- */

  setHost(host: string): void {
    this.patch({ host }, 'host', 'connect');
  }

  /** 465 means implicit TLS; other ports start plain (STARTTLS upgrades later). */
  setPort(port: string): void {
    const trimmed = port.trim();
    const security: Security =
      trimmed === '465' ? 'implicit-tls' : this.state.port.trim() === '465' ? 'plain' : this.state.security;
    this.patch({ port, security }, 'port', 'connect');
  }

  /** Fills Host and Port (plain) for a server the page knows, like the built-in one. */
  useServer(host: string, port: number): void {
    this.patch({ host, port: String(port), security: 'plain' }, 'host', 'port', 'connect');
  }

  setSecurity(security: Security): void {
    this.patch({ security }, 'connect');
  }

  setAcceptSelfSigned(acceptSelfSigned: boolean): void {
    this.patch({ acceptSelfSigned }, 'connect');
  }

  setConnectDeadline(connectDeadline: string): void {
    this.patch({ connectDeadline }, 'connectDeadline');
  }

  setReplyDeadline(replyDeadline: string): void {
    this.patch({ replyDeadline }, 'replyDeadline', 'send');
  }

  /** This step waits this long for its reply (e.g. longer for a server that is slow to accept the message). */
  setStepDeadline(id: string, seconds: string): void {
    this.set({
      ...this.state,
      stepDeadlines: { ...this.state.stepDeadlines, [id]: seconds },
      stepErrors: without(this.state.stepErrors, id),
    });
  }

  /* ---- steps ---- */

  addStep(kind: SmtpStepKind, afterId?: string): string {
    return this.steps.add(kind, afterId);
  }

  addStepHere(kind: SmtpStepKind): string {
    return this.steps.addHere(kind);
  }

  editStep(id: string, patch: Partial<Omit<SmtpStep, 'id' | 'kind'>>): void {
    this.steps.edit(id, patch);
  }

  removeStep(id: string): void {
    this.steps.remove(id);
  }

  moveStep(id: string, delta: number): void {
    this.steps.move(id, delta);
  }

  setNextStep(id: string): void {
    this.steps.setNext(id);
  }

  resetSteps(): void {
    this.steps.reset();
  }

  /* ---- the message editor ---- */

  setMessageMode(id: string, mode: MessageEditMode): void {
    this.drafts.setMode(id, mode);
  }

  editDraft(id: string, field: DraftField, value: string): void {
    this.drafts.edit(id, field, value);
  }

  attach(id: string, file: { name: string; type: string; content: Uint8Array }): string | undefined {
    return this.drafts.attach(id, file);
  }

  detach(id: string, attachmentId: string): void {
    this.drafts.detach(id, attachmentId);
  }

  buildMessage(id: string): Promise<boolean> {
    return this.drafts.build(id);
  }

  restoreTypedText(id: string): void {
    this.drafts.restoreTypedText(id);
  }

  lint(step: SmtpStep) {
    return this.drafts.lint(step);
  }

  /* ---- the connection ---- */

  async connect(): Promise<boolean> {
    if (this.state.phase !== 'idle') return false;
    const checked = checkConnectFields(this.state);
    const host = this.state.host.trim();
    if (!checked.ok || host === '') {
      const errors: ControlErrors<ConversationControl> = checked.ok ? {} : checked.errors;
      const hostError = controlError('Type the mail server’s name or address, e.g. 127.0.0.1.');
      this.set({ ...this.state, errors: host === '' ? { ...errors, host: hostError } : errors });
      return false;
    }
    const { port, timeoutMs } = checked;
    const implicitTls = this.state.security === 'implicit-tls';
    const target = formatAddress(host, port);
    this.set({ ...this.state, phase: 'connecting', connectWait: { startedAt: this.now(), timeoutMs }, errors: {} });
    this.note('info', `connecting to ${target}${implicitTls ? ' with TLS from the first byte (implicit TLS)' : ''}…`);
    const outcome = await this.connecting.run((signal) =>
      this.client.call(
        'smtp.connect',
        {
          host,
          port,
          security: this.state.security,
          acceptSelfSigned: this.state.acceptSelfSigned,
          connectTimeoutMs: timeoutMs,
          greetingTimeoutMs: timeoutMs,
        },
        { signal, timeoutMs: 2 * timeoutMs + callGraceMs },
      ),
    );
    if (outcome.ok) {
      this.opened(outcome.result, host, port);
      return true;
    }
    const failure = connectFailure(outcome.error, target, this.state, placement);
    this.note(failure.line.tone, failure.line.note);
    this.set({ ...this.state, ...failure.patch });
    return false;
  }

  cancelConnect(): void {
    this.connecting.cancel();
  }

  async disconnect(): Promise<void> {
    const sessionId = this.sessionId;
    this.stopAll = true;
    if (!sessionId) return;
    try {
      await this.client.call('smtp.close', { sessionId }, { timeoutMs: callGraceMs });
      this.closedBy({ sessionId, reason: 'closed by this client', byServer: false });
    } catch (error) {
      this.setError('disconnect', placeError(error, 'disconnect').error);
    }
  }

  /* ---- sending ---- */

  /** Sends one step (default: the next one) and waits for its reply within the reply deadline. */
  async sendStep(id = this.state.nextStepId): Promise<StepOutcome> {
    const step = id === undefined ? undefined : this.steps.byId(id);
    if (!step) {
      this.setError('send', controlError('There is no step to send: add one with “Add step”.'));
      return 'invalid';
    }
    if (this.state.stepWait) {
      this.setError('send', controlError('A step is still waiting for its reply: wait for it, or Cancel.'));
      return 'invalid';
    }
    const sessionId = this.sessionId;
    if (!sessionId) {
      this.setError('send', controlError('Not connected: press Connect first (the server greets you, then you talk).'));
      return 'failed';
    }
    const own = this.state.stepDeadlines[step.id]?.trim() ?? '';
    const deadline = parseSecondsField(own === '' ? this.state.replyDeadline : own, false);
    if (!deadline.ok || deadline.ms === undefined) {
      const problem = controlError(deadline.ok ? 'Type a reply deadline.' : deadline.message);
      if (own === '') this.setError('replyDeadline', problem);
      else this.set({ ...this.state, stepErrors: { ...this.state.stepErrors, [step.id]: problem } });
      return 'invalid';
    }
    const replyTimeoutMs = deadline.ms;

    let sending = step;
    const draft = this.state.drafts[step.id];
    if (step.kind === 'message' && draft && isDraftStale(draft)) {
      if (!(await this.drafts.build(step.id))) return 'invalid';
      sending = this.steps.byId(step.id) ?? step;
    }
    const built = buildStep(sending);
    if (!built.ok) {
      this.set({
        ...this.state,
        stepErrors: { ...this.state.stepErrors, [step.id]: controlError(built.message, 'E_PARSE') },
      });
      return 'invalid';
    }

    const warnings = [...built.warnings];
    if (sending.kind === 'message') {
      const issues = this.drafts.lint(sending).issues.filter((issue) => issue.severity !== 'info');
      for (const issue of issues) warnings.push(`Sent anyway: ${issue.message}.`);
    }
    const insideTls = this.state.connection?.tls ?? false;
    const title = stepTitles[sending.kind];
    let run: StepRun = {
      status: 'sending',
      lines: [],
      replies: [],
      warnings,
      outOfOrder: undefined,
      error: undefined,
      insideTls,
      certificate: undefined,
    };
    this.setRun(step.id, run, { errors: without(this.state.errors, 'send'), nextStepId: this.steps.after(step.id) });

    const finish = (status: StepStatus, change: Partial<StepRun> = {}): StepOutcome => {
      run = { ...run, ...change, status };
      this.setRun(step.id, run, { stepWait: undefined });
      return status === 'ok' || status === 'sent' ? 'ok' : status === 'negative' ? 'negative' : 'failed';
    };

    for (const [index, line] of built.lines.entries()) {
      this.tracker.sent(line.bytes);
      run = {
        ...run,
        lines: [...run.lines, { bytes: line.bytes, decoded: line.decoded, secret: line.secret ?? false }],
      };
      const label = built.lines.length > 1 ? `${title} (${index + 1}/${built.lines.length})` : title;
      const sentNote = [
        label,
        insideTls ? 'inside TLS' : undefined,
        line.decoded !== undefined
          ? `base64 of ${escapeNul(line.secret ? hideSecret(line.decoded) : line.decoded)}`
          : undefined,
        index === 0 && warnings.length > 0 ? warnings.join(' ') : undefined,
      ]
        .filter(Boolean)
        .join('; ');
      this.append({
        direction: 'client-to-server',
        data: line.bytes,
        note: sentNote,
        tone: index === 0 && warnings.length > 0 ? 'warn' : 'info',
      });
      const expectReply = !(sending.kind === 'message' && sending.finalDot === false);
      this.setRun(step.id, run, {
        stepWait: expectReply
          ? { stepId: step.id, what: title, startedAt: this.now(), timeoutMs: replyTimeoutMs }
          : undefined,
      });
      let result: ResponseOf<'smtp.send'>;
      try {
        result = await this.client.call(
          'smtp.send',
          { sessionId, data: line.bytes, expectReply, replyTimeoutMs, label },
          { timeoutMs: replyTimeoutMs + callGraceMs },
        );
      } catch (error) {
        return finish(isCancelled(error) ? 'cancelled' : 'failed', {
          error: this.stepFailure(error, title, replyTimeoutMs),
        });
      }
      const problem = result.notes.find((note) => note.problem !== null)?.problem ?? undefined;
      run = { ...run, insideTls: result.tls, outOfOrder: run.outOfOrder ?? problem };
      for (const info of result.replies) {
        const view = this.received(info, sending.kind === 'ehlo');
        run = { ...run, replies: [...run.replies, view] };
      }
      if (result.partial) {
        this.append({
          direction: 'server-to-client',
          data: result.partial.raw,
          note: 'an unfinished reply: the connection closed in the middle of it',
          tone: 'error',
        });
      }
      switch (result.outcome) {
        case 'not-awaited':
          return finish('sent');
        case 'timeout':
          this.note('warn', `no reply to ${label} within ${formatDuration(replyTimeoutMs)}`);
          return finish('failed', {
            error: controlError(
              `No reply to ${title} within ${formatDuration(replyTimeoutMs)}: the server went silent here. ${result.error?.message ?? ''} Raise the reply deadline, send another step, or Disconnect; what you typed stays.`.replace(
                /\s+/g,
                ' ',
              ),
              'E_TIMEOUT',
            ),
          });
        case 'closed':
          return finish('failed', {
            // The Node side's message already names who closed, at which step, and says to connect again.
            error: controlError(
              `${upperFirst(result.error?.message ?? `The connection closed at this step (${title}); connect again to go on.`)} Your steps are kept.`,
              result.error?.code === 'E_RESET' ? 'E_RESET' : 'E_CLOSED',
            ),
          });
        case 'cancelled':
          return finish('cancelled', {
            error: controlError(`You stopped waiting for the reply to ${title}.`, 'E_CANCELLED'),
          });
        default:
          break;
      }
      const last = result.replies.at(-1);
      if (!last) return finish('failed', { error: controlError(`No reply to ${title}.`, 'E_NO_REPLY') });
      if (result.replies.some((info) => !replyGoesOn(info.reply.code))) return finish('negative');
      if (line.expect !== undefined && last.reply.code !== line.expect) return finish('ok');
    }

    if (sending.kind === 'starttls' && run.replies.at(-1)?.code === 220) {
      return finish(...(await this.upgrade(sessionId, replyTimeoutMs)));
    }
    return finish('ok');
  }

  /** Sends the steps from the next one to the end, stopping at the first 4xx/5xx reply or error. */
  async sendAll(): Promise<StepOutcome> {
    if (this.state.sendingAll) return 'invalid';
    if (!this.sessionId && !(await this.connect())) return 'failed';
    this.stopAll = false;
    this.set({ ...this.state, sendingAll: true });
    let outcome: StepOutcome = 'ok';
    try {
      let id = this.state.nextStepId;
      while (id !== undefined && !this.stopAll && this.sessionId) {
        outcome = await this.sendStep(id);
        if (outcome !== 'ok') break;
        id = this.state.nextStepId;
      }
    } finally {
      this.set({ ...this.state, sendingAll: false });
    }
    return outcome;
  }

  /** The Cancel beside the reply countdown: stop waiting and stop Send all. */
  async cancelStep(): Promise<void> {
    this.stopAll = true;
    const sessionId = this.sessionId;
    if (!sessionId) return;
    try {
      await this.client.call('smtp.cancelWait', { sessionId }, { timeoutMs: callGraceMs });
    } catch {
      // The wait ends on the Node side at its deadline anyway; the step then says so.
    }
  }

  connectionLost(): void {
    this.connecting.cancel();
    const sessionId = this.sessionId;
    if (sessionId) {
      this.closedBy({
        sessionId,
        reason: 'the app lost its link to its Node side, which closed this connection; connect again once it is back',
        byServer: false,
      });
    }
  }

  dispose(): void {
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    this.connecting.cancel();
    const sessionId = this.sessionId;
    if (sessionId) this.client.call('smtp.close', { sessionId }, { timeoutMs: callGraceMs }).catch(() => {});
  }

  /* ---- internals ---- */

  private async upgrade(sessionId: string, timeoutMs: number): Promise<[StepStatus, Partial<StepRun>]> {
    try {
      const { certificate } = await this.client.call(
        'smtp.startTls',
        { sessionId, acceptSelfSigned: this.state.acceptSelfSigned, timeoutMs },
        { timeoutMs: timeoutMs + callGraceMs },
      );
      const connection = this.state.connection;
      if (connection) this.set({ ...this.state, connection: { ...connection, tls: true, certificate } });
      this.note(
        'ok',
        `TLS started on this connection (${[certificate.protocol, certificate.cipher].filter(Boolean).join(', ') || 'TLS'}); everything after this line is encrypted. The session starts over: send EHLO again.`,
      );
      return ['ok', { certificate }];
    } catch (error) {
      return ['failed', { error: this.stepFailure(error, 'the TLS handshake', timeoutMs) }];
    }
  }

  /** A reply of the conversation: into the tracker, the transcript, and the view. */
  private received(info: SmtpReplyInfo, isEhlo = false): ReplyView {
    this.tracker.received(info.reply);
    const view = replyView(info, isEhlo);
    const greeting = info.seq === 0;
    this.append({
      direction: 'server-to-client',
      data: info.reply.raw,
      at: info.at,
      mono: info.mono,
      // The greeting answers nothing sent, so its wait is no round trip: said in words instead.
      rttMs: greeting ? undefined : (info.rttMs ?? undefined),
      note: [
        `${info.reply.code ?? '???'} ${view.title}`,
        greeting ? 'the greeting' : undefined,
        info.tls ? 'inside TLS' : undefined,
        view.note ?? undefined,
        greeting && info.rttMs !== null ? `${formatDuration(info.rttMs)} after connecting` : undefined,
      ]
        .filter(Boolean)
        .join('; '),
      tone: replyGoesOn(info.reply.code) ? 'ok' : 'error',
    });
    this.set({ ...this.state, session: this.tracker.snapshot() });
    return view;
  }

  /** A reply no step is waiting for: a 421 while idle, or one that came after its deadline. */
  private unsolicited(info: EventPayloadOf<'smtp.reply'>): void {
    if (info.sessionId !== this.sessionId || (info.seq !== null && !info.late)) return;
    const view = this.received(info);
    const connection = this.state.connection;
    if (connection) this.set({ ...this.state, connection: { ...connection, unasked: [...connection.unasked, view] } });
  }

  private opened(connected: ResponseOf<'smtp.connect'>, host: string, port: number): void {
    this.tracker = new SmtpSessionTracker();
    this.tracker.connected();
    const implicitTls = connected.security === 'implicit-tls';
    const where = `${connected.peer.address}:${connected.peer.port}`;
    // The response comes after the greeting: stamped now, the line would sit after the 220 it
    // precedes. The handshake ended the TLS time and the greeting wait before the greeting arrived.
    const sinceConnected = connected.timings.greetingMs + (connected.timings.tlsMs ?? 0);
    this.note(
      'ok',
      `connected: this socket ${connected.local.address}:${connected.local.port} → server ${where} (handshake ${formatDuration(connected.timings.connectMs)}${implicitTls ? ', then TLS from the first byte' : ''})`,
      { at: connected.greeting.at - sinceConnected, mono: connected.greeting.mono - sinceConnected },
    );
    const greeting = this.received(connected.greeting);
    this.set({
      ...this.state,
      phase: 'connected',
      connectWait: undefined,
      runs: {},
      stepErrors: {},
      nextStepId: this.state.steps[0]?.id,
      session: this.tracker.snapshot(),
      connection: {
        sessionId: connected.sessionId,
        host,
        port,
        open: true,
        tls: implicitTls,
        implicitTls,
        greeting,
        certificate: connected.certificate,
        closeReason: undefined,
        unasked: [],
      },
    });
  }

  private closedEvent(event: EventPayloadOf<'smtp.closed'>): void {
    const who =
      event.by === 'server'
        ? event.afterQuit
          ? 'the server closed the connection after its 221, as QUIT asks'
          : `the server closed the connection${event.label ? ` at step ${event.label}` : ''}`
        : event.by === 'client'
          ? 'closed by this client'
          : event.by === 'reset'
            ? `the server reset the connection${event.label ? ` at step ${event.label}` : ''}`
            : 'the connection failed';
    const reason = event.error ? `${who}: ${event.error.message}` : who;
    this.closedBy({ sessionId: event.sessionId, reason, byServer: event.by !== 'client' && !event.afterQuit });
  }

  private closedBy(event: { sessionId: string; reason: string; byServer: boolean }): void {
    const connection = this.state.connection;
    if (!connection || connection.sessionId !== event.sessionId || !connection.open) return;
    this.tracker.closed();
    this.note(event.byServer ? 'warn' : 'info', event.reason);
    this.stopAll = true;
    this.set({
      ...this.state,
      phase: 'idle',
      session: this.tracker.snapshot(),
      connection: { ...connection, open: false, closeReason: event.reason },
    });
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

  private setRun(id: string, run: StepRun, change: Partial<ConversationState> = {}): void {
    this.set({ ...this.state, ...change, runs: { ...this.state.runs, [id]: run } });
  }

  private append(input: TranscriptInput): void {
    this.transcript.append(input);
  }

  /** A line of the app's own; `when` (a Node-side stamp) places it among the bytes, otherwise it is now. */
  private note(tone: 'info' | 'ok' | 'warn' | 'error', note: string, when?: { at: number; mono: number }): void {
    this.transcript.append({ direction: 'system', tone, note, ...when });
  }

  private patch(change: Partial<ConversationState>, ...clears: ConversationControl[]): void {
    this.set({ ...this.state, ...change, errors: without(this.state.errors, ...clears) });
  }

  private setError(control: ConversationControl, error: ControlError): void {
    this.set({ ...this.state, errors: { ...this.state.errors, [control]: error } });
  }
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
