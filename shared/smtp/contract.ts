import { mailServerCommands, mailServerEvents } from './mailServerContract';
import { smtpClientCommands, smtpClientEvents } from './clientContract';

/** SMTP by hand: the conversation builder's client (`smtp.*`) and the built-in mail server (`mailServer.*`). */
export const smtpCommands = { ...smtpClientCommands, ...mailServerCommands };
export const smtpEvents = { ...smtpClientEvents, ...mailServerEvents };
