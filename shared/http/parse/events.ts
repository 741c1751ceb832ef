import type { HttpDiagnostic } from '../compose/diagnostics';
import type { HttpField } from './fields';
import type { BodyFraming } from './framing';
import type { HttpVersion } from './startLine';

/** What request and response heads share. Offsets count bytes from the start of the connection's stream. */
export interface MessageHeadBase {
  /** Position among the heads parsed on this connection (interim 1xx responses count), from 0. */
  index: number;
  offset: number;
  /** Bytes from the start line through the empty line that ends the head. */
  length: number;
  /** The head exactly as received. */
  raw: Uint8Array;
  /** The start line's text, without its line ending. */
  startLine: string;
  fields: HttpField[];
  framing: BodyFraming;
  /** Whether the connection stays open after this message (Connection header and version). */
  persistent: boolean;
}

export interface ResponseHead extends MessageHeadBase {
  kind: 'response';
  version: HttpVersion;
  versionText: string;
  status: number;
  reason: string;
  /** 1xx other than 101: another response to the same request follows. */
  interim: boolean;
  /** Which request it answers, counted from 0 in the order the caller sent them. */
  requestIndex: number;
  /** That request's method, as the caller gave it. */
  method: string;
}

export interface RequestHead extends MessageHeadBase {
  kind: 'request';
  method: string;
  target: string;
  /** null when the version is malformed (a server answers 400). */
  version: HttpVersion | null;
  versionText: string;
}

export interface ChunkExtension {
  name: string;
  value?: string;
}

export type UnparsedReason =
  /** Arrived while no request was outstanding (responses only). */
  | 'idle'
  /** After 101 Switching Protocols or a CONNECT tunnel: another protocol. */
  | 'switched'
  /** After a fatal error: the parser cannot tell where messages start. */
  | 'error'
  /** A head cut short by the end of the connection. */
  | 'incomplete';

/**
 * The push parsers' output, in stream order. Data events (`body`, `unparsed`)
 * are split wherever the input chunks were; `mergeDataEvents` joins neighbours,
 * after which the events are the same whatever the chunk boundaries were.
 */
export type ParseEvent<Head> =
  | { type: 'head'; head: Head }
  /** A chunk-size line of a chunked body (the last one has size 0). */
  | {
      type: 'chunk';
      messageIndex: number;
      offset: number;
      /** The line's bytes including its line ending. */
      length: number;
      size: number;
      extensions: ChunkExtension[];
      /** The line as text without its ending, e.g. "1a;name=value". */
      line: string;
    }
  /**
   * Decoded body bytes (chunk framing removed). `data` is a view of the pushed
   * chunk, or null for bytes beyond the body cap, which are counted but not kept.
   */
  | { type: 'body'; messageIndex: number; offset: number; length: number; data: Uint8Array | null }
  | { type: 'trailers'; messageIndex: number; offset: number; length: number; fields: HttpField[] }
  /** The message is over. `complete` is false when the connection closed before its declared end. */
  | { type: 'end'; messageIndex: number; offset: number; bodyLength: number; complete: boolean }
  | { type: 'diagnostic'; diagnostic: HttpDiagnostic }
  /** Bytes that belong to no HTTP message; `data` is a view of the pushed chunk. */
  | { type: 'unparsed'; reason: UnparsedReason; offset: number; data: Uint8Array; messageIndex?: number };

export type ResponseParseEvent = ParseEvent<ResponseHead>;
export type RequestParseEvent = ParseEvent<RequestHead>;
