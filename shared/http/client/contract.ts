import { z } from 'zod';
import { bytes, command, portNumber } from '../../contract/schema';
import {
  addressFamily,
  bindAddress,
  deadlineMs,
  errorInfo,
  hostName,
  refuseControlCharacters,
  resolvedAddress,
  socketAddress,
  stamp,
  tlsCertificate,
} from '../../net/contract';
import { diagnosticCodes, type HttpDiagnostic } from '../compose/diagnostics';
import type { ChunkExtension } from '../parse/events';
import type { HttpField } from '../parse/fields';
import type { BodyFraming } from '../parse/framing';

/**
 * The raw-request HTTP client (`http.*`). The user's bytes go out exactly as typed
 * (broken requests included, on purpose); the responses are parsed on the Node side
 * by the pure parser in shared/http and reported as plain data: heads, framing,
 * diagnostics, body progress, timings. Bodies stay on the Node side and are read a
 * slice at a time with `http.body`.
 *
 * Ids: a connection (`connectionId`) carries one or more exchanges (`exchangeId`):
 * one request and the response(s) that answer it (interim 1xx, then the final one).
 * The local port of the connection is how a transcript says which connection carried
 * which request.
 */

/** One `http.send` carries at most this much (a few pipelined requests with bodies). */
export const maxHttpSendBytes = 16 * 1024 * 1024;
/** Body bytes kept per response unless the send asks otherwise; the rest is counted, not kept. */
export const defaultHttpBodyCapBytes = 64 * 1024 * 1024;
/** The largest body cap a send may ask for. */
export const maxHttpBodyCapBytes = 512 * 1024 * 1024;
/**
 * Exchanges a session keeps (with their bodies). When a new exchange would exceed
 * either bound, the oldest finished exchanges are forgotten (`http.forgotten`).
 */
export const maxKeptHttpExchanges = 200;
export const maxKeptHttpBodyBytes = 512 * 1024 * 1024;
/** The most one `http.body` call returns. */
export const maxHttpBodySliceBytes = 4 * 1024 * 1024;
/** A decoded (decompressed) body larger than this is cut there, and says so. */
export const maxHttpDecodedBytes = 256 * 1024 * 1024;
/** Chunk-size lines listed per exchange; later ones are only counted (`chunkCount`). */
export const maxListedHttpChunks = 10_000;

const id = z.string().min(1).max(64);
export const httpConnectionId = id;
export const httpExchangeId = id;

/** Where requests go. Two sends reuse a connection ('keep') only when every field matches. */
export const httpTarget = z
  .object({
    host: hostName,
    port: portNumber,
    /** https: TLS right after the TCP handshake. */
    tls: z.boolean().default(false),
    /** The SNI name; defaults to `host` when it is a name. Never sent for an IP address. */
    servername: z.string().trim().min(1).max(253).superRefine(refuseControlCharacters).optional(),
    /** Accept a certificate the system does not trust (self-signed); the certificate is shown either way. */
    acceptSelfSigned: z.boolean().default(false),
  })
  .strict();
export type HttpTarget = z.infer<typeof httpTarget>;
export type HttpTargetInput = z.input<typeof httpTarget>;

/**
 * 'new': a connection of its own for this send, closed by the client after the last
 * response (non-persistent HTTP). 'keep': reuse the open connection to the same target
 * if there is one, else open one, and leave it open afterwards (persistent HTTP).
 */
export const httpConnectionPolicies = ['new', 'keep'] as const;
export const httpConnectionPolicy = z.enum(httpConnectionPolicies);
export type HttpConnectionPolicy = z.infer<typeof httpConnectionPolicy>;

/** Milliseconds per phase; absent when the phase did not happen (no lookup for an address, no TLS, reused connection). */
export const httpTimings = z.object({
  /** Name lookup (DNS or hosts file). */
  lookupMs: z.number().optional(),
  /** TCP handshake: SYN sent → connection established. */
  connectMs: z.number().optional(),
  /** TLS handshake after the TCP one. */
  tlsMs: z.number().optional(),
  /** The request bytes handed to the socket → first byte of this exchange's response. */
  firstByteMs: z.number().optional(),
  /** First response byte → last. */
  transferMs: z.number().optional(),
  /** The send started (lookup included when a connection was opened for it) → last response byte. */
  totalMs: z.number().optional(),
});
export type HttpTimings = z.infer<typeof httpTimings>;

// ---- what the pure parser reports, as schemas (the types are shared/http's own) ----

export const httpField = z.object({
  name: z.string(),
  value: z.string(),
  offset: z.number(),
  length: z.number(),
  nameOffset: z.number(),
  nameLength: z.number(),
  valueOffset: z.number(),
  valueLength: z.number(),
  raw: bytes,
  malformed: z.literal(true).optional(),
  folded: z.literal(true).optional(),
});

/** Offsets count bytes from the start of what the server sent on the connection. */
export const httpDiagnostic = z.object({
  code: z.enum(diagnosticCodes),
  severity: z.enum(['error', 'warning', 'info']),
  message: z.string(),
  offset: z.number(),
  length: z.number(),
  messageIndex: z.number().optional(),
  fatal: z.boolean().optional(),
});

export const bodyFraming = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('none'),
    because: z.enum(['head-request', 'no-content', 'not-modified', 'interim', 'no-length']),
  }),
  z.object({ kind: z.literal('length'), length: z.number() }),
  z.object({ kind: z.literal('chunked') }),
  z.object({ kind: z.literal('close') }),
  z.object({ kind: z.literal('switch') }),
]);

/** A response head (status line + fields + empty line) as received: interim 1xx or final. */
export const httpResponseHead = stamp.extend({
  /** Offset of the head in the connection's received bytes. */
  offset: z.number(),
  /** The head exactly as received (the status line through the empty line). */
  raw: bytes,
  startLine: z.string(),
  versionText: z.string(),
  version: z.object({ major: z.number(), minor: z.number() }),
  status: z.number().int(),
  reason: z.string(),
  /** In order, repeats kept. */
  fields: z.array(httpField),
  framing: bodyFraming,
  /** 1xx other than 101: the final response follows. */
  interim: z.boolean(),
  /** Whether the connection stays open after this response (Connection header, version, framing). */
  persistent: z.boolean(),
});
export type HttpResponseHeadInfo = z.infer<typeof httpResponseHead>;

/** A chunk-size line of a chunked body: its size and extensions, visible. */
export const httpChunk = z.object({
  offset: z.number(),
  /** The line's bytes including its line ending. */
  length: z.number(),
  size: z.number(),
  /** The line as text without its ending, e.g. "1a;name=value". */
  line: z.string(),
  extensions: z.array(z.object({ name: z.string(), value: z.string().optional() })),
});
export type HttpChunk = z.infer<typeof httpChunk>;

/** Body totals; `capped` is the visible truncation note. */
export const httpBodyProgress = z.object({
  /** Body bytes received (chunk framing removed, content coding still applied). */
  receivedBytes: z.number().int().nonnegative(),
  /** Of those, kept on the Node side (readable with http.body). */
  keptBytes: z.number().int().nonnegative(),
  /** The cap, in bytes, once it cut the body: the rest was counted, not kept. */
  cappedAt: z.number().int().nonnegative().optional(),
  /** Chunk-size lines seen (chunked framing only), listed or not. */
  chunkCount: z.number().int().nonnegative(),
  /** Content-Encoding of the final response, in the order applied (e.g. ['gzip']). */
  encodings: z.array(z.string()),
});
export type HttpBodyProgress = z.infer<typeof httpBodyProgress>;

/** One request found in the raw text (pipelining: several), in the order sent. */
export const httpSentExchange = z.object({
  exchangeId: httpExchangeId,
  /** Position within this send, from 0. */
  index: z.number().int().nonnegative(),
  /** As parsed from the request line ('' when the raw text has none the parser could read); HEAD means no body. */
  method: z.string(),
  /** The request target as typed ('' when unreadable). */
  target: z.string(),
  /** Where this request's bytes sit in the raw text, and how many. */
  offset: z.number().int().nonnegative(),
  length: z.number().int().nonnegative(),
  /**
   * false when the parser could not find where this request ends (an unfinished head,
   * a malformed request line): it went out anyway, and the server decides what it is.
   */
  complete: z.boolean(),
});
export type HttpSentExchange = z.infer<typeof httpSentExchange>;

export const httpConnectAttempt = z.object({
  address: z.string(),
  family: addressFamily,
  ms: z.number(),
  error: errorInfo.optional(),
});

export const httpSendRequest = z
  .object({
    target: httpTarget,
    /** The bytes exactly as typed: never modified, never completed. Several requests = pipelining. */
    raw: bytes
      .refine((b) => b.byteLength > 0, 'the request is empty: type a request line, headers and an empty line')
      .refine((b) => b.byteLength <= maxHttpSendBytes, 'one send can carry at most 16 MiB'),
    connection: httpConnectionPolicy.default('keep'),
    /** Lookup + TCP (+ TLS) handshake, all addresses tried within it. */
    connectTimeoutMs: deadlineMs.default(10_000),
    /**
     * Waiting for the response: the deadline for its first byte, restarted by every byte
     * that arrives (so a slow but steady download is not cut). Passing it fails the
     * outstanding exchanges with E_TIMEOUT and closes the connection.
     */
    responseTimeoutMs: deadlineMs.default(30_000),
    /** Body bytes kept per response (default 64 MiB); the rest is counted and marked capped. */
    maxBodyBytes: z
      .number()
      .int()
      .min(0)
      .max(maxHttpBodyCapBytes, { message: 'at most 512 MiB of a body can be kept' })
      .optional(),
    family: addressFamily.optional(),
    bindAddress: bindAddress.optional(),
  })
  .strict();
export type HttpSendRequest = z.input<typeof httpSendRequest>;

export const httpSendResult = stamp.extend({
  connectionId: httpConnectionId,
  /** The request went out on a connection that was already open ('keep'). */
  reused: z.boolean(),
  local: socketAddress,
  peer: socketAddress,
  /** The requests found in the raw text, in order; at least one. */
  exchanges: z.array(httpSentExchange).min(1),
  sentBytes: z.number().int().nonnegative(),
  /** Connection set-up, when this send opened the connection. */
  connect: z
    .object({
      lookupMs: z.number().optional(),
      connectMs: z.number(),
      tlsMs: z.number().optional(),
      resolved: z.array(resolvedAddress),
      /** Every address tried, in order, with why it failed. */
      attempts: z.array(httpConnectAttempt),
    })
    .optional(),
  /** The server's certificate (TLS targets), whether or not the system trusts it. */
  certificate: tlsCertificate.optional(),
  /** The response deadline now running (restarted by every byte received); `mono` is when it runs out. */
  responseDeadline: z.object({ timeoutMs: z.number(), mono: z.number() }),
});
export type HttpSendResult = z.infer<typeof httpSendResult>;

export const httpBodyRequest = z
  .object({
    exchangeId: httpExchangeId,
    offset: z.number().int().min(0),
    length: z.number().int().min(0).max(maxHttpBodySliceBytes, { message: 'one http.body call returns at most 4 MiB' }),
    /** Undo Content-Encoding (gzip, deflate, br) first; the offset then counts decoded bytes. */
    decoded: z.boolean().default(false),
  })
  .strict();

export const httpBodyResult = z.object({
  exchangeId: httpExchangeId,
  offset: z.number().int(),
  /** Fewer bytes than asked at the end of the body. */
  data: bytes,
  decoded: z.boolean(),
  /** Bytes available in the asked form: kept raw bytes, or the decoded length. */
  totalBytes: z.number().int().nonnegative(),
  /** The body is still arriving (raw: more may come; decoded: what was decodable so far). */
  partial: z.boolean(),
  encodings: z.array(z.string()),
  /** Why decoding stopped (corrupt data, unknown coding, cut by the cap): the bytes before it are still given. */
  decodeError: z.string().optional(),
});
export type HttpBodyResult = z.infer<typeof httpBodyResult>;

export const httpClientCommands = {
  /**
   * Sends raw bytes to a target and returns once they are handed to the socket (the
   * responses arrive as events). Cancelling the call (its AbortSignal) stops the
   * connect; `http.cancel` stops a response wait later. Errors: E_REFUSED, E_TIMEOUT,
   * E_CANCELLED, E_TLS (certificate refused: the message names host, port and why),
   * E_BAD_REQUEST.
   */
  'http.send': command(httpSendRequest, httpSendResult),
  /** A slice of a stored body, raw or decoded (for virtualised views of tens of MB). */
  'http.body': command(httpBodyRequest, httpBodyResult),
  /**
   * Stops waiting: closes the connection that carries the exchange (or the connection
   * given); its unfinished exchanges end with outcome 'cancelled'. HTTP/1.1 has no other
   * way to stop a response.
   */
  'http.cancel': command(
    z
      .object({ exchangeId: httpExchangeId.optional(), connectionId: httpConnectionId.optional() })
      .strict()
      .refine((r) => r.exchangeId !== undefined || r.connectionId !== undefined, {
        message: 'say which exchange or connection to cancel',
      }),
    stamp.extend({ connectionId: httpConnectionId.optional(), cancelled: z.array(httpExchangeId) }),
  ),
  /** Closes a connection (FIN) now; unfinished exchanges on it end 'cancelled'. */
  'http.close': command(
    z.object({ connectionId: httpConnectionId }).strict(),
    stamp.extend({ connectionId: httpConnectionId, sentBytes: z.number().int(), receivedBytes: z.number().int() }),
  ),
  /** Lets go of an exchange and its body (an unfinished one is cancelled first). */
  'http.forget': command(
    z.object({ exchangeId: httpExchangeId }).strict(),
    z.object({ exchangeId: httpExchangeId, freedBytes: z.number().int().nonnegative() }),
  ),
};

export const httpConnectionCloseReasons = ['server', 'client', 'error', 'idle', 'cancelled', 'timeout'] as const;

export const httpExchangeOutcomes = [
  /** The final response arrived in full. */
  'complete',
  /** The connection closed before the response's declared end (or before any response). */
  'incomplete',
  /** Timed out, reset, or unreadable: see `error`. */
  'failed',
  /** http.cancel / http.close / http.forget, or the session went away. */
  'cancelled',
] as const;
export type HttpExchangeOutcome = (typeof httpExchangeOutcomes)[number];

export const httpClientEvents = {
  /** A connection was opened for a send (before its requests are written). */
  'http.connectionOpened': stamp.extend({
    connectionId: httpConnectionId,
    /** "host:port" as typed, with " (TLS)" for https. */
    target: z.string(),
    tls: z.boolean(),
    local: socketAddress,
    peer: socketAddress,
    certificate: tlsCertificate.optional(),
  }),
  /**
   * Response progress of one exchange, coalesced: at most one event per ~25 ms per
   * exchange, never one per received chunk. Lists (`heads`, `chunks`, `trailers`,
   * `diagnostics`) hold what is new since the previous event; `body` holds totals.
   */
  'http.progress': stamp.extend({
    exchangeId: httpExchangeId,
    connectionId: httpConnectionId,
    /** New heads in arrival order: interim 1xx ones, then the final one. */
    heads: z.array(httpResponseHead),
    chunks: z.array(httpChunk),
    trailers: z.array(httpField),
    diagnostics: z.array(httpDiagnostic),
    /**
     * Bytes that are not HTTP: after a fatal parse error ('error'), after 101 Switching
     * Protocols ('switched'), a head cut short by the close ('incomplete'). At most 64 KiB
     * of data per event; `length` counts them all.
     */
    unparsed: z.array(
      z.object({
        reason: z.enum(['error', 'switched', 'incomplete', 'idle']),
        offset: z.number().int().nonnegative(),
        length: z.number().int().nonnegative(),
        data: bytes,
      }),
    ),
    body: httpBodyProgress,
    /** The response deadline, restarted by every byte that arrives; `mono` is when it runs out. */
    deadline: z.object({ timeoutMs: z.number(), mono: z.number() }).optional(),
  }),
  /** The exchange is over; a last `http.progress` with anything pending always comes before it. */
  'http.exchangeEnd': stamp.extend({
    exchangeId: httpExchangeId,
    connectionId: httpConnectionId,
    outcome: z.enum(httpExchangeOutcomes),
    /** Why it failed or ended incomplete, for people (names the host and port). */
    error: errorInfo.optional(),
    body: httpBodyProgress,
    timings: httpTimings,
  }),
  /**
   * Bytes that arrived while no request was outstanding: they belong to no response
   * (never attributed to the next request). `offset` counts the connection's received bytes.
   */
  'http.stray': stamp.extend({
    connectionId: httpConnectionId,
    offset: z.number().int().nonnegative(),
    /** At most 64 KiB shown per event; `length` counts them all. */
    data: bytes,
    length: z.number().int().nonnegative(),
  }),
  /** The connection is gone; `by` says who or what closed it. */
  'http.connectionClosed': stamp.extend({
    connectionId: httpConnectionId,
    by: z.enum(httpConnectionCloseReasons),
    error: errorInfo.optional(),
    /** For people: e.g. "the server closed the connection after 2 responses". */
    message: z.string(),
    sentBytes: z.number().int().nonnegative(),
    receivedBytes: z.number().int().nonnegative(),
  }),
  /** Exchanges (and bodies) let go to stay within the session's bounds (200 exchanges, 512 MiB of bodies). */
  'http.forgotten': stamp.extend({ exchangeIds: z.array(httpExchangeId), reason: z.enum(['limit', 'forget']) }),
};

// The schemas above describe the pure parser's own types; these lines keep the two in step.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const fieldMatches: Same<z.infer<typeof httpField>, HttpField> = true;
const diagnosticMatches: Same<z.infer<typeof httpDiagnostic>, HttpDiagnostic> = true;
const framingMatches: Same<z.infer<typeof bodyFraming>, BodyFraming> = true;
const extensionMatches: Same<z.infer<typeof httpChunk>['extensions'][number], ChunkExtension> = true;
void [fieldMatches, diagnosticMatches, framingMatches, extensionMatches];
