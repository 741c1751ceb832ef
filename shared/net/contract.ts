import { z } from 'zod';
import { errorInfoSchema } from '../contract/frames';

/**
 * Building blocks the UDP and TCP contracts share. Everything here is plain data
 * (strings, numbers, Uint8Array) so events and results can be saved as a transcript,
 * replayed and graded without the app.
 */

export const addressFamilies = ['IPv4', 'IPv6'] as const;
export const addressFamily = z.enum(addressFamilies);
export type AddressFamily = z.infer<typeof addressFamily>;

/** What getsockname()/getpeername() return: the address, its family and the port. */
export const socketAddress = z.object({
  address: z.string(),
  family: addressFamily,
  port: z.number().int().min(0).max(65535),
});
export type SocketAddress = z.infer<typeof socketAddress>;

/** One result of a name lookup. */
export const resolvedAddress = z.object({ address: z.string(), family: addressFamily });
export type ResolvedAddress = z.infer<typeof resolvedAddress>;

/**
 * When something happened: `at` is wall-clock epoch ms (for people and saved files);
 * `mono` is a monotonic clock in ms on the Node side (for durations and ordering,
 * immune to clock changes). Only differences of `mono` within one run mean anything.
 */
export const stamp = z.object({ at: z.number(), mono: z.number() });
export type Stamp = z.infer<typeof stamp>;

/**
 * The first control character (U+0000–U+001F or U+007F) in `text`, spelled so a person
 * can see it (`\x00`), with its position counted from 1; undefined when there is none.
 */
export function findControlCharacter(text: string): { shown: string; position: number } | undefined {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code <= 0x1f || code === 0x7f) {
      return { shown: `\\x${code.toString(16).padStart(2, '0')}`, position: i + 1 };
    }
  }
  return undefined;
}

/**
 * A name that is looked up or sent (a host, a bind address, an SNI name) must be the
 * name the user sees: the resolver stops at a NUL, so `127.0.0.1\0.evil.example` would
 * show one host and connect to another. Any control character is refused.
 */
export function refuseControlCharacters(text: string, context: z.core.$RefinementCtx<string>): void {
  const found = findControlCharacter(text);
  if (!found) return;
  context.addIssue({
    code: 'custom',
    input: text,
    message:
      `control characters are not allowed in a name, and this one has ${found.shown} at character ${found.position} ` +
      '(a lookup stops at a NUL, so what is connected to would differ from what you see): retype it',
  });
}

/**
 * A host name or IP address as a person types it. `[::1]` (URL style) is accepted and
 * the brackets dropped, so what the Node side sees is `::1`.
 */
export const hostName = z
  .string({ message: 'host must be text, e.g. localhost or 127.0.0.1' })
  .trim()
  .superRefine(refuseControlCharacters)
  .transform((host) => (host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host))
  .pipe(
    z
      .string()
      .min(1, { message: 'host is empty: type a name (localhost) or an address (127.0.0.1, ::1)' })
      .max(253, { message: 'host is longer than the 253 characters a DNS name can have' })
      .regex(/^[^\s/\\@]+$/, {
        message: 'host must be a name or an address only, without spaces, a scheme (http://) or a path',
      }),
  );

/** A local address to bind to; the same rules as a host. */
export const bindAddress = hostName;

/** A port to bind or listen on: 0 lets the operating system pick a free one. */
export const listenPort = z
  .number({ message: 'port must be a number' })
  .int({ message: 'port must be a whole number from 0 (any free port) to 65535' })
  .min(0, { message: 'port must be from 0 (any free port) to 65535' })
  .max(65535, { message: 'port must be from 0 (any free port) to 65535' });

/** Every network wait has a deadline the user sees; bounded so a typo cannot mean "forever". */
export const deadlineMs = z
  .number({ message: 'the deadline must be a number of milliseconds' })
  .int({ message: 'the deadline must be a whole number of milliseconds' })
  .min(1, { message: 'the deadline must be at least 1 ms' })
  .max(600_000, { message: 'the deadline can be at most 10 minutes (600000 ms)' });

export const defaultKeepBytes = 64 * 1024 * 1024;

/** How many received bytes one session passes on before it only counts them. */
export const keepBytes = z
  .number()
  .int()
  .min(0)
  .max(1024 * 1024 * 1024, { message: 'at most 1 GiB of received bytes can be kept per session' });

/**
 * Totals carried by every receive event: once `keptBytes` reaches the session's cap,
 * data is no longer passed on but still counted in `droppedBytes`; `droppedBytes > 0`
 * is the "truncated, N bytes not kept" marker.
 */
export const receiveTotals = z.object({
  receivedBytes: z.number().int().nonnegative(),
  keptBytes: z.number().int().nonnegative(),
  droppedBytes: z.number().int().nonnegative(),
  keepLimit: z.number().int().nonnegative(),
});
export type ReceiveTotals = z.infer<typeof receiveTotals>;

export const sessionId = z.string().min(1).max(64);

/** A user-set deadline passed without a reply. */
export const noReply = stamp.extend({
  sessionId,
  /** The send this wait belonged to. */
  seq: z.number().int().positive(),
  timeoutMs: z.number(),
  message: z.string(),
});

/** When a send's reply wait ends: its length, and the `mono` time it ends at. */
export const replyDeadline = z.object({ timeoutMs: z.number(), mono: z.number() });

/** Marks what answers a send that awaited a reply: that send's number and the round trip. */
export const replyOf = z.object({ seq: z.number().int().positive(), rttMs: z.number() });

/** Stopping reply waits early (the user pressed Cancel on the countdown). */
export const cancelWaitRequest = z.object({ sessionId, seq: z.number().int().positive().optional() }).strict();
export const cancelWaitResponse = z.object({ sessionId, cancelled: z.array(z.number().int().positive()) });

export const errorInfo = errorInfoSchema;

/**
 * A peer's TLS certificate as the user sees it: who it names, who vouches for it, how
 * long it is valid, its fingerprint, and whether the system's trust store accepted it
 * (a self-signed certificate is accepted only when the user chose to).
 */
export const tlsCertificate = z.object({
  subject: z.string(),
  issuer: z.string(),
  /** DNS names and IP addresses the certificate covers, e.g. `DNS:localhost, IP Address:127.0.0.1`. */
  subjectAltName: z.string().optional(),
  validFrom: z.string(),
  validTo: z.string(),
  /** SHA-256 fingerprint, colon-separated hex. */
  fingerprint256: z.string(),
  serialNumber: z.string(),
  selfSigned: z.boolean(),
  /** Whether the certificate chain was trusted by the system's store. */
  authorized: z.boolean(),
  /** Why it was not trusted (e.g. DEPTH_ZERO_SELF_SIGNED_CERT), when it was not. */
  authorizationError: z.string().optional(),
  /** Negotiated protocol and cipher, e.g. TLSv1.3 / TLS_AES_256_GCM_SHA384. */
  protocol: z.string().optional(),
  cipher: z.string().optional(),
  /** The name sent in SNI, if any (never for an IP address). */
  servername: z.string().optional(),
});
export type TlsCertificate = z.infer<typeof tlsCertificate>;
