import type { TlsCertificate } from '../../../shared/net/contract';
import type { SmtpSessionSnapshot, SmtpStep } from '../../../shared/smtp';
import type { SmtpSecurity } from '../../../shared/smtp/client/contract';
import type { ControlError, ControlErrors } from '../../net/errors';
import type { Wait } from '../../net/session';
import type { MessageDraft } from './messageDraft';
import type { ReplyView } from './replyView';

/**
 * The SMTP conversation's state: one plain object the views subscribe to, which the
 * conversation's parts (the steps list, the message drafts, the live session and its
 * sending) each read and change through a ConversationCell.
 */

export type ConversationControl =
  'host' | 'port' | 'connectDeadline' | 'replyDeadline' | 'connect' | 'send' | 'disconnect';

export type Security = SmtpSecurity;

export const securityLabels: Record<Security, string> = {
  plain: 'Plain (STARTTLS later)',
  'implicit-tls': 'TLS from the start (465)',
};

/** One line a step sent: exactly the bytes, and for AUTH what the base64 stands for. */
export interface SentLine {
  readonly bytes: Uint8Array;
  readonly decoded: string | undefined;
  readonly secret: boolean;
}

export type StepStatus = 'sending' | 'ok' | 'negative' | 'failed' | 'cancelled' | 'sent';

/** What happened when a step was sent (the last time). */
export interface StepRun {
  readonly status: StepStatus;
  readonly lines: readonly SentLine[];
  readonly replies: readonly ReplyView[];
  /** Oddities of the bytes (from building the step and the message linter), sent anyway. */
  readonly warnings: readonly string[];
  /** The step did not fit where the session stood when it left (the server's answer explains the rest). */
  readonly outOfOrder: string | undefined;
  /** Why the step did not complete: silence, a closed connection, a refused send. */
  readonly error: ControlError | undefined;
  /** The bytes went over TLS. */
  readonly insideTls: boolean;
  /** STARTTLS: the server's certificate once the handshake finished. */
  readonly certificate: TlsCertificate | undefined;
}

export interface SmtpConnection {
  readonly sessionId: string;
  readonly host: string;
  readonly port: number;
  readonly open: boolean;
  readonly tls: boolean;
  readonly implicitTls: boolean;
  readonly greeting: ReplyView;
  readonly certificate: TlsCertificate | undefined;
  readonly closeReason: string | undefined;
  /** Replies no step waited for: a 421 while idle, or one that came after its step's deadline. */
  readonly unasked: readonly ReplyView[];
}

/** The step waiting for its reply, with the deadline the user sees counting down. */
export interface StepWait extends Wait {
  readonly stepId: string;
  readonly what: string;
}

export interface ConversationState {
  readonly host: string;
  readonly port: string;
  readonly security: Security;
  /** Accept a certificate no authority vouches for, like the built-in server's (made on the spot). */
  readonly acceptSelfSigned: boolean;
  readonly connectDeadline: string;
  readonly replyDeadline: string;
  /** A step's own reply deadline in seconds as typed, by step id; empty or missing: the common one. */
  readonly stepDeadlines: Readonly<Record<string, string>>;
  readonly steps: readonly SmtpStep[];
  /** Message editor fields, by message step id. */
  readonly drafts: Readonly<Record<string, MessageDraft>>;
  /** The last result of each step sent on this connection, by step id. */
  readonly runs: Readonly<Record<string, StepRun>>;
  /** The step "Send next step" sends next: the first one not yet sent successfully on this connection. */
  readonly nextStepId: string | undefined;
  /** A message step held back because the server has not said 354: its lines would be read as commands. */
  readonly confirmMessage: string | undefined;
  readonly phase: 'idle' | 'connecting' | 'connected';
  readonly connection: SmtpConnection | undefined;
  readonly connectWait: Wait | undefined;
  readonly stepWait: StepWait | undefined;
  readonly sendingAll: boolean;
  readonly session: SmtpSessionSnapshot;
  readonly errors: ControlErrors<ConversationControl>;
  /** A problem with a step's own input (a free line's escapes, a message that cannot be built), by step id. */
  readonly stepErrors: ControlErrors<string>;
}

export type StepOutcome = 'ok' | 'negative' | 'failed' | 'invalid';

/**
 * The conversation's state as each part sees it. A part changes only the fields it names:
 * the rest of the object is kept, and every change reaches the views as one new state.
 */
export interface ConversationCell {
  readonly state: ConversationState;
  update(change: Partial<ConversationState>): void;
}

/** The open connection's session id; undefined once it closed (its results stay on screen). */
export function openSessionId(state: ConversationState): string | undefined {
  return state.connection?.open ? state.connection.sessionId : undefined;
}

/** The call gets this beyond the deadline the Node side keeps, so the Node side's message wins. */
export const callGraceMs = 5000;

/** Where a Node-side error about the connection's fields is shown. */
export const placement = {
  fields: { host: 'host', port: 'port', timeoutMs: 'connectDeadline', replyTimeoutMs: 'replyDeadline' },
  codes: { E_DNS: 'host' },
} as const;
