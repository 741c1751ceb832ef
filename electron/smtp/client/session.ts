import type net from 'node:net';
import type tls from 'node:tls';
import { PlaygroundError } from '../../../shared/contract/errors';
import type { EventPayloadOf, ParsedRequestOf, ResponseOf } from '../../../shared/contract/index';
import type { SocketAddress } from '../../../shared/net/contract';
import type { SmtpChunk, SmtpReplyInfo, SmtpSendOutcome } from '../../../shared/smtp/client/contract';
import { createReplyParser, type ReplyParser, type SmtpReply } from '../../../shared/smtp/reply/replyParser';
import { SmtpSessionTracker } from '../../../shared/smtp/session';
import type { Session } from '../../service';
import { formatAddress, localAddressOf, toSocketAddress } from '../../net/address';
import { ByteBudget } from '../../net/byteBudget';
import { formatSeconds, monoNow, roundMs, stamp } from '../../net/clock';
import { Coalescer } from '../../net/coalescer';
import { abortReason } from '../../net/deadline';
import { netError } from '../../net/errors';
import type { ResolvedNetOptions } from '../../net/options';
import { upgradeToTls } from '../../net/startTls';

type SendRequest = ParsedRequestOf<'smtp.send'>;
type SendResult = ResponseOf<'smtp.send'>;
type CloseReason = EventPayloadOf<'smtp.closed'>['by'];

/** Beyond this many bytes waiting in Node's send queue, `smtp.send` refuses more (E_BUSY). */
const maxQueuedBytes = 64 * 1024 * 1024;
/** After `smtp.close`, how long queued bytes may take to leave before the socket is torn down. */
const closeGraceMs = 2000;
/** Steps remembered for pairing late replies with their step. */
const keptSteps = 256;

/** A connected socket (plain, or TLS from the first byte) as the connector hands it over. */
export interface OpenedConnection {
  socket: net.Socket;
  /** The host as the user typed it. */
  host: string;
  port: number;
  tls: boolean;
}

/** A step on the wire: which replies belong to it (by their number on this connection). */
interface Step {
  seq: number;
  label: string | undefined;
  first: number;
  last: number;
  sentMono: number;
  replies: SmtpReplyInfo[];
  wait: Wait | undefined;
  /** A wait for this step ended (replied, timed out, cancelled, closed). */
  settled: boolean;
}

interface Wait {
  timer: NodeJS.Timeout | undefined;
  settle: (outcome: SmtpSendOutcome, error?: PlaygroundError, partial?: SmtpReply) => void;
}

interface WaitEnd {
  outcome: SmtpSendOutcome;
  error?: PlaygroundError | undefined;
  partial?: SmtpReply | undefined;
}

/**
 * One SMTP conversation as the builder holds it: bytes go out exactly as given, replies
 * are parsed as they arrive (the shared parser: multi-line, any chunking) and paired with
 * the step they answer by the shared session tracker, which also explains them in
 * context. Every wait has a deadline; a close or a silence is reported at the step where
 * it happened, and nothing the user typed lives here to be lost.
 */
export class SmtpClientSession {
  private seq = 0;
  private sentBytes = 0;
  private replyCount = 0;
  private closed = false;
  private closing = false;
  /** The STARTTLS handshake is running: nothing else may be written meanwhile. */
  private upgrading = false;
  private tls: boolean;
  private socket: net.Socket;
  private readonly parser: ReplyParser = createReplyParser();
  private readonly tracker = new SmtpSessionTracker();
  private readonly budget: ByteBudget;
  private readonly coalescer: Coalescer<SmtpChunk>;
  private readonly steps: Step[] = [];
  private readonly target: string;
  private readonly host: string;
  private lastError: PlaygroundError | undefined;
  /** The last reply to STARTTLS: TLS may start right after a 220, if nothing came or went since. */
  private startTlsAnswer: { index: number; seq: number | null; code: number | null } | undefined;
  /** Bytes received since the last complete reply (the start of the next one). */
  private bytesSinceReply = 0;
  private readonly resource = { close: () => this.destroy() };
  private readonly onData = (chunk: Buffer) => this.receive(chunk);
  private readonly onEnd = () => this.peerEnded();
  private readonly onError = (error: Error) => {
    this.lastError = netError(error, {
      protocol: 'SMTP',
      action: 'receive',
      host: this.host,
      address: this.peer.address,
      port: this.peer.port,
    });
  };
  private readonly onClose = () => this.socketClosed();

  private constructor(
    readonly id: string,
    private readonly session: Session,
    connection: OpenedConnection,
    readonly peer: SocketAddress,
    readonly keepLimit: number,
    options: ResolvedNetOptions,
  ) {
    this.host = connection.host;
    this.socket = connection.socket;
    this.tls = connection.tls;
    this.target =
      connection.host === peer.address
        ? formatAddress(peer.address, peer.port)
        : `${connection.host} (${formatAddress(peer.address, peer.port)})`;
    this.budget = new ByteBudget(keepLimit);
    this.coalescer = new Coalescer<SmtpChunk>({
      ...options.coalescing,
      flush: (chunks) =>
        this.session.emit('smtp.data', { ...stamp(), sessionId: this.id, chunks, ...this.budget.totals() }),
    });
    this.attach(this.socket);
  }

  /**
   * Takes over a connected socket and waits for the greeting. Fails (and closes) when
   * none comes in time, or the server closes first; a negative greeting is returned.
   */
  static async open(
    id: string,
    connection: OpenedConnection,
    session: Session,
    options: ResolvedNetOptions & { keepBytes: number },
    greetingTimeoutMs: number,
    signal: AbortSignal,
  ): Promise<{ client: SmtpClientSession; greeting: SmtpReplyInfo; greetingMs: number }> {
    const { socket } = connection;
    const peer = toSocketAddress({
      address: socket.remoteAddress ?? connection.host,
      family: socket.remoteFamily ?? '',
      port: socket.remotePort ?? connection.port,
    });
    const client = new SmtpClientSession(id, session, connection, peer, options.keepBytes, options);
    session.own(client.resource);
    const started = monoNow();
    const end = await client.await(client.greetingStep(started), greetingTimeoutMs, signal);
    const greeting = client.steps[0]?.replies[0];
    if (end.outcome === 'replied' && greeting) {
      return { client, greeting, greetingMs: roundMs(monoNow() - started) };
    }
    client.destroy();
    if (end.outcome === 'cancelled') throw abortReason(signal);
    const heard = end.partial
      ? ` It sent ${end.partial.length} bytes that are not a complete reply: “${end.partial.text.slice(0, 80)}”.`
      : '';
    if (end.outcome === 'closed') {
      throw new PlaygroundError({
        code: 'E_CLOSED',
        message: `${client.target} closed the connection before its greeting (220).${heard} The server may be refusing connections, or it expects TLS from the first byte (port 465: choose implicit TLS).`,
        details: { host: connection.host, port: connection.port, stage: 'greeting' },
      });
    }
    throw new PlaygroundError({
      code: 'E_TIMEOUT',
      message: `no greeting from ${client.target} within ${formatSeconds(greetingTimeoutMs)}: the connection is open, but the server said nothing.${heard} An SMTP server speaks first (220); ${connection.tls ? 'is this an SMTP server?' : 'if this port expects TLS from the first byte (465), choose implicit TLS; otherwise, is this an SMTP server?'}`,
      details: { host: connection.host, port: connection.port, stage: 'greeting', timeoutMs: greetingTimeoutMs },
    });
  }

  local(): SocketAddress {
    return localAddressOf(this.socket);
  }

  async send(request: SendRequest, signal: AbortSignal): Promise<SendResult> {
    // Ended but not yet closed: the server hung up a moment ago and `smtp.closed` is on its way.
    if (this.closed || this.socket.writableEnded || this.socket.destroyed) throw this.closedError();
    if (this.upgrading) {
      throw new PlaygroundError({
        code: 'E_STATE',
        message: `the TLS handshake with ${this.target} is still running: send once it is done (or has failed).`,
      });
    }
    const queued = this.socket.writableLength;
    if (queued > 0 && queued + request.data.byteLength > maxQueuedBytes) {
      throw new PlaygroundError({
        code: 'E_BUSY',
        message: `${this.target} is not reading fast enough: ${queued} bytes are still waiting to be sent. Wait, then send again.`,
        details: { queuedBytes: queued },
      });
    }
    const owedBefore = this.owed();
    const notes = this.tracker.sent(request.data);
    const owedAfter = this.owed();
    const seq = ++this.seq;
    const sentAt = stamp();
    const first = owedBefore + 1;
    const step: Step = {
      seq,
      label: request.label,
      first,
      // Nothing new owed (part of a line or of the message, bytes the server reads only after a
      // pending reply): a step that waits takes the next reply; one that does not claims none,
      // so a message sent in pieces gets its reply on the piece with the final ".".
      last: owedAfter > owedBefore ? owedAfter : request.expectReply ? first : first - 1,
      sentMono: sentAt.mono,
      replies: [],
      wait: undefined,
      settled: false,
    };
    this.remember(step);
    const inTls = this.tls;
    // A copy: the bytes must not change under the socket while they wait to leave.
    this.socket.write(new Uint8Array(request.data));
    this.sentBytes += request.data.byteLength;

    const base = {
      ...sentAt,
      sessionId: this.id,
      seq,
      ...(request.label !== undefined ? { label: request.label } : {}),
      sentBytes: request.data.byteLength,
      tls: inTls,
      notes,
    };
    if (!request.expectReply) {
      return { ...base, outcome: 'not-awaited', replies: [], waitedMs: 0 };
    }
    const end = await this.await(step, request.replyTimeoutMs, signal);
    const result: SendResult = {
      ...base,
      replyDeadline: { timeoutMs: request.replyTimeoutMs, mono: sentAt.mono + request.replyTimeoutMs },
      outcome: end.outcome,
      replies: [...step.replies],
      waitedMs: roundMs(monoNow() - sentAt.mono),
    };
    if (step.replies[0]) result.reply = step.replies[0];
    if (end.error) result.error = end.error.toInfo();
    if (end.partial) result.partial = end.partial;
    return result;
  }

  /** Stops waits early; the waiting sends resolve with `cancelled`. */
  cancelWait(seq: number | undefined): number[] {
    const cancelled: number[] = [];
    for (const step of this.steps) {
      if (!step.wait || (seq !== undefined && step.seq !== seq)) continue;
      cancelled.push(step.seq);
      step.wait.settle('cancelled');
    }
    return cancelled;
  }

  async startTls(request: ParsedRequestOf<'smtp.startTls'>, signal: AbortSignal): Promise<ResponseOf<'smtp.startTls'>> {
    if (this.closed) throw this.closedError();
    const refuse = (message: string) => new PlaygroundError({ code: 'E_STATE', message });
    if (this.tls) throw refuse(`the connection to ${this.target} is already inside TLS.`);
    if (this.upgrading) throw refuse(`the TLS handshake with ${this.target} is already running.`);
    if (this.steps.some((step) => step.wait)) {
      throw refuse('a step is still waiting for its reply: wait for it (or cancel the wait) before starting TLS.');
    }
    const answer = this.startTlsAnswer;
    if (!answer) {
      throw refuse(
        'send the STARTTLS step first and wait for its 220 reply: TLS starts only when the server has agreed.',
      );
    }
    if (answer.code !== 220) {
      throw refuse(
        `the server did not agree to start TLS: it answered STARTTLS with ${answer.code ?? 'a line without a code'}, not 220.`,
      );
    }
    if (this.bytesSinceReply > 0 || this.replyCount > answer.index) {
      throw refuse(
        `${this.target} sent more bytes after its 220 reply to STARTTLS. They arrived before the TLS handshake, unprotected, and a client must not read them as if they were protected (RFC 3207 §5): TLS is not started. Close this connection.`,
      );
    }
    if (this.seq > (answer.seq ?? 0)) {
      throw refuse(
        'more was sent after STARTTLS got its 220: the server now expects the TLS handshake, not plain commands. Close this connection and start again.',
      );
    }
    const plain = this.socket;
    this.detach(plain);
    const afterSeq = this.seq;
    let upgraded: Awaited<ReturnType<typeof upgradeToTls>>;
    this.upgrading = true;
    try {
      upgraded = await upgradeToTls(plain, {
        host: this.host,
        port: this.peer.port,
        servername: request.servername,
        acceptSelfSigned: request.acceptSelfSigned,
        protocol: 'SMTP',
        timeoutMs: request.timeoutMs,
        signal,
      });
    } catch (error) {
      const failure =
        error instanceof PlaygroundError
          ? error
          : new PlaygroundError({ code: 'E_TLS', message: `the TLS handshake with ${this.target} failed.` });
      this.finish('error', failure);
      throw failure;
    } finally {
      this.upgrading = false;
    }
    this.socket = upgraded.socket;
    this.tls = true;
    this.attach(upgraded.socket);
    return {
      ...stamp(),
      sessionId: this.id,
      certificate: upgraded.certificate,
      handshakeMs: upgraded.handshakeMs,
      afterSeq,
    };
  }

  /** Closing a session the server already closed is not an error: the UI's Disconnect just tidies up. */
  close(): ResponseOf<'smtp.close'> {
    const totals = { ...stamp(), sessionId: this.id, sentBytes: this.sentBytes, receivedBytes: this.budget.received };
    if (this.closed || this.closing) return totals;
    this.closing = true;
    const socket = this.socket;
    socket.end();
    const timer = setTimeout(() => socket.destroy(), closeGraceMs);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
    return totals;
  }

  // ---- receiving ---------------------------------------------------------------------------------

  private attach(socket: net.Socket | tls.TLSSocket): void {
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
  }

  private detach(socket: net.Socket): void {
    socket.off('data', this.onData);
    socket.off('end', this.onEnd);
    socket.off('error', this.onError);
    socket.off('close', this.onClose);
  }

  private receive(chunk: Buffer): void {
    if (this.closed) return;
    const receivedMono = monoNow();
    const keep = this.budget.take(chunk.byteLength);
    const replies = this.parser.push(chunk);
    const item: SmtpChunk = {
      at: Date.now(),
      mono: receivedMono,
      // A copy that owns its bytes: a view would pin Node's receive buffer.
      data: new Uint8Array(chunk.subarray(0, keep)),
      bytes: chunk.byteLength,
      tls: this.tls,
    };
    this.coalescer.push(item, keep, replies.length > 0);
    this.bytesSinceReply = this.parser.pendingBytes;
    if (replies.length === 0) return;
    // The transcript's bytes go out before the replies made of them.
    this.coalescer.flush();
    for (const reply of replies) this.replied(reply, receivedMono);
  }

  private replied(reply: SmtpReply, receivedMono: number): void {
    const index = ++this.replyCount;
    const exchange = this.tracker.received(reply);
    const step = this.steps.find((candidate) => index >= candidate.first && index <= candidate.last);
    if (exchange.answers?.kind === 'command' && exchange.answers.verb === 'STARTTLS') {
      this.startTlsAnswer = { index, seq: step?.seq ?? null, code: exchange.code };
    }
    const info: SmtpReplyInfo = {
      at: Date.now(),
      mono: receivedMono,
      sessionId: this.id,
      index,
      seq: step ? step.seq : null,
      reply,
      explanation: exchange.explanation,
      answers: exchange.answers,
      phaseBefore: exchange.phaseBefore,
      phaseAfter: exchange.phaseAfter,
      note: exchange.note,
      rttMs: step ? roundMs(receivedMono - step.sentMono) : null,
      tls: this.tls,
      // Its step stopped waiting already (deadline, cancel): the UI shows it apart.
      late: step?.settled === true,
    };
    step?.replies.push(info);
    this.session.emit('smtp.reply', info);
    if (step?.wait && index >= step.last) step.wait.settle('replied');
  }

  private peerEnded(): void {
    // SMTP has no half-close: the server is done, so the client closes its side too.
    if (!this.socket.writableEnded) this.socket.end();
  }

  private socketClosed(): void {
    if (this.closed) return;
    const error = this.lastError;
    let by: CloseReason;
    if (error) by = error.code === 'E_RESET' ? 'reset' : 'error';
    else by = this.closing ? 'client' : 'server';
    this.finish(by, error);
  }

  private finish(by: CloseReason, error: PlaygroundError | undefined): void {
    if (this.closed) return;
    const partial = this.parser.end()[0];
    const afterQuit = this.tracker.phase === 'quit';
    const unanswered = this.tracker.closed();
    this.closed = true;
    this.coalescer.close();
    this.session.release(this.resource);
    const last = this.steps.at(-1);
    for (const step of this.steps) {
      if (!step.wait) continue;
      step.wait.settle('closed', this.closedAtStep(step, by, error), partial);
    }
    const payload: EventPayloadOf<'smtp.closed'> = {
      ...stamp(),
      sessionId: this.id,
      by,
      seq: this.seq,
      ...(last?.label !== undefined ? { label: last.label } : {}),
      afterQuit,
      unanswered,
      sentBytes: this.sentBytes,
      receivedBytes: this.budget.received,
    };
    if (error) payload.error = error.toInfo();
    if (partial) payload.partial = partial;
    this.session.emit('smtp.closed', payload);
    this.socket.destroy();
  }

  private destroy(): void {
    if (this.closed) return;
    this.closing = true;
    this.socket.destroy();
    this.finish('client', undefined);
  }

  // ---- steps and waits -----------------------------------------------------------------------------

  /** Replies the server owes so far: those received plus those the tracker still awaits. */
  private owed(): number {
    return this.replyCount + this.tracker.snapshot().awaiting.length;
  }

  private greetingStep(startedMono: number): Step {
    this.tracker.connected();
    const step: Step = {
      seq: 0,
      label: 'greeting',
      first: 1,
      last: 1,
      sentMono: startedMono,
      replies: [],
      wait: undefined,
      settled: false,
    };
    this.remember(step);
    return step;
  }

  private remember(step: Step): void {
    this.steps.push(step);
    while (this.steps.length > keptSteps) {
      const oldest = this.steps[0];
      if (!oldest || oldest.wait) break;
      this.steps.shift();
    }
  }

  /** Waits until every reply of `step` is in, the deadline passes, the wait is cancelled or the connection closes. */
  private await(step: Step, timeoutMs: number, signal: AbortSignal): Promise<WaitEnd> {
    if (step.replies.length > 0 && step.replies.at(-1)!.index >= step.last) {
      return Promise.resolve({ outcome: 'replied' });
    }
    return new Promise<WaitEnd>((resolve) => {
      const onAbort = () => wait.settle('cancelled');
      const wait: Wait = {
        timer: undefined,
        settle: (outcome, error, partial) => {
          if (step.wait !== wait) return;
          step.wait = undefined;
          step.settled = true;
          clearTimeout(wait.timer);
          signal.removeEventListener('abort', onAbort);
          resolve({ outcome, error, partial });
        },
      };
      step.wait = wait;
      wait.timer = setTimeout(() => wait.settle('timeout', this.noReplyError(step, timeoutMs)), timeoutMs);
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private describeStep(step: Step): string {
    if (step.seq === 0) return 'the greeting';
    return step.label ? `step #${step.seq} (${step.label})` : `step #${step.seq}`;
  }

  private noReplyError(step: Step, timeoutMs: number): PlaygroundError {
    const expected = step.last - step.first + 1;
    const got = step.replies.length;
    const partial =
      this.parser.pendingBytes > 0 ? ` ${this.parser.pendingBytes} bytes of an unfinished reply arrived.` : '';
    const message =
      expected > 1 && got > 0
        ? `only ${got} of the ${expected} replies to ${this.describeStep(step)} came from ${this.target} within ${formatSeconds(timeoutMs)}: the server answered the first command(s) and not the rest. A server that does not offer PIPELINING may read one command at a time and drop what was sent ahead.${partial}`
        : `no reply from ${this.target} to ${this.describeStep(step)} within ${formatSeconds(timeoutMs)}: the connection is open, but the server has not answered.${partial} It may still be working (some servers wait before answering DATA), or it waits for more: a line ending (CRLF), or the message's final “.” line.`;
    return new PlaygroundError({
      code: 'E_TIMEOUT',
      message,
      details: { host: this.host, port: this.peer.port, seq: step.seq, timeoutMs, expected, received: got },
    });
  }

  private closedAtStep(step: Step, by: CloseReason, error: PlaygroundError | undefined): PlaygroundError {
    const what =
      by === 'client'
        ? 'the connection was closed here'
        : by === 'reset'
          ? `${this.target} reset the connection`
          : by === 'error'
            ? `the connection to ${this.target} failed (${error?.message ?? 'error'})`
            : `${this.target} closed the connection`;
    const got = step.replies.length > 0 ? ` after ${step.replies.length} of its replies` : ' before replying';
    return new PlaygroundError({
      code: by === 'reset' ? 'E_RESET' : 'E_CLOSED',
      message: `${what} at ${this.describeStep(step)}${got}. Everything up to here is in the transcript; connect again to go on.`,
      details: {
        host: this.host,
        port: this.peer.port,
        seq: step.seq,
        by,
        ...(error ? { cause: error.toInfo() } : {}),
      },
    });
  }

  private closedError(): PlaygroundError {
    return new PlaygroundError({
      code: 'E_CLOSED',
      message: `the SMTP session with ${this.target} is closed: connect again.`,
      details: { sessionId: this.id },
    });
  }
}
