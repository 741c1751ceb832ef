import { z } from 'zod';
import { command } from '../contract/schema';
import { bindAddress, errorInfo, listenPort, sessionId, socketAddress, stamp } from './contract';
import { linkSetting } from './link';

/**
 * What the built-in servers' contracts (TCP, UDP, web, mail) share: where to listen,
 * the start answer's common part, stop, the log event around each server's own entries
 * and counters, and the log entries every server writes alike.
 */

/** A counter: a whole number, never negative. */
export const count = z.number().int().nonnegative();

/** The request fields that say where a built-in server listens, with that server's default port. */
export function listenRequestFields(defaultPort: number) {
  return {
    port: listenPort.default(defaultPort),
    /** 127.0.0.1 by default; 0.0.0.0 or :: (all interfaces) must be asked for and comes with a warning. */
    bindAddress: bindAddress.default('127.0.0.1'),
  };
}

/**
 * A start answer: the new server's id and the address it listens on, then `extra` (what
 * this kind of server reports), then the warning shown when it listens on all interfaces.
 */
export function serverStartedResponse<Extra extends z.ZodRawShape>(extra: Extra) {
  return stamp.extend({ serverId: sessionId, local: socketAddress, ...extra, warning: z.string().optional() });
}

/** `…Server.stop`: stops listening and closes every connection. */
export function serverStopCommand() {
  return command(z.object({ serverId: sessionId }).strict(), stamp.extend({ serverId: sessionId }));
}

/**
 * `…Server.setLink`: gives a running server another emulated link (null: none). It applies
 * to new traffic; what is already on the link keeps its timing.
 */
export function serverLinkCommand() {
  return command(
    z.object({ serverId: sessionId, link: linkSetting }).strict(),
    stamp.extend({ serverId: sessionId, link: linkSetting }),
  );
}

/** Names one connection in a server's log: `c1`, `c2`, ... */
export const connectionId = z.string();

/** Who ended a connection to a built-in server. */
export const connectionCloseReasons = ['server', 'client', 'reset', 'error', 'idle'] as const;

/** The listening socket is open: its address, `extra`, and the all-interfaces warning. */
export function listeningEntry<Extra extends z.ZodRawShape>(extra: Extra) {
  return stamp.extend({ kind: z.literal('listening'), local: socketAddress, ...extra, warning: z.string().optional() });
}

/** accept() returned a new connection socket. */
export const acceptedEntry = stamp.extend({
  kind: z.literal('accepted'),
  connectionId,
  client: socketAddress,
  local: socketAddress,
});

/** A connection ended: who ended it, `extra`, and the socket's error if it failed. */
export function closedEntry<const Reasons extends readonly [string, ...string[]], Extra extends z.ZodRawShape>(
  reasons: Reasons,
  extra: Extra,
) {
  return stamp.extend({
    kind: z.literal('closed'),
    connectionId,
    by: z.enum(reasons),
    ...extra,
    error: errorInfo.optional(),
  });
}

/** Something failed: on the listening socket, or on one connection. */
export const errorEntry = stamp.extend({
  kind: z.literal('error'),
  error: errorInfo,
  connectionId: connectionId.optional(),
});

/** The server stopped: the user stopped it (`local`) or it failed. */
export const stoppedEntry = stamp.extend({ kind: z.literal('stopped'), reason: z.enum(['local', 'error']) });

/**
 * A server's log event: entries gathered into a few events, the counters so far, and
 * how many entries a flood left out (they are still counted).
 */
export function serverLogEvent<Entry extends z.ZodType, Counters extends z.ZodType>(entry: Entry, counters: Counters) {
  return z.object({
    serverId: sessionId,
    entries: z.array(entry),
    counters,
    omittedEntries: count,
  });
}
