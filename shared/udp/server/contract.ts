import { z } from 'zod';
import { bytes, command } from '../../contract/schema';
import { errorInfo, keepBytes, socketAddress, stamp } from '../../net/contract';
import {
  count,
  listeningEntry,
  listenRequestFields,
  serverLogEvent,
  serverStartedResponse,
  serverLinkCommand,
  serverStopCommand,
  stoppedEntry,
} from '../../net/serverContract';
import { linkDelayMs, linkEntry, linkSetting } from '../../net/link';

/**
 * The built-in textbook UDPServer (`udpServer.*`): upper-cases (or echoes) each datagram
 * and logs what arrived, what was cut and what was replied. Plain data only.
 */

/** Mirrors `recvfrom(2048)` in the textbook programs: a longer datagram is cut, the rest is lost. */
export const textbookRecvBufferBytes = 2048;

/** The N of an emulated `recvfrom(N)`; the client's `udp.open` takes the same rule from here. */
export const recvBufferBytes = z
  .number({ message: 'the receive buffer must be a number of bytes' })
  .int({ message: 'the receive buffer must be a whole number of bytes' })
  .min(1, { message: 'the receive buffer must be at least 1 byte' })
  .max(65_535, { message: 'the receive buffer can be at most 65535 bytes (no datagram is larger)' });

export const udpServerModes = ['upper', 'echo'] as const;

export const udpServerCommands = {
  /** The built-in textbook UDPServer (one per port; several may run). */
  'udpServer.start': command(
    z
      .object({
        ...listenRequestFields(12000),
        mode: z.enum(udpServerModes).default('upper'),
        /** recvfrom(2048) like the textbook; null receives whole datagrams. */
        recvBufferBytes: recvBufferBytes.nullable().default(textbookRecvBufferBytes),
        keepBytes: keepBytes.optional(),
        /** An emulated link in front of the server (delay, jitter, loss, bandwidth); none when left out. */
        link: linkSetting.optional(),
      })
      .strict(),
    /** `warning` is shown by the UI when the server listens on all interfaces. */
    serverStartedResponse({ mode: z.enum(udpServerModes), recvBufferBytes: z.number().int().nullable() }),
  ),
  'udpServer.stop': serverStopCommand(),
  'udpServer.setLink': serverLinkCommand(),
};

export const udpServerCounters = z.object({
  datagramsReceived: count,
  datagramsReplied: count,
  datagramsCut: count,
  /** Dropped by the emulated link before the server read them. */
  datagramsDropped: count.default(0),
  bytesReceived: count,
  bytesReplied: count,
});
export type UdpServerCounters = z.infer<typeof udpServerCounters>;

/** One line of the UDP server's log. `data` may be shorter than `bytes` once the keep cap is reached. */
export const udpServerLogEntry = z.discriminatedUnion('kind', [
  listeningEntry({}),
  stamp.extend({
    kind: z.literal('received'),
    client: socketAddress,
    data: bytes,
    /** The datagram's size on the wire. */
    bytes: z.number().int().nonnegative(),
    /** recvfrom(N) cut the datagram to N bytes; the rest was lost. */
    cutTo: z.number().int().optional(),
    /** How long the emulated link held it back. */
    linkDelayMs,
  }),
  /** The emulated link dropped the datagram: the server never read it. */
  stamp.extend({
    kind: z.literal('dropped'),
    client: socketAddress,
    data: bytes,
    bytes: z.number().int().nonnegative(),
  }),
  stamp.extend({
    kind: z.literal('replied'),
    client: socketAddress,
    data: bytes,
    bytes: z.number().int(),
    /** Bytes that were not valid UTF-8, sent back unchanged (Python's decode() would have raised). */
    invalidUtf8Bytes: z.number().int().positive().optional(),
    /** How long the emulated link held the reply back before it reached the client's side. */
    linkDelayMs,
  }),
  linkEntry,
  stamp.extend({ kind: z.literal('error'), error: errorInfo, client: socketAddress.optional() }),
  stoppedEntry,
]);
export type UdpServerLogEntry = z.infer<typeof udpServerLogEntry>;

export const udpServerEvents = {
  /** The built-in server's log, coalesced; `counters` are totals so far. */
  'udpServer.log': serverLogEvent(udpServerLogEntry, udpServerCounters),
};
