import { decodeValidUtf8, encodeUtf8 } from '../bytes/utf8';
import { toVisibleString } from '../bytes/visibleSegments';
import { decodeBase64 } from './base64';
import { parseCommandLine, pathAddress, type SmtpVerb, verbNames } from './commands';
import { type EhloInfo, parseEhloReply } from './reply/ehlo';
import { explainReply, type ReplyExplanation, type ReplyLike } from './reply/explainReply';
import { phaseInfo, type SmtpPhase } from './phases';

/**
 * Follows an SMTP session from the bytes the client sent and the replies the
 * server gave, the way the server reads it: one command per line; after DATA's
 * 354, message lines up to the "." line; after a 334, one base64 answer. Each
 * reply is paired with what it answers (replies come back in order, also when
 * commands are pipelined), the phase moves on only when the server agrees, and
 * a command sent out of order is explained with the server's answer to it.
 *
 * Pure and deterministic: replaying the same events gives the same result, so
 * the UI, a saved conversation and an autograder all see the same thing.
 */

export type SmtpSessionEvent =
  | { kind: 'connected' }
  /** Bytes the client sent, exactly (strings are UTF-8 encoded); several lines or part of one are fine. */
  | { kind: 'sent'; data: Uint8Array | string }
  | { kind: 'reply'; reply: ReplyLike }
  | { kind: 'closed' };

/** What a reply answers. */
export type SmtpExchangeSubject =
  | { kind: 'greeting' }
  | { kind: 'command'; line: string; word: string; verb: SmtpVerb | null }
  | { kind: 'message'; bytes: number; lines: number }
  | { kind: 'auth-response'; line: string; decoded: string | null };

export interface SmtpExchange {
  /** What the reply answers; null for a reply to nothing (an unsolicited 421, or a reply too many). */
  answers: SmtpExchangeSubject | null;
  code: number | null;
  phaseBefore: SmtpPhase;
  phaseAfter: SmtpPhase;
  explanation: ReplyExplanation;
  /** A command out of order or a reply to nothing, said plainly; null when all is in order. */
  note: string | null;
  /**
   * What the server could read only after this reply, in order: bytes sent ahead
   * of a DATA, AUTH or STARTTLS reply, read as message, login answer or commands
   * depending on that reply.
   */
  readAfter: SmtpSendNote[];
}

/** Said when a command leaves the client, before any reply: is it in order, assuming what is pending succeeds? */
export interface SmtpSendNote {
  subject: SmtpExchangeSubject;
  /** The phase the server will be in when it reads this, if everything before it succeeds. */
  expectedPhase: SmtpPhase;
  problem: string | null;
}

export interface SmtpSessionSnapshot {
  phase: SmtpPhase;
  /** The greeting (HELO/EHLO) that was accepted, and the domain given with it. */
  hello: { verb: 'HELO' | 'EHLO'; domain: string } | null;
  /** What the last accepted EHLO offered. */
  ehlo: EhloInfo | null;
  tls: boolean;
  authenticated: boolean;
  /** The greeting was 554: the server answers everything but QUIT with 503. */
  refused: boolean;
  /** The accepted MAIL FROM address of the mail in progress ('' for the null sender `<>`). */
  sender: string | null;
  /** The accepted recipients of the mail in progress. */
  recipients: string[];
  messagesAccepted: number;
  /** Sent and read by the server, no reply yet, oldest first. */
  awaiting: SmtpExchangeSubject[];
  /** Bytes sent that the server cannot have read yet (it first answers DATA, AUTH or STARTTLS). */
  unreadBytes: number;
  /** More was sent ahead of the server than the tracker keeps: what follows may be paired wrongly. */
  lostTrack: boolean;
}

export interface SmtpSessionTrackerOptions {
  /** Bytes kept while the server cannot have read them yet. Default 1 MiB. */
  maxUnreadBytes?: number;
}

type ReaderMode = 'command' | 'data' | 'auth' | 'bdat' | 'blocked';

/** RFC 5321 §4.5.3.1.4: a command line is at most 512 octets, CRLF included. */
const maxCommandOctets = 512;
const keptLineBytes = 1024;
const CR = 0x0d;
const LF = 0x0a;

function describeSubject(subject: SmtpExchangeSubject): string {
  if (subject.kind === 'greeting') return 'the greeting';
  if (subject.kind === 'message') return 'the message';
  if (subject.kind === 'auth-response') return 'your login answer';
  return subject.verb ? verbNames[subject.verb] : `“${subject.line}”`;
}

/** Why this command does not fit the phase, or null. */
export function commandOrderProblem(
  phase: SmtpPhase,
  verb: SmtpVerb | null,
  word: string,
  state: { tls?: boolean; authenticated?: boolean } = {},
): string | null {
  const name = verb ? verbNames[verb] : word;
  if (verb === null) {
    if (word === '') return 'You sent an empty line, which is not a command.';
    return `“${word}” is not an SMTP command${phase === 'ready' || phase === 'recipients-given' ? ' (message text goes after DATA and its 354)' : ''}.`;
  }
  if (phase === 'quit' || phase === 'closed') return `You sent ${name} after the session ended.`;
  if (phase === 'awaiting-greeting') return `You sent ${name} before the server’s greeting (220): wait for it first.`;
  if (verb === 'QUIT' || verb === 'NOOP' || verb === 'RSET' || verb === 'HELP') return null;
  if (phase === 'awaiting-hello' && verb !== 'HELO' && verb !== 'EHLO' && verb !== 'VRFY' && verb !== 'EXPN') {
    return `You sent ${name} before introducing yourself with HELO or EHLO.`;
  }
  if (phase === 'ready' && verb === 'RCPT') return 'You sent RCPT TO before MAIL FROM.';
  if (phase === 'ready' && (verb === 'DATA' || verb === 'BDAT')) {
    return `You sent ${name} before MAIL FROM and RCPT TO.`;
  }
  if (phase === 'mail-started' && (verb === 'DATA' || verb === 'BDAT')) {
    return `You sent ${name} before any recipient (RCPT TO) was accepted.`;
  }
  if ((phase === 'mail-started' || phase === 'recipients-given') && verb === 'MAIL') {
    return 'You sent MAIL FROM while a mail was already started: finish it (DATA) or send RSET first.';
  }
  if ((phase === 'mail-started' || phase === 'recipients-given') && (verb === 'AUTH' || verb === 'STARTTLS')) {
    return `You sent ${name} in the middle of a mail: it belongs before MAIL FROM.`;
  }
  if (verb === 'AUTH' && state.authenticated) return 'You sent AUTH but you are already logged in.';
  if (verb === 'STARTTLS' && state.tls) return 'You sent STARTTLS but TLS is already on.';
  return null;
}

function isNegative(code: number | null): boolean {
  return code !== null && code >= 400 && code < 600;
}

export class SmtpSessionTracker {
  private phaseValue: SmtpPhase = 'not-connected';
  private helloValue: SmtpSessionSnapshot['hello'] = null;
  private ehloValue: EhloInfo | null = null;
  private tls = false;
  private authenticated = false;
  private refused = false;
  private sender: string | null = null;
  private recipients: string[] = [];
  private messagesAccepted = 0;
  private pending: SmtpExchangeSubject[] = [];
  private phaseBeforeAuth: SmtpPhase = 'ready';
  private expected: SmtpPhase = 'not-connected';
  private lostTrack = false;
  private readonly maxUnread: number;

  // The server's reader: how it takes the next bytes, and what it has not read yet.
  private mode: ReaderMode = 'command';
  private unread: Uint8Array[] = [];
  private unreadLength = 0;
  private line: number[] = [];
  private lineLength = 0;
  private dataBytes = 0;
  private dataLines = 0;
  private dataLineLength = 0;
  private dataLineHead: number[] = [];
  private dataLastByte = -1;
  /** The previous data line ended with CRLF (true at the start of the data). */
  private dataPrevCrlf = true;
  private bdatRemaining = 0;
  private bdatLast = false;
  private notes: SmtpSendNote[] = [];

  constructor(options: SmtpSessionTrackerOptions = {}) {
    this.maxUnread = options.maxUnreadBytes ?? 1024 * 1024;
  }

  get phase(): SmtpPhase {
    return this.phaseValue;
  }

  connected(): void {
    this.phaseValue = 'awaiting-greeting';
    this.pending = [{ kind: 'greeting' }];
    this.expected = 'awaiting-hello';
  }

  /** The client sent these bytes. Returns a note for each command (or message, or login answer) the server will read. */
  sent(data: Uint8Array | string): SmtpSendNote[] {
    if (this.phaseValue === 'not-connected') this.connected();
    const bytes = typeof data === 'string' ? encodeUtf8(data) : data;
    this.notes = [];
    this.read(bytes, 0);
    return this.notes;
  }

  /** The server replied (an SmtpReply fits; `lines` lets an EHLO reply be read for its capabilities). */
  received(reply: ReplyLike): SmtpExchange {
    if (this.phaseValue === 'not-connected') this.connected();
    const answers = this.pending.shift() ?? null;
    const phaseBefore = this.phaseValue;
    const code = reply.code;
    let note: string | null = null;

    if (answers === null) {
      if (code === 421) note = 'The server ends the session on its own (421), without being asked.';
      else if (phaseBefore === 'in-data') {
        note = `The server answered (${code ?? 'a line without a code'}) while the message was still being sent: it saw an end of the message where the rules do not put one (a “.” line after a bare LF?).`;
      } else {
        note = `A reply to nothing: every command already had its answer. The server sent ${code ?? 'a line without a code'} on its own.`;
      }
    } else if (answers.kind === 'command') {
      const problem = commandOrderProblem(phaseBefore, answers.verb, answers.word, this.loginState());
      if (problem) {
        note = isNegative(code)
          ? `${problem} The server answered ${code}.`
          : `${problem} This server accepted it anyway (${code}).`;
      }
    }

    this.apply(answers, reply);
    if (code === 421) this.phaseValue = 'closed';
    const explanation = explainReply(reply, {
      lastCommand: answers === null ? undefined : answers.kind === 'command' ? answers.line : { kind: answers.kind },
      phase: phaseBefore,
    });
    const exchange: SmtpExchange = {
      answers,
      code,
      phaseBefore,
      phaseAfter: this.phaseValue,
      explanation,
      note,
      readAfter: [],
    };

    // The reader waited for this reply to know how to read what follows.
    if (this.mode === 'blocked' && this.pending.length === 0 && answers !== null) {
      this.mode = this.phaseValue === 'in-data' ? 'data' : this.phaseValue === 'authenticating' ? 'auth' : 'command';
      if (this.mode === 'data') this.startData();
      this.recomputeExpected();
      const queued = this.unread;
      this.unread = [];
      this.unreadLength = 0;
      this.notes = [];
      for (const chunk of queued) this.read(chunk, 0);
      exchange.readAfter = this.notes;
      this.notes = [];
    } else {
      this.recomputeExpected();
    }
    return exchange;
  }

  /** The connection closed. Returns what was still waiting for a reply. */
  closed(): SmtpExchangeSubject[] {
    const unanswered = this.pending;
    this.pending = [];
    if (this.phaseValue !== 'quit') this.phaseValue = 'closed';
    this.expected = this.phaseValue;
    this.mode = 'command';
    this.unread = [];
    this.unreadLength = 0;
    return unanswered;
  }

  snapshot(): SmtpSessionSnapshot {
    return {
      phase: this.phaseValue,
      hello: this.helloValue ? { ...this.helloValue } : null,
      ehlo: this.ehloValue,
      tls: this.tls,
      authenticated: this.authenticated,
      refused: this.refused,
      sender: this.sender,
      recipients: [...this.recipients],
      messagesAccepted: this.messagesAccepted,
      awaiting: [...this.pending],
      unreadBytes: this.unreadLength,
      lostTrack: this.lostTrack,
    };
  }

  private read(bytes: Uint8Array, from: number): void {
    let i = from;
    while (i < bytes.length) {
      if (this.mode === 'blocked') {
        this.queue(bytes.subarray(i));
        return;
      }
      if (this.mode === 'bdat') {
        const take = Math.min(this.bdatRemaining, bytes.length - i);
        this.bdatRemaining -= take;
        i += take;
        if (this.bdatRemaining === 0) this.mode = 'command';
        continue;
      }
      if (this.mode === 'data') {
        i = this.readData(bytes, i);
        continue;
      }
      const newline = bytes.indexOf(LF, i);
      const stop = newline < 0 ? bytes.length : newline;
      for (let k = i; k < stop && this.line.length < keptLineBytes; k++) this.line.push(bytes[k] as number);
      this.lineLength += stop - i;
      if (newline < 0) return;
      i = newline + 1;
      this.lineRead();
    }
  }

  private queue(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (this.unreadLength + bytes.length > this.maxUnread) {
      this.lostTrack = true;
      return;
    }
    this.unread.push(bytes.slice());
    this.unreadLength += bytes.length;
  }

  private lineRead(): void {
    const kept = this.line;
    const tooLong = this.lineLength + 1 > maxCommandOctets;
    this.line = [];
    this.lineLength = 0;
    const text = decodeValidUtf8(Uint8Array.from(kept)).replace(/\r$/, '');
    if (this.mode === 'auth') {
      const decoded = text.trim() === '*' ? null : decodeBase64(text);
      this.readUnit({ kind: 'auth-response', line: text, decoded: decoded ? toVisibleString(decoded) : null }, null);
      this.mode = 'blocked';
      return;
    }
    const command = parseCommandLine(text);
    const subject: SmtpExchangeSubject = { kind: 'command', line: text, word: command.word, verb: command.verb };
    let problem = commandOrderProblem(this.expected, command.verb, command.word, this.loginState());
    if (tooLong) {
      const limit = `The line is longer than ${maxCommandOctets} octets, the limit for a command (the server may answer 500).`;
      problem = problem ? `${problem} ${limit}` : limit;
    }
    this.readUnit(subject, problem);
    if (command.verb === 'DATA' || command.verb === 'AUTH' || command.verb === 'STARTTLS') this.mode = 'blocked';
    if (command.verb === 'BDAT') {
      const match = /^\s*(\d+)(\s+LAST)?\s*$/i.exec(command.argument);
      this.bdatRemaining = match ? Number(match[1]) : 0;
      this.bdatLast = match?.[2] !== undefined;
      if (this.bdatRemaining > 0) this.mode = 'bdat';
    }
  }

  private readUnit(subject: SmtpExchangeSubject, problem: string | null): void {
    this.notes.push({ subject, expectedPhase: this.expected, problem });
    this.pending.push(subject);
    this.expected = expectedAfter(this.expected, subject);
  }

  private startData(): void {
    this.dataBytes = 0;
    this.dataLines = 0;
    this.dataLineLength = 0;
    this.dataLineHead = [];
    this.dataLastByte = -1;
    this.dataPrevCrlf = true;
  }

  /** Reads message bytes up to the end of the data (a "." line after CRLF); returns where it stopped. */
  private readData(bytes: Uint8Array, from: number): number {
    let i = from;
    while (i < bytes.length) {
      const newline = bytes.indexOf(LF, i);
      const stop = newline < 0 ? bytes.length : newline;
      for (let k = i; k < stop && this.dataLineHead.length < 2; k++) this.dataLineHead.push(bytes[k] as number);
      if (stop > i) this.dataLastByte = bytes[stop - 1] as number;
      this.dataLineLength += stop - i;
      this.dataBytes += stop - i;
      if (newline < 0) return bytes.length;
      this.dataBytes++;
      i = newline + 1;
      const endsWithCr = this.dataLineLength > 0 && this.dataLastByte === CR;
      const isEnd =
        this.dataPrevCrlf && this.dataLineLength === 2 && this.dataLineHead[0] === 0x2e && this.dataLineHead[1] === CR;
      this.dataPrevCrlf = endsWithCr;
      this.dataLineLength = 0;
      this.dataLineHead = [];
      this.dataLastByte = -1;
      if (isEnd) {
        this.mode = 'command';
        this.readUnit({ kind: 'message', bytes: this.dataBytes, lines: this.dataLines }, null);
        return i;
      }
      this.dataLines++;
    }
    return i;
  }

  private recomputeExpected(): void {
    let phase = this.phaseValue;
    for (const subject of this.pending) phase = expectedAfter(phase, subject);
    this.expected = phase;
  }

  private loginState(): { tls: boolean; authenticated: boolean } {
    return { tls: this.tls, authenticated: this.authenticated };
  }

  private resetTransaction(): void {
    this.sender = null;
    this.recipients = [];
  }

  /** Moves the phase on according to the reply (replies, not commands, decide). */
  private apply(answers: SmtpExchangeSubject | null, reply: ReplyLike): void {
    const code = reply.code;
    const ok = code !== null && code >= 200 && code < 300;
    if (answers === null) return;
    if (answers.kind === 'greeting') {
      if (code === 220) this.phaseValue = 'awaiting-hello';
      else if (code === 554) {
        this.phaseValue = 'awaiting-hello';
        this.refused = true;
      } else if (code !== 421) this.phaseValue = 'awaiting-hello';
      return;
    }
    if (answers.kind === 'message') {
      if (ok) this.messagesAccepted++;
      this.resetTransaction();
      if (this.phaseValue === 'in-data') this.phaseValue = 'ready';
      return;
    }
    if (answers.kind === 'auth-response') {
      if (code === 334) return;
      if (code === 235) this.authenticated = true;
      if (this.phaseValue === 'authenticating') this.phaseValue = this.phaseBeforeAuth;
      return;
    }
    const argument = parseCommandLine(answers.line).argument;
    switch (answers.verb) {
      case 'HELO':
      case 'EHLO':
        if (!ok) return;
        this.helloValue = { verb: answers.verb, domain: argument.trim() };
        this.ehloValue = answers.verb === 'EHLO' && reply.lines ? parseEhloReply(reply.lines) : null;
        this.resetTransaction();
        this.phaseValue = 'ready';
        return;
      case 'MAIL':
        if (!ok) return;
        this.resetTransaction();
        this.sender = pathAddress(argument) ?? argument.trim();
        this.phaseValue = 'mail-started';
        return;
      case 'RCPT':
        if (!ok) return;
        this.recipients.push(pathAddress(argument) ?? argument.trim());
        this.phaseValue = 'recipients-given';
        return;
      case 'DATA':
        if (code === 354) this.phaseValue = 'in-data';
        return;
      case 'BDAT':
        if (ok && this.bdatLast) {
          this.messagesAccepted++;
          this.resetTransaction();
          this.phaseValue = 'ready';
        } else if (!ok) {
          this.resetTransaction();
          if (this.phaseValue === 'mail-started' || this.phaseValue === 'recipients-given') this.phaseValue = 'ready';
        }
        return;
      case 'RSET':
        if (!ok) return;
        this.resetTransaction();
        if (this.phaseValue === 'mail-started' || this.phaseValue === 'recipients-given') this.phaseValue = 'ready';
        return;
      case 'QUIT':
        if (code === 221) this.phaseValue = 'quit';
        return;
      case 'STARTTLS':
        if (code !== 220) return;
        // RFC 3207 §4.2: after the handshake the server forgets everything, EHLO included.
        this.tls = true;
        this.authenticated = false;
        this.helloValue = null;
        this.ehloValue = null;
        this.resetTransaction();
        this.phaseValue = 'awaiting-hello';
        return;
      case 'AUTH':
        if (code === 334) {
          this.phaseBeforeAuth = this.phaseValue;
          this.phaseValue = 'authenticating';
        } else if (code === 235) this.authenticated = true;
        return;
      default:
        if (code === 221) this.phaseValue = 'closed';
    }
  }
}

/** The phase after `subject` if the server accepts it: what the next command is checked against when sent. */
function expectedAfter(phase: SmtpPhase, subject: SmtpExchangeSubject): SmtpPhase {
  if (phase === 'quit' || phase === 'closed') return phase;
  if (subject.kind === 'greeting') return 'awaiting-hello';
  if (subject.kind === 'message' || subject.kind === 'auth-response') return 'ready';
  switch (subject.verb) {
    case 'HELO':
    case 'EHLO':
      return phase === 'awaiting-greeting' ? phase : 'ready';
    case 'MAIL':
      return phase === 'ready' ? 'mail-started' : phase;
    case 'RCPT':
      return phase === 'mail-started' || phase === 'recipients-given' ? 'recipients-given' : phase;
    case 'DATA':
      return phase === 'recipients-given' ? 'in-data' : phase;
    case 'RSET':
      return phase === 'mail-started' || phase === 'recipients-given' ? 'ready' : phase;
    case 'QUIT':
      return 'quit';
    case 'STARTTLS':
      return 'awaiting-hello';
    case 'AUTH':
      return phase === 'ready' ? 'authenticating' : phase;
    default:
      return phase;
  }
}

export interface SmtpSessionTrack {
  snapshot: SmtpSessionSnapshot;
  exchanges: SmtpExchange[];
  /** Notes for everything sent, in order. */
  sendNotes: SmtpSendNote[];
  /** What was still waiting for a reply when the connection closed. */
  unanswered: SmtpExchangeSubject[];
}

/** Replays a recorded session (a saved conversation, an autograder's transcript) from the start. */
export function trackSmtpSession(
  events: readonly SmtpSessionEvent[],
  options?: SmtpSessionTrackerOptions,
): SmtpSessionTrack {
  const tracker = new SmtpSessionTracker(options);
  const exchanges: SmtpExchange[] = [];
  const sendNotes: SmtpSendNote[] = [];
  let unanswered: SmtpExchangeSubject[] = [];
  for (const event of events) {
    if (event.kind === 'connected') tracker.connected();
    else if (event.kind === 'sent') sendNotes.push(...tracker.sent(event.data));
    else if (event.kind === 'reply') {
      const exchange = tracker.received(event.reply);
      exchanges.push(exchange);
      sendNotes.push(...exchange.readAfter);
    } else unanswered = tracker.closed();
  }
  return { snapshot: tracker.snapshot(), exchanges, sendNotes, unanswered };
}

/** "RCPT TO (waiting for a reply)" — for a status line. */
export function describeAwaiting(snapshot: SmtpSessionSnapshot): string {
  const info = phaseInfo[snapshot.phase];
  const waiting = snapshot.awaiting.map(describeSubject);
  return waiting.length === 0 ? info.title : `${info.title} — waiting for the reply to ${waiting.join(', ')}`;
}
