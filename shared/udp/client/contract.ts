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
  listenPort,
  noReply,
  receiveTotals,
  replyDeadline,
  replyOf,
  resolvedAddress,
  sessionId,
  socketAddress,
  stamp,
} from '../../net/contract';
import { recvBufferBytes } from '../server/contract';

/**
 * The UDP client (`udp.*`): open a socket (optionally connected), send datagrams, and
 * receive what arrives, cut like `recvfrom(N)` if asked. Plain data only.
 */

/** The largest UDP payload over IPv4 (65,535 − 20 IP − 8 UDP header bytes). */
export const maxUdpPayloadIPv4 = 65_507;

/** Sends bigger than this are refused before the OS sees them (EMSGSIZE is left to the OS up to here). */
const maxSendBytes = 1024 * 1024;

export const udpClientCommands = {
  /**
   * Opens a UDP socket (the textbook's `socket(AF_INET, SOCK_DGRAM)`), bound at once so
   * its local address is known. With `connect` it becomes a "connected UDP" socket that
   * only talks to that peer and hears ICMP "port unreachable" as ECONNREFUSED.
   * The family follows `bindAddress`, then the connect target, then `family`, then IPv4.
   */
  'udp.open': command(
    z
      .object({
        bindAddress: bindAddress.optional(),
        bindPort: listenPort.optional(),
        family: addressFamily.optional(),
        connect: z.object({ host: hostName, port: portNumber }).strict().optional(),
        /** Emulates recvfrom(N): longer datagrams are cut and the event says so. Omitted: whole datagrams. */
        recvBufferBytes: recvBufferBytes.optional(),
        keepBytes: keepBytes.optional(),
        /** Deadline for resolving the connect host. */
        lookupTimeoutMs: deadlineMs.default(5000),
      })
      .strict(),
    stamp.extend({
      sessionId,
      local: socketAddress,
      peer: socketAddress.optional(),
      /** Every address the connect host resolved to (the first of the socket's family is used). */
      resolved: z.array(resolvedAddress).optional(),
      recvBufferBytes: z.number().int().optional(),
      keepLimit: z.number().int(),
    }),
  ),
  /**
   * Sends one datagram. Unconnected sockets need host and port; connected ones must
   * leave them out. With `replyTimeoutMs` the Node side watches for a reply from that
   * peer and emits `udp.noReply` if none comes in time (UDP itself never says so).
   */
  'udp.send': command(
    z
      .object({
        sessionId,
        host: hostName.optional(),
        port: portNumber.optional(),
        data: bytes.refine((b) => b.byteLength <= maxSendBytes, 'a datagram to send can be at most 1 MiB'),
        replyTimeoutMs: deadlineMs.optional(),
        lookupTimeoutMs: deadlineMs.default(5000),
      })
      .strict(),
    stamp.extend({
      sessionId,
      /** Numbers this session's sends 1, 2, 3…; replies and noReply events name it. */
      seq: z.number().int().positive(),
      sentBytes: z.number().int().nonnegative(),
      to: socketAddress,
      local: socketAddress,
      resolved: z.array(resolvedAddress).optional(),
      /** Set when a reply is awaited: when the wait ends (`mono` clock). */
      replyDeadline: replyDeadline.optional(),
    }),
  ),
  'udp.cancelWait': command(cancelWaitRequest, cancelWaitResponse),
  'udp.close': command(
    z.object({ sessionId }).strict(),
    stamp.extend({ sessionId, sentDatagrams: z.number().int(), receivedDatagrams: z.number().int() }),
  ),
};

/** One received datagram, as `recvfrom` would return it (plus what it hid). */
export const udpDatagram = stamp.extend({
  from: socketAddress,
  /** The bytes passed on: cut to the receive buffer, and empty once the keep cap is reached. */
  data: bytes,
  /** The datagram's real size on the wire. */
  size: z.number().int().nonnegative(),
  /** Cut to `recvBufferBytes` (the rest is lost, as with recvfrom). */
  truncated: z.boolean(),
  /** Set when this datagram answers a send that awaited a reply. */
  reply: replyOf.optional(),
});
export type UdpDatagram = z.infer<typeof udpDatagram>;

export const udpClientEvents = {
  /** Datagrams received by a client session, coalesced (several per event under load). */
  'udp.datagrams': receiveTotals.extend({
    ...stamp.shape,
    sessionId,
    datagrams: z.array(udpDatagram),
    receivedDatagrams: z.number().int().nonnegative(),
    /** Datagrams counted but not passed on because the keep cap was reached. */
    droppedDatagrams: z.number().int().nonnegative(),
  }),
  /** "no reply within N s — UDP does not report that nobody is listening". */
  'udp.noReply': noReply.extend({ to: socketAddress }),
  /** The OS reported an error on the socket (e.g. ECONNREFUSED on a connected socket); the session stays open. */
  'udp.error': stamp.extend({ sessionId, error: errorInfo }),
  'udp.closed': stamp.extend({ sessionId, reason: z.enum(['local', 'error']), error: errorInfo.optional() }),
};
