import { z } from 'zod';
import { bytes, command, portNumber } from '../contract/schema';
import {
  addressFamily,
  bindAddress,
  cancelWaitRequest,
  cancelWaitResponse,
  deadlineMs,
  errorInfo,
  hostName,
  keepBytes,
  noReply,
  receiveTotals,
  replyDeadline,
  replyOf,
  resolvedAddress,
  sessionId,
  socketAddress,
  stamp,
} from '../net/contract';
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
  serverStartedResponse,
  serverStopCommand,
  stoppedEntry,
} from '../net/serverContract';

/** The textbook TCPServer's `recv(1024)`. */
export const textbookRecvBytes = 1024;

/** How many bytes one `tcp.send` may carry. */
export const maxTcpSendBytes = 16 * 1024 * 1024;

export const tcpServerModes = ['classic', 'lines', 'echo'] as const;
export type TcpServerMode = (typeof tcpServerModes)[number];

export const tcpCloseReasons = ['local', 'peer', 'reset', 'error'] as const;

export const tcpCommands = {
  /**
   * Resolves `host`, then tries its addresses in order until one accepts, all within
   * `timeoutMs`; cancelling the call stops it. On success the session exists.
   */
  'tcp.connect': command(
    z
      .object({
        host: hostName,
        port: portNumber,
        timeoutMs: deadlineMs.default(10_000),
        family: addressFamily.optional(),
        bindAddress: bindAddress.optional(),
        keepBytes: keepBytes.optional(),
      })
      .strict(),
    stamp.extend({
      sessionId,
      local: socketAddress,
      peer: socketAddress,
      /** Time from sending SYN to the connection being established: the handshake round trip. */
      connectMs: z.number(),
      resolved: z.array(resolvedAddress),
      /** Every address tried, in order, with why it failed. */
      attempts: z.array(
        z.object({ address: z.string(), family: addressFamily, ms: z.number(), error: errorInfo.optional() }),
      ),
      keepLimit: z.number().int(),
    }),
  ),
  /**
   * Queues bytes on the connection. With `replyTimeoutMs`, `tcp.noReply` follows if
   * nothing arrives in time. Refused with E_BUSY while the peer is not reading and much
   * is already queued (backpressure the user can see).
   */
  'tcp.send': command(
    z
      .object({
        sessionId,
        data: bytes.refine((b) => b.byteLength <= maxTcpSendBytes, 'one send can carry at most 16 MiB'),
        replyTimeoutMs: deadlineMs.optional(),
      })
      .strict(),
    stamp.extend({
      sessionId,
      seq: z.number().int().positive(),
      sentBytes: z.number().int().nonnegative(),
      /** Bytes accepted but not yet handed to the OS (the peer or network is slower than the sender). */
      queuedBytes: z.number().int().nonnegative(),
      replyDeadline: replyDeadline.optional(),
    }),
  ),
  /** Half-close: shut down the write side (sends FIN); the peer may still send. */
  'tcp.shutdown': command(z.object({ sessionId }).strict(), stamp.extend({ sessionId })),
  'tcp.cancelWait': command(cancelWaitRequest, cancelWaitResponse),
  'tcp.close': command(
    z.object({ sessionId }).strict(),
    stamp.extend({ sessionId, sentBytes: z.number().int(), receivedBytes: z.number().int() }),
  ),

  /** The built-in textbook TCPServer (several may run, one per port). */
  'tcpServer.start': command(
    z
      .object({
        ...listenRequestFields(12000),
        /**
         * classic: one recv(1024), reply upper, close the connection socket (the textbook);
         * lines: keep the connection, reply to each line; echo: send back what arrives.
         */
        mode: z.enum(tcpServerModes).default('classic'),
        /** A connection with no traffic for this long is closed by the server. */
        idleTimeoutMs: deadlineMs.default(120_000),
        keepBytes: keepBytes.optional(),
      })
      .strict(),
    serverStartedResponse({ mode: z.enum(tcpServerModes) }),
  ),
  'tcpServer.stop': serverStopCommand(),
};

export const tcpChunk = stamp.extend({
  /** Empty once the session's keep cap is reached (the bytes are still counted). */
  data: bytes,
  /** The chunk's size on the wire. */
  bytes: z.number().int().nonnegative(),
  /** Set on the first chunk after a send that awaited a reply. */
  reply: replyOf.optional(),
});
export type TcpChunk = z.infer<typeof tcpChunk>;

export const tcpServerCounters = z.object({
  connectionsAccepted: count,
  connectionsOpen: count,
  bytesReceived: count,
  bytesReplied: count,
  bytesDiscarded: count,
});
export type TcpServerCounters = z.infer<typeof tcpServerCounters>;

/** One line of the TCP server's log. `data` may be shorter than `bytes` once the keep cap is reached. */
export const tcpServerLogEntry = z.discriminatedUnion('kind', [
  /** The welcoming socket. */
  listeningEntry({}),
  acceptedEntry,
  stamp.extend({ kind: z.literal('received'), connectionId, data: bytes, bytes: z.number().int() }),
  stamp.extend({
    kind: z.literal('replied'),
    connectionId,
    data: bytes,
    bytes: z.number().int(),
    /** Bytes that were not valid UTF-8, sent back unchanged (Python's decode() would have raised). */
    invalidUtf8Bytes: z.number().int().positive().optional(),
  }),
  /** Bytes the mode did not read (classic: beyond one recv(1024)). */
  stamp.extend({ kind: z.literal('discarded'), connectionId, bytes: z.number().int(), reason: z.string() }),
  /** The client shut down its write side. */
  stamp.extend({ kind: z.literal('peerEnded'), connectionId }),
  closedEntry(connectionCloseReasons, {}),
  errorEntry,
  stoppedEntry,
]);
export type TcpServerLogEntry = z.infer<typeof tcpServerLogEntry>;

export const tcpEvents = {
  /** Received bytes as timestamped chunks, coalesced (at most one event per ~25 ms or 256 KiB). */
  'tcp.data': receiveTotals.extend({
    /** When this event was sent (chunks carry their own arrival times). */
    ...stamp.shape,
    sessionId,
    /** Chunks as read from the socket; after the keep cap only chunks that answer a send are listed. */
    chunks: z.array(tcpChunk),
  }),
  /** The peer shut down its write side (FIN): it sends no more, but the connection is still open. */
  'tcp.peerEnded': stamp.extend({ sessionId }),
  'tcp.noReply': noReply,
  /** The connection is gone; nothing more will happen on this session. */
  'tcp.closed': stamp.extend({
    sessionId,
    reason: z.enum(tcpCloseReasons),
    error: errorInfo.optional(),
    sentBytes: z.number().int(),
    receivedBytes: z.number().int(),
  }),
  'tcpServer.log': serverLogEvent(tcpServerLogEntry, tcpServerCounters),
};
