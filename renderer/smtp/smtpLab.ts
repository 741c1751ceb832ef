import type { Client } from '../../shared/contract/client';
import { type ConversationOptions, ConversationModel } from './conversationModel';

/**
 * Everything on the SMTP page, kept across navigation by useLab: the conversation
 * builder and (beside it) the built-in mail server.
 */
export class SmtpLab {
  readonly conversation: ConversationModel;

  constructor(client: Client, options: ConversationOptions = {}) {
    this.conversation = new ConversationModel(client, options);
    // MAIL SERVER SLOT: the built-in mail server's model (renderer/smtp/mailServerModel.ts) joins here.
  }

  connectionLost(): void {
    this.conversation.connectionLost();
  }

  dispose(): void {
    this.conversation.dispose();
  }
}
