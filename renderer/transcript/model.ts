import {
  concatBytes,
  createStreamDecoder,
  formatByteCount,
  groupThousands,
  type StreamDecoder,
} from '../../shared/bytes';
import { Store } from '../net/store';
import { formatElapsed, rowToText } from './rowFormat';

/**
 * A protocol-neutral transcript: who sent which bytes when, plus system lines
 * (connected, closed, no reply...). UDP, TCP and later HTTP and SMTP feed it the
 * same way; it knows nothing about sockets. Pure TypeScript, so it is unit-tested
 * in Node and could be rebuilt from a saved conversation.
 */

export const transcriptDirections = ['client-to-server', 'server-to-client', 'system'] as const;
export type TranscriptDirection = (typeof transcriptDirections)[number];
export type TranscriptTone = 'info' | 'ok' | 'warn' | 'error';
export type TranscriptViewMode = 'text' | 'hex';

export interface TranscriptInput {
  direction: TranscriptDirection;
  /** Wall-clock epoch ms. Missing: now. */
  at?: number | undefined;
  /** Monotonic ms from the Node side (precise durations). Missing: estimated from `at`. */
  mono?: number | undefined;
  /** The bytes as kept. */
  data?: Uint8Array | undefined;
  /** Size on the wire; larger than `data` when bytes were cut or not kept. Default: data's length. */
  size?: number | undefined;
  /** Numbers a request and its reply. */
  seq?: number | undefined;
  /** Round trip of a request/reply pair (or a handshake). */
  rttMs?: number | undefined;
  /** Words for people: what happened, why it closed, what was cut. */
  note?: string | undefined;
  tone?: TranscriptTone | undefined;
  /**
   * Bytes of a byte stream (TCP, one direction of one connection) are decoded as one
   * text: a character split between two chunks is shown whole in the second. Without
   * a key each entry is decoded on its own (a datagram is a message of its own).
   */
  stream?: string | undefined;
  /** Who, when several talk in one log: `c1 127.0.0.1:54321`. */
  party?: string | undefined;
  /**
   * A running total (a session's "not kept" line, which grows with every event once the
   * cap is reached, ~40 a second): an input with the same key as the newest row replaces
   * that row's words in place, keeping its id and time, instead of adding a line.
   */
  updates?: string | undefined;
}

export interface TranscriptRow {
  readonly id: number;
  readonly direction: TranscriptDirection;
  readonly at: number;
  /** Since the transcript's first line. */
  readonly elapsedMs: number;
  readonly data: Uint8Array | undefined;
  readonly size: number | undefined;
  /** Bytes on the wire that were not kept (`size − data.length`). */
  readonly notKept: number;
  /** Bytes ending the previous chunk of this stream that start a character finished here. */
  readonly leadIn: Uint8Array;
  /** Bytes at the end of `data` that start a character the next chunk finishes (shown there). */
  readonly heldBytes: number;
  readonly seq: number | undefined;
  readonly rttMs: number | undefined;
  readonly note: string | undefined;
  readonly tone: TranscriptTone;
  readonly party: string | undefined;
}

export interface TranscriptSnapshot {
  readonly rows: readonly TranscriptRow[];
  /** Oldest rows let go to keep the view bounded. */
  readonly droppedRows: number;
  readonly viewMode: TranscriptViewMode;
  readonly version: number;
}

export interface TranscriptOptions {
  /** Rows kept; beyond it the oldest go (counted in droppedRows), so an endless stream stays bounded. */
  maxRows?: number;
  /** Wall clock, for lines without a time of their own. */
  now?: () => number;
  /**
   * Bytes of one stream (one direction of one connection) shown as rows of their own;
   * later plain chunks are folded into one line that counts them, so a flood costs a
   * few cheap updates instead of thousands of rows to lay out. Chunks that answer a
   * send, or carry a note, are always shown.
   */
  streamDisplayBytes?: number;
}

export const defaultMaxRows = 5000;
/** More than a person reads (about 4,700 lines of 56 characters each way), little enough to lay out at once. */
export const defaultStreamDisplayBytes = 256 * 1024;

interface StreamState {
  decoder: StreamDecoder;
  held: Uint8Array;
  lastRow: number;
  /** Bytes of this stream shown in rows so far. */
  shown: number;
  /** The line counting folded chunks, while it is the last row. */
  fold: Fold | undefined;
}

interface Fold {
  readonly id: number;
  chunks: number;
  bytes: number;
  notKept: number;
  lastElapsedMs: number;
}

let nextModelKey = 1;

export class TranscriptModel extends Store<TranscriptSnapshot> {
  /** Tells this transcript's rows apart on a page of several (a diagram's click finds its row by it). */
  readonly key = `t${nextModelKey++}`;
  private readonly maxRows: number;
  private readonly now: () => number;
  private readonly streamDisplayBytes: number;
  private rows: TranscriptRow[] = [];
  private nextId = 1;
  private startAt: number | undefined;
  private startMono: number | undefined;
  /**
   * Node's monotonic clock minus the wall clock, learnt from stamped lines: the smallest
   * seen, since a whole-millisecond wall clock makes each sample up to 1 ms too large.
   */
  private monoMinusAt: number | undefined;
  /** The newest row's place on Node's monotonic clock. */
  private lastMono: number | undefined;
  /** How many of the newest rows were placed by the page's own wall clock (lines about to be sent). */
  private placedByWallClock = 0;
  private readonly decoders = new Map<string, StreamState>();
  private readonly folded = new Set<Fold>();
  /** The newest row, when it is a running total that a later input may update. */
  private running: { key: string; id: number } | undefined;

  constructor(options: TranscriptOptions = {}) {
    super({ rows: [], droppedRows: 0, viewMode: 'text', version: 0 });
    this.maxRows = Math.max(10, options.maxRows ?? defaultMaxRows);
    this.now = options.now ?? Date.now;
    this.streamDisplayBytes = Math.max(0, options.streamDisplayBytes ?? defaultStreamDisplayBytes);
  }

  append(...inputs: TranscriptInput[]): void {
    if (inputs.length === 0) return;
    for (const input of inputs) {
      const last = this.rows.at(-1);
      if (input.updates !== undefined && last && this.running?.key === input.updates && this.running.id === last.id) {
        this.rows[this.rows.length - 1] = { ...last, note: input.note, tone: input.tone ?? last.tone };
        continue;
      }
      const row = this.toRow(input);
      if (!row) continue;
      this.rows.push(row);
      this.running = input.updates === undefined ? undefined : { key: input.updates, id: row.id };
    }
    this.foldedLines();
    let dropped = this.state.droppedRows;
    if (this.rows.length > this.maxRows) {
      // Drop a tenth at once, so a steady stream does not shift the whole array per line.
      const excess = this.rows.length - this.maxRows + Math.floor(this.maxRows / 10);
      this.rows.splice(0, excess);
      dropped += excess;
    }
    this.publish(dropped);
  }

  /**
   * The stream ended: a character it left unfinished can never complete, so the last
   * row shows those bytes as invalid instead of holding them back.
   */
  endStream(key: string): void {
    const state = this.decoders.get(key);
    this.decoders.delete(key);
    if (!state || state.held.length === 0) return;
    const index = this.rows.findIndex((row) => row.id === state.lastRow);
    const row = this.rows[index];
    if (!row) return;
    // Held bytes that began before this row (it was too short to finish them) are shown here too.
    const leadIn =
      state.held.length > row.heldBytes ? state.held.subarray(0, state.held.length - row.heldBytes) : row.leadIn;
    this.rows[index] = { ...row, leadIn, heldBytes: 0 };
    this.publish(this.state.droppedRows);
  }

  setViewMode(viewMode: TranscriptViewMode): void {
    if (viewMode !== this.state.viewMode) this.set({ ...this.state, viewMode, version: this.state.version + 1 });
  }

  /** Anything to lose: a row shown, or rows already dropped from the view. */
  get hasRows(): boolean {
    return this.state.rows.length > 0 || this.state.droppedRows > 0;
  }

  clear(): void {
    this.rows = [];
    this.running = undefined;
    this.decoders.clear();
    this.startAt = undefined;
    this.startMono = undefined;
    this.lastMono = undefined;
    this.placedByWallClock = 0;
    this.publish(0);
  }

  /** "Copy as text": one line per row, bytes in the escaped form that parseEscapes reads back. */
  toText(): string {
    const lines = this.rows.map(rowToText);
    if (this.state.droppedRows > 0) {
      lines.unshift(`(${this.state.droppedRows} earlier lines are no longer kept in this view)`);
    }
    return lines.join('\n');
  }

  private publish(droppedRows: number): void {
    // A new array each time: views compare snapshots by identity.
    this.set({ ...this.state, rows: this.rows.slice(), droppedRows, version: this.state.version + 1 });
  }

  /**
   * Where a line the page stamped itself (a line about to be sent) sits on Node's clock:
   * by the wall clock, but never before the row above it.
   */
  private placeUnstamped(at: number): number | undefined {
    if (this.monoMinusAt === undefined) return undefined;
    return Math.max(at + this.monoMinusAt, this.lastMono ?? Number.NEGATIVE_INFINITY);
  }

  /**
   * The wall clock is good to a millisecond, and a loopback reply can come back sooner:
   * when a stamped line arrives earlier than the lines the page placed just before it, they
   * were placed too late, and move to its time (they left before it came back).
   */
  private pullBackPlaced(mono: number): void {
    if (this.startMono === undefined) return;
    const latest = Math.max(0, mono - this.startMono);
    for (let i = this.rows.length - this.placedByWallClock; i < this.rows.length; i++) {
      const row = this.rows[i];
      if (row && row.elapsedMs > latest) this.rows[i] = { ...row, elapsedMs: latest };
    }
  }

  /**
   * A chunk past the stream's display cap: counted on one line, which stays the last
   * row and is updated in place; any other line after it starts a new one.
   */
  private fold(
    state: StreamState,
    input: TranscriptInput,
    at: number,
    size: number,
    notKept: number,
    elapsedMs: number,
  ): TranscriptRow | undefined {
    const last = this.rows.at(-1);
    const current = state.fold && last?.id === state.fold.id ? state.fold : undefined;
    if (current) {
      current.chunks += 1;
      current.bytes += size;
      current.notKept += notKept;
      current.lastElapsedMs = elapsedMs;
      // Worded once per append (foldedLines), not per chunk: a flood brings a thousand at a time.
      this.folded.add(current);
      return undefined;
    }
    const fold = { id: this.nextId++, chunks: 1, bytes: size, notKept, lastElapsedMs: elapsedMs };
    state.fold = fold;
    return {
      id: fold.id,
      direction: input.direction,
      at,
      elapsedMs,
      data: undefined,
      size: fold.bytes,
      notKept: 0,
      leadIn: empty,
      heldBytes: 0,
      seq: undefined,
      rttMs: undefined,
      note: this.foldNote(fold),
      tone: 'info',
      party: input.party,
    };
  }

  /** Rewords the fold lines that grew during this append. */
  private foldedLines(): void {
    for (const fold of this.folded) {
      const index = this.rows.findLastIndex((row) => row.id === fold.id);
      const row = this.rows[index];
      if (row) this.rows[index] = { ...row, size: fold.bytes, note: this.foldNote(fold) };
    }
    this.folded.clear();
  }

  private foldNote(fold: Fold): string {
    const kept = fold.notKept > 0 ? `; ${formatByteCount(fold.notKept)} of them were not kept by the session` : '';
    return `${groupThousands(fold.chunks)} more ${fold.chunks === 1 ? 'chunk' : 'chunks'} until ${formatElapsed(fold.lastElapsedMs)}, not shown here: this view shows the first ${formatByteCount(this.streamDisplayBytes)} each way of a connection (the totals count every byte)${kept}`;
  }

  /** The row for `input`, or undefined when it was folded into the last row. */
  private toRow(input: TranscriptInput): TranscriptRow | undefined {
    const at = input.at ?? this.now();
    if (input.mono !== undefined && input.at !== undefined)
      this.monoMinusAt = Math.min(this.monoMinusAt ?? Number.POSITIVE_INFINITY, input.mono - input.at);
    const mono = input.mono ?? this.placeUnstamped(at);
    if (input.mono !== undefined) {
      this.pullBackPlaced(input.mono);
      this.placedByWallClock = 0;
    } else if (mono !== undefined) this.placedByWallClock++;
    if (mono !== undefined) this.lastMono = mono;
    if (this.startAt === undefined) {
      this.startAt = at;
      this.startMono = mono;
    } else if (this.startMono === undefined && mono !== undefined) {
      this.startMono = mono - (at - this.startAt);
    }
    const elapsedMs =
      mono !== undefined && this.startMono !== undefined ? mono - this.startMono : at - (this.startAt ?? at);

    const data = input.data;
    let leadIn: Uint8Array = empty;
    let heldBytes = 0;
    const size = input.size ?? data?.length;
    const notKept = size !== undefined && data ? Math.max(0, size - data.length) : 0;
    const id = this.nextId;
    if (data && input.stream !== undefined) {
      let state = this.decoders.get(input.stream);
      if (!state) {
        state = { decoder: createStreamDecoder(), held: empty, lastRow: id, shown: 0, fold: undefined };
        this.decoders.set(input.stream, state);
      }
      leadIn = state.held;
      // The decoder is the authority on where characters split; segments are made only when a row is shown.
      state.decoder.skip(data);
      const pending = state.decoder.pendingBytes;
      heldBytes = Math.min(pending, data.length);
      state.held = pending === 0 ? empty : concatBytes([leadIn, data]).slice(-pending);
      const plain = input.seq === undefined && input.rttMs === undefined && input.note === undefined;
      if (plain && state.shown >= this.streamDisplayBytes) {
        return this.fold(state, input, at, size ?? data.length, notKept, Math.max(0, elapsedMs));
      }
      state.fold = undefined;
      state.shown += data.length;
      state.lastRow = id;
      // A chunk too short to finish the held character passes everything on to the next one.
      if (pending > data.length) leadIn = empty;
    }
    this.nextId++;
    return {
      id,
      direction: input.direction,
      at,
      elapsedMs: Math.max(0, elapsedMs),
      data,
      size,
      notKept,
      leadIn,
      heldBytes,
      seq: input.seq,
      rttMs: input.rttMs,
      note: input.note,
      tone: input.tone ?? 'info',
      party: input.party,
    };
  }
}

const empty = new Uint8Array(0);
