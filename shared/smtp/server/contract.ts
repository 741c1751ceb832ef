import { z } from 'zod';
import { bytes, command } from '../../contract/schema';
import { deadlineMs, errorInfo, sessionId, socketAddress, stamp } from '../../net/contract';
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
 * The built-in mail server (`mailServer.*`): a sink that accepts mail on a local port
 * and never relays it. It shows the conversation from the server's side (every line
 * received, every reply sent) and keeps what arrived in a bounded inbox, optionally
 * saving each message as an .eml file. Everything is plain data.
 */

export const defaultMailServerPort = 2525;
/** The textbook's server (Kurose & Ross: `220 hamburger.edu`). */
export const defaultMailServerHostname = 'hamburger.edu';
/** Without a size limit chosen, a message may still not exceed this (memory stays bounded). */
export const defaultMaxMessageBytes = 32 * 1024 * 1024;
export const maxMaxMessageBytes = 100 * 1024 * 1024;
export const maxDataReplyDelayMs = 120_000;
/** The inbox keeps the newest messages within both bounds; older ones are removed (saved files stay). */
export const defaultInboxLimit = { messages: 500, bytes: 256 * 1024 * 1024 } as const;

/** An address as a teacher types it in the reject list, e.g. `bob@hamburger.edu`. */
const mailboxText = z
  .string({ message: 'a recipient must be text, e.g. bob@hamburger.edu' })
  .trim()
  .min(1, { message: 'a recipient to reject is empty: type an address such as bob@hamburger.edu' })
  .max(254, { message: 'an e-mail address has at most 254 characters' })
  .regex(/^[^\s<>]+$/, { message: 'type the address only, without spaces or <>, e.g. bob@hamburger.edu' });

/** A host name for the greeting (`220 hamburger.edu ESMTP`). */
const greetingName = z
  .string()
  .trim()
  .min(1, { message: 'the server name is empty: type one such as hamburger.edu' })
  .max(253, { message: 'the server name is longer than the 253 characters a DNS name can have' })
  .regex(/^[A-Za-z0-9.-]+$/, { message: 'the server name may hold letters, digits, dots and hyphens only' });

export const mailServerAuth = z
  .object({
    user: z
      .string()
      .min(1, { message: 'the AUTH user name is empty' })
      .max(256, { message: 'the AUTH user name has at most 256 characters' }),
    password: z
      .string()
      .min(1, { message: 'the AUTH password is empty' })
      .max(256, { message: 'the AUTH password has at most 256 characters' }),
  })
  .strict();

export const mailServerStartRequest = z
  .object({
    ...listenRequestFields(defaultMailServerPort),
    hostname: greetingName.default(defaultMailServerHostname),
    /** Advertise STARTTLS with a certificate made on the spot (its fingerprint is returned). */
    startTls: z.boolean().default(false),
    /**
     * Require AUTH PLAIN/LOGIN with these credentials before MAIL FROM (530 without,
     * 535 when wrong). Allowed without TLS so students can see it on loopback.
     */
    requireAuth: mailServerAuth.optional(),
    /** RCPT TO these addresses (case-insensitive) is refused with 550. */
    rejectRecipients: z.array(mailboxText).max(100, { message: 'at most 100 recipients can be rejected' }).default([]),
    /** Advertised as SIZE; a larger message gets 552 and is not kept. */
    maxMessageBytes: z
      .number({ message: 'the size limit must be a number of bytes' })
      .int({ message: 'the size limit must be a whole number of bytes' })
      .min(1, { message: 'the size limit must be at least 1 byte' })
      .max(maxMaxMessageBytes, { message: 'the size limit can be at most 100 MiB (104857600 bytes)' })
      .default(defaultMaxMessageBytes),
    /** Wait this long after the final "." before replying (to show a slow server). */
    dataReplyDelayMs: z
      .number({ message: 'the DATA delay must be a number of milliseconds' })
      .int({ message: 'the DATA delay must be a whole number of milliseconds' })
      .min(0, { message: 'the DATA delay cannot be negative' })
      .max(maxDataReplyDelayMs, { message: 'the DATA delay can be at most 2 minutes (120000 ms)' })
      .default(0),
    /** Save every accepted message as an .eml file in this existing, writable folder. */
    saveFolder: z
      .string()
      .trim()
      .min(1, { message: 'the save folder is empty: type a folder path, or turn saving off' })
      .max(4096)
      .optional(),
    /** A connection with no traffic for this long gets 421 and is closed. */
    idleTimeoutMs: deadlineMs.default(300_000),
    /** An emulated link in front of the server (delay, jitter, bandwidth; no loss on TCP); none when left out. */
    link: linkSetting.optional(),
    inboxLimit: z
      .object({
        messages: z.number().int().min(1).max(10_000),
        bytes: z
          .number()
          .int()
          .min(1024)
          .max(1024 * 1024 * 1024),
      })
      .strict()
      .default({ ...defaultInboxLimit }),
  })
  .strict();
export type MailServerStartRequest = z.input<typeof mailServerStartRequest>;

/** The certificate made on the spot for STARTTLS: clients that pin it can trust it. */
export const mailServerCertificate = z.object({
  subject: z.string(),
  /** SHA-256 fingerprint, colon-separated hex (as the client shows a peer's). */
  fingerprint256: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  /** PEM, so a client can be told to trust exactly this certificate. */
  pem: z.string(),
});
export type MailServerCertificate = z.infer<typeof mailServerCertificate>;

const messageId = z.string().min(1).max(64);

export const mailEnvelope = z.object({
  /** MAIL FROM's address (empty for the null sender `<>`). */
  mailFrom: z.string(),
  rcptTo: z.array(z.string()),
  /** The name the client gave in HELO/EHLO. */
  heloName: z.string(),
  client: socketAddress,
  /** The message came over TLS (after STARTTLS). */
  secure: z.boolean(),
  /** The AUTH user, if the client authenticated. */
  user: z.string().optional(),
});
export type MailEnvelope = z.infer<typeof mailEnvelope>;

/** What the inbox list shows of one message. */
export const mailSummary = z.object({
  messageId,
  /** When the final "." arrived. */
  received: stamp,
  /** The From header as written, or the envelope sender when there is none. */
  from: z.string(),
  /** The To header as written, or the envelope recipients. */
  to: z.string(),
  subject: z.string(),
  /** The Date header as written, if any. */
  date: z.string().optional(),
  /** Bytes of the message as received (after dot-unstuffing). */
  size: z.number().int().nonnegative(),
  attachments: z.number().int().nonnegative(),
  envelope: mailEnvelope,
  /** The .eml file it was saved as. */
  savedAs: z.string().optional(),
});
export type MailSummary = z.infer<typeof mailSummary>;

export const mailHeader = z.object({
  /** As written (case kept). */
  name: z.string(),
  /** The unfolded value as written, before decoding. */
  value: z.string(),
  /** The value with its RFC 2047 encoded-words decoded, when it has any. */
  decoded: z.string().optional(),
});

export const mailAttachment = z.object({
  filename: z.string().optional(),
  contentType: z.string(),
  /** attachment or inline. */
  disposition: z.string().optional(),
  contentId: z.string().optional(),
  size: z.number().int().nonnegative(),
  data: bytes,
});
export type MailAttachment = z.infer<typeof mailAttachment>;

/** One received message in full. */
export const mailMessage = mailSummary.extend({
  serverId: sessionId,
  /** Every header line in the order received. */
  headers: z.array(mailHeader),
  /** The plain-text body, if any. */
  text: z.string().optional(),
  /**
   * The HTML body, if any. Untrusted: show it only in a sandboxed frame with scripts off
   * (`<iframe sandbox="" srcdoc=…>`).
   */
  html: z.string().optional(),
  attachments: z.array(mailAttachment),
  /** The message's bytes exactly as stored (what an .eml file holds). */
  raw: bytes,
  /** Why the MIME structure could not be read, when it could not (raw is still there). */
  parseError: z.string().optional(),
});
export type MailMessage = z.infer<typeof mailMessage>;

export const mailServerCounters = z.object({
  connectionsAccepted: count,
  connectionsOpen: count,
  messagesAccepted: count,
  /** Refused with a reply: rejected recipient, too large, not authenticated... */
  messagesRejected: count,
  /** Connections that went away in the middle of DATA: the partial message was discarded. */
  messagesAbandoned: count,
  messagesSaved: count,
  bytesReceived: count,
  bytesReplied: count,
  inboxMessages: count,
  inboxBytes: count,
  /** Removed from the inbox to stay within its bounds. */
  inboxEvicted: count,
});
export type MailServerCounters = z.infer<typeof mailServerCounters>;

/** The session from the server's side. `data` may be shorter than `bytes` once the keep cap is reached. */
export const mailServerLogEntry = z.discriminatedUnion('kind', [
  listeningEntry({
    hostname: z.string(),
    startTls: z.boolean(),
    authRequired: z.boolean(),
    maxMessageBytes: z.number().int(),
  }),
  /** A client connected (client address:port). */
  acceptedEntry,
  /** "C:" one line as received (CRLF included); during DATA, the complete lines of one read. */
  stamp.extend({
    kind: z.literal('received'),
    connectionId,
    data: bytes,
    bytes: z.number().int(),
    /** Inside TLS (after STARTTLS). */
    tls: z.boolean(),
    /** Part of the message after 354, not a command. */
    message: z.boolean(),
    /** How long the emulated link held these bytes back. */
    linkDelayMs,
  }),
  /** "S:" one reply as sent (all its lines, CRLFs included). */
  stamp.extend({
    kind: z.literal('replied'),
    connectionId,
    data: bytes,
    bytes: z.number().int(),
    tls: z.boolean(),
    code: z.number().int().optional(),
    /** How long the emulated link holds the reply back before it reaches the client's side. */
    linkDelayMs,
  }),
  /** The TLS handshake after STARTTLS completed; what follows is encrypted on the wire. */
  stamp.extend({
    kind: z.literal('tls'),
    connectionId,
    protocol: z.string().optional(),
    cipher: z.string().optional(),
  }),
  stamp.extend({
    kind: z.literal('auth'),
    connectionId,
    method: z.string(),
    user: z.string(),
    ok: z.boolean(),
  }),
  /** A message was accepted (250) and is in the inbox. */
  stamp.extend({
    kind: z.literal('message'),
    connectionId,
    messageId,
    mailFrom: z.string(),
    rcptTo: z.array(z.string()),
    size: z.number().int(),
  }),
  /** The server refused something on purpose (the teacher's options), with the reply code. */
  stamp.extend({
    kind: z.literal('rejected'),
    connectionId,
    code: z.number().int(),
    reason: z.string(),
  }),
  /** The client went away during DATA: the partial message was discarded, not kept or saved. */
  stamp.extend({ kind: z.literal('abandoned'), connectionId, bytes: z.number().int() }),
  stamp.extend({ kind: z.literal('saved'), messageId, path: z.string() }),
  stamp.extend({ kind: z.literal('saveFailed'), messageId, error: errorInfo }),
  closedEntry(connectionCloseReasons, {}),
  linkEntry,
  errorEntry,
  stoppedEntry,
]);
export type MailServerLogEntry = z.infer<typeof mailServerLogEntry>;

export const mailServerCommands = {
  /** Starts a mail server (several may run, one per port). */
  'mailServer.start': command(
    mailServerStartRequest,
    serverStartedResponse({
      hostname: z.string(),
      /** Present when STARTTLS is advertised. */
      certificate: mailServerCertificate.optional(),
      maxMessageBytes: z.number().int(),
      inboxLimit: z.object({ messages: z.number().int(), bytes: z.number().int() }),
      saveFolder: z.string().optional(),
    }),
  ),
  /** Stops listening and closes every connection; a message still arriving is discarded. */
  'mailServer.stop': serverStopCommand(),
  /** Another emulated link for the running server (null: none); it applies to new connections' traffic. */
  'mailServer.setLink': serverLinkCommand(),
  /** One message of the inbox in full. */
  'mailServer.message': command(z.object({ serverId: sessionId, messageId }).strict(), mailMessage),
  /** Saves one message as an .eml file in `folder` (atomically: written beside, then renamed). */
  'mailServer.saveMessage': command(
    z
      .object({
        serverId: sessionId,
        messageId,
        folder: z.string().trim().min(1, { message: 'the folder is empty: type a folder path' }).max(4096),
      })
      .strict(),
    stamp.extend({ messageId, path: z.string() }),
  ),
  /** Empties the inbox (saved .eml files stay). */
  'mailServer.clearInbox': command(
    z.object({ serverId: sessionId }).strict(),
    stamp.extend({ serverId: sessionId, removed: z.number().int().nonnegative() }),
  ),
};

export const mailServerEvents = {
  /** The server's log, coalesced (a few events per second under load). */
  'mailServer.log': serverLogEvent(mailServerLogEntry, mailServerCounters),
  /** Messages arrived in the inbox, and ones removed to keep it within its bounds. */
  'mailServer.inbox': z.object({
    serverId: sessionId,
    added: z.array(mailSummary),
    removed: z.array(messageId),
    inboxMessages: count,
    inboxBytes: count,
  }),
};
