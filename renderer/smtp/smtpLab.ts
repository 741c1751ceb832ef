import type { Client } from '../../shared/contract/client';
import { type ConversationOptions, ConversationModel } from './conversationModel';
import { MailServerModel } from './mailServerModel';

/**
 * Everything on the SMTP page, kept across navigation by useLab: the conversation
 * builder and, beside it, the built-in mail server to talk to.
 */
export class SmtpLab {
  readonly conversation: ConversationModel;
  readonly mailServer: MailServerModel;

  constructor(client: Client, options: ConversationOptions = {}) {
    this.conversation = new ConversationModel(client, options);
    this.mailServer = new MailServerModel(client, options.transcript);
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
