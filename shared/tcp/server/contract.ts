import { z } from 'zod';
import { bytes, command } from '../../contract/schema';
import { deadlineMs, keepBytes, stamp } from '../../net/contract';
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
  serverLinkCommand,
  serverStopCommand,
  stoppedEntry,
} from '../../net/serverContract';
import { linkDelayMs, linkEntry, linkSetting } from '../../net/link';

/**
 * The built-in textbook TCPServer (`tcpServer.*`): upper-cases what a client sends, in
 * one of three modes, and logs the welcoming socket, each connection socket and every
 * byte received and replied. Plain data only.
 */

/** The textbook TCPServer's `recv(1024)`. */
export const textbookRecvBytes = 1024;

export const tcpServerModes = ['classic', 'lines', 'echo'] as const;
export type TcpServerMode = (typeof tcpServerModes)[number];

export const tcpServerCommands = {
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
        /** An emulated link in front of the server (delay, jitter, bandwidth; no loss on TCP); none when left out. */
        link: linkSetting.optional(),
      })
      .strict(),
    serverStartedResponse({ mode: z.enum(tcpServerModes) }),
  ),
  'tcpServer.stop': serverStopCommand(),
  'tcpServer.setLink': serverLinkCommand(),
};

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
  stamp.extend({ kind: z.literal('received'), connectionId, data: bytes, bytes: z.number().int(), linkDelayMs }),
  stamp.extend({
    kind: z.literal('replied'),
    connectionId,
    data: bytes,
    bytes: z.number().int(),
    /** Bytes that were not valid UTF-8, sent back unchanged (Python's decode() would have raised). */
    invalidUtf8Bytes: z.number().int().positive().optional(),
    /** How long the emulated link holds the reply back before it reaches the client's side. */
    linkDelayMs,
  }),
  linkEntry,
  /** Bytes the mode did not read (classic: beyond one recv(1024)). */
  stamp.extend({ kind: z.literal('discarded'), connectionId, bytes: z.number().int(), reason: z.string() }),
  /** The client shut down its write side. */
  stamp.extend({ kind: z.literal('peerEnded'), connectionId }),
  closedEntry(connectionCloseReasons, {}),
  errorEntry,
  stoppedEntry,
]);
export type TcpServerLogEntry = z.infer<typeof tcpServerLogEntry>;

export const tcpServerEvents = {
  'tcpServer.log': serverLogEvent(tcpServerLogEntry, tcpServerCounters),
};
