import type { ErrorInfo } from '../../../shared/contract';
import type { EventPayloadOf } from '../../../shared/contract/index';
import { formatByteCount } from '../../../shared/bytes/formatByteCount';
import { maxListedHttpChunks } from '../../../shared/http/client/contract';
import { diagnostic, type HttpDiagnostic } from '../../../shared/http/compose/diagnostics';
import type { ResponseHead, ResponseParseEvent } from '../../../shared/http/parse/events';
import { fieldList, type HttpField } from '../../../shared/http/parse/fields';
import type { Stamp } from '../../../shared/net/contract';
import { roundMs, stamp } from '../../net/clock';
import { Coalescer } from '../../net/coalescer';
import { BodyStore } from './bodyStore';

type Progress = EventPayloadOf<'http.progress'>;
type Outcome = EventPayloadOf<'http.exchangeEnd'>['outcome'];
type Unparsed = Progress['unparsed'][number];
type Emit = <E extends 'http.progress' | 'http.exchangeEnd'>(name: E, payload: EventPayloadOf<E>) => void;

/** Unparsed bytes shown per progress event; the rest are counted. */
const maxUnparsedShown = 64 * 1024;

export interface ExchangeSetup {
  id: string;
  connectionId: string;
  method: string;
  /** Body bytes kept; the rest is counted and noted. */
  maxBodyBytes: number;
  /** When the send started (before any connect it needed). */
  startMono: number;
  /** Set-up of the connection, when this send opened it. */
  connect?: { lookupMs?: number | undefined; connectMs: number; tlsMs?: number | undefined } | undefined;
  /** The response deadline as events show it. */
  deadline: () => { timeoutMs: number; mono: number } | undefined;
  emit: Emit;
  intervalMs: number;
}

/**
 * One request and what answered it: heads (interim 1xx, then the final one), chunk
 * lines, trailers, diagnostics, the body (kept as received pieces up to the cap) and
 * timings. Progress goes out as deltas, coalesced (at most one event per interval),
 * and always before the exchange's end.
 */
export class Exchange {
  readonly id: string;
  readonly connectionId: string;
  readonly method: string;
  readonly body = new BodyStore();
  finalHead: ResponseHead | undefined;
  /** A fatal parse error: the response cannot be framed; the rest is unparsed bytes. */
  broken: HttpDiagnostic | undefined;
  ended = false;
  endedMono = 0;
  private receivedBytes = 0;
  private cappedAt: number | undefined;
  private chunkCount = 0;
  private encodings: string[] = [];
  private lastError: HttpDiagnostic | undefined;
  private sentMono: number | undefined;
  private firstByteMono: number | undefined;
  private lastByteMono: number | undefined;
  private pending: Pick<Progress, 'heads' | 'chunks' | 'trailers' | 'diagnostics' | 'unparsed'> = emptyDelta();
  private dirty = false;
  private readonly coalescer: Coalescer<null>;

  constructor(private readonly setup: ExchangeSetup) {
    this.id = setup.id;
    this.connectionId = setup.connectionId;
    this.method = setup.method;
    this.coalescer = new Coalescer<null>({
      intervalMs: setup.intervalMs,
      maxBytes: Number.POSITIVE_INFINITY,
      maxItems: Number.POSITIVE_INFINITY,
      flush: () => this.flushProgress(),
    });
  }

  get keptBytes(): number {
    return this.body.size;
  }

  get contentEncodings(): readonly string[] {
    return this.encodings;
  }

  /** In the middle of a body it keeps: the final head is in, its body not yet, and the cap not reached. */
  get keepsMoreBody(): boolean {
    const framing = this.finalHead?.framing.kind;
    return (
      !this.ended &&
      this.broken === undefined &&
      (framing === 'length' || framing === 'chunked' || framing === 'close') &&
      this.body.size < this.setup.maxBodyBytes
    );
  }

  /** The final head arrived and its framing is 101/CONNECT: the rest of the connection is another protocol. */
  get switched(): boolean {
    return this.finalHead?.framing.kind === 'switch';
  }

  sent(mono: number): void {
    this.sentMono = mono;
  }

  /** Bytes of this exchange's response arrived at `mono`. */
  touched(mono: number): void {
    this.firstByteMono ??= mono;
    this.lastByteMono = mono;
  }

  apply(event: ResponseParseEvent, at: Stamp): void {
    switch (event.type) {
      case 'head': {
        const { head } = event;
        this.pending.heads.push({
          ...at,
          offset: head.offset,
          raw: head.raw,
          startLine: head.startLine,
          versionText: head.versionText,
          version: head.version,
          status: head.status,
          reason: head.reason,
          fields: head.fields,
          framing: head.framing,
          interim: head.interim,
          persistent: head.persistent,
        });
        if (!head.interim) {
          this.finalHead = head;
          this.encodings = fieldList(head.fields, 'Content-Encoding').map((coding) => coding.toLowerCase());
        }
        break;
      }
      case 'chunk':
        this.chunkCount++;
        if (this.chunkCount <= maxListedHttpChunks) {
          const { offset, length, size, line, extensions } = event;
          this.pending.chunks.push({ offset, length, size, line, extensions });
        }
        break;
      case 'body':
        this.addBody(event.data, event.length, event.offset);
        break;
      case 'trailers':
        this.pending.trailers.push(...event.fields);
        break;
      case 'diagnostic':
        this.addDiagnostic(event.diagnostic);
        break;
      case 'unparsed':
        this.addUnparsed(event.reason, event.offset, event.data);
        break;
      case 'end':
        break;
    }
    this.changed();
  }

  addDiagnostic(d: HttpDiagnostic): void {
    // The exchange keeps its own cap (per request); the parser's own note would repeat it.
    if (d.code === 'body-capped') return;
    if (d.severity === 'error') this.lastError = d;
    if (d.fatal) this.broken ??= d;
    this.pending.diagnostics.push(d);
    this.changed();
  }

  addUnparsed(reason: Unparsed['reason'], offset: number, data: Uint8Array): void {
    const shown = this.pending.unparsed.reduce((sum, u) => sum + u.data.length, 0);
    const last = this.pending.unparsed[this.pending.unparsed.length - 1];
    const keep = data.subarray(0, Math.max(0, maxUnparsedShown - shown));
    if (last && last.reason === reason && last.offset + last.length === offset) {
      if (keep.length > 0) last.data = concat(last.data, keep);
      last.length += data.length;
    } else {
      this.pending.unparsed.push({ reason, offset, length: data.length, data: keep.slice() });
    }
    this.changed();
  }

  /** The error to report when the exchange ends short: the parser's last error, in its words. */
  get parseError(): HttpDiagnostic | undefined {
    return this.broken ?? this.lastError;
  }

  end(outcome: Outcome, error?: ErrorInfo): void {
    if (this.ended) return;
    this.ended = true;
    this.body.seal();
    this.coalescer.close();
    this.flushProgress();
    const at = stamp();
    this.endedMono = at.mono;
    const payload: EventPayloadOf<'http.exchangeEnd'> = {
      ...at,
      exchangeId: this.id,
      connectionId: this.connectionId,
      outcome,
      body: this.bodyProgress(),
      timings: this.timings(),
    };
    if (error) payload.error = error;
    this.setup.emit('http.exchangeEnd', payload);
  }

  timings(): EventPayloadOf<'http.exchangeEnd'>['timings'] {
    const out: EventPayloadOf<'http.exchangeEnd'>['timings'] = {};
    const connect = this.setup.connect;
    if (connect?.lookupMs !== undefined) out.lookupMs = connect.lookupMs;
    if (connect) out.connectMs = connect.connectMs;
    if (connect?.tlsMs !== undefined) out.tlsMs = connect.tlsMs;
    if (this.sentMono !== undefined && this.firstByteMono !== undefined) {
      out.firstByteMs = roundMs(Math.max(0, this.firstByteMono - this.sentMono));
    }
    if (this.firstByteMono !== undefined && this.lastByteMono !== undefined) {
      out.transferMs = roundMs(this.lastByteMono - this.firstByteMono);
    }
    if (this.lastByteMono !== undefined) out.totalMs = roundMs(this.lastByteMono - this.setup.startMono);
    return out;
  }

  bodyProgress(): Progress['body'] {
    const out: Progress['body'] = {
      receivedBytes: this.receivedBytes,
      keptBytes: this.body.size,
      chunkCount: this.chunkCount,
      encodings: this.encodings,
    };
    if (this.cappedAt !== undefined) out.cappedAt = this.cappedAt;
    return out;
  }

  /** Lets go of the body (the exchange was forgotten). */
  release(): number {
    const freed = this.body.size;
    this.body.clear();
    this.coalescer.close();
    return freed;
  }

  private addBody(data: Uint8Array | null, length: number, offset: number): void {
    const cap = this.setup.maxBodyBytes;
    const room = Math.max(0, cap - this.body.size);
    if (data && room > 0) this.body.append(data.length > room ? data.subarray(0, room) : data);
    if (length > room && this.cappedAt === undefined) {
      this.cappedAt = cap;
      // Pushed directly: addDiagnostic drops the parser's note of this code, and this one is the exchange's own.
      this.pending.diagnostics.push(capNote(cap, offset + room, this.finalHead?.index));
    }
    this.receivedBytes += length;
  }

  private changed(): void {
    if (this.ended) return;
    this.dirty = true;
    this.coalescer.touch();
  }

  private flushProgress(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const delta = this.pending;
    this.pending = emptyDelta();
    const payload: Progress = {
      ...stamp(),
      exchangeId: this.id,
      connectionId: this.connectionId,
      ...delta,
      body: this.bodyProgress(),
    };
    const deadline = this.setup.deadline();
    if (deadline) payload.deadline = deadline;
    this.setup.emit('http.progress', payload);
  }
}

function capNote(cap: number, offset: number, messageIndex: number | undefined): HttpDiagnostic {
  return diagnostic(
    'body-capped',
    'info',
    offset,
    0,
    `The body is larger than ${formatByteCount(cap)}: the first ${formatByteCount(cap)} are kept, the rest is counted but not kept.`,
    { messageIndex },
  );
}

function emptyDelta(): Pick<Progress, 'heads' | 'chunks' | 'trailers' | 'diagnostics' | 'unparsed'> {
  return { heads: [], chunks: [], trailers: [] as HttpField[], diagnostics: [], unparsed: [] };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
