import { decodeValidUtf8, formatDuration } from '../../../shared/bytes';
import type { Client } from '../../../shared/contract/client';
import { isPlaygroundError } from '../../../shared/contract/errors';
import type { EventPayloadOf, ResponseOf } from '../../../shared/contract/index';
import type { TlsCertificate } from '../../../shared/net/contract';
import {
  buildStep,
  createStep,
  lintMessageStep,
  moveStep,
  removeStep,
  type SmtpSessionSnapshot,
  SmtpSessionTracker,
  type SmtpStep,
  type SmtpStepKind,
  stepTitles,
  textbookSteps,
  updateStep,
} from '../../../shared/smtp';
import type { SmtpReplyInfo, SmtpSecurity } from '../../../shared/smtp/client/contract';
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
import { type Wait, without } from '../../net/session';
import { Store } from '../../net/store';
import { type TranscriptInput, TranscriptModel, type TranscriptOptions } from '../../transcript/model';
import {
  addressList,
  attachmentProblem,
  type DraftAttachment,
  type DraftField,
  defaultDraft,
  isDraftStale,
  isTypedInRaw,
  type MessageDraft,
  type MessageEditMode,
  patchDraft,
} from './messageDraft';
import { type ReplyView, replyGoesOn, replyView } from './replyView';

export type ConversationControl =
  'host' | 'port' | 'connectDeadline' | 'replyDeadline' | 'connect' | 'send' | 'disconnect';

export type Security = SmtpSecurity;

export const securityLabels: Record<Security, string> = {
  plain: 'Plain (STARTTLS later)',
  'implicit-tls': 'TLS from the start (465)',
};

/** One line a step sent: exactly the bytes, and for AUTH what the base64 stands for. */
export interface SentLine {
  readonly bytes: Uint8Array;
  readonly decoded: string | undefined;
  readonly secret: boolean;
}

export type StepStatus = 'sending' | 'ok' | 'negative' | 'failed' | 'cancelled' | 'sent';

/** What happened when a step was sent (the last time). */
export interface StepRun {
  readonly status: StepStatus;
  readonly lines: readonly SentLine[];
  readonly replies: readonly ReplyView[];
  /** Oddities of the bytes (from building the step and the message linter), sent anyway. */
  readonly warnings: readonly string[];
  /** The step did not fit where the session stood when it left (the server's answer explains the rest). */
  readonly outOfOrder: string | undefined;
  /** Why the step did not complete: silence, a closed connection, a refused send. */
  readonly error: ControlError | undefined;
  /** The bytes went over TLS. */
  readonly insideTls: boolean;
  /** STARTTLS: the server's certificate once the handshake finished. */
  readonly certificate: TlsCertificate | undefined;
}

export interface SmtpConnection {
  readonly sessionId: string;
  readonly host: string;
  readonly port: number;
  readonly open: boolean;
  readonly tls: boolean;
  readonly implicitTls: boolean;
  readonly greeting: ReplyView;
  readonly certificate: TlsCertificate | undefined;
  readonly closeReason: string | undefined;
  /** Replies no step waited for: a 421 while idle, or one that came after its step's deadline. */
  readonly unasked: readonly ReplyView[];
}

/** The step waiting for its reply, with the deadline the user sees counting down. */
export interface StepWait extends Wait {
  readonly stepId: string;
  readonly what: string;
}

export interface ConversationState {
  readonly host: string;
  readonly port: string;
  readonly security: Security;
  /** Accept a certificate no authority vouches for, like the built-in server's (made on the spot). */
  readonly acceptSelfSigned: boolean;
  readonly connectDeadline: string;
  readonly replyDeadline: string;
  /** A step's own reply deadline in seconds as typed, by step id; empty or missing: the common one. */
  readonly stepDeadlines: Readonly<Record<string, string>>;
  readonly steps: readonly SmtpStep[];
  /** Message editor fields, by message step id. */
  readonly drafts: Readonly<Record<string, MessageDraft>>;
  /** The last result of each step sent on this connection, by step id. */
  readonly runs: Readonly<Record<string, StepRun>>;
  /** The step "Send step" sends next. */
  readonly nextStepId: string | undefined;
  readonly phase: 'idle' | 'connecting' | 'connected';
  readonly connection: SmtpConnection | undefined;
  readonly connectWait: Wait | undefined;
  readonly stepWait: StepWait | undefined;
  readonly sendingAll: boolean;
  readonly session: SmtpSessionSnapshot;
  readonly errors: ControlErrors<ConversationControl>;
  /** A problem with a step's own input (a free line's escapes, a message that cannot be built), by step id. */
  readonly stepErrors: ControlErrors<string>;
}

export type StepOutcome = 'ok' | 'negative' | 'failed' | 'invalid';

export interface ConversationOptions {
  transcript?: TranscriptOptions;
  now?: () => number;
}

/** The call gets this beyond the deadline the Node side keeps, so the Node side's message wins. */
const callGraceMs = 5000;

const placement = {
  fields: { host: 'host', port: 'port', timeoutMs: 'connectDeadline', replyTimeoutMs: 'replyDeadline' },
  codes: { E_DNS: 'host' },
} as const;

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
  private tracker = new SmtpSessionTracker();
  private readonly connecting = new CancellableCall();
  private stopAll = false;
  private readonly now: () => number;
  private readonly unsubscribes: Array<() => void>;

  constructor(
    private readonly client: Client,
    options: ConversationOptions = {},
  ) {
    const steps = textbookSteps();
    const message = steps.find((step) => step.kind === 'message');
    super({
      host: '127.0.0.1',
      port: '2525',
      security: 'plain',
      acceptSelfSigned: true,
      connectDeadline: '10',
      replyDeadline: '10',
      stepDeadlines: {},
      steps,
      drafts: message ? { [message.id]: defaultDraft({ body: message.text }) } : {},
      runs: {},
      nextStepId: steps[0]?.id,
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

  /** Adds a step of this kind after `afterId` (default: the end); returns its id. */
  addStep(kind: SmtpStepKind, afterId?: string): string {
    const steps = this.state.steps;
    const step = createStep(kind, steps);
    const after = afterId === undefined ? -1 : steps.findIndex((candidate) => candidate.id === afterId);
    const index = after < 0 ? steps.length : after + 1;
    const next = [...steps.slice(0, index), step, ...steps.slice(index)];
    const drafts = kind === 'message' ? { ...this.state.drafts, [step.id]: defaultDraft({ body: step.text }) } : null;
    this.set({
      ...this.state,
      steps: next,
      drafts: drafts ?? this.state.drafts,
      nextStepId: this.state.nextStepId ?? step.id,
    });
    return step.id;
  }

  /**
   * "Add step": while connected, the new step goes just before the next one and is sent
   * next (connect, add EHLO, Send step); otherwise it goes at the end of the list.
   */
  addStepHere(kind: SmtpStepKind): string {
    const steps = this.state.steps;
    const nextIndex = steps.findIndex((step) => step.id === this.state.nextStepId);
    if (!this.sessionId) return this.addStep(kind);
    const before = nextIndex < 0 ? steps.at(-1)?.id : steps[nextIndex - 1]?.id;
    const id = nextIndex === 0 ? this.addFirst(kind) : this.addStep(kind, before);
    this.setNextStep(id);
    return id;
  }

  private addFirst(kind: SmtpStepKind): string {
    const id = this.addStep(kind);
    this.moveStep(id, -this.state.steps.length);
    return id;
  }

  editStep(id: string, patch: Partial<Omit<SmtpStep, 'id' | 'kind'>>): void {
    const stepErrors = without(this.state.stepErrors, id);
    this.set({ ...this.state, steps: updateStep(this.state.steps, id, patch), stepErrors });
  }

  removeStep(id: string): void {
    const steps = this.state.steps;
    const index = steps.findIndex((step) => step.id === id);
    if (index < 0 || this.state.stepWait?.stepId === id) return;
    const rest = removeStep(steps, id);
    const { [id]: _draft, ...drafts } = this.state.drafts;
    const { [id]: _run, ...runs } = this.state.runs;
    const nextStepId =
      this.state.nextStepId === id ? (rest[Math.min(index, rest.length - 1)]?.id ?? undefined) : this.state.nextStepId;
    this.set({ ...this.state, steps: rest, drafts, runs, nextStepId, stepErrors: without(this.state.stepErrors, id) });
  }

  /** Moves a step by `delta` places (−1 up, +1 down), clamped to the list. */
  moveStep(id: string, delta: number): void {
    const index = this.state.steps.findIndex((step) => step.id === id);
    if (index < 0) return;
    const target = Math.max(0, Math.min(this.state.steps.length - 1, index + delta));
    if (target === index) return;
    this.set({ ...this.state, steps: moveStep(this.state.steps, id, target) });
  }

  /** The step "Send step" sends next (the user may pick any, in order or not). */
  setNextStep(id: string): void {
    if (this.state.steps.some((step) => step.id === id)) this.set({ ...this.state, nextStepId: id });
  }

  /** Starts over from the textbook's steps (the connection, if any, stays). */
  resetSteps(): void {
    const steps = textbookSteps();
    const message = steps.find((step) => step.kind === 'message');
    this.set({
      ...this.state,
      steps,
      drafts: message ? { [message.id]: defaultDraft({ body: message.text }) } : {},
      runs: {},
      nextStepId: steps[0]?.id,
      stepErrors: {},
    });
  }

  /* ---- the message editor ---- */

  setMessageMode(id: string, mode: MessageEditMode): void {
    const draft = this.state.drafts[id] ?? defaultDraft({ body: this.stepById(id)?.text ?? '' });
    this.setDraft(id, { ...draft, mode });
  }

  editDraft(id: string, field: DraftField, value: string): void {
    const draft = this.state.drafts[id];
    if (draft) this.setDraft(id, patchDraft(draft, { [field]: value }));
  }

  /** Adds a file's bytes as an attachment; returns why not, when it cannot. */
  attach(id: string, file: { name: string; type: string; content: Uint8Array }): string | undefined {
    const draft = this.state.drafts[id];
    if (!draft) return 'This step is not a message.';
    const problem = attachmentProblem(draft, file.content.length);
    if (problem) {
      this.set({ ...this.state, stepErrors: { ...this.state.stepErrors, [id]: controlError(problem) } });
      return problem;
    }
    const attachment: DraftAttachment = {
      id: `a${draft.version + 1}-${draft.attachments.length + 1}`,
      filename: file.name || 'attachment.bin',
      contentType: file.type || 'application/octet-stream',
      content: file.content,
    };
    this.setDraft(id, patchDraft(draft, { attachments: [...draft.attachments, attachment] }));
    return undefined;
  }

  detach(id: string, attachmentId: string): void {
    const draft = this.state.drafts[id];
    if (!draft) return;
    this.setDraft(id, patchDraft(draft, { attachments: draft.attachments.filter((a) => a.id !== attachmentId) }));
  }

  /**
   * Builds the MIME source from the editor's fields on the Node side (nodemailer's
   * MailComposer) and puts it in the step: what is sent, shown raw, editable.
   */
  async buildMessage(id: string): Promise<boolean> {
    const draft = this.state.drafts[id];
    if (!draft) return false;
    try {
      const result = await this.client.call(
        'smtp.composeMessage',
        {
          from: draft.from,
          to: addressList(draft.to),
          cc: addressList(draft.cc),
          subject: draft.subject,
          ...(draft.date.trim() === '' ? {} : { date: draft.date.trim() }),
          ...(draft.messageId.trim() === '' ? {} : { messageId: draft.messageId.trim() }),
          text: draft.body,
          ...(draft.html.trim() === '' ? {} : { html: draft.html }),
          attachments: draft.attachments.map((attachment) => ({
            filename: attachment.filename,
            contentType: attachment.contentType,
            data: attachment.content,
          })),
        },
        { timeoutMs: 30_000 },
      );
      const text = decodeValidUtf8(result.raw);
      const current = this.state.drafts[id] ?? draft;
      const typed = this.stepById(id)?.text ?? '';
      const replacedText = isTypedInRaw(current, typed) ? typed : current.replacedText;
      this.set({
        ...this.state,
        steps: updateStep(this.state.steps, id, { text }),
        drafts: {
          ...this.state.drafts,
          [id]: { ...current, builtVersion: draft.version, builtText: text, replacedText },
        },
        stepErrors: without(this.state.stepErrors, id),
      });
      return true;
    } catch (error) {
      const shown = placeError(error, 'send').error;
      this.set({
        ...this.state,
        stepErrors: {
          ...this.state.stepErrors,
          [id]: controlError(`Could not build the message: ${shown.message}`, shown.code),
        },
      });
      return false;
    }
  }

  /** Puts back in Raw the text a build replaced (the built source is one Build away). */
  restoreTypedText(id: string): void {
    const draft = this.state.drafts[id];
    if (draft?.replacedText === undefined) return;
    this.set({
      ...this.state,
      steps: updateStep(this.state.steps, id, { text: draft.replacedText }),
      drafts: { ...this.state.drafts, [id]: { ...draft, mode: 'raw', replacedText: undefined } },
    });
  }

  /** The message linter's findings for a message step, knowing what the server offered. */
  lint(step: SmtpStep) {
    return lintMessageStep(step, { eightBitMime: this.state.session.ehlo?.eightBitMime ?? false });
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
    const step = id === undefined ? undefined : this.stepById(id);
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
      if (!(await this.buildMessage(step.id))) return 'invalid';
      sending = this.stepById(step.id) ?? step;
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
      const issues = this.lint(sending).issues.filter((issue) => issue.severity !== 'info');
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
    this.setRun(step.id, run, { errors: without(this.state.errors, 'send'), nextStepId: this.after(step.id) });

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

  private stepById(id: string): SmtpStep | undefined {
    return this.state.steps.find((step) => step.id === id);
  }

  private after(id: string): string | undefined {
    const steps = this.state.steps;
    const index = steps.findIndex((step) => step.id === id);
    return steps[index + 1]?.id;
  }

  private setRun(id: string, run: StepRun, change: Partial<ConversationState> = {}): void {
    this.set({ ...this.state, ...change, runs: { ...this.state.runs, [id]: run } });
  }

  private setDraft(id: string, draft: MessageDraft): void {
    this.set({ ...this.state, drafts: { ...this.state.drafts, [id]: draft } });
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
