import { concatBytes } from '../../bytes/utf8';
import type { HttpDiagnostic } from '../compose/diagnostics';
import type { MessageHeadBase, ParseEvent, RequestHead, ResponseHead, UnparsedReason } from './events';
import type { HttpField } from './fields';
import { createRequestParser, type RequestParserOptions } from './requestParser';
import { createResponseParser, type ResponseParserOptions } from './responseParser';

type DataEvent<Head> = Extract<ParseEvent<Head>, { type: 'body' | 'unparsed' }>;

function joinable<Head>(a: ParseEvent<Head>, b: ParseEvent<Head>): boolean {
  if (a.type === 'body' && b.type === 'body') {
    return (
      a.messageIndex === b.messageIndex && a.offset + a.length === b.offset && (a.data === null) === (b.data === null)
    );
  }
  if (a.type === 'unparsed' && b.type === 'unparsed') {
    return a.reason === b.reason && a.offset + a.data.length === b.offset && a.messageIndex === b.messageIndex;
  }
  return false;
}

/**
 * Joins neighbouring body (and unparsed) events that continue each other.
 * The parsers split data wherever the input chunks ended; after this, the
 * events of one byte stream are equal whatever its chunking was.
 */
export function mergeDataEvents<Head>(events: readonly ParseEvent<Head>[]): ParseEvent<Head>[] {
  const out: ParseEvent<Head>[] = [];
  let run: DataEvent<Head>[] = [];
  const flush = (): void => {
    const first = run[0];
    if (!first) return;
    if (run.length === 1) out.push(first);
    else if (first.type === 'body') {
      const length = run.reduce((sum, e) => sum + (e.type === 'body' ? e.length : 0), 0);
      const data = first.data === null ? null : concatBytes(run.map((e) => e.data as Uint8Array));
      out.push({ ...first, length, data });
    } else {
      out.push({ ...first, data: concatBytes(run.map((e) => e.data as Uint8Array)) });
    }
    run = [];
  };
  for (const event of events) {
    const last = run[run.length - 1];
    if (event.type === 'body' || event.type === 'unparsed') {
      if (last && !joinable(last, event)) flush();
      run.push(event);
    } else {
      flush();
      out.push(event);
    }
  }
  flush();
  return out;
}

export interface ChunkInfo {
  offset: number;
  length: number;
  size: number;
  line: string;
  extensions: { name: string; value?: string }[];
}

/** One message put together from its events: what a response viewer or a test looks at. */
export interface CollectedMessage<Head> {
  head: Head;
  /** The body bytes kept (all of them unless the cap was reached). */
  body: Uint8Array;
  /** Body bytes received, kept or not. */
  bodyLength: number;
  chunks: ChunkInfo[];
  trailers: HttpField[];
  diagnostics: HttpDiagnostic[];
  /** null while the message is still arriving. */
  complete: boolean | null;
  /** Stream offset just past the message, once it ended. */
  endOffset: number | null;
}

export interface CollectedStream<Head> {
  messages: CollectedMessage<Head>[];
  /** Notes that belong to no received head (idle bytes, no response, a start line that was not HTTP). */
  diagnostics: HttpDiagnostic[];
  unparsed: { reason: UnparsedReason; offset: number; length: number; messageIndex?: number }[];
}

/** Groups events by message (heads in order; interim responses are messages of their own). */
export function collectMessages<Head extends MessageHeadBase>(
  events: readonly ParseEvent<Head>[],
): CollectedStream<Head> {
  const messages: CollectedMessage<Head>[] = [];
  const byIndex = new Map<number, CollectedMessage<Head> & { parts: Uint8Array[] }>();
  const stream: CollectedStream<Head> = { messages, diagnostics: [], unparsed: [] };
  for (const event of events) {
    switch (event.type) {
      case 'head': {
        const message = {
          head: event.head,
          body: new Uint8Array(0),
          bodyLength: 0,
          chunks: [],
          trailers: [],
          diagnostics: [],
          complete: null,
          endOffset: null,
          parts: [],
        };
        byIndex.set(event.head.index, message);
        messages.push(message);
        break;
      }
      case 'chunk': {
        const { offset, length, size, line, extensions } = event;
        byIndex.get(event.messageIndex)?.chunks.push({ offset, length, size, line, extensions });
        break;
      }
      case 'body': {
        const message = byIndex.get(event.messageIndex);
        if (!message) break;
        message.bodyLength += event.length;
        if (event.data) message.parts.push(event.data);
        break;
      }
      case 'trailers':
        byIndex.get(event.messageIndex)?.trailers.push(...event.fields);
        break;
      case 'end': {
        const message = byIndex.get(event.messageIndex);
        if (!message) break;
        message.complete = event.complete;
        message.endOffset = event.offset;
        break;
      }
      case 'diagnostic': {
        const index = event.diagnostic.messageIndex;
        const message = index === undefined ? undefined : byIndex.get(index);
        (message ? message.diagnostics : stream.diagnostics).push(event.diagnostic);
        break;
      }
      case 'unparsed': {
        const last = stream.unparsed[stream.unparsed.length - 1];
        if (last && last.reason === event.reason && last.offset + last.length === event.offset) {
          last.length += event.data.length;
        } else {
          const entry: CollectedStream<Head>['unparsed'][number] = {
            reason: event.reason,
            offset: event.offset,
            length: event.data.length,
          };
          if (event.messageIndex !== undefined) entry.messageIndex = event.messageIndex;
          stream.unparsed.push(entry);
        }
        break;
      }
    }
  }
  for (const message of byIndex.values()) {
    message.body = concatBytes(message.parts);
    delete (message as Partial<typeof message>).parts;
  }
  return stream;
}

function runChunks<Head>(
  parser: { push(chunk: Uint8Array): ParseEvent<Head>[]; end(): ParseEvent<Head>[] },
  input: Uint8Array | readonly Uint8Array[],
  close: boolean,
): ParseEvent<Head>[] {
  const events: ParseEvent<Head>[] = [];
  for (const chunk of input instanceof Uint8Array ? [input] : input) events.push(...parser.push(chunk));
  if (close) events.push(...parser.end());
  return events;
}

export interface ParseAllOptions {
  /** Whether the connection closed after these bytes (default true). */
  closed?: boolean;
}

/** Parses a whole recorded exchange at once: bytes (or chunks) from the server, the requests' methods in order. */
export function parseResponses(
  input: Uint8Array | readonly Uint8Array[],
  options: ResponseParserOptions & ParseAllOptions = {},
): CollectedStream<ResponseHead> & { events: ParseEvent<ResponseHead>[] } {
  const events = runChunks(createResponseParser(options), input, options.closed ?? true);
  return { events, ...collectMessages(events) };
}

/** Parses what a client sent on one connection (the built-in server's log, the linter). */
export function parseRequests(
  input: Uint8Array | readonly Uint8Array[],
  options: RequestParserOptions & ParseAllOptions = {},
): CollectedStream<RequestHead> & { events: ParseEvent<RequestHead>[] } {
  const events = runChunks(createRequestParser(options), input, options.closed ?? true);
  return { events, ...collectMessages(events) };
}
