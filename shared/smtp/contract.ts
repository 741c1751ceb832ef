import { mailServerCommands, mailServerEvents } from './server/contract';
import { smtpClientCommands, smtpClientEvents } from './client/contract';

/** SMTP by hand: the conversation builder's client (`smtp.*`) and the built-in mail server (`mailServer.*`). */
export const smtpCommands = { ...smtpClientCommands, ...mailServerCommands };
export const smtpEvents = { ...smtpClientEvents, ...mailServerEvents };
