import type { Client } from '../../../shared/contract/client';
import type { EventPayloadOf } from '../../../shared/contract/index';
import { type HttpSendResult, maxHttpBodySliceBytes } from '../../../shared/http/client/contract';
import { Store } from '../../net/store';
import { TranscriptModel } from '../../transcript/model';
import { BodyPages } from './response/bodyPages';
import { closedLine, endLines, openedLine, progressLines, requestLine, strayLine } from './response/connectionLines';
import {
  connectionFromSend,
  ended,
  exchangeRecord,
  openedConnection,
  progressed,
  requestTarget,
} from './exchangeRecords';
import type {
  ConnectionRecord,
  ExchangeRecord,
  ExchangesState,
  ExchangeTimings,
  LatestResponse,
  SendMode,
} from './exchangeState';

export type {
  BodyProgress,
  ConnectionRecord,
  ExchangeRecord,
  ExchangesState,
  ExchangeTimings,
  LatestResponse,
  ResponseHeadView,
} from './exchangeState';

/** Exchanges listed; older ones go (the Node side keeps as many, and says when it lets one go). */
const maxExchanges = 200;
/** Events held for an exchange whose send result has not come back yet. */
const maxEarlyEvents = 1000;

/** One request of an `http.send`, as the composer knows it. */
export interface TrackedRequest {
  exchangeId: string;
  connectionId?: string | undefined;
  method: string;
  /** The request line's target ("/known.txt"); read from `request` when not given. */
  path?: string | undefined;
  /** This request's bytes exactly as sent. */
  request: Uint8Array;
  /** For people: "127.0.0.1:8080" or "example.com:443 (TLS)". */
  target: string;
  /** scheme://host[:port], for the cookie jar. */
  origin?: string | undefined;
  /** When it went out (the send result's stamp). */
  sentAt?: number | undefined;
  sentMono?: number | undefined;
  /** The local port of the connection that carried it. */
  localPort?: number | undefined;
  reused?: boolean | undefined;
  timings?: ExchangeTimings | undefined;
  /** The composer's connection choice. */
  mode?: SendMode | undefined;
}

type ProgressEvent = EventPayloadOf<'http.progress'>;
type ExchangeEndEvent = EventPayloadOf<'http.exchangeEnd'>;

/**
 * The response viewer's model: every request sent from the HTTP page and what came
 * back on which connection, kept up to date from the `http.*` events. Plain data in a
 * Store (views subscribe with useFrameStore, so a fast body stream repaints ~10 times
 * a second, not per chunk; the Node side already coalesces progress to one event per
 * ~25 ms). Bodies stay on the Node side and are read a slice at a time (readBody).
 * This class holds the records and routes the events; what an event does to a record
 * is in exchangeRecords.ts, what it says in the connection's transcript is beside
 * the transcript's view, in response/connectionLines.ts.
 *
 * API for the composer (H3):
 * - `track(request)` per exchange of an `http.send` result, or `trackSend(result, {raw,
 *   target, origin})` for all of them; events that overtook the result are held until then.
 * - `trackFailure({method, request, target, origin}, error)`: a send that failed
 *   (refused, timeout, TLS…), shown as a failed exchange with the error's message.
 * - `state.latest`: the newest final response: `validators` ({lastModified, etag}, for
 *   setConditionalHeaders), `setCookies` (every Set-Cookie value), `origin`, `fields`.
 * - `onResponse(listener)`: once per final response head, e.g. to feed the cookie jar
 *   with storeResponseCookies(jar, latest.origin, latest.fields); returns unsubscribe.
 * - `connectionLost()` / `dispose()` for useLab.
 */
export class HttpExchanges extends Store<ExchangesState> {
  private readonly transcripts = new Map<string, TranscriptModel>();
  private readonly responseListeners = new Set<(latest: LatestResponse) => void>();
  private readonly unsubscribes: Array<() => void> = [];
  private readonly pages: BodyPages;
  private exchangeSeq = 0;
  private connectionSeq = 0;
  private failedSeq = 0;
  private readonly early = new Map<string, Array<() => void>>();
  /** Requests tracked per connection so far (the server's numbering), kept through a clear. */
  private readonly perConnection = new Map<string, number>();
  /** The newest final response per URL asked for (origin + request target), for the conditional-GET helper. */
  private readonly latestByUrl = new Map<string, LatestResponse>();
  private earlyCount = 0;

  constructor(
    private readonly client: Client,
    private readonly now: () => number = Date.now,
  ) {
    super({ exchanges: [], connections: [], selectedId: undefined, latest: undefined, droppedExchanges: 0 });
    this.pages = new BodyPages(
      (exchangeId, offset, length, decoded) => this.fetchBody(exchangeId, offset, length, decoded),
      16 * 1024 * 1024,
      maxHttpBodySliceBytes,
    );
    this.unsubscribes.push(
      client.on('http.connectionOpened', (event) => this.connectionOpened(event)),
      client.on('http.progress', (event) => this.whenTracked(event.exchangeId, () => this.progress(event))),
      client.on('http.exchangeEnd', (event) => this.whenTracked(event.exchangeId, () => this.exchangeEnd(event))),
      client.on('http.stray', (event) => this.stray(event)),
      client.on('http.connectionClosed', (event) => this.connectionClosed(event)),
      client.on('http.forgotten', (event) => this.forgotten(event.exchangeIds)),
    );
  }

  /** Start following one request of an `http.send` (the composer calls this per sent exchange). */
  track(sent: TrackedRequest): void {
    if (this.find(sent.exchangeId)) return;
    let onConnection: number | undefined;
    if (sent.connectionId !== undefined) {
      onConnection = (this.perConnection.get(sent.connectionId) ?? 0) + 1;
      this.perConnection.set(sent.connectionId, onConnection);
    }
    const record = exchangeRecord({
      id: sent.exchangeId,
      seq: ++this.exchangeSeq,
      connectionId: sent.connectionId,
      target: sent.target,
      origin: sent.origin,
      method: sent.method || '(unreadable request line)',
      path: sent.path ?? requestTarget(sent.request),
      request: sent.request,
      sentAt: sent.sentAt ?? this.now(),
      localPort: sent.localPort,
      timings: sent.timings,
      reused: sent.reused,
      onConnection,
      mode: sent.mode,
    });
    this.add(record);
    if (sent.connectionId !== undefined) {
      this.linkConnection(sent.connectionId, record);
      this.transcriptOf(sent.connectionId).append(requestLine(record, sent.connectionId, sent.sentMono));
    }
    const held = this.early.get(record.id);
    if (held) {
      this.early.delete(record.id);
      this.earlyCount -= held.length;
      for (const apply of held) apply();
    }
  }

  /** Start following every request of one `http.send` (several when pipelined). */
  trackSend(
    result: HttpSendResult,
    sent: { raw: Uint8Array; target: string; origin?: string | undefined; mode?: SendMode | undefined },
  ): void {
    for (const exchange of result.exchanges) {
      this.track({
        exchangeId: exchange.exchangeId,
        connectionId: result.connectionId,
        method: exchange.method,
        path: exchange.target,
        request: sent.raw.slice(exchange.offset, exchange.offset + exchange.length),
        target: sent.target,
        origin: sent.origin,
        sentAt: result.at,
        sentMono: result.mono,
        localPort: result.local.port,
        reused: result.reused,
        mode: sent.mode,
        timings:
          exchange.index === 0 && result.connect
            ? { lookupMs: result.connect.lookupMs, connectMs: result.connect.connectMs, tlsMs: result.connect.tlsMs }
            : undefined,
      });
    }
  }

  /** A send that failed before any request went out: shown as a failed exchange saying why. */
  trackFailure(
    sent: { method?: string | undefined; request: Uint8Array; target: string; origin?: string | undefined },
    error: { code: string; message: string },
  ): void {
    this.add(
      exchangeRecord({
        id: `not-sent-${++this.failedSeq}`,
        seq: ++this.exchangeSeq,
        connectionId: undefined,
        target: sent.target,
        origin: sent.origin,
        method: sent.method ?? '',
        path: requestTarget(sent.request),
        request: sent.request,
        sentAt: this.now(),
        phase: 'failed',
        failure: { code: error.code, message: error.message },
      }),
    );
  }

  /**
   * Clears the list: every finished request and every closed connection go (with
   * their transcripts and the validators they gave); requests still awaited and open
   * connections stay. Numbers go on from where they were, so a transcript never shows
   * one number twice.
   */
  clear(): void {
    const kept = this.state.exchanges.filter((e) => e.phase !== 'done' && e.phase !== 'failed');
    const keptIds = new Set(kept.map((e) => e.id));
    for (const e of this.state.exchanges) if (!keptIds.has(e.id)) this.pages.forget(e.id);
    const connections = this.state.connections
      .filter((c) => c.closedAt === undefined)
      .map((c) => ({ ...c, exchangeIds: c.exchangeIds.filter((id) => keptIds.has(id)) }));
    const open = new Set(connections.map((c) => c.id));
    for (const id of [...this.transcripts.keys()]) if (!open.has(id)) this.transcripts.delete(id);
    this.latestByUrl.clear();
    this.set({
      ...this.state,
      exchanges: kept,
      connections,
      selectedId: kept.at(-1)?.id,
      latest: undefined,
      droppedExchanges: 0,
    });
  }

  select(exchangeId: string): void {
    if (this.find(exchangeId) && this.state.selectedId !== exchangeId)
      this.set({ ...this.state, selectedId: exchangeId });
  }

  get selected(): ExchangeRecord | undefined {
    return this.find(this.state.selectedId);
  }

  find(exchangeId: string | undefined): ExchangeRecord | undefined {
    return exchangeId === undefined ? undefined : this.state.exchanges.find((e) => e.id === exchangeId);
  }

  connection(connectionId: string | undefined): ConnectionRecord | undefined {
    return connectionId === undefined ? undefined : this.state.connections.find((c) => c.id === connectionId);
  }

  /** The who-sent-what-when log of one connection. */
  transcriptOf(connectionId: string): TranscriptModel {
    let transcript = this.transcripts.get(connectionId);
    if (!transcript) {
      transcript = new TranscriptModel({ now: this.now });
      this.transcripts.set(connectionId, transcript);
    }
    return transcript;
  }

  /** Bytes [offset, offset + length) of a body, decoded (Content-Encoding undone) or as received. */
  readBody(exchangeId: string, offset: number, length: number, decoded: boolean): Promise<Uint8Array> {
    return this.pages.read(exchangeId, offset, length, decoded);
  }

  /**
   * The newest final response to a request for `url` (origin + request target, e.g.
   * "http://127.0.0.1:8080/known.txt"): validators belong to the object they came with.
   */
  latestFor(url: string): LatestResponse | undefined {
    return this.latestByUrl.get(url);
  }

  onResponse(listener: (latest: LatestResponse) => void): () => void {
    this.responseListeners.add(listener);
    return () => {
      this.responseListeners.delete(listener);
    };
  }

  /** The link to the Node side broke: its connections are gone, and so is any response still awaited. */
  connectionLost(): void {
    const at = this.now();
    const message = 'The link to the app’s network side was lost, and this connection with it. Send the request again.';
    this.early.clear();
    this.earlyCount = 0;
    this.set({
      ...this.state,
      exchanges: this.state.exchanges.map((e) =>
        e.phase === 'failed' || e.phase === 'done'
          ? e
          : { ...e, phase: 'failed', failure: { code: 'E_LOST', message }, body: { ...e.body, forgotten: true } },
      ),
      connections: this.state.connections.map((c) =>
        c.closedAt === undefined ? { ...c, closedAt: at, closeNote: 'the link to the app’s network side was lost' } : c,
      ),
    });
  }

  dispose(): void {
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
  }

  // ---- the http.* events ----

  private connectionOpened(event: EventPayloadOf<'http.connectionOpened'>): void {
    const existing = this.connection(event.connectionId);
    const record = openedConnection(event, existing, existing?.seq ?? ++this.connectionSeq);
    this.set({
      ...this.state,
      connections: existing
        ? this.state.connections.map((c) => (c.id === record.id ? record : c))
        : [...this.state.connections, record],
    });
    this.transcriptOf(record.id).append(openedLine(event, record.seq));
  }

  private progress(event: ProgressEvent): void {
    const exchange = this.find(event.exchangeId);
    if (!exchange) return;
    const transcript = this.transcriptOf(event.connectionId);
    for (const line of progressLines(exchange, event)) transcript.append(line);
    const { change, latest } = progressed(exchange, event);
    this.patchExchange(exchange.id, change);
    if (latest) {
      this.remember(latest);
      this.set({ ...this.state, latest });
      for (const listener of [...this.responseListeners]) listener(latest);
    }
  }

  private exchangeEnd(event: ExchangeEndEvent): void {
    const exchange = this.find(event.exchangeId);
    if (!exchange) return;
    const { change, failure } = ended(exchange, event);
    this.patchExchange(exchange.id, change);
    const done = this.find(exchange.id);
    if (exchange.connectionId && done) {
      const transcript = this.transcriptOf(exchange.connectionId);
      for (const line of endLines(done, event, failure)) transcript.append(line);
    }
    if (done && done.body.encodings.length > 0 && done.body.kept > 0) void this.learnDecodedLength(done.id);
  }

  /** A compressed body's decoded size (and whether it decodes at all), asked once it is complete. */
  private async learnDecodedLength(exchangeId: string): Promise<void> {
    try {
      const result = await this.client.call('http.body', { exchangeId, offset: 0, length: 0, decoded: true });
      this.patchExchange(exchangeId, (e) => ({
        ...e,
        body: { ...e.body, decodedLength: result.totalBytes, decodeError: result.decodeError },
      }));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.patchExchange(exchangeId, (e) => ({ ...e, body: { ...e.body, decodeError: message } }));
    }
  }

  private stray(event: EventPayloadOf<'http.stray'>): void {
    this.patchConnection(event.connectionId, (c) => ({ ...c, strayBytes: c.strayBytes + event.length }));
    this.transcriptOf(event.connectionId).append(strayLine(event));
  }

  private connectionClosed(event: EventPayloadOf<'http.connectionClosed'>): void {
    this.patchConnection(event.connectionId, (c) => ({ ...c, closedAt: event.at, closeNote: event.message }));
    const connection = this.connection(event.connectionId);
    this.transcriptOf(event.connectionId).append(closedLine(event, connection?.seq));
  }

  private forgotten(exchangeIds: readonly string[]): void {
    const gone = new Set(exchangeIds);
    for (const id of exchangeIds) {
      this.pages.forget(id);
      // Events held for an exchange this page never tracked (another sender's, e.g. the experiment's) go too.
      const held = this.early.get(id);
      if (held) {
        this.early.delete(id);
        this.earlyCount -= held.length;
      }
    }
    if (!this.state.exchanges.some((e) => gone.has(e.id))) return;
    this.set({
      ...this.state,
      exchanges: this.state.exchanges.map((e) => (gone.has(e.id) ? { ...e, body: { ...e.body, forgotten: true } } : e)),
    });
  }

  // ---- plumbing ----

  private remember(latest: LatestResponse): void {
    if (latest.url === undefined) return;
    const before = this.latestByUrl.get(latest.url);
    // A 304 without validators still means the ones we had are good.
    const keep = latest.status === 304 && !latest.validators.etag && !latest.validators.lastModified && before;
    this.latestByUrl.delete(latest.url);
    this.latestByUrl.set(latest.url, keep ? { ...latest, validators: before.validators } : latest);
    if (this.latestByUrl.size > maxExchanges) {
      const oldest = this.latestByUrl.keys().next().value;
      if (oldest !== undefined) this.latestByUrl.delete(oldest);
    }
  }

  private async fetchBody(exchangeId: string, offset: number, length: number, decoded: boolean): Promise<Uint8Array> {
    if (this.find(exchangeId)?.body.forgotten) {
      throw new Error('this body is no longer kept (the app keeps the latest 200 responses and 512 MiB of bodies)');
    }
    const result = await this.client.call('http.body', { exchangeId, offset, length, decoded });
    return result.data;
  }

  private add(record: ExchangeRecord): void {
    let exchanges = [...this.state.exchanges, record];
    let dropped = this.state.droppedExchanges;
    if (exchanges.length > maxExchanges) {
      const gone = exchanges.slice(0, exchanges.length - maxExchanges);
      for (const old of gone) this.pages.forget(old.id);
      exchanges = exchanges.slice(-maxExchanges);
      dropped += gone.length;
    }
    this.set({ ...this.state, exchanges, selectedId: record.id, droppedExchanges: dropped });
  }

  private whenTracked(exchangeId: string, apply: () => void): void {
    if (this.find(exchangeId)) {
      apply();
      return;
    }
    if (this.earlyCount >= maxEarlyEvents) return;
    const held = this.early.get(exchangeId) ?? [];
    held.push(apply);
    this.early.set(exchangeId, held);
    this.earlyCount++;
  }

  private linkConnection(connectionId: string, record: ExchangeRecord): void {
    if (this.connection(connectionId)) {
      this.patchConnection(connectionId, (c) => ({
        ...c,
        exchangeIds: [...c.exchangeIds, record.id],
        openedFor: c.openedFor ?? (record.reused ? undefined : { seq: record.seq, mode: record.mode }),
      }));
      return;
    }
    // http.connectionOpened comes first; this covers a connection opened before this page listened.
    const connection = connectionFromSend(connectionId, record, ++this.connectionSeq);
    this.set({ ...this.state, connections: [...this.state.connections, connection] });
  }

  private patchExchange(exchangeId: string, change: (exchange: ExchangeRecord) => ExchangeRecord): void {
    const index = this.state.exchanges.findIndex((e) => e.id === exchangeId);
    const current = this.state.exchanges[index];
    if (!current) return;
    const next = change(current);
    if (next === current) return;
    const exchanges = this.state.exchanges.slice();
    exchanges[index] = next;
    this.set({ ...this.state, exchanges });
  }

  private patchConnection(connectionId: string, change: (connection: ConnectionRecord) => ConnectionRecord): void {
    if (!this.connection(connectionId)) return;
    this.set({
      ...this.state,
      connections: this.state.connections.map((c) => (c.id === connectionId ? change(c) : c)),
    });
  }
}
