import { PlaygroundError } from '../../../shared/contract/errors';
import type { EventName, EventPayloadOf, ParsedRequestOf, ResponseOf } from '../../../shared/contract/index';
import {
  defaultHttpBodyCapBytes,
  maxHttpDecodedBytes,
  maxKeptHttpBodyBytes,
  maxKeptHttpExchanges,
} from '../../../shared/http/client/contract';
import type { Service, Session } from '../../service';
import { monoNow, stamp } from '../../net/clock';
import { defaultCoalescing } from '../../net/coalescer';
import { connect } from '../../net/connect';
import { notFound } from '../../net/errors';
import { nextId } from '../../net/ids';
import { ReusedReadBuffer } from '../../net/reusedReadBuffer';
import { BodyStore } from './bodyStore';
import { HttpConnection, describeTarget } from './session';
import { decodeBody } from './decodeBody';
import { Exchange } from './exchange';
import { splitRequests } from './splitRequests';

type SendRequest = ParsedRequestOf<'http.send'>;

export interface HttpClientOptions {
  /** Progress events per exchange at most once per this many ms (default 25). */
  intervalMs?: number;
  maxExchanges?: number;
  maxBodyBytes?: number;
  /** Extra trusted certificates (PEM), for tests. */
  ca?: string;
}

interface DecodedCache {
  exchangeId: string;
  /** The kept size it was decoded from: a body still growing is decoded again. */
  fromBytes: number;
  /** Decoded as a whole body (not one still arriving, or cut by the cap). */
  complete: boolean;
  result: Promise<{ store: BodyStore; error?: string | undefined }>;
}

/**
 * The raw-request HTTP client of one renderer session: connections by id, exchanges
 * (with their bodies) by id, bounded in count and bytes; the oldest finished exchanges
 * are forgotten first, and everything is let go when the session ends.
 */
class HttpClient {
  private readonly connections = new Map<string, HttpConnection>();
  private readonly exchanges = new Map<string, Exchange>();
  private decoded: DecodedCache | undefined;
  private readonly intervalMs: number;
  private readonly maxExchanges: number;
  private readonly maxBodyBytes: number;

  constructor(
    private readonly session: Session,
    private readonly options: HttpClientOptions,
  ) {
    this.intervalMs = options.intervalMs ?? defaultCoalescing.intervalMs;
    this.maxExchanges = options.maxExchanges ?? maxKeptHttpExchanges;
    this.maxBodyBytes = options.maxBodyBytes ?? maxKeptHttpBodyBytes;
    session.own({ close: () => this.dispose() }, { socket: false });
  }

  private readonly emit = <E extends EventName>(name: E, payload: EventPayloadOf<E>): void => {
    this.session.emit(name, payload);
  };

  async send(request: SendRequest, signal: AbortSignal): Promise<ResponseOf<'http.send'>> {
    const startMono = monoNow();
    const { target } = request;
    const requests = splitRequests(request.raw);
    const key = JSON.stringify([
      target.host.toLowerCase(),
      target.port,
      target.tls,
      target.servername ?? null,
      target.acceptSelfSigned,
      request.family ?? null,
      request.bindAddress ?? null,
    ]);
    const label = describeTarget(target.host, target.port, target.tls);
    let connection =
      request.connection === 'keep'
        ? [...this.connections.values()].find((c) => c.key === key && c.policy === 'keep' && c.usable)
        : undefined;
    const reused = connection !== undefined;
    let connectInfo: ResponseOf<'http.send'>['connect'];
    let certificate: ResponseOf<'http.send'>['certificate'];
    if (!connection) {
      const reader = target.tls ? undefined : new ReusedReadBuffer();
      const opened = await connect({
        protocol: 'HTTP',
        host: target.host,
        port: target.port,
        timeoutMs: request.connectTimeoutMs,
        signal,
        family: request.family,
        bindAddress: request.bindAddress,
        owner: this.session,
        onread: reader?.onread,
        tls: target.tls
          ? { servername: target.servername, acceptSelfSigned: target.acceptSelfSigned, ca: this.options.ca }
          : undefined,
      });
      connectInfo = {
        connectMs: opened.connectMs,
        resolved: opened.resolved,
        attempts: opened.attempts,
        ...(opened.lookupMs !== undefined ? { lookupMs: opened.lookupMs } : {}),
        ...(opened.tlsMs !== undefined ? { tlsMs: opened.tlsMs } : {}),
      };
      certificate = opened.certificate;
      connection = new HttpConnection({
        id: nextId('http'),
        key,
        label,
        host: target.host,
        policy: request.connection,
        socket: opened.socket,
        local: opened.local,
        peer: opened.peer,
        emit: this.emit,
        intervalMs: this.intervalMs,
        reader,
        onGone: (gone) => {
          this.connections.delete(gone.id);
          this.session.release(gone.closable);
        },
      });
      this.session.own(connection.closable);
      this.connections.set(connection.id, connection);
      const openedEvent: EventPayloadOf<'http.connectionOpened'> = {
        ...stamp(),
        connectionId: connection.id,
        target: label,
        tls: target.tls,
        local: opened.local,
        peer: opened.peer,
      };
      if (certificate) openedEvent.certificate = certificate;
      this.emit('http.connectionOpened', openedEvent);
    }
    const carrier = connection;
    this.makeRoom(requests.length);
    const exchanges = requests.map(
      (raw) =>
        new Exchange({
          id: nextId('exchange'),
          connectionId: carrier.id,
          method: raw.method,
          maxBodyBytes: request.maxBodyBytes ?? defaultHttpBodyCapBytes,
          startMono,
          connect: connectInfo,
          deadline: () => carrier.deadline(),
          emit: this.emit,
          intervalMs: this.intervalMs,
        }),
    );
    for (const exchange of exchanges) this.exchanges.set(exchange.id, exchange);
    carrier.send(request.raw, exchanges, request.responseTimeoutMs);
    const result: ResponseOf<'http.send'> = {
      ...stamp(),
      connectionId: carrier.id,
      reused,
      local: carrier.local,
      peer: carrier.peer,
      exchanges: requests.map((raw, index) => ({
        exchangeId: (exchanges[index] as Exchange).id,
        index,
        method: raw.method,
        target: raw.target,
        offset: raw.offset,
        length: raw.length,
        complete: raw.complete,
      })),
      sentBytes: request.raw.length,
      responseDeadline: carrier.deadline() ?? { timeoutMs: request.responseTimeoutMs, mono: monoNow() },
    };
    if (connectInfo) result.connect = connectInfo;
    if (certificate) result.certificate = certificate;
    return result;
  }

  async body(request: ParsedRequestOf<'http.body'>): Promise<ResponseOf<'http.body'>> {
    const exchange = this.exchange(request.exchangeId);
    const encodings = [...exchange.contentEncodings];
    const base = { exchangeId: exchange.id, offset: request.offset, encodings };
    const plain = encodings.every((coding) => coding === 'identity');
    if (!request.decoded || plain) {
      return {
        ...base,
        data: exchange.body.read(request.offset, request.length),
        decoded: request.decoded,
        totalBytes: exchange.body.size,
        partial: !exchange.ended,
      };
    }
    const decoded = await this.decode(exchange);
    const result: ResponseOf<'http.body'> = {
      ...base,
      data: decoded.store.read(request.offset, request.length),
      decoded: true,
      totalBytes: decoded.store.size,
      partial: !exchange.ended,
    };
    if (decoded.error) result.decodeError = decoded.error;
    return result;
  }

  cancel(request: ParsedRequestOf<'http.cancel'>): ResponseOf<'http.cancel'> {
    const exchange = request.exchangeId === undefined ? undefined : this.exchange(request.exchangeId);
    const connectionId = request.connectionId ?? (exchange as Exchange).connectionId;
    // A finished exchange has nothing to stop: its connection (perhaps carrying others) stays.
    if (exchange?.ended && request.connectionId === undefined) return { ...stamp(), connectionId, cancelled: [] };
    const connection = this.connections.get(connectionId);
    const cancelled = connection ? connection.cancel('the user cancelled the wait for the response') : [];
    return { ...stamp(), connectionId, cancelled };
  }

  close(connectionId: string): ResponseOf<'http.close'> {
    const connection = this.connections.get(connectionId);
    if (!connection) throw notFound('HTTP connection', connectionId);
    const counts = connection.counts;
    connection.close();
    return { ...stamp(), connectionId, ...counts };
  }

  forget(exchangeId: string): ResponseOf<'http.forget'> {
    const exchange = this.exchange(exchangeId);
    if (!exchange.ended) this.connections.get(exchange.connectionId)?.cancel('the exchange was forgotten');
    const freedBytes = this.drop(exchange);
    this.emit('http.forgotten', { ...stamp(), exchangeIds: [exchangeId], reason: 'forget' });
    return { exchangeId, freedBytes };
  }

  private exchange(id: string): Exchange {
    const exchange = this.exchanges.get(id);
    if (!exchange) {
      throw new PlaygroundError({
        code: 'E_NOT_FOUND',
        message: `there is no HTTP exchange '${id}': it was forgotten (the app keeps the last ${this.maxExchanges} exchanges and ${Math.round(this.maxBodyBytes / 1024 / 1024)} MiB of bodies), or belongs to another window. Send the request again.`,
        details: { id },
      });
    }
    return exchange;
  }

  private decode(exchange: Exchange): DecodedCache['result'] {
    const cached = this.decoded;
    const complete = exchange.ended && exchange.bodyProgress().cappedAt === undefined;
    if (
      cached &&
      cached.exchangeId === exchange.id &&
      cached.fromBytes === exchange.body.size &&
      cached.complete === complete
    ) {
      return cached.result;
    }
    // One decoded body at a time: the viewer pages through the one on screen.
    const giveBack = exchange.body.borrow();
    const result = decodeBody(exchange.body.chunks(), exchange.contentEncodings, maxHttpDecodedBytes, complete)
      .then((decoded) => {
        const store = new BodyStore();
        for (const piece of decoded.pieces) store.append(piece);
        store.seal();
        return { store, error: decoded.error };
      })
      .finally(giveBack);
    this.decoded = { exchangeId: exchange.id, fromBytes: exchange.body.size, complete, result };
    return result;
  }

  /** Forgets the oldest finished exchanges so `incoming` more fit within the bounds. */
  private makeRoom(incoming: number): void {
    let bytes = 0;
    for (const exchange of this.exchanges.values()) bytes += exchange.keptBytes;
    const gone: string[] = [];
    for (const exchange of [...this.exchanges.values()]) {
      if (this.exchanges.size + incoming <= this.maxExchanges && bytes <= this.maxBodyBytes) break;
      if (!exchange.ended) continue;
      bytes -= this.drop(exchange);
      gone.push(exchange.id);
    }
    if (gone.length > 0) this.emit('http.forgotten', { ...stamp(), exchangeIds: gone, reason: 'limit' });
  }

  private drop(exchange: Exchange): number {
    this.exchanges.delete(exchange.id);
    if (this.decoded?.exchangeId === exchange.id) this.decoded = undefined;
    return exchange.release();
  }

  private dispose(): void {
    for (const connection of this.connections.values()) connection.closable.close();
    for (const exchange of this.exchanges.values()) exchange.release();
    this.exchanges.clear();
    this.decoded = undefined;
  }
}

/** The `http.*` commands; options are for tests and the benchmark. */
export function createHttpClientService(options: HttpClientOptions = {}): Service {
  return (session) => {
    const client = new HttpClient(session, options);
    return {
      'http.send': (request, { signal }) => client.send(request, signal),
      'http.body': (request) => client.body(request),
      'http.cancel': (request) => client.cancel(request),
      'http.close': ({ connectionId }) => client.close(connectionId),
      'http.forget': ({ exchangeId }) => client.forget(exchangeId),
    };
  };
}

export const httpClientService = createHttpClientService();
