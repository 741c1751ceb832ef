import type { Client } from '../../../shared/contract/client';
import type { EmulatedLink } from '../../../shared/net/link';
import type { EventPayloadOf } from '../../../shared/contract/index';
import {
  defaultMailServerPort,
  type MailServerCounters,
  type MailServerLogEntry,
} from '../../../shared/smtp/server/contract';
import { placeError } from '../../net/errors';
import type { FolderChooser } from '../../net/folderChooser';
import { ServerModel, type StartedServer } from '../../net/serverModel';
import type { TranscriptInput, TranscriptOptions } from '../../transcript/model';
import { InboxModel } from './inbox';
import { MailOptionsModel, type MailOption, optionCodes, optionFields } from './options';
import { MailRunModel } from './runInfo';
import { type MailLogHelpers, mailLogLines } from './serverLogLines';

/** The mail server has one way of working; ServerModel's mode slot holds this. */
type MailMode = 'sink';

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

  protected async startServer(
    port: number,
    bindAddress: string,
    _mode: MailMode,
    link: EmulatedLink | null,
  ): Promise<StartedServer> {
    const checked = this.options.request();
    if (!checked.ok) throw new Error('the options have errors: see beside each field');
    this.inbox.reset(undefined);
    this.pendingInbox.length = 0;
    const started = await this.client.call(
      'mailServer.start',
      { ...checked.request, port, bindAddress, ...(link ? { link } : {}) },
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

  protected override setServerLink(serverId: string, link: EmulatedLink | null): Promise<unknown> {
    return this.client.call('mailServer.setLink', { serverId, link }, { timeoutMs: 15_000 });
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
    linkLine: (base, entry) => this.link.logLine(base, entry),
  };

  /** A connection after STARTTLS is marked TLS. */
  protected override party(connectionId: string, tls = false): string {
    const name = super.party(connectionId);
    return tls ? `${name} TLS` : name;
  }
}
