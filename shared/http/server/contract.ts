import { z } from 'zod';
import { bytes, command } from '../../contract/schema';
import { deadlineMs, keepBytes, socketAddress, stamp } from '../../net/contract';
import {
  acceptedEntry,
  closedEntry,
  connectionCloseReasons,
  connectionId,
  count,
  errorEntry,
  listeningEntry,
  listenRequestFields,
  serverLogEvent,
  serverLinkCommand,
  serverStartedResponse,
  serverStopCommand,
  stoppedEntry,
} from '../../net/serverContract';
import { linkDelayMs, linkEntry, linkSetting } from '../../net/link';

/**
 * The built-in web server (`webServer.*`): the textbook's "write a web server" homework
 * as a peer to practise against. It serves a folder (by default the bundled sample site)
 * with GET and HEAD, answers conditional GETs with 304, and logs every connection, the
 * raw bytes of every request and the response line that answered it. Plain data only.
 */

export const defaultWebServerPort = 8080;
/** The raw bytes of one request kept for the log; the rest is counted, not shown. */
export const maxLoggedRequestBytes = 16 * 1024;
export const defaultWebServerMaxConnections = 64;

/**
 * How long a client gets, in ms. The head limit is generous on purpose: a student typing a
 * request by hand in telnet or nc (the textbook's HTTP-by-hand lesson) needs a minute or
 * more. Slow clients cannot lock the server out with it: when every connection slot is
 * taken, a new connection closes the one that has waited longest without completing a
 * request head (see the session), instead of being refused.
 */
export const defaultWebServerTimeouts = {
  /** The whole request head (request line and headers), from the connection's first byte or the previous response. */
  headersTimeoutMs: 120_000,
  /** The whole request, head and any body. */
  requestTimeoutMs: 130_000,
  /** A persistent connection idle this long after its last response is closed. */
  keepAliveTimeoutMs: 15_000,
  /** How often the two limits above are checked. */
  connectionsCheckingIntervalMs: 1_000,
} as const;
export type WebServerTimeouts = { -readonly [K in keyof typeof defaultWebServerTimeouts]: number };

export const webServerStartRequest = z
  .object({
    /** An existing folder to serve; absent means the bundled sample site. */
    folder: z
      .string({ message: 'the folder must be text, e.g. /home/me/site' })
      .trim()
      .min(1, { message: 'the folder is empty: type a folder path, or leave it out for the sample site' })
      .max(4096, { message: 'the folder path is longer than 4096 characters' })
      .optional(),
    ...listenRequestFields(defaultWebServerPort),
    /** Serve /cookie: a page that sets a visit-counter cookie and shows what the browser sent back. */
    cookieDemo: z.boolean().default(true),
    /**
     * Answer only Hosts that are an IP address, localhost or this machine's own name (a defence
     * against DNS rebinding); anything else gets 421. A teacher may switch it off.
     */
    checkHost: z.boolean().default(true),
    /** See defaultWebServerTimeouts. */
    headersTimeoutMs: deadlineMs.default(defaultWebServerTimeouts.headersTimeoutMs),
    requestTimeoutMs: deadlineMs.default(defaultWebServerTimeouts.requestTimeoutMs),
    /** A persistent connection idle this long after its last response is closed by the server. */
    keepAliveTimeoutMs: deadlineMs.default(defaultWebServerTimeouts.keepAliveTimeoutMs),
    connectionsCheckingIntervalMs: z
      .number({ message: 'the checking interval must be a number of milliseconds' })
      .int({ message: 'the checking interval must be a whole number of milliseconds' })
      .min(10, { message: 'the checking interval must be at least 10 ms' })
      .max(60_000, { message: 'the checking interval can be at most 60000 ms' })
      .default(defaultWebServerTimeouts.connectionsCheckingIntervalMs),
    /**
     * At most this many connections at once. One more closes the connection that has waited
     * longest without completing a request head, to make room; only when every connection
     * is being answered is the newcomer closed at once (logged as refused).
     */
    maxConnections: z
      .number({ message: 'the connection limit must be a number' })
      .int({ message: 'the connection limit must be a whole number' })
      .min(1, { message: 'at least 1 connection must be allowed' })
      .max(1000, { message: 'at most 1000 connections can be allowed' })
      .default(defaultWebServerMaxConnections),
    /** Raw request bytes kept for the log in total; beyond this only sizes are logged. */
    keepBytes: keepBytes.optional(),
    /** An emulated link in front of the server (delay, jitter, bandwidth; no loss on TCP); none when left out. */
    link: linkSetting.optional(),
  })
  .strict()
  .refine((request) => request.headersTimeoutMs <= request.requestTimeoutMs, {
    message: 'the head timeout must not be longer than the request timeout (the head is part of the request)',
    path: ['headersTimeoutMs'],
  });
export type WebServerStartRequest = z.input<typeof webServerStartRequest>;

/** A header as sent, in order. */
export const webServerHeader = z.object({ name: z.string(), value: z.string() });
export type WebServerHeader = z.infer<typeof webServerHeader>;

export const webServerCounters = z.object({
  connectionsAccepted: count,
  connectionsOpen: count,
  /** Closed at once because `maxConnections` were already open and every one was being answered. */
  connectionsRefused: count,
  /** Closed to make room for a new connection: the one waiting longest without a complete request head. */
  connectionsEvicted: count,
  requests: count,
  /** Responses by status class. */
  responses2xx: count,
  responses3xx: count,
  responses4xx: count,
  responses5xx: count,
  bytesReceived: count,
  bytesSent: count,
});
export type WebServerCounters = z.infer<typeof webServerCounters>;

/** 1 for the first request on a connection, 2 for the next one on the same (persistent) connection, ... */
const requestNumber = z.number().int().positive();

export const webServerCloseReasons = [...connectionCloseReasons, 'stopped', 'room'] as const;

/** One line of the web server's log. */
export const webServerLogEntry = z.discriminatedUnion('kind', [
  /** The welcoming socket, and what it serves. */
  listeningEntry({ folder: z.string(), sampleSite: z.boolean() }),
  acceptedEntry,
  /** Over the connection limit: closed without reading. */
  stamp.extend({ kind: z.literal('refused'), client: socketAddress, reason: z.string() }),
  /**
   * Every slot was taken: the connection that had waited longest (`waitedMs`, since it opened
   * or since its last response) without completing a request head is closed to make room for
   * `client`, after a 503 that says so.
   */
  stamp.extend({
    kind: z.literal('evicted'),
    connectionId,
    waitedMs: count,
    client: socketAddress,
    maxConnections: count,
  }),
  /**
   * A request as received. `raw` is the request's bytes exactly as they arrived (head and
   * any body), cut at `maxLoggedRequestBytes` or the keep cap; `rawBytes` is its full size.
   * A request the server could not parse has no method/target/version but a `problem`.
   */
  stamp.extend({
    kind: z.literal('request'),
    connectionId,
    requestNumber,
    raw: bytes,
    rawBytes: count,
    method: z.string().optional(),
    target: z.string().optional(),
    version: z.string().optional(),
    problem: z.string().optional(),
    /** How long the emulated link held the request's last bytes back. */
    linkDelayMs,
  }),
  stamp.extend({
    kind: z.literal('response'),
    connectionId,
    requestNumber,
    /** e.g. `HTTP/1.1 304 Not Modified` */
    statusLine: z.string(),
    status: z.number().int(),
    headers: z.array(webServerHeader),
    /** Body bytes sent (0 for HEAD and 304). */
    bodyBytes: count,
    /** The served file, relative to the folder (`/` separated). */
    file: z.string().optional(),
    /** Why this status, in words (e.g. "the path leaves the served folder"). */
    reason: z.string().optional(),
    /** The connection stays open for another request after this response. */
    keepAlive: z.boolean(),
    /** How long the emulated link holds the response's last bytes back before they reach the client's side. */
    linkDelayMs,
  }),
  linkEntry,
  /** Bytes that arrived after the server announced it closes the connection: never read as a request. */
  stamp.extend({
    kind: z.literal('ignored'),
    connectionId,
    raw: bytes,
    rawBytes: count,
    reason: z.string(),
  }),
  closedEntry(webServerCloseReasons, { requestsServed: count }),
  errorEntry,
  stoppedEntry,
]);
export type WebServerLogEntry = z.infer<typeof webServerLogEntry>;

export const webServerCommands = {
  /** Starts serving a folder on a port (several servers may run, one per port). */
  'webServer.start': command(
    webServerStartRequest,
    serverStartedResponse({
      /** The folder served, absolute and with symlinks resolved. */
      folder: z.string(),
      sampleSite: z.boolean(),
      cookieDemo: z.boolean(),
      checkHost: z.boolean(),
      /** The time limits as the running server has them. */
      timeouts: z.object({
        headersTimeoutMs: count,
        requestTimeoutMs: count,
        keepAliveTimeoutMs: count,
        connectionsCheckingIntervalMs: count,
      }),
    }),
  ),
  /** Stops listening and closes every connection; resolves once the port is free. */
  'webServer.stop': serverStopCommand(),
  /** Another emulated link for the running server (null: none); it applies to new connections' traffic. */
  'webServer.setLink': serverLinkCommand(),
};

export const webServerEvents = {
  /** Log entries, coalesced (at most one event per ~25 ms); under a flood request/response entries may be left out but are counted. */
  'webServer.log': serverLogEvent(webServerLogEntry, webServerCounters),
};
