import type { Client } from '../../shared/contract/client';
import type { FolderChooser } from '../net/folderChooser';
import { type ConversationOptions, ConversationModel } from './client/model';
import { MailServerModel } from './server/model';

/**
 * Everything on the SMTP page, kept across navigation by useLab: the conversation
 * builder and, beside it, the built-in mail server to talk to.
 */
export class SmtpLab {
  readonly conversation: ConversationModel;
  readonly mailServer: MailServerModel;

  /** `folders`: the desktop app's folder dialog for the .eml folders (none in browser mode). */
  constructor(client: Client, options: ConversationOptions & { folders?: FolderChooser | undefined } = {}) {
    this.conversation = new ConversationModel(client, options);
    this.mailServer = new MailServerModel(client, options.transcript, options.folders);
  }

  /** A conversation with a transcript or an open connection, or the mail server running or with a log. */
  hasUnsavedWork(): boolean {
    return (
      this.conversation.transcript.hasRows ||
      this.conversation.sessionId !== undefined ||
      this.mailServer.hasUnsavedWork()
    );
  }

  connectionLost(): void {
    this.conversation.connectionLost();
    this.mailServer.connectionLost();
  }

  dispose(): void {
    this.conversation.dispose();
    this.mailServer.dispose();
  }
}
