import type { SmtpVerb } from './commands';

/**
 * Where an SMTP session stands (RFC 5321 §3 and §4.1.4), as the session tracker
 * follows it from the replies: the server's view of the conversation, which is
 * what decides whether a command is in order.
 */
export const smtpPhases = [
  'not-connected',
  'awaiting-greeting',
  'awaiting-hello',
  'ready',
  'mail-started',
  'recipients-given',
  'in-data',
  'authenticating',
  'quit',
  'closed',
] as const;
export type SmtpPhase = (typeof smtpPhases)[number];

export interface PhaseInfo {
  /** A short label for a status badge. */
  title: string;
  /** The situation, in a sentence that reads after "At that point, ". */
  situation: string;
  /** The commands that make sense now, in the usual order. */
  next: readonly SmtpVerb[];
}

export const phaseInfo: Record<SmtpPhase, PhaseInfo> = {
  'not-connected': { title: 'Not connected', situation: 'there was no connection yet', next: [] },
  'awaiting-greeting': {
    title: 'Waiting for the greeting',
    situation: 'the server had not greeted you yet (its 220 comes first, before any command)',
    next: [],
  },
  'awaiting-hello': {
    title: 'Greeted: say HELO',
    situation: 'you had not introduced yourself yet with HELO or EHLO',
    next: ['HELO', 'EHLO', 'NOOP', 'HELP', 'QUIT'],
  },
  ready: {
    title: 'Ready for a mail',
    situation: 'HELO/EHLO had been accepted and no mail was started (no MAIL FROM accepted)',
    next: ['MAIL', 'EHLO', 'HELO', 'STARTTLS', 'AUTH', 'VRFY', 'RSET', 'NOOP', 'HELP', 'QUIT'],
  },
  'mail-started': {
    title: 'Mail started: add recipients',
    situation: 'the sender (MAIL FROM) had been accepted but no recipient yet',
    next: ['RCPT', 'RSET', 'NOOP', 'QUIT'],
  },
  'recipients-given': {
    title: 'Recipients given: send DATA',
    situation: 'the sender and at least one recipient had been accepted',
    next: ['DATA', 'RCPT', 'BDAT', 'RSET', 'NOOP', 'QUIT'],
  },
  'in-data': {
    title: 'Sending the message',
    situation: 'the server was reading the message, until a line holding only “.”',
    next: [],
  },
  authenticating: {
    title: 'Logging in',
    situation: 'the server was waiting for a base64 login answer (after its 334)',
    next: [],
  },
  quit: { title: 'Said goodbye', situation: 'QUIT had been accepted and the server was closing', next: [] },
  closed: { title: 'Closed', situation: 'the connection was closed', next: [] },
};
