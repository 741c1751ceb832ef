import { z } from 'zod';
import { bytes, command } from '../../contract/schema';
import { keepBytes, sessionId, socketAddress, stamp } from '../../net/contract';
import {
  count,
  errorEntry,
  listeningEntry,
  listenRequestFields,
  serverLogEvent,
  serverStartedResponse,
  serverStopCommand,
  stoppedEntry,
} from '../../net/serverContract';

/**
 * The built-in DNS servers (`dnsServer.*`): an authoritative server for a zone the user
 * edits as text, listening on UDP and TCP on the same port; and the hierarchy of the
 * course's figure (`dnsHierarchy.*`): a root, a TLD and an authoritative server, plus a
 * local recursive resolver that walks them and caches what it learns.
 */

export const defaultDnsServerPort = 5300;
export const maxZoneChars = 256 * 1024;

export const dnsServerCounters = z.object({
  queries: count,
  replies: count,
  bytesReceived: count,
  bytesReplied: count,
});
export type DnsServerCounters = z.infer<typeof dnsServerCounters>;

const transport = z.enum(['udp', 'tcp']);

/** One hop of the local resolver's walk: which server it asked, about what, how long the answer took. */
export const dnsHop = z.object({
  server: socketAddress,
  question: z.string(),
  rttMs: z.number().optional(),
  outcome: z.string(),
});
export type DnsHop = z.infer<typeof dnsHop>;

export const dnsServerLogEntry = z.discriminatedUnion('kind', [
  listeningEntry({ role: z.string() }),
  stamp.extend({
    kind: z.literal('query'),
    client: socketAddress,
    transport,
    data: bytes,
    bytes: count,
    /** `www.example.lab. A`, or why the query could not be read. */
    summary: z.string(),
  }),
  stamp.extend({
    kind: z.literal('reply'),
    client: socketAddress,
    transport,
    data: bytes,
    bytes: count,
    /** `NOERROR, AA, 2 answers`, `referral to lab.`, … */
    summary: z.string(),
    /** The local resolver's reply: the hops it walked for it (none when it came from the cache). */
    walk: z.array(dnsHop).optional(),
    /** The local resolver answered from its cache, without asking any server. */
    fromCache: z.boolean().optional(),
  }),
  /** The resolver asked another server (one hop of the walk), or answered from its cache. */
  stamp.extend({ kind: z.literal('hop'), ...dnsHop.shape }),
  stamp.extend({ kind: z.literal('cache'), question: z.string(), outcome: z.string() }),
  errorEntry,
  stoppedEntry,
]);
export type DnsServerLogEntry = z.infer<typeof dnsServerLogEntry>;

/** One cached record set of the local resolver, with when it expires (`mono` clock). */
export const dnsCacheEntry = z.object({
  key: z.string(),
  ttl: z.number().int(),
  expiresMono: z.number(),
  records: z.array(z.string()),
});
export type DnsCacheEntry = z.infer<typeof dnsCacheEntry>;

const zoneText = z
  .string({ message: 'the zone must be text in master-file syntax' })
  .max(maxZoneChars, { message: `a zone here is at most ${maxZoneChars / 1024} KiB of text` });

const hierarchyServer = z.object({ role: z.string(), zone: z.string(), serverId: sessionId, local: socketAddress });

export const dnsServerCommands = {
  /** An authoritative server for `zone`, on UDP and TCP at the same port. */
  'dnsServer.start': command(
    z
      .object({
        ...listenRequestFields(defaultDnsServerPort),
        zone: zoneText,
        keepBytes: keepBytes.optional(),
      })
      .strict(),
    serverStartedResponse({ origin: z.string(), records: count }),
  ),
  'dnsServer.stop': serverStopCommand(),
  /**
   * Starts the course's hierarchy on loopback: root (.) on 127.0.0.1, lab. on 127.0.0.2 and
   * example.lab. on 127.0.0.3, all on one port (like port 53 everywhere) with NS referrals
   * and glue, and a local resolver on 127.0.0.1 at another port that walks them.
   */
  'dnsHierarchy.start': command(
    z.object({ port: z.number().int().min(0).max(65535).default(0) }).strict(),
    stamp.extend({ servers: z.array(hierarchyServer), resolver: hierarchyServer }),
  ),
  'dnsHierarchy.stop': command(z.object({}).strict(), stamp),
};

export const dnsServerEvents = {
  'dnsServer.log': serverLogEvent(dnsServerLogEntry, dnsServerCounters),
  /**
   * The local resolver's cache, sent whenever it changes; `mono` is the Node side's clock
   * when sent, so a renderer counts each entry's TTL down from `expiresMono − mono`.
   */
  'dnsResolver.cache': stamp.extend({ serverId: sessionId, entries: z.array(dnsCacheEntry) }),
};
