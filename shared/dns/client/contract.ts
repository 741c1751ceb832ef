import { z } from 'zod';
import { bytes, command, portNumber } from '../../contract/schema';
import { deadlineMs, hostName, resolvedAddress, socketAddress, stamp } from '../../net/contract';

/**
 * The DNS client (`dns.*`): send a query the user built byte by byte over UDP or TCP
 * (with its 2-byte length prefix), look a name up as the system does (getaddrinfo),
 * turn a service name into a port and back, and the system's own resolvers.
 */

export const dnsTransports = ['udp', 'tcp'] as const;
export type DnsTransport = (typeof dnsTransports)[number];

/** Bigger than any DNS message over TCP (its length prefix is 16 bits). */
const maxQueryBytes = 65_535;

/** One message sent and (maybe) its answer: over which transport, to whom, how long it took. */
export const dnsAttempt = z.object({
  transport: z.enum(dnsTransports),
  to: socketAddress,
  local: socketAddress.optional(),
  sentBytes: z.number().int(),
  /** When the reply had TC=1 (the answer did not fit a UDP message). */
  truncated: z.boolean(),
  rttMs: z.number().optional(),
});

export const dnsReply = z.object({
  /** The DNS message (without TCP's 2-byte length prefix). */
  data: bytes,
  from: socketAddress,
  transport: z.enum(dnsTransports),
  rttMs: z.number(),
  /** The reply's ID is not the query's: a real resolver would drop it (it may be spoofed). */
  otherId: z.object({ expected: z.number().int(), got: z.number().int() }).optional(),
  /** The reply came from another address or port than the one asked: a real resolver would drop it. */
  otherAddress: z.object({ expected: socketAddress, got: socketAddress }).optional(),
});
export type DnsReply = z.infer<typeof dnsReply>;

export const dnsClientCommands = {
  /**
   * Sends one query and waits for one reply within `timeoutMs` (cancelling the call stops
   * the wait). With `retryTcp`, a UDP reply with TC=1 is asked again over TCP.
   */
  'dns.query': command(
    z
      .object({
        host: hostName,
        port: portNumber.default(53),
        transport: z.enum(dnsTransports).default('udp'),
        data: bytes.refine((b) => b.byteLength >= 12 && b.byteLength <= maxQueryBytes, {
          message: 'a DNS query has at least the 12-byte header and at most 65535 bytes',
        }),
        timeoutMs: deadlineMs.default(3000),
        retryTcp: z.boolean().default(false),
      })
      .strict(),
    stamp.extend({
      attempts: z.array(dnsAttempt),
      reply: dnsReply.optional(),
      /** Set when no reply came in time: "no reply within N s — nobody may be listening". */
      noReply: z.string().optional(),
    }),
  ),
  /** `dns.lookup(host, { all: true })`: getaddrinfo — hosts file, then DNS — every address in order. */
  'dns.lookup': command(
    z.object({ host: hostName, timeoutMs: deadlineMs.default(5000) }).strict(),
    stamp.extend({ host: z.string(), addresses: z.array(resolvedAddress), ms: z.number() }),
  ),
  /** getservbyname / getservbyport: a service name (or a port number) from the services file. */
  'dns.service': command(
    z
      .object({
        service: z
          .string({ message: 'type a service name such as smtp, or a port number' })
          .trim()
          .min(1, { message: 'service is empty: type a name such as smtp or http, or a port number such as 25' })
          .max(64, { message: 'a service name is at most 64 characters' }),
        protocol: z.enum(['tcp', 'udp']).optional(),
      })
      .strict(),
    z.object({
      entries: z.array(
        z.object({ name: z.string(), port: z.number().int(), protocol: z.string(), aliases: z.array(z.string()) }),
      ),
      /** Where the answer came from: the services file's path, or the built-in table. */
      source: z.string(),
      fromBuiltInTable: z.boolean(),
    }),
  ),
  /** The system's resolvers (`dns.getServers()`), the default server for queries. */
  'dns.servers': command(z.object({}).strict(), z.object({ servers: z.array(z.string()) })),
};

export const dnsClientEvents = {};
