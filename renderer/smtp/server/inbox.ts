import { formatByteCount } from '../../../shared/bytes';
import type { Client } from '../../../shared/contract/client';
import type { EventPayloadOf } from '../../../shared/contract/index';
import type { MailMessage, MailSummary } from '../../../shared/smtp/server/contract';
import { type ControlError, type ControlErrors, controlError, placeError } from '../../net/errors';
import type { FolderChooser } from '../../net/folderChooser';
import { plural } from '../../net/format';
import { Store } from '../../net/store';

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

export function inboxLimitNote(limit: { messages: number; bytes: number } | undefined): string {
  if (!limit) return '';
  return `The Inbox keeps the newest ${plural(limit.messages, 'message')} (at most ${formatByteCount(limit.bytes)} together); older ones are removed from it (saved .eml files stay).`;
}
