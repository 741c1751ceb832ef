import type { Client } from '../../shared/contract/client';
import type { HttpDiagnostic } from '../../shared/http/diagnostics';
import { validatorsFrom } from '../../shared/http/editRequest';
import { fieldsNamed, type HttpField } from '../../shared/http/fields';
import { formatByteCount } from '../../shared/bytes';
import { Store } from '../net/store';
import { TranscriptModel } from '../transcript/model';
import { contentEncodings } from './bodyFormat';
import { BodyPages } from './bodyPages';
import type {
  BodyProgress,
  ConnectionRecord,
  ExchangeRecord,
  ExchangesState,
  ExchangeTimings,
  LatestResponse,
  ResponseHeadView,
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

/** Exchanges kept; older ones go (their bodies are let go on the Node side's own schedule). */
const maxExchanges = 200;

const emptyBody: BodyProgress = { received: 0, kept: 0, encodings: [], chunks: 0, complete: false };

/** What the composer knows when it sends (the `http.send` result plus its own fields). */
export interface SentRequest {
  exchangeId: string;
  connectionId?: string | undefined;
  method: string;
  request: Uint8Array;
  target: string;
  origin?: string | undefined;
  sentAt?: number | undefined;
  localPort?: number | undefined;
}

/**
 * The response viewer's model: every request sent from the HTTP page and what came
 * back on which connection, kept up to date from the `http.*` events. Plain data in a
 * Store (views subscribe with useFrameStore, so a fast body stream repaints ~10 times
 * a second, not per chunk). Bodies stay on the Node side and are read a slice at a
 * time through `http.body` (readBody).
 *
 * For the composer's helpers (documented API):
 * - `track(sent)`: call with what `http.send` returned, before or after its events.
 * - `state.latest`: the newest final response's `validators` ({lastModified, etag} for
 *   setConditionalHeaders), its `setCookies` values, `origin` and `fields`.
 * - `onResponse(listener)`: called once per final response head (e.g. feed the
 *   cookie jar with storeResponseCookies(jar, origin, fields)); returns unsubscribe.
 */
export class HttpExchanges extends Store<ExchangesState> {
  private readonly transcripts = new Map<string, TranscriptModel>();
  private readonly responseListeners = new Set<(latest: LatestResponse) => void>();
  private readonly unsubscribes: Array<() => void> = [];
  private readonly pages: BodyPages;
  private exchangeSeq = 0;
  private connectionSeq = 0;
  /** Events for an exchange not tracked yet (they can overtake the send result). */
  private readonly early = new Map<string, Array<() => void>>();

  constructor(
    private readonly client: Client,
    private readonly now: () => number = Date.now,
  ) {
    super({ exchanges: [], connections: [], selectedId: undefined, latest: undefined, droppedExchanges: 0 });
    this.pages = new BodyPages((exchangeId, offset, length, decoded) =>
      this.fetchBody(exchangeId, offset, length, decoded),
    );
    this.subscribeEvents();
  }

  /** Start tracking a request the composer sent. */
  track(sent: SentRequest): void {
    if (this.find(sent.exchangeId)) {
      this.patchExchange(sent.exchangeId, (e) => ({
        ...e,
        connectionId: e.connectionId ?? sent.connectionId,
        localPort: e.localPort ?? sent.localPort,
        origin: e.origin ?? sent.origin,
      }));
      return;
    }
    const record: ExchangeRecord = {
      id: sent.exchangeId,
      seq: ++this.exchangeSeq,
      connectionId: sent.connectionId,
      target: sent.target,
      origin: sent.origin,
      method: sent.method,
      request: sent.request,
      sentAt: sent.sentAt ?? this.now(),
      localPort: sent.localPort,
      interim: [],
      response: undefined,
      trailers: [],
      diagnostics: [],
      body: emptyBody,
      timings: {},
      phase: 'waiting',
      failure: undefined,
    };
    let exchanges = [...this.state.exchanges, record];
    let dropped = this.state.droppedExchanges;
    if (exchanges.length > maxExchanges) {
      const gone = exchanges.slice(0, exchanges.length - maxExchanges);
      for (const old of gone) this.pages.forget(old.id);
      exchanges = exchanges.slice(-maxExchanges);
      dropped += gone.length;
    }
    this.set({ ...this.state, exchanges, selectedId: record.id, droppedExchanges: dropped });
    if (sent.connectionId) {
      this.linkConnection(sent.connectionId, record.id);
      this.transcriptOf(sent.connectionId).append({
        direction: 'client-to-server',
        at: record.sentAt,
        data: sent.request,
        seq: record.seq,
        stream: `${sent.connectionId}:out`,
        note: `request #${record.seq}: ${sent.method}`,
      });
    }
    const held = this.early.get(sent.exchangeId);
    if (held) {
      this.early.delete(sent.exchangeId);
      for (const apply of held) apply();
    }
  }

  /** A send that failed before any exchange existed on the Node side (refused, bad target…). */
  trackFailure(sent: Omit<SentRequest, 'exchangeId'>, failure: { code: string; message: string }): void {
    const exchangeId = `failed-${this.exchangeSeq + 1}`;
    this.track({ ...sent, exchangeId });
    this.fail(exchangeId, failure);
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

  onResponse(listener: (latest: LatestResponse) => void): () => void {
    this.responseListeners.add(listener);
    return () => {
      this.responseListeners.delete(listener);
    };
  }

  clear(): void {
    for (const exchange of this.state.exchanges) this.pages.forget(exchange.id);
    this.transcripts.clear();
    this.set({ exchanges: [], connections: [], selectedId: undefined, latest: undefined, droppedExchanges: 0 });
  }

  /** The link to the Node side broke: its connections are gone, and so is any response still awaited. */
  connectionLost(): void {
    for (const exchange of this.state.exchanges) {
      if (exchange.phase === 'waiting' || exchange.phase === 'receiving' || exchange.phase === 'sending') {
        this.fail(exchange.id, {
          code: 'E_LOST',
          message:
            'The link to the app’s network side was lost; this response will not arrive. Send the request again.',
        });
      }
    }
    const at = this.now();
    this.set({
      ...this.state,
      connections: this.state.connections.map((c) =>
        c.closedAt === undefined
          ? { ...c, closedAt: at, closeNote: 'closed: the link to the app’s network side was lost' }
          : c,
      ),
    });
  }

  dispose(): void {
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
  }

  // ---- applying what the Node side reports ----

  protected connectionOpened(input: {
    connectionId: string;
    target: string;
    localAddress?: string | undefined;
    localPort?: number | undefined;
    remoteAddress?: string | undefined;
    at?: number | undefined;
    mono?: number | undefined;
    tls?: string | undefined;
  }): void {
    const existing = this.connection(input.connectionId);
    const record: ConnectionRecord = {
      id: input.connectionId,
      seq: existing?.seq ?? ++this.connectionSeq,
      target: input.target,
      localAddress: input.localAddress,
      localPort: input.localPort,
      remoteAddress: input.remoteAddress,
      openedAt: input.at ?? this.now(),
      closedAt: existing?.closedAt,
      closeNote: existing?.closeNote,
      exchangeIds: existing?.exchangeIds ?? [],
      strayBytes: existing?.strayBytes ?? 0,
    };
    this.set({
      ...this.state,
      connections: existing
        ? this.state.connections.map((c) => (c.id === record.id ? record : c))
        : [...this.state.connections, record],
      exchanges: this.state.exchanges.map((e) =>
        e.connectionId === record.id && e.localPort === undefined ? { ...e, localPort: record.localPort } : e,
      ),
    });
    const local = input.localAddress
      ? `${input.localAddress}:${input.localPort ?? '?'}`
      : `local port ${input.localPort ?? '?'}`;
    this.transcriptOf(record.id).append({
      direction: 'system',
      at: record.openedAt,
      mono: input.mono,
      note: `connection ${record.seq} opened: ${local} → ${input.remoteAddress ?? input.target}${input.tls ? ` (${input.tls})` : ''}`,
      tone: 'ok',
    });
  }

  protected connectionClosed(input: {
    connectionId: string;
    /** Who closed: 'server' (FIN from the peer), 'client' (we did), 'error'. */
    by: 'server' | 'client' | 'error' | 'idle';
    message?: string | undefined;
    at?: number | undefined;
    mono?: number | undefined;
  }): void {
    const note =
      input.message ??
      {
        server: 'the server closed the connection',
        client: 'the client closed the connection',
        error: 'the connection failed',
        idle: 'closed after being idle',
      }[input.by];
    const at = input.at ?? this.now();
    this.patchConnection(input.connectionId, (c) => ({ ...c, closedAt: at, closeNote: note }));
    this.transcriptOf(input.connectionId).append({
      direction: 'system',
      at,
      mono: input.mono,
      note: `connection ${this.connection(input.connectionId)?.seq ?? '?'} closed: ${note}`,
      tone: input.by === 'error' ? 'error' : input.by === 'server' ? 'warn' : 'info',
    });
    this.transcriptOf(input.connectionId).endStream(`${input.connectionId}:in`);
  }

  protected stray(input: {
    connectionId: string;
    data?: Uint8Array | undefined;
    length: number;
    at?: number | undefined;
  }): void {
    this.patchConnection(input.connectionId, (c) => ({ ...c, strayBytes: c.strayBytes + input.length }));
    this.transcriptOf(input.connectionId).append({
      direction: 'server-to-client',
      at: input.at,
      data: input.data,
      size: input.length,
      note: 'bytes on an idle connection: no request was outstanding, so they belong to no response',
      tone: 'warn',
    });
  }

  protected head(exchangeId: string, head: ResponseHeadView & { interim: boolean }): void {
    this.whenTracked(exchangeId, () => {
      const exchange = this.find(exchangeId);
      if (!exchange) return;
      const { interim, ...view } = head;
      if (interim) {
        this.patchExchange(exchangeId, (e) => ({ ...e, interim: [...e.interim, view], phase: 'receiving' }));
      } else {
        this.patchExchange(exchangeId, (e) => ({
          ...e,
          response: view,
          phase: e.phase === 'failed' ? e.phase : 'receiving',
          body: { ...e.body, encodings: contentEncodings(view.fields) },
        }));
        const latest: LatestResponse = {
          exchangeId,
          origin: exchange.origin,
          status: view.status,
          validators: validatorsFrom(view.fields),
          setCookies: fieldsNamed(view.fields, 'Set-Cookie').map((f) => f.value),
          fields: view.fields,
        };
        this.set({ ...this.state, latest });
        for (const listener of [...this.responseListeners]) listener(latest);
      }
      if (exchange.connectionId) {
        this.transcriptOf(exchange.connectionId).append({
          direction: 'server-to-client',
          at: view.at,
          data: view.raw,
          seq: exchange.seq,
          note: `${interim ? 'interim response' : 'response'} to #${exchange.seq}: ${view.startLine}`,
          tone: view.status >= 400 ? 'warn' : 'ok',
        });
      }
    });
  }

  protected diagnostics(
    exchangeId: string | undefined,
    connectionId: string | undefined,
    list: readonly HttpDiagnostic[],
  ): void {
    if (list.length === 0) return;
    if (exchangeId === undefined) {
      if (connectionId === undefined) return;
      for (const d of list) {
        this.transcriptOf(connectionId).append({
          direction: 'system',
          note: d.message,
          tone: d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warn' : 'info',
        });
      }
      return;
    }
    this.whenTracked(exchangeId, () =>
      this.patchExchange(exchangeId, (e) => ({ ...e, diagnostics: [...e.diagnostics, ...list] })),
    );
  }

  protected bodyProgress(exchangeId: string, progress: Partial<BodyProgress>): void {
    this.whenTracked(exchangeId, () =>
      this.patchExchange(exchangeId, (e) => ({ ...e, body: { ...e.body, ...progress } })),
    );
  }

  protected trailers(exchangeId: string, fields: readonly HttpField[]): void {
    this.whenTracked(exchangeId, () =>
      this.patchExchange(exchangeId, (e) => ({ ...e, trailers: [...e.trailers, ...fields] })),
    );
  }

  protected finished(
    exchangeId: string,
    input: { complete: boolean; timings?: ExchangeTimings | undefined; body?: Partial<BodyProgress> | undefined },
  ): void {
    this.whenTracked(exchangeId, () => {
      const exchange = this.find(exchangeId);
      if (!exchange) return;
      this.patchExchange(exchangeId, (e) => ({
        ...e,
        phase: e.phase === 'failed' ? 'failed' : 'done',
        timings: input.timings ? { ...e.timings, ...input.timings } : e.timings,
        body: { ...e.body, ...input.body, complete: true },
      }));
      const done = this.find(exchangeId);
      if (exchange.connectionId && done?.response && done.body.received > 0) {
        this.transcriptOf(exchange.connectionId).append({
          direction: 'server-to-client',
          size: done.body.received,
          seq: done.seq,
          note: `body of #${done.seq}: ${formatByteCount(done.body.received)}${input.complete ? '' : ' (cut short: the connection closed before its declared end)'} — see Body`,
          tone: input.complete ? 'info' : 'warn',
        });
      }
    });
  }

  protected timings(exchangeId: string, timings: ExchangeTimings): void {
    this.whenTracked(exchangeId, () =>
      this.patchExchange(exchangeId, (e) => ({ ...e, timings: { ...e.timings, ...timings } })),
    );
  }

  protected fail(exchangeId: string, failure: { code: string; message: string }): void {
    this.whenTracked(exchangeId, () => {
      const exchange = this.find(exchangeId);
      this.patchExchange(exchangeId, (e) => ({ ...e, phase: 'failed', failure }));
      if (exchange?.connectionId) {
        this.transcriptOf(exchange.connectionId).append({
          direction: 'system',
          note: `request #${exchange.seq} failed: ${failure.message}`,
          tone: 'error',
        });
      }
    });
  }

  // ---- plumbing ----

  private subscribeEvents(): void {
    // Filled in against shared/http/clientContract.ts.
    void this.client;
  }

  private async fetchBody(exchangeId: string, offset: number, length: number, decoded: boolean): Promise<Uint8Array> {
    void exchangeId;
    void offset;
    void length;
    void decoded;
    throw new Error('http.body is not available yet');
  }

  private whenTracked(exchangeId: string, apply: () => void): void {
    if (this.find(exchangeId)) {
      apply();
      return;
    }
    const held = this.early.get(exchangeId) ?? [];
    if (held.length > 1000) return;
    held.push(apply);
    this.early.set(exchangeId, held);
  }

  private linkConnection(connectionId: string, exchangeId: string): void {
    const existing = this.connection(connectionId);
    if (existing) {
      if (!existing.exchangeIds.includes(exchangeId)) {
        this.patchConnection(connectionId, (c) => ({ ...c, exchangeIds: [...c.exchangeIds, exchangeId] }));
      }
      const localPort = existing.localPort;
      if (localPort !== undefined)
        this.patchExchange(exchangeId, (e) => (e.localPort === undefined ? { ...e, localPort } : e));
      return;
    }
    const exchange = this.find(exchangeId);
    const record: ConnectionRecord = {
      id: connectionId,
      seq: ++this.connectionSeq,
      target: exchange?.target ?? '',
      localAddress: undefined,
      localPort: exchange?.localPort,
      remoteAddress: undefined,
      openedAt: exchange?.sentAt ?? this.now(),
      closedAt: undefined,
      closeNote: undefined,
      exchangeIds: [exchangeId],
      strayBytes: 0,
    };
    this.set({ ...this.state, connections: [...this.state.connections, record] });
  }

  private patchExchange(exchangeId: string, change: (exchange: ExchangeRecord) => ExchangeRecord): void {
    let changed = false;
    const exchanges = this.state.exchanges.map((e) => {
      if (e.id !== exchangeId) return e;
      const next = change(e);
      changed ||= next !== e;
      return next;
    });
    if (changed) this.set({ ...this.state, exchanges });
  }

  private patchConnection(connectionId: string, change: (connection: ConnectionRecord) => ConnectionRecord): void {
    if (!this.connection(connectionId)) return;
    this.set({
      ...this.state,
      connections: this.state.connections.map((c) => (c.id === connectionId ? change(c) : c)),
    });
  }
}
