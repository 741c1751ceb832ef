import type tls from 'node:tls';
import type { ErrorInfo } from '../../../shared/contract/errors';
import type { SocketAddress } from '../../../shared/net/contract';
import type { connectionCloseReasons } from '../../../shared/net/serverContract';
import type { ServerLogEntryOf } from '../../net/builtInServer';
import { roundMs, stamp } from '../../net/clock';
import type { LinkedSocket } from '../../net/link';
import type { ServerLog } from '../../net/serverLog';
import { ConnectionTranscript } from './transcript';

type ClosedBy = (typeof connectionCloseReasons)[number];

/** The mail server's counters that a connection's bytes add to. */
interface ByteCounters {
  bytesReceived: number;
  bytesReplied: number;
}

/**
 * One client connection as the mail server's log tells it: every line both ways (from its
 * transcript), the TLS upgrade, and how it ended. The replies themselves say how it goes:
 * a later 220 answers STARTTLS, 221 and 421 mean the server closes.
 */
export class MailConnection {
  readonly transcript: ConnectionTranscript;
  sessionId: string | undefined = undefined;
  tls = false;
  closed = false;
  closedBy: ClosedBy | undefined = undefined;
  error: ErrorInfo | undefined = undefined;
  /** The connection's socket as the emulated link lets the server see it, when a link was on at accept. */
  linked: LinkedSocket | undefined;
  /** Replies sent so far (the first 220 is the greeting, a later one answers STARTTLS). */
  private replies = 0;
  /** STARTTLS was answered with 220 and the handshake has not completed yet. */
  private upgrading = false;

  constructor(
    readonly id: string,
    readonly client: SocketAddress,
    private readonly log: ServerLog<ServerLogEntryOf<'mailServer.log'>>,
    private readonly counters: ByteCounters,
  ) {
    this.transcript = new ConnectionTranscript({
      received: (data, message) => this.received(data, message),
      replied: (data) => this.replied(data),
    });
  }

  /** The handshake after STARTTLS completed: logged, and what follows counts as inside TLS. */
  secured(socket: tls.TLSSocket): void {
    this.tls = true;
    this.upgrading = false;
    const protocol = socket.getProtocol?.() ?? undefined;
    const cipher = socket.getCipher?.()?.name;
    this.log.add({
      ...stamp(),
      kind: 'tls',
      connectionId: this.id,
      ...(protocol ? { protocol } : {}),
      ...(cipher ? { cipher } : {}),
    });
  }

  /** Logs how the connection ended, after a STARTTLS handshake the client gave up on if there was one. */
  logClosed(): void {
    if (this.upgrading) {
      this.log.add({
        ...stamp(),
        kind: 'error',
        connectionId: this.id,
        error: {
          code: 'E_TLS',
          message:
            'the TLS handshake after STARTTLS did not complete: the client gave up. A client that does not trust this self-signed certificate stops here; give it the certificate (or check its SHA-256 fingerprint) or let it accept self-signed certificates for this lab.',
        },
      });
    }
    this.log.add({
      ...stamp(),
      kind: 'closed',
      connectionId: this.id,
      by: this.closedBy ?? 'client',
      ...(this.error ? { error: this.error } : {}),
    });
  }

  private received(data: Uint8Array, message: boolean): void {
    this.counters.bytesReceived += data.byteLength;
    this.log.add(
      {
        ...stamp(),
        kind: 'received',
        connectionId: this.id,
        data: this.log.keep(data),
        bytes: data.byteLength,
        tls: this.tls,
        message,
        ...this.linkDelay(this.linked?.lastReadDelayMs ?? 0),
      },
      data.byteLength,
    );
  }

  private replied(data: Uint8Array): void {
    this.counters.bytesReplied += data.byteLength;
    const code = Number.parseInt(Buffer.from(data.subarray(0, 3)).toString('latin1'), 10);
    this.replies++;
    if (code === 220 && this.replies > 1 && !this.tls) this.upgrading = true;
    if (code === 221) this.closedBy ??= 'server';
    if (code === 421) this.closedBy ??= /timeout/i.test(Buffer.from(data).toString('latin1')) ? 'idle' : 'server';
    this.log.add(
      {
        ...stamp(),
        kind: 'replied',
        connectionId: this.id,
        data: this.log.keep(data),
        bytes: data.byteLength,
        tls: this.tls,
        ...(Number.isInteger(code) ? { code } : {}),
        ...this.linkDelay(this.linked?.writeDelayMs(data.byteLength) ?? 0),
      },
      data.byteLength,
    );
  }

  private linkDelay(ms: number): { linkDelayMs?: number } {
    return ms > 0 ? { linkDelayMs: roundMs(ms) } : {};
  }
}
