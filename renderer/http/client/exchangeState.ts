import type { HttpChunk, HttpExchangeOutcome } from '../../../shared/http/client/contract';
import type { HttpDiagnostic } from '../../../shared/http/compose/diagnostics';
import type { Validators } from '../../../shared/http/compose/editRequest';
import type { HttpField } from '../../../shared/http/parse/fields';
import type { BodyFraming } from '../../../shared/http/parse/framing';

/**
 * What the response viewer shows, as plain serialisable data: one record per request
 * sent (an exchange) and one per connection that carried them. Built by HttpExchanges
 * from the `http.*` events; views only read it.
 */

export interface ResponseHeadView {
  status: number;
  reason: string;
  versionText: string;
  startLine: string;
  fields: readonly HttpField[];
  framing: BodyFraming;
  /** The head exactly as received. */
  raw: Uint8Array;
  /** Whether the connection stays open after this response. */
  persistent: boolean;
  /** When it arrived (epoch ms). */
  at: number;
}

/** Milliseconds per phase; undefined for a phase that did not happen (no lookup for an address, no TLS, a reused connection). */
export interface ExchangeTimings {
  lookupMs?: number | undefined;
  connectMs?: number | undefined;
  tlsMs?: number | undefined;
  /** Request sent → first response byte. */
  firstByteMs?: number | undefined;
  /** First response byte → last. */
  transferMs?: number | undefined;
  totalMs?: number | undefined;
}

export interface BodyProgress {
  /** Body bytes as received (chunk framing removed, content coding still applied). */
  received: number;
  /** Bytes kept on the Node side (the cap cuts the rest). */
  kept: number;
  /** Bytes after undoing Content-Encoding, when the body was compressed and decoding finished. */
  decodedLength?: number | undefined;
  /** The content codings applied (gzip, deflate, br), in order. */
  encodings: readonly string[];
  /** Why the decoded body is not available, if it is not. */
  decodeError?: string | undefined;
  /** The cap in bytes when it cut the body. */
  capBytes?: number | undefined;
  /** Chunked framing: how many chunks (and their size lines) arrived. */
  chunks: number;
  complete: boolean;
  /** The Node side let the body go (the session keeps 200 exchanges and 512 MiB of bodies). */
  forgotten?: boolean | undefined;
}

/** The composer's connection choices (composerState's ConnectionMode). */
export type SendMode = 'new' | 'keep' | 'pipeline';

export type ExchangePhase = 'sending' | 'waiting' | 'receiving' | 'done' | 'failed';

export interface ExchangeRecord {
  readonly id: string;
  /** 1, 2, 3… in the order sent from this page. */
  readonly seq: number;
  readonly connectionId: string | undefined;
  /** Where it went, e.g. "127.0.0.1:8080" or "example.com:443 (TLS)". */
  readonly target: string;
  /** The origin (scheme://host[:port]) for the cookie jar. */
  readonly origin: string | undefined;
  readonly method: string;
  /** The request line's target as sent ("/known.txt"), or "" when it could not be read. */
  readonly path: string;
  /** The request exactly as sent. */
  readonly request: Uint8Array;
  readonly sentAt: number;
  /** The local port of the connection that carried it. */
  readonly localPort: number | undefined;
  readonly interim: readonly ResponseHeadView[];
  readonly response: ResponseHeadView | undefined;
  readonly trailers: readonly HttpField[];
  /** A chunked body's chunk-size lines as received (size and extensions), as far as the Node side lists them. */
  readonly chunks: readonly HttpChunk[];
  readonly diagnostics: readonly HttpDiagnostic[];
  readonly body: BodyProgress;
  readonly timings: ExchangeTimings;
  /** The connection was reused ('keep') rather than opened for this request. */
  readonly reused: boolean;
  /** 1, 2, 3… on its connection (the server's count, and the parser's), beside `seq`, the page's count. */
  readonly onConnection: number | undefined;
  /** The composer's connection choice it was sent with. */
  readonly mode: SendMode | undefined;
  readonly phase: ExchangePhase;
  /** How the Node side ended it (undefined until it ended): 'cancelled' and 'incomplete' may still have a response. */
  readonly outcome: HttpExchangeOutcome | undefined;
  readonly failure: { code: string; message: string } | undefined;
}

export interface ConnectionRecord {
  readonly id: string;
  /** 1, 2, 3… in the order opened. */
  readonly seq: number;
  readonly target: string;
  readonly localAddress: string | undefined;
  readonly localPort: number | undefined;
  readonly remoteAddress: string | undefined;
  readonly openedAt: number;
  readonly closedAt: number | undefined;
  /** Who closed it and why, in words ("the server closed the connection"). */
  readonly closeNote: string | undefined;
  readonly exchangeIds: readonly string[];
  /** The request it was opened for, and the connection choice it was sent with. */
  readonly openedFor: { readonly seq: number; readonly mode: SendMode | undefined } | undefined;
  /** Bytes that arrived while no request was outstanding. */
  readonly strayBytes: number;
}

/** The latest final response's validators and cookies, for the composer's helpers. */
export interface LatestResponse {
  readonly exchangeId: string;
  readonly origin: string | undefined;
  /** What was requested: the origin and the request line's target ("http://127.0.0.1:8080/known.txt"). */
  readonly url: string | undefined;
  readonly status: number;
  readonly validators: Validators;
  /** Every Set-Cookie value of that response, in order. */
  readonly setCookies: readonly string[];
  readonly fields: readonly HttpField[];
}

export interface ExchangesState {
  /** Oldest first. */
  readonly exchanges: readonly ExchangeRecord[];
  readonly connections: readonly ConnectionRecord[];
  /** The exchange the viewer shows; the newest unless the user picked another. */
  readonly selectedId: string | undefined;
  readonly latest: LatestResponse | undefined;
  /** Older exchanges let go to keep memory bounded. */
  readonly droppedExchanges: number;
}
