import type { EventPayloadOf } from '../../../shared/contract/index';
import type { HttpBodyProgress, HttpTimings } from '../../../shared/http/client/contract';
import { validatorsFrom } from '../../../shared/http/compose/editRequest';
import { fieldsNamed } from '../../../shared/http/parse/fields';
import { formatAddress } from '../../net/format';
import type {
  BodyProgress,
  ConnectionRecord,
  ExchangeRecord,
  ExchangeTimings,
  LatestResponse,
  ResponseHeadView,
} from './exchangeState';

/**
 * The records HttpExchanges keeps, built from a send and changed by each `http.*` event:
 * plain functions from what happened to the next record, so the store only holds them.
 */

type ProgressEvent = EventPayloadOf<'http.progress'>;
type ExchangeEndEvent = EventPayloadOf<'http.exchangeEnd'>;

const emptyBody: BodyProgress = { received: 0, kept: 0, encodings: [], chunks: 0, complete: false };

/** A request before anything came back: waiting when it went out, failed when it never did. */
export function exchangeRecord(
  fields: Pick<ExchangeRecord, 'id' | 'seq' | 'connectionId' | 'target' | 'origin' | 'method' | 'request' | 'sentAt'> &
    Partial<Pick<ExchangeRecord, 'localPort' | 'timings' | 'reused' | 'phase' | 'failure'>>,
): ExchangeRecord {
  return {
    id: fields.id,
    seq: fields.seq,
    connectionId: fields.connectionId,
    target: fields.target,
    origin: fields.origin,
    method: fields.method,
    request: fields.request,
    sentAt: fields.sentAt,
    localPort: fields.localPort,
    interim: [],
    response: undefined,
    trailers: [],
    chunks: [],
    diagnostics: [],
    body: emptyBody,
    timings: fields.timings ?? {},
    reused: fields.reused ?? false,
    phase: fields.phase ?? 'waiting',
    failure: fields.failure,
  };
}

/** A connection as `http.connectionOpened` tells it; what was known before (a send's link) is kept. */
export function openedConnection(
  event: EventPayloadOf<'http.connectionOpened'>,
  existing: ConnectionRecord | undefined,
  seq: number,
): ConnectionRecord {
  return {
    id: event.connectionId,
    seq,
    target: event.target,
    localAddress: event.local.address,
    localPort: event.local.port,
    remoteAddress: formatAddress(event.peer.address, event.peer.port),
    openedAt: event.at,
    closedAt: existing?.closedAt,
    closeNote: existing?.closeNote,
    exchangeIds: existing?.exchangeIds ?? [],
    strayBytes: existing?.strayBytes ?? 0,
  };
}

/** A connection known only from a send that used it (opened before this page listened). */
export function connectionFromSend(connectionId: string, record: ExchangeRecord, seq: number): ConnectionRecord {
  return {
    id: connectionId,
    seq,
    target: record.target,
    localAddress: undefined,
    localPort: record.localPort,
    remoteAddress: undefined,
    openedAt: record.sentAt,
    closedAt: undefined,
    closeNote: undefined,
    exchangeIds: [record.id],
    strayBytes: 0,
  };
}

/** What an `http.progress` adds to its exchange, and the final response if one arrived (for the composer). */
export function progressed(
  exchange: ExchangeRecord,
  event: ProgressEvent,
): { change: (exchange: ExchangeRecord) => ExchangeRecord; latest: LatestResponse | undefined } {
  let latest: LatestResponse | undefined;
  let response = exchange.response;
  const interim = [...exchange.interim];
  for (const head of event.heads) {
    const view: ResponseHeadView = {
      status: head.status,
      reason: head.reason,
      versionText: head.versionText,
      startLine: head.startLine,
      fields: head.fields,
      framing: head.framing,
      raw: head.raw,
      persistent: head.persistent,
      at: head.at,
    };
    if (head.interim) interim.push(view);
    else {
      response = view;
      latest = {
        exchangeId: exchange.id,
        origin: exchange.origin,
        status: head.status,
        validators: validatorsFrom(head.fields),
        setCookies: fieldsNamed(head.fields, 'Set-Cookie').map((field) => field.value),
        fields: head.fields,
      };
    }
  }
  const change = (e: ExchangeRecord): ExchangeRecord => ({
    ...e,
    interim,
    response,
    trailers: event.trailers.length > 0 ? [...e.trailers, ...event.trailers] : e.trailers,
    chunks: event.chunks.length > 0 ? e.chunks.concat(event.chunks) : e.chunks,
    diagnostics: event.diagnostics.length > 0 ? [...e.diagnostics, ...event.diagnostics] : e.diagnostics,
    body: { ...e.body, ...bodyFrom(event.body) },
    phase: e.phase === 'waiting' && (response || interim.length > 0) ? 'receiving' : e.phase,
  });
  return { change, latest };
}

/** How an `http.exchangeEnd` closes its exchange: done, or failed and why. */
export function ended(
  exchange: ExchangeRecord,
  event: ExchangeEndEvent,
): { change: (exchange: ExchangeRecord) => ExchangeRecord; failure: ExchangeRecord['failure'] } {
  const failed = event.outcome === 'failed' || event.outcome === 'cancelled' || !exchange.response;
  const failure = failed
    ? {
        code: event.error?.code ?? (event.outcome === 'cancelled' ? 'E_CANCELLED' : 'E_NO_RESPONSE'),
        message:
          event.error?.message ??
          (event.outcome === 'cancelled'
            ? 'Cancelled: the connection was closed before the response was complete.'
            : 'The connection closed before any response arrived.'),
      }
    : undefined;
  const change = (e: ExchangeRecord): ExchangeRecord => ({
    ...e,
    body: { ...e.body, ...bodyFrom(event.body), complete: true },
    timings: { ...e.timings, ...timingsFrom(event.timings) },
    phase: failed ? 'failed' : 'done',
    failure,
  });
  return { change, failure };
}

function bodyFrom(body: HttpBodyProgress): Partial<BodyProgress> {
  return {
    received: body.receivedBytes,
    kept: body.keptBytes,
    capBytes: body.cappedAt,
    chunks: body.chunkCount,
    encodings: body.encodings,
  };
}

function timingsFrom(timings: HttpTimings): ExchangeTimings {
  const out: ExchangeTimings = {};
  for (const key of ['lookupMs', 'connectMs', 'tlsMs', 'firstByteMs', 'transferMs', 'totalMs'] as const) {
    if (timings[key] !== undefined) out[key] = timings[key];
  }
  return out;
}
