import { formatByteCount } from '../../../../shared/bytes';
import type { EventPayloadOf } from '../../../../shared/contract/index';
import { formatAddress } from '../../../net/format';
import type { TranscriptInput } from '../../../transcript/model';
import type { ExchangeRecord } from '../exchangeState';

/**
 * The lines of a connection's transcript (ConnectionTranscript shows them): what each
 * `http.*` event says about the bytes that went out and came back, in words.
 */

type ProgressEvent = EventPayloadOf<'http.progress'>;
type ExchangeEndEvent = EventPayloadOf<'http.exchangeEnd'>;

/** The request's bytes exactly as sent, numbered as the viewer numbers it. */
export function requestLine(record: ExchangeRecord, connectionId: string, mono: number | undefined): TranscriptInput {
  return {
    direction: 'client-to-server',
    at: record.sentAt,
    mono,
    data: record.request,
    seq: record.seq,
    stream: `${connectionId}:out`,
    note: `request #${record.seq}: ${record.method}${record.reused ? ' (on the open connection)' : ''}`,
  };
}

export function openedLine(event: EventPayloadOf<'http.connectionOpened'>, seq: number): TranscriptInput {
  const remote = formatAddress(event.peer.address, event.peer.port);
  return {
    direction: 'system',
    at: event.at,
    mono: event.mono,
    note: `connection ${seq} opened: ${formatAddress(event.local.address, event.local.port)} → ${remote}${event.tls ? ' over TLS' : ''}`,
    tone: 'ok',
  };
}

/** Each response head as received, then whatever bytes could not be read as a response. */
export function progressLines(exchange: ExchangeRecord, event: ProgressEvent): TranscriptInput[] {
  const lines: TranscriptInput[] = event.heads.map((head) => ({
    direction: 'server-to-client',
    at: head.at,
    mono: head.mono,
    data: head.raw,
    seq: exchange.seq,
    note: `${head.interim ? 'interim response' : 'response'} to #${exchange.seq}: ${head.startLine}`,
    tone: head.status >= 400 ? 'warn' : 'ok',
  }));
  for (const part of event.unparsed) {
    lines.push({
      direction: 'server-to-client',
      at: event.at,
      mono: event.mono,
      data: part.data,
      size: part.length,
      note: unparsedNote[part.reason],
      tone: part.reason === 'switched' ? 'info' : 'warn',
    });
  }
  return lines;
}

/** The body's size (its bytes are in Body, not here) and, if the exchange failed, why. */
export function endLines(
  done: ExchangeRecord,
  event: ExchangeEndEvent,
  failure: ExchangeRecord['failure'],
): TranscriptInput[] {
  const lines: TranscriptInput[] = [];
  if (done.response && done.body.received > 0) {
    lines.push({
      direction: 'server-to-client',
      at: event.at,
      mono: event.mono,
      size: done.body.received,
      seq: done.seq,
      note: `body of #${done.seq}: ${formatByteCount(done.body.received)}${event.outcome === 'incomplete' ? ', cut short: the connection closed before its declared end' : ''} (see Body)`,
      tone: event.outcome === 'incomplete' ? 'warn' : 'info',
    });
  }
  if (failure) {
    lines.push({
      direction: 'system',
      at: event.at,
      mono: event.mono,
      note: `request #${done.seq}: ${failure.message}`,
      tone: event.outcome === 'cancelled' ? 'warn' : 'error',
    });
  }
  return lines;
}

export function strayLine(event: EventPayloadOf<'http.stray'>): TranscriptInput {
  return {
    direction: 'server-to-client',
    at: event.at,
    mono: event.mono,
    data: event.data,
    size: event.length,
    note: 'bytes on an idle connection: no request was outstanding, so they belong to no response',
    tone: 'warn',
  };
}

export function closedLine(event: EventPayloadOf<'http.connectionClosed'>, seq: number | undefined): TranscriptInput {
  return {
    direction: 'system',
    at: event.at,
    mono: event.mono,
    note: `connection ${seq ?? ''} closed: ${event.message}`.replace('  ', ' '),
    tone: event.by === 'error' || event.by === 'timeout' ? 'error' : event.by === 'server' ? 'warn' : 'info',
  };
}

const unparsedNote = {
  error: 'bytes after a response the parser could not follow: not read as HTTP',
  switched: 'bytes after the protocol switch: another protocol, not HTTP',
  incomplete: 'a response head cut short by the close',
  idle: 'bytes on an idle connection: they belong to no response',
} as const;
