import { z } from 'zod';
import { bytes, command, portNumber } from '../../contract/schema';
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
} from '../../net/contract';

/**
 * The TCP client (`tcp.*`): connect to any host and port, send bytes, half-close, and
 * receive what arrives as timestamped chunks. Plain data only.
 */

/** How many bytes one `tcp.send` may carry. */
export const maxTcpSendBytes = 16 * 1024 * 1024;

export const tcpCloseReasons = ['local', 'peer', 'reset', 'error'] as const;

export const tcpClientCommands = {
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

export const tcpClientEvents = {
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
};
