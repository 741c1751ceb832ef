import {
  answersPing,
  defaultPingCount,
  maxPingCount,
  type PingSample,
  pingMessage,
  pingTimeoutMs,
} from '../../../shared/udp/client/ping';
import type { UdpDatagram } from '../../../shared/udp/client/contract';
import type { ControlError } from '../../net/errors';
import { controlError } from '../../net/errors';
import { Store } from '../../net/store';

/** One ping as the statistics list it: waiting (rttMs undefined), answered, or timed out (null). */
export interface PingRow {
  readonly seq: number;
  readonly message: string;
  readonly rttMs: number | null | undefined;
}

export interface PingState {
  readonly count: string;
  readonly running: boolean;
  readonly rows: readonly PingRow[];
  readonly errors: Readonly<{ count?: ControlError; ping?: ControlError }>;
}

/** What a ping run needs from its UDP client tab. */
export interface PingIo {
  /** Sends one datagram to the tab's Host:Port; the Node side's `mono` stamp of the send, or undefined if it failed. */
  send(data: Uint8Array): Promise<{ mono: number } | undefined>;
  /** Wall-clock ms, for the `<time>` in each ping. */
  now(): number;
}

/** After the 1 s timeout, how long a reply already on its way to this page may still take to be shown. */
const eventGraceMs = 150;

interface Pending {
  readonly seq: number;
  readonly message: string;
  sentMono: number | undefined;
  readonly early: UdpDatagram[];
  finish(rttMs: number | null): void;
}

/**
 * The UDP client's Ping mode, like the textbook's UDPPinger: N pings (10 by default), one
 * at a time, `Ping <seq> <time>`, each waiting 1 s for its reply (the same text, uppercased)
 * or ending as "Request timed out". RTTs come from the Node side's own send and receive
 * stamps, so the page's event delivery never adds to them.
 */
export class PingModel extends Store<PingState> {
  private pending: Pending | undefined;
  private cancelled = false;
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder();

  constructor(private readonly io: PingIo) {
    super({ count: String(defaultPingCount), running: false, rows: [], errors: {} });
  }

  get samples(): PingSample[] {
    return this.state.rows.flatMap((row) => (row.rttMs === undefined ? [] : [{ seq: row.seq, rttMs: row.rttMs }]));
  }

  setCount(count: string): void {
    this.set({ ...this.state, count, errors: {} });
  }

  /** Runs the pings; false if the count was refused or nothing could be sent. */
  async run(): Promise<boolean> {
    if (this.state.running) return false;
    const text = this.state.count.trim();
    const count = Number(text);
    if (!/^\d+$/.test(text) || count < 1 || count > maxPingCount) {
      this.set({
        ...this.state,
        errors: { count: controlError(`Type how many pings to send: a whole number from 1 to ${maxPingCount}.`) },
      });
      return false;
    }
    this.cancelled = false;
    this.set({ ...this.state, running: true, rows: [], errors: {} });
    let sentAny = false;
    for (let seq = 1; seq <= count && !this.cancelled; seq++) {
      const rtt = await this.ping(seq);
      if (rtt === 'failed') break;
      sentAny = true;
    }
    this.set({ ...this.state, running: false });
    return sentAny;
  }

  /** Stops after the ping in flight (it still ends as answered or timed out). */
  stop(): void {
    this.cancelled = true;
  }

  /** Datagrams that arrived on the tab's socket: one may answer the ping in flight. */
  datagrams(datagrams: readonly UdpDatagram[]): void {
    const pending = this.pending;
    if (!pending) return;
    for (const datagram of datagrams) {
      if (pending.sentMono === undefined) pending.early.push(datagram);
      else this.check(pending, datagram);
    }
  }

  private async ping(seq: number): Promise<number | null | 'failed'> {
    const message = pingMessage(seq, this.io.now());
    this.set({ ...this.state, rows: [...this.state.rows, { seq, message, rttMs: undefined }] });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const outcome = new Promise<number | null>((resolve) => {
      this.pending = {
        seq,
        message,
        sentMono: undefined,
        early: [],
        finish: (rttMs) => {
          clearTimeout(timer);
          this.pending = undefined;
          resolve(rttMs);
        },
      };
    });
    const pending = this.pending as Pending | undefined;
    const sent = await this.io.send(this.encoder.encode(message));
    if (!sent || !pending) {
      this.pending = undefined;
      this.set({
        ...this.state,
        rows: this.state.rows.filter((row) => row.seq !== seq),
        errors: { ping: controlError(`Ping ${seq} could not be sent: the error is shown beside Send.`) },
      });
      return 'failed';
    }
    pending.sentMono = sent.mono;
    timer = setTimeout(() => pending.finish(null), pingTimeoutMs + eventGraceMs);
    for (const datagram of pending.early.splice(0)) this.check(pending, datagram);
    const rttMs = await outcome;
    this.set({ ...this.state, rows: this.state.rows.map((row) => (row.seq === seq ? { ...row, rttMs } : row)) });
    return rttMs;
  }

  /** The reply to this ping, within 1 s by the Node side's clock; anything else (a late reply) is ignored. */
  private check(pending: Pending, datagram: UdpDatagram): void {
    if (pending.sentMono === undefined || this.pending !== pending) return;
    if (!answersPing(this.decoder.decode(datagram.data), pending.message)) return;
    const rttMs = datagram.mono - pending.sentMono;
    if (rttMs <= pingTimeoutMs) pending.finish(rttMs);
  }
}
