import { formatDuration } from '../../../shared/bytes';
import type { Client } from '../../../shared/contract/client';
import type { EventPayloadOf, ResponseOf } from '../../../shared/contract/index';
import { SmtpSessionTracker } from '../../../shared/smtp';
import type { SmtpReplyInfo } from '../../../shared/smtp/client/contract';
import { CancellableCall, checkConnectFields, connectFailure } from '../../net/connect';
import { type ControlErrors, controlError, placeError } from '../../net/errors';
import { formatAddress } from '../../net/format';
import { without } from '../../net/session';
import type { TranscriptModel } from '../../transcript/model';
import { type ReplyView, replyGoesOn, replyView } from './replyView';
import {
  type ConversationCell,
  type ConversationControl,
  type ConversationState,
  callGraceMs,
  openSessionId,
  placement,
  type Security,
} from './state';

/**
 * The conversation's live session: where to connect and how long to wait, the connection
 * itself (opened, closed by either side, lost with the Node side), and every reply that
 * arrives, followed by the session tracker as the server sees the conversation.
 */
export class LiveSession {
  private tracker = new SmtpSessionTracker();
  private readonly connecting = new CancellableCall();
  private readonly unsubscribes: Array<() => void>;

  /** `onClosed`: the connection is gone, so Send all steps stops where it is. */
  constructor(
    private readonly cell: ConversationCell,
    private readonly client: Client,
    private readonly transcript: TranscriptModel,
    private readonly now: () => number,
    private readonly onClosed: () => void,
  ) {
    this.unsubscribes = [
      client.on('smtp.reply', (payload) => this.unsolicited(payload)),
      client.on('smtp.closed', (payload) => this.closedEvent(payload)),
    ];
  }

  private get state(): ConversationState {
    return this.cell.state;
  }

  get sessionId(): string | undefined {
    return openSessionId(this.state);
  }

  /* ---- fields ---- */

  setHost(host: string): void {
    this.patch({ host }, 'host', 'connect');
  }

  /** 465 means implicit TLS; other ports start plain (STARTTLS upgrades later). */
  setPort(port: string): void {
    const trimmed = port.trim();
    const security: Security =
      trimmed === '465' ? 'implicit-tls' : this.state.port.trim() === '465' ? 'plain' : this.state.security;
    this.patch({ port, security }, 'port', 'connect');
  }

  /** Fills Host and Port (plain) for a server the page knows, like the built-in one. */
  useServer(host: string, port: number): void {
    this.patch({ host, port: String(port), security: 'plain' }, 'host', 'port', 'connect');
  }

  setSecurity(security: Security): void {
    this.patch({ security }, 'connect');
  }

  setAcceptSelfSigned(acceptSelfSigned: boolean): void {
    this.patch({ acceptSelfSigned }, 'connect');
  }

  setConnectDeadline(connectDeadline: string): void {
    this.patch({ connectDeadline }, 'connectDeadline');
  }

  setReplyDeadline(replyDeadline: string): void {
    this.patch({ replyDeadline }, 'replyDeadline', 'send');
  }

  /** This step waits this long for its reply (e.g. longer for a server that is slow to accept the message). */
  setStepDeadline(id: string, seconds: string): void {
    this.cell.update({
      stepDeadlines: { ...this.state.stepDeadlines, [id]: seconds },
      stepErrors: without(this.state.stepErrors, id),
    });
  }

  /* ---- the connection ---- */

  async connect(): Promise<boolean> {
    if (this.state.phase !== 'idle') return false;
    const checked = checkConnectFields(this.state);
    const host = this.state.host.trim();
    if (!checked.ok || host === '') {
      const errors: ControlErrors<ConversationControl> = checked.ok ? {} : checked.errors;
      const hostError = controlError('Type the mail server’s name or address, e.g. 127.0.0.1.');
      this.cell.update({ errors: host === '' ? { ...errors, host: hostError } : errors });
      return false;
    }
    const { port, timeoutMs } = checked;
    const implicitTls = this.state.security === 'implicit-tls';
    const target = formatAddress(host, port);
    this.cell.update({ phase: 'connecting', connectWait: { startedAt: this.now(), timeoutMs }, errors: {} });
    this.note('info', `connecting to ${target}${implicitTls ? ' with TLS from the first byte (implicit TLS)' : ''}…`);
    const outcome = await this.connecting.run((signal) =>
      this.client.call(
        'smtp.connect',
        {
          host,
          port,
          security: this.state.security,
          acceptSelfSigned: this.state.acceptSelfSigned,
          connectTimeoutMs: timeoutMs,
          greetingTimeoutMs: timeoutMs,
        },
        { signal, timeoutMs: 2 * timeoutMs + callGraceMs },
      ),
    );
    if (outcome.ok) {
      this.opened(outcome.result, host, port);
      return true;
    }
    const failure = connectFailure(outcome.error, target, this.state, placement);
    this.note(failure.line.tone, failure.line.note);
    this.cell.update(failure.patch);
    return false;
  }

  cancelConnect(): void {
    this.connecting.cancel();
  }

  async disconnect(): Promise<void> {
    const sessionId = this.sessionId;
    if (!sessionId) return;
    try {
      await this.client.call('smtp.close', { sessionId }, { timeoutMs: callGraceMs });
      this.closedBy({ sessionId, reason: 'closed by this client', byServer: false });
    } catch (error) {
      this.cell.update({ errors: { ...this.state.errors, disconnect: placeError(error, 'disconnect').error } });
    }
  }

  connectionLost(): void {
    this.connecting.cancel();
    const sessionId = this.sessionId;
    if (sessionId) {
      this.closedBy({
        sessionId,
        reason: 'the app lost its link to its Node side, which closed this connection; connect again once it is back',
        byServer: false,
      });
    }
  }

  dispose(): void {
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    this.connecting.cancel();
    const sessionId = this.sessionId;
    if (sessionId) this.client.call('smtp.close', { sessionId }, { timeoutMs: callGraceMs }).catch(() => {});
  }

  /* ---- what goes over it ---- */

  /** Bytes a step sent, for the tracker to follow the conversation. */
  sent(bytes: Uint8Array): void {
    this.tracker.sent(bytes);
  }

  /** A reply of the conversation: into the tracker, the transcript, and the view. */
  received(info: SmtpReplyInfo, isEhlo = false): ReplyView {
    this.tracker.received(info.reply);
    const view = replyView(info, isEhlo);
    const greeting = info.seq === 0;
    this.transcript.append({
      direction: 'server-to-client',
      data: info.reply.raw,
      at: info.at,
      mono: info.mono,
      // The greeting answers nothing sent, so its wait is no round trip: said in words instead.
      rttMs: greeting ? undefined : (info.rttMs ?? undefined),
      note: [
        `${info.reply.code ?? '???'} ${view.title}`,
        greeting ? 'the greeting' : undefined,
        info.tls ? 'inside TLS' : undefined,
        view.note ?? undefined,
        greeting && info.rttMs !== null ? `${formatDuration(info.rttMs)} after connecting` : undefined,
      ]
        .filter(Boolean)
        .join('; '),
      tone: replyGoesOn(info.reply.code) ? 'ok' : 'error',
    });
    this.cell.update({ session: this.tracker.snapshot() });
    return view;
  }

  /** A line of the app's own; `when` (a Node-side stamp) places it among the bytes, otherwise it is now. */
  note(tone: 'info' | 'ok' | 'warn' | 'error', note: string, when?: { at: number; mono: number }): void {
    this.transcript.append({ direction: 'system', tone, note, ...when });
  }

  /** A reply no step is waiting for: a 421 while idle, or one that came after its deadline. */
  private unsolicited(info: EventPayloadOf<'smtp.reply'>): void {
    if (info.sessionId !== this.sessionId || (info.seq !== null && !info.late)) return;
    const view = this.received(info);
    const connection = this.state.connection;
    if (connection) this.cell.update({ connection: { ...connection, unasked: [...connection.unasked, view] } });
  }

  private opened(connected: ResponseOf<'smtp.connect'>, host: string, port: number): void {
    this.tracker = new SmtpSessionTracker();
    this.tracker.connected();
    const implicitTls = connected.security === 'implicit-tls';
    const where = `${connected.peer.address}:${connected.peer.port}`;
    // The response comes after the greeting: stamped now, the line would sit after the 220 it
    // precedes. The handshake ended the TLS time and the greeting wait before the greeting arrived.
    const sinceConnected = connected.timings.greetingMs + (connected.timings.tlsMs ?? 0);
    this.note(
      'ok',
      `connected: this socket ${connected.local.address}:${connected.local.port} → server ${where} (handshake ${formatDuration(connected.timings.connectMs)}${implicitTls ? ', then TLS from the first byte' : ''})`,
      { at: connected.greeting.at - sinceConnected, mono: connected.greeting.mono - sinceConnected },
    );
    const greeting = this.received(connected.greeting);
    this.cell.update({
      phase: 'connected',
      connectWait: undefined,
      runs: {},
      confirmMessage: undefined,
      stepErrors: {},
      nextStepId: this.state.steps[0]?.id,
      session: this.tracker.snapshot(),
      connection: {
        sessionId: connected.sessionId,
        host,
        port,
        open: true,
        tls: implicitTls,
        implicitTls,
        greeting,
        certificate: connected.certificate,
        closeReason: undefined,
        unasked: [],
      },
    });
  }

  private closedEvent(event: EventPayloadOf<'smtp.closed'>): void {
    const who =
      event.by === 'server'
        ? event.afterQuit
          ? 'the server closed the connection after its 221, as QUIT asks'
          : `the server closed the connection${event.label ? ` at step ${event.label}` : ''}`
        : event.by === 'client'
          ? 'closed by this client'
          : event.by === 'reset'
            ? `the server reset the connection${event.label ? ` at step ${event.label}` : ''}`
            : 'the connection failed';
    const reason = event.error ? `${who}: ${event.error.message}` : who;
    this.closedBy({ sessionId: event.sessionId, reason, byServer: event.by !== 'client' && !event.afterQuit });
  }

  private closedBy(event: { sessionId: string; reason: string; byServer: boolean }): void {
    const connection = this.state.connection;
    if (!connection || connection.sessionId !== event.sessionId || !connection.open) return;
    this.tracker.closed();
    this.note(event.byServer ? 'warn' : 'info', event.reason);
    this.onClosed();
    this.cell.update({
      phase: 'idle',
      session: this.tracker.snapshot(),
      connection: { ...connection, open: false, closeReason: event.reason },
    });
  }

  private patch(change: Partial<ConversationState>, ...clears: ConversationControl[]): void {
    this.cell.update({ ...change, errors: without(this.state.errors, ...clears) });
  }
}
