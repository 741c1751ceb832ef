import { formatByteCount } from '../../../shared/bytes';
import type { Client } from '../../../shared/contract/client';
import type { EventPayloadOf } from '../../../shared/contract/index';
import {
  defaultMailServerHostname,
  defaultMailServerPort,
  type MailMessage,
  type MailServerCertificate,
  type MailServerCounters,
  type MailServerLogEntry,
  type MailServerStartRequest,
  type MailSummary,
  maxDataReplyDelayMs,
} from '../../../shared/smtp/server/contract';
import { type ControlError, type ControlErrors, controlError, parseSecondsField, placeError } from '../../net/errors';
import type { FolderChooser } from '../../net/folderChooser';
import { plural } from '../../net/format';
import { ServerModel, type StartedServer } from '../../net/serverModel';
import { Store } from '../../net/store';
import type { TranscriptInput, TranscriptOptions } from '../../transcript/model';
import { type MailLogHelpers, mailLogLines } from './serverLogLines';

/** The mail server has one way of working; ServerModel's mode slot holds this. */
type MailMode = 'sink';

export type MailOption =
  | 'hostname'
  | 'authUser'
  | 'authPassword'
  | 'rejectRecipients'
  | 'maxMessageBytes'
  | 'dataDelay'
  | 'idleTimeout'
  | 'saveFolder';

/** The teacher's options, as typed. */
export interface MailOptionsState {
  readonly hostname: string;
  readonly startTls: boolean;
  readonly requireAuth: boolean;
  readonly authUser: string;
  readonly authPassword: string;
  /** Addresses separated by commas, spaces or new lines. */
  readonly rejectRecipients: string;
  readonly limitSize: boolean;
  /** Bytes. */
  readonly maxMessageBytes: string;
  /** Seconds before the reply to the message's final ".". */
  readonly dataDelay: string;
  /** Seconds of silence after which the server says 421 and hangs up. */
  readonly idleTimeout: string;
  readonly saveToFolder: boolean;
  readonly saveFolder: string;
  readonly errors: ControlErrors<MailOption>;
}

/** What the running server told us beyond ServerModel's state. */
export interface MailRunState {
  readonly certificate: MailServerCertificate | undefined;
  readonly saveFolder: string | undefined;
  readonly maxMessageBytes: number | undefined;
  readonly inboxLimit: { messages: number; bytes: number } | undefined;
  /** The options it was started with (AUTH and STARTTLS notes depend on them). */
  readonly authRequired: boolean;
  readonly startTls: boolean;
}

export type OpenMessage =
  | { readonly phase: 'closed' }
  | { readonly phase: 'loading'; readonly messageId: string }
  | { readonly phase: 'open'; readonly message: MailMessage }
  | { readonly phase: 'failed'; readonly messageId: string; readonly error: ControlError };

export interface InboxState {
  /** Newest first. */
  readonly messages: readonly MailSummary[];
  readonly inboxBytes: number;
  readonly open: OpenMessage;
  readonly saveFolder: string;
  readonly saved: { readonly messageId: string; readonly path: string } | undefined;
  readonly errors: ControlErrors<'save' | 'clear'>;
}

const idleRun: MailRunState = {
  certificate: undefined,
  saveFolder: undefined,
  maxMessageBytes: undefined,
  inboxLimit: undefined,
  authRequired: false,
  startTls: false,
};

const defaultOptions: MailOptionsState = {
  hostname: defaultMailServerHostname,
  startTls: false,
  requireAuth: false,
  authUser: 'alice',
  authPassword: 'ketchup',
  rejectRecipients: '',
  limitSize: false,
  maxMessageBytes: '1000000',
  dataDelay: '0',
  idleTimeout: '300',
  saveToFolder: false,
  saveFolder: '',
  errors: {},
};

const optionFields: Readonly<Record<string, MailOption>> = {
  hostname: 'hostname',
  user: 'authUser',
  password: 'authPassword',
  maxMessageBytes: 'maxMessageBytes',
  dataReplyDelayMs: 'dataDelay',
  idleTimeoutMs: 'idleTimeout',
  saveFolder: 'saveFolder',
};
const optionCodes: Readonly<Record<string, MailOption>> = {
  E_FOLDER_NOT_FOUND: 'saveFolder',
  E_NOT_A_FOLDER: 'saveFolder',
  E_FOLDER_NOT_WRITABLE: 'saveFolder',
  E_DISK_FULL: 'saveFolder',
  E_FILE: 'saveFolder',
};

/** Splits the typed reject list: commas, semicolons, spaces or new lines; `<bob@x>` loses its brackets. */
export function parseRecipientList(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((item) => item.replace(/^<(.*)>$/, '$1').trim())
    .filter((item) => item !== '');
}

/** The teacher's options: plain state with setters, checked before the start call. */
export class MailOptionsModel extends Store<MailOptionsState> {
  constructor() {
    super(defaultOptions);
  }

  update(change: Partial<Omit<MailOptionsState, 'errors'>>): void {
    this.set({ ...this.state, ...change, errors: {} });
  }

  showErrors(errors: ControlErrors<MailOption>): void {
    this.set({ ...this.state, errors });
  }

  /** The start request's options, or the errors to show beside the fields. */
  request(): { ok: true; request: Omit<MailServerStartRequest, 'port' | 'bindAddress'> } | { ok: false } {
    const state = this.state;
    const errors: Partial<Record<MailOption, ControlError>> = {};
    const request: Omit<MailServerStartRequest, 'port' | 'bindAddress'> = {
      hostname: state.hostname.trim(),
      startTls: state.startTls,
      rejectRecipients: parseRecipientList(state.rejectRecipients),
    };
    if (state.hostname.trim() === '')
      errors.hostname = controlError('Type the name the server greets with, e.g. hamburger.edu.');
    if (state.requireAuth) {
      if (state.authUser === '') errors.authUser = controlError('Type the user name clients must send with AUTH.');
      if (state.authPassword === '')
        errors.authPassword = controlError('Type the password clients must send with AUTH.');
      request.requireAuth = { user: state.authUser, password: state.authPassword };
    }
    if (state.limitSize) {
      const text = state.maxMessageBytes.trim().replace(/[,_\s]/g, '');
      if (!/^\d+$/.test(text) || Number(text) < 1) {
        errors.maxMessageBytes = controlError(
          `“${state.maxMessageBytes.trim()}” is not a size: type a whole number of bytes, e.g. 1000000.`,
        );
      } else request.maxMessageBytes = Number(text);
    }
    const delay = parseSecondsField(state.dataDelay, true);
    if (!delay.ok) errors.dataDelay = controlError(delay.message);
    else if ((delay.ms ?? 0) > maxDataReplyDelayMs) {
      errors.dataDelay = controlError(`The DATA delay can be at most ${maxDataReplyDelayMs / 1000} seconds.`);
    } else request.dataReplyDelayMs = delay.ms ?? 0;
    const idle = parseSecondsField(state.idleTimeout, false);
    if (!idle.ok) errors.idleTimeout = controlError(idle.message);
    else if ((idle.ms ?? 0) < 1000 || (idle.ms ?? 0) > 600_000) {
      errors.idleTimeout = controlError('The idle timeout must be from 1 to 600 seconds.');
    } else request.idleTimeoutMs = idle.ms;
    if (state.saveToFolder) {
      if (state.saveFolder.trim() === '') {
        errors.saveFolder = controlError('Type the full path of a folder for the .eml files, e.g. ~/mail.');
      } else request.saveFolder = state.saveFolder.trim();
    }
    if (Object.keys(errors).length > 0) {
      this.showErrors(errors);
      return { ok: false };
    }
    return { ok: true, request };
  }
}

/**
 * The inbox of the running server: summaries as they arrive (bounded on the Node side),
 * one message opened in full on demand, saving it as an .eml file.
 */
export class InboxModel extends Store<InboxState> {
  private serverId: string | undefined;
  /** Answers to an open request that is no longer the latest are dropped. */
  private openSeq = 0;

  /** `folders`: the desktop app's folder dialog beside "Save as .eml in folder" (none in browser mode). */
  constructor(
    private readonly client: Client,
    readonly folders?: FolderChooser,
  ) {
    super({ messages: [], inboxBytes: 0, open: { phase: 'closed' }, saveFolder: '', saved: undefined, errors: {} });
  }

  /** A new server: a new, empty inbox. */
  reset(serverId: string | undefined): void {
    this.serverId = serverId;
    this.openSeq++;
    this.set({ ...this.state, messages: [], inboxBytes: 0, open: { phase: 'closed' }, saved: undefined, errors: {} });
  }

  get currentServerId(): string | undefined {
    return this.serverId;
  }

  handleInbox(event: EventPayloadOf<'mailServer.inbox'>): void {
    if (event.serverId !== this.serverId) return;
    const removed = new Set(event.removed);
    const kept = this.state.messages.filter((summary) => !removed.has(summary.messageId));
    const added = [...event.added].reverse();
    let open = this.state.open;
    if (open.phase === 'open' && removed.has(open.message.messageId)) open = { phase: 'closed' };
    this.set({ ...this.state, messages: [...added, ...kept], inboxBytes: event.inboxBytes, open });
  }

  async open(messageId: string): Promise<void> {
    const serverId = this.serverId;
    if (!serverId) return;
    const seq = ++this.openSeq;
    this.set({ ...this.state, open: { phase: 'loading', messageId }, saved: undefined, errors: {} });
    try {
      const message = await this.client.call('mailServer.message', { serverId, messageId }, { timeoutMs: 30_000 });
      if (seq !== this.openSeq) return;
      this.set({ ...this.state, open: { phase: 'open', message } });
    } catch (error) {
      if (seq !== this.openSeq) return;
      this.set({ ...this.state, open: { phase: 'failed', messageId, error: placeError(error, 'open').error } });
    }
  }

  close(): void {
    this.openSeq++;
    this.set({ ...this.state, open: { phase: 'closed' }, saved: undefined, errors: {} });
  }

  setSaveFolder(saveFolder: string): void {
    this.set({ ...this.state, saveFolder, errors: {} });
  }

  /** "Choose folder…": the chosen folder replaces the typed one; Cancel leaves the text as it is. */
  async chooseFolder(): Promise<void> {
    if (!this.folders) return;
    const chosen = await this.folders.choose('Folder to save the .eml file in', this.state.saveFolder);
    if ('error' in chosen) this.set({ ...this.state, errors: { save: chosen.error } });
    else if (chosen.path !== null) this.setSaveFolder(chosen.path);
  }

  /** Saves the open message as an .eml file in the folder typed. */
  async save(): Promise<boolean> {
    const { open } = this.state;
    const serverId = this.serverId;
    if (open.phase !== 'open' || !serverId) return false;
    const folder = this.state.saveFolder.trim();
    if (folder === '') {
      this.set({
        ...this.state,
        errors: { save: controlError('Type the full path of a folder to save the .eml file in, e.g. ~/mail.') },
      });
      return false;
    }
    try {
      const saved = await this.client.call(
        'mailServer.saveMessage',
        { serverId, messageId: open.message.messageId, folder },
        { timeoutMs: 30_000 },
      );
      this.set({ ...this.state, saved: { messageId: saved.messageId, path: saved.path }, errors: {} });
      return true;
    } catch (error) {
      this.set({ ...this.state, errors: { save: placeError(error, 'save').error } });
      return false;
    }
  }

  async clear(): Promise<void> {
    const serverId = this.serverId;
    if (!serverId) return;
    try {
      await this.client.call('mailServer.clearInbox', { serverId }, { timeoutMs: 15_000 });
      this.set({ ...this.state, open: { phase: 'closed' }, errors: {} });
    } catch (error) {
      this.set({ ...this.state, errors: { clear: placeError(error, 'clear').error } });
    }
  }
}

/**
 * The built-in mail server's panel: port and listen address (ServerModel), the teacher's
 * options, the server-side log (every line received, every reply sent) and the inbox.
 * Subscribes to its own events; call dispose() when the page goes for good.
 */
export class MailServerModel extends ServerModel<MailMode, MailServerCounters, MailServerLogEntry> {
  protected readonly protocol = 'TCP';
  readonly options = new MailOptionsModel();
  readonly inbox: InboxModel;
  readonly run = new MailRunModel();
  private readonly unsubscribes: Array<() => void>;

  /**
   * @param folders the desktop app's folder dialog, behind "Choose folder…" beside the
   *   save folders (the option and the Inbox's); undefined in browser mode (no button).
   */
  constructor(
    private readonly client: Client,
    options?: TranscriptOptions,
    readonly folders?: FolderChooser,
  ) {
    super({ mode: 'sink', port: String(defaultMailServerPort) }, options);
    this.inbox = new InboxModel(client, folders);
    this.unsubscribes = [
      client.on('mailServer.log', (payload) => this.handleLog(payload)),
      client.on('mailServer.inbox', (payload) => this.handleInbox(payload)),
    ];
  }

  /** "Choose folder…" beside Save folder: the chosen folder replaces the typed one; Cancel leaves it. */
  async chooseSaveFolder(): Promise<void> {
    if (!this.folders || this.state.phase !== 'stopped') return;
    const chosen = await this.folders.choose('Folder for the .eml files', this.options.state.saveFolder);
    if ('error' in chosen) this.options.showErrors({ saveFolder: chosen.error });
    else if (chosen.path !== null) this.options.update({ saveFolder: chosen.path });
  }

  /** The options are checked first: their errors show beside them. */
  protected override beforeStart(): boolean {
    return this.options.request().ok;
  }

  /** An error about an option is shown beside that option; once is enough. */
  protected override placeStartError(error: unknown): boolean {
    const placed = placeError<MailOption | 'none'>(error, 'none', { fields: optionFields, codes: optionCodes });
    if (placed.control === 'none') return false;
    this.options.showErrors({ [placed.control]: placed.error });
    return true;
  }

  protected async startServer(port: number, bindAddress: string): Promise<StartedServer> {
    const checked = this.options.request();
    if (!checked.ok) throw new Error('the options have errors: see beside each field');
    this.inbox.reset(undefined);
    this.pendingInbox.length = 0;
    const started = await this.client.call(
      'mailServer.start',
      { ...checked.request, port, bindAddress },
      { timeoutMs: 30_000 },
    );
    this.run.update({
      certificate: started.certificate,
      saveFolder: started.saveFolder,
      maxMessageBytes: started.maxMessageBytes,
      inboxLimit: started.inboxLimit,
      authRequired: checked.request.requireAuth !== undefined,
      startTls: checked.request.startTls === true,
    });
    this.inbox.reset(started.serverId);
    for (const event of this.pendingInbox.splice(0)) this.inbox.handleInbox(event);
    return started;
  }

  protected stopServer(serverId: string): Promise<unknown> {
    return this.client.call('mailServer.stop', { serverId }, { timeoutMs: 15_000 });
  }

  /** Inbox events that overtake the start call's answer wait for the server's id. */
  private readonly pendingInbox: EventPayloadOf<'mailServer.inbox'>[] = [];

  private handleInbox(event: EventPayloadOf<'mailServer.inbox'>): void {
    if (this.state.phase === 'starting' && this.pendingInbox.length < 64) this.pendingInbox.push(event);
    else this.inbox.handleInbox(event);
  }

  override connectionLost(): void {
    super.connectionLost();
    this.run.reset();
  }

  override dispose(): void {
    super.dispose();
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
  }

  protected logInputs(entry: MailServerLogEntry): TranscriptInput[] {
    return mailLogLines(entry, this.logHelpers);
  }

  /** ServerModel's helpers keep the log's books (clients, streams), so the lines are worded through them. */
  private readonly logHelpers: MailLogHelpers = {
    party: (connectionId, tls) => this.party(connectionId, tls),
    streamKey: (connectionId, way) => this.streamKey(connectionId, way),
    acceptedLine: (base, entry, note) => this.acceptedLine(base, entry, note),
    closedLine: (base, entry, how) => this.closedLine(base, entry, how),
    connectionErrorLine: (base, entry) => this.connectionErrorLine(base, entry),
  };

  /** A connection after STARTTLS is marked TLS. */
  protected override party(connectionId: string, tls = false): string {
    const name = super.party(connectionId);
    return tls ? `${name} TLS` : name;
  }
}

/** What the running server said about itself (certificate, limits), for the panel to show. */
export class MailRunModel extends Store<MailRunState> {
  constructor() {
    super(idleRun);
  }

  update(next: MailRunState): void {
    this.set(next);
  }

  reset(): void {
    this.set(idleRun);
  }
}

export function inboxLimitNote(limit: { messages: number; bytes: number } | undefined): string {
  if (!limit) return '';
  return `The Inbox keeps the newest ${plural(limit.messages, 'message')} (at most ${formatByteCount(limit.bytes)} together); older ones are removed from it (saved .eml files stay).`;
}
