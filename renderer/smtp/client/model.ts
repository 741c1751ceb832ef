import type { Client } from '../../../shared/contract/client';
import { type SmtpStep, type SmtpStepKind, SmtpSessionTracker } from '../../../shared/smtp';
import { Store } from '../../net/store';
import { TranscriptModel, type TranscriptOptions } from '../../transcript/model';
import { type DraftField, type MessageEditMode, MessageDrafts } from './messageDraft';
import { StepSender } from './sending';
import { LiveSession } from './session';
import type { ConversationCell, ConversationState, Security, StepOutcome } from './state';
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
 *
 * One store for the views; the work is done by its parts, which share its state:
 * the steps list, the message drafts, the live session, and the sending of steps.
 */
export class ConversationModel extends Store<ConversationState> {
  readonly transcript: TranscriptModel;
  private readonly steps: StepList;
  private readonly drafts: MessageDrafts;
  private readonly session: LiveSession;
  private readonly sender: StepSender;

  constructor(client: Client, options: ConversationOptions = {}) {
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
      confirmMessage: undefined,
      phase: 'idle',
      connection: undefined,
      connectWait: undefined,
      stepWait: undefined,
      sendingAll: false,
      session: new SmtpSessionTracker().snapshot(),
      errors: {},
      stepErrors: {},
    });
    const now = options.now ?? Date.now;
    const read = () => this.state;
    const cell: ConversationCell = {
      get state() {
        return read();
      },
      update: (change) => this.set({ ...this.state, ...change }),
    };
    this.transcript = new TranscriptModel(options.transcript);
    this.steps = new StepList(cell);
    this.drafts = new MessageDrafts(cell, client);
    this.session = new LiveSession(cell, client, this.transcript, now, () => this.sender.stopSendAll());
    this.sender = new StepSender(cell, client, this.transcript, now, this.steps, this.drafts, this.session);
  }

  get sessionId(): string | undefined {
    return this.session.sessionId;
  }

  /* ---- fields ---- */

  setHost(host: string): void {
    this.session.setHost(host);
  }

  setPort(port: string): void {
    this.session.setPort(port);
  }

  useServer(host: string, port: number): void {
    this.session.useServer(host, port);
  }

  setSecurity(security: Security): void {
    this.session.setSecurity(security);
  }

  setAcceptSelfSigned(acceptSelfSigned: boolean): void {
    this.session.setAcceptSelfSigned(acceptSelfSigned);
  }

  setConnectDeadline(connectDeadline: string): void {
    this.session.setConnectDeadline(connectDeadline);
  }

  setReplyDeadline(replyDeadline: string): void {
    this.session.setReplyDeadline(replyDeadline);
  }

  setStepDeadline(id: string, seconds: string): void {
    this.session.setStepDeadline(id, seconds);
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

  /** The steps of an opened conversation file, in place of the current ones. */
  loadSteps(steps: readonly SmtpStep[]): void {
    this.steps.replace(steps);
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

  connect(): Promise<boolean> {
    return this.session.connect();
  }

  cancelConnect(): void {
    this.session.cancelConnect();
  }

  async disconnect(): Promise<void> {
    this.sender.stopSendAll();
    await this.session.disconnect();
  }

  connectionLost(): void {
    this.session.connectionLost();
  }

  dispose(): void {
    this.session.dispose();
  }

  /* ---- sending ---- */

  sendStep(id?: string, options?: { anyway?: boolean }): Promise<StepOutcome> {
    return this.sender.sendStep(id, options);
  }

  dismissMessageConfirm(): void {
    this.sender.dismissMessageConfirm();
  }

  sendAll(): Promise<StepOutcome> {
    return this.sender.sendAll();
  }

  cancelStep(): Promise<void> {
    return this.sender.cancelStep();
  }
}
