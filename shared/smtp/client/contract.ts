import { z } from 'zod';
import { bytes, command, portNumber } from '../../contract/schema';
import {
  addressFamily,
  cancelWaitRequest,
  cancelWaitResponse,
  deadlineMs,
  errorInfo,
  hostName,
  keepBytes,
  receiveTotals,
  replyDeadline,
  resolvedAddress,
  sessionId,
  socketAddress,
  stamp,
  tlsCertificate,
} from '../../net/contract';
import { smtpVerbs } from '../commands';
import type { EnhancedStatusExplanation } from '../reply/enhancedStatus';
import type { ReplyExplanation } from '../reply/explainReply';
import { smtpPhases } from '../phases';
import type { ReplyDiagnostic, SmtpReply, SmtpReplyLine } from '../reply/replyParser';
import type { SmtpExchangeSubject, SmtpSendNote } from '../session';

/**
 * The SMTP conversation builder's client (`smtp.*`): connect (plain or implicit TLS),
 * send each step's exact bytes and get the server's reply parsed and explained, upgrade
 * with STARTTLS on the same connection, compose a MIME message. The shapes below are
 * the pure shared/smtp types (SmtpReply, ReplyExplanation, ...) as schemas, so a saved
 * transcript can be replayed through the same shared code.
 */

/** One `smtp.send` carries at most this much (a 10 MB attachment grows by a third in base64). */
export const maxSmtpSendBytes = 48 * 1024 * 1024;
/** Attachments of one composed message, all together. */
export const maxAttachmentBytes = 25 * 1024 * 1024;
/** Text and HTML body of one composed message, each. */
export const maxBodyChars = 10 * 1024 * 1024;

export const smtpSecurities = ['plain', 'implicit-tls'] as const;
export type SmtpSecurity = (typeof smtpSecurities)[number];

// ---- a parsed reply (shared/smtp/reply/replyParser.ts) ---------------------------------------------

const replyDiagnosticKinds = [
  'bare-lf',
  'bare-cr',
  'malformed-code',
  'missing-separator',
  'inconsistent-code',
  'line-too-long',
  'non-ascii',
  'truncated',
  'unterminated',
] as const;

export const smtpReplyDiagnostic = z.object({
  kind: z.enum(replyDiagnosticKinds),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  line: z.number().int(),
  offset: z.number().int(),
  count: z.number().int(),
}) satisfies z.ZodType<ReplyDiagnostic>;

export const smtpReplyLine = z.object({
  code: z.number().int().nullable(),
  separator: z.enum(['-', ' ', '']).nullable(),
  text: z.string(),
  raw: bytes,
  terminator: z.enum(['crlf', 'lf', 'none']),
  length: z.number().int(),
  droppedBytes: z.number().int(),
}) satisfies z.ZodType<SmtpReplyLine>;

/** A reply exactly as the shared reply parser gives it: code, lines (`250-…` / `250 `), raw bytes, diagnostics. */
export const smtpReply = z.object({
  code: z.number().int().nullable(),
  lines: z.array(smtpReplyLine),
  text: z.string(),
  raw: bytes,
  length: z.number().int(),
  start: z.number().int(),
  complete: z.boolean(),
  droppedLines: z.number().int(),
  droppedBytes: z.number().int(),
  diagnostics: z.array(smtpReplyDiagnostic),
}) satisfies z.ZodType<SmtpReply>;

// ---- the reply explained (shared/smtp/reply/explainReply.ts) ----------------------------------------

const replySubject = z.enum([...smtpVerbs, 'greeting', 'message', 'auth-response']);

const enhancedStatusExplanation = z.object({
  code: z.string(),
  statusClass: z.union([z.literal(2), z.literal(4), z.literal(5)]),
  subject: z.number().int(),
  detail: z.number().int(),
  classTitle: z.string(),
  subjectTitle: z.string(),
  detailTitle: z.string().nullable(),
  meaning: z.string(),
  classMismatch: z.boolean(),
}) satisfies z.ZodType<EnhancedStatusExplanation>;

export const smtpReplyExplanation = z.object({
  code: z.number().int().nullable(),
  known: z.boolean(),
  replyClass: z.enum([
    'positive-completion',
    'positive-intermediate',
    'transient-negative',
    'permanent-negative',
    'invalid',
  ]),
  classText: z.string(),
  title: z.string(),
  meaning: z.string(),
  forCommand: z.string().nullable(),
  answers: replySubject.nullable(),
  context: z.string().nullable(),
  summary: z.string(),
  enhanced: enhancedStatusExplanation.nullable(),
  challenge: z.object({ base64: z.string(), decoded: z.string().nullable() }).nullable(),
  closes: z.boolean(),
}) satisfies z.ZodType<ReplyExplanation>;

// ---- what a reply answers (shared/smtp/session.ts) --------------------------------------------

export const smtpPhase = z.enum(smtpPhases);

export const smtpExchangeSubject = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('greeting') }),
  z.object({ kind: z.literal('command'), line: z.string(), word: z.string(), verb: z.enum(smtpVerbs).nullable() }),
  z.object({ kind: z.literal('message'), bytes: z.number().int(), lines: z.number().int() }),
  z.object({ kind: z.literal('auth-response'), line: z.string(), decoded: z.string().nullable() }),
]) satisfies z.ZodType<SmtpExchangeSubject>;

/** Said when bytes leave: what the server will read them as, and whether that is in order. */
export const smtpSendNote = z.object({
  subject: smtpExchangeSubject,
  expectedPhase: smtpPhase,
  problem: z.string().nullable(),
}) satisfies z.ZodType<SmtpSendNote>;

/**
 * One reply as the conversation builder shows it: the parsed reply, what it answers
 * (paired in order by the shared session tracker, also when commands were pipelined),
 * its plain-language explanation for that command, and a note when something was out
 * of order or the reply answered nothing (an unsolicited 421).
 */
export const smtpReplyInfo = stamp.extend({
  sessionId,
  /** 1 for the greeting, then one more for every reply on this connection. */
  index: z.number().int().positive(),
  /** The `smtp.send` this reply belongs to: 0 for the greeting, null when it answers nothing that was sent. */
  seq: z.number().int().nonnegative().nullable(),
  reply: smtpReply,
  explanation: smtpReplyExplanation,
  answers: smtpExchangeSubject.nullable(),
  phaseBefore: smtpPhase,
  phaseAfter: smtpPhase,
  note: z.string().nullable(),
  /** From the step's bytes leaving (or the connection opening) to the reply's last byte arriving. */
  rttMs: z.number().nullable(),
  /** Received inside TLS (implicit TLS, or after STARTTLS). */
  tls: z.boolean(),
  /** It arrived after its step stopped waiting (deadline passed or wait cancelled). */
  late: z.boolean(),
});
export type SmtpReplyInfo = z.infer<typeof smtpReplyInfo>;

// ---- commands ------------------------------------------------------------------------------------

const attempt = z.object({ address: z.string(), family: addressFamily, ms: z.number(), error: errorInfo.optional() });

/** How a step's wait for its reply ended. */
export const smtpSendOutcomes = [
  /** Every reply the step asked for arrived. */
  'replied',
  /** `expectReply: false` (a pipelined line): the step did not wait. */
  'not-awaited',
  /** The reply deadline passed first (see `error`); late replies still come as `smtp.reply` events. */
  'timeout',
  /** The server closed the connection at this step (see `error` and `partial`). */
  'closed',
  /** The wait was stopped with `smtp.cancelWait` or by cancelling the call. */
  'cancelled',
] as const;
export type SmtpSendOutcome = (typeof smtpSendOutcomes)[number];

const stepLabel = z.string().max(200);

export const smtpClientCommands = {
  /**
   * Resolves `host`, tries its addresses in order within `connectTimeoutMs`, for
   * `implicit-tls` (port 465) does the TLS handshake at once, then waits up to
   * `greetingTimeoutMs` for the server's greeting (220). Cancelling the call stops every
   * stage. A negative greeting (554, 421) is returned, not thrown: it is part of the lesson.
   */
  'smtp.connect': command(
    z
      .object({
        host: hostName,
        port: portNumber,
        security: z.enum(smtpSecurities).default('plain'),
        /** Accept a certificate no trusted authority vouches for (the built-in server's, made on the spot). */
        acceptSelfSigned: z.boolean().default(false),
        /** The name sent in SNI and checked against the certificate (default: the host, unless it is an IP address). */
        servername: hostName.optional(),
        connectTimeoutMs: deadlineMs.default(10_000),
        greetingTimeoutMs: deadlineMs.default(30_000),
        keepBytes: keepBytes.optional(),
      })
      .strict(),
    stamp.extend({
      sessionId,
      local: socketAddress,
      peer: socketAddress,
      resolved: z.array(resolvedAddress),
      /** Every address tried, in order, with why it failed. */
      attempts: z.array(attempt),
      timings: z.object({
        /** The name lookup; absent when the host was an IP address. */
        lookupMs: z.number().optional(),
        /** SYN to established: the TCP handshake. */
        connectMs: z.number(),
        /** The TLS handshake, for implicit TLS. */
        tlsMs: z.number().optional(),
        /** Connected (and TLS done) to the greeting's last byte. */
        greetingMs: z.number(),
        totalMs: z.number(),
      }),
      security: z.enum(smtpSecurities),
      /** The server's certificate, for implicit TLS. */
      certificate: tlsCertificate.optional(),
      greeting: smtpReplyInfo,
      keepLimit: z.number().int(),
    }),
  ),

  /**
   * Sends `data` exactly (a command line, the dot-stuffed message ending in CRLF.CRLF, or
   * whatever non-conforming bytes the user chose) and, with `expectReply`, waits up to
   * `replyTimeoutMs` for every reply the server owes for it (one per command; more for a
   * pipelined free line). A missing reply or a close is an outcome of the step, not an
   * error of the call: the bytes did leave.
   */
  'smtp.send': command(
    z
      .object({
        sessionId,
        data: bytes
          .refine((b) => b.byteLength > 0, 'there is nothing to send')
          .refine((b) => b.byteLength <= maxSmtpSendBytes, 'one step can send at most 48 MiB'),
        expectReply: z.boolean().default(true),
        replyTimeoutMs: deadlineMs.default(30_000),
        /** How the UI names the step (`RCPT TO #2`), used in messages and events. */
        label: stepLabel.optional(),
      })
      .strict(),
    stamp.extend({
      sessionId,
      seq: z.number().int().positive(),
      label: stepLabel.optional(),
      sentBytes: z.number().int().nonnegative(),
      /** The bytes went inside TLS. */
      tls: z.boolean(),
      /** What the server will read these bytes as, and whether it is in order (before any reply). */
      notes: z.array(smtpSendNote),
      /** When the wait ends at the latest (monotonic ms), for the countdown. */
      replyDeadline: replyDeadline.optional(),
      outcome: z.enum(smtpSendOutcomes),
      /** The replies to this step, in order (pipelined lines each get one). */
      replies: z.array(smtpReplyInfo),
      /** The first reply, for the common one-command step. */
      reply: smtpReplyInfo.optional(),
      /** For `timeout` and `closed`: what happened, naming the step, host and port. */
      error: errorInfo.optional(),
      /** Bytes of a reply that the close cut short. */
      partial: smtpReply.optional(),
      waitedMs: z.number(),
    }),
  ),

  /** Stops waiting for replies (all, or one step's); the waiting `smtp.send` resolves with `cancelled`. */
  'smtp.cancelWait': command(cancelWaitRequest, cancelWaitResponse),

  /**
   * After STARTTLS got its 220: the TLS handshake on the same connection. Refused when the
   * server already sent bytes after that 220 (they would be read as if protected by TLS).
   * A failed handshake leaves the connection unusable: it is closed (`smtp.closed`).
   */
  'smtp.startTls': command(
    z
      .object({
        sessionId,
        servername: hostName.optional(),
        acceptSelfSigned: z.boolean().default(false),
        timeoutMs: deadlineMs.default(10_000),
      })
      .strict(),
    stamp.extend({
      sessionId,
      certificate: tlsCertificate,
      handshakeMs: z.number(),
      /** The session's sequence number when TLS started: later sends and replies are inside TLS. */
      afterSeq: z.number().int().nonnegative(),
    }),
  ),

  'smtp.close': command(
    z.object({ sessionId }).strict(),
    stamp.extend({ sessionId, sentBytes: z.number().int(), receivedBytes: z.number().int() }),
  ),

  /**
   * Builds the MIME source of a message (nodemailer's MailComposer): headers, text, HTML,
   * attachments base64-encoded. The result is the message as typed after DATA, before
   * dot-stuffing (shared/smtp stuffMessage adds that and the final CRLF.CRLF).
   */
  'smtp.composeMessage': command(
    z
      .object({
        from: z.string().max(1000),
        to: z.array(z.string().max(1000)).max(100).default([]),
        cc: z.array(z.string().max(1000)).max(100).default([]),
        subject: z.string().max(10_000).default(''),
        /** As typed: an RFC 5322 date or ISO 8601; now when missing. */
        date: z.string().max(200).optional(),
        /** `<id@host>`; a fresh one when missing. */
        messageId: z.string().max(1000).optional(),
        text: z.string().max(maxBodyChars, 'the text body can be at most 10 MiB').default(''),
        html: z.string().max(maxBodyChars, 'the HTML body can be at most 10 MiB').optional(),
        attachments: z
          .array(
            z
              .object({
                filename: z.string().min(1).max(255),
                contentType: z.string().max(255).default('application/octet-stream'),
                data: bytes,
              })
              .strict(),
          )
          .max(100)
          .default([])
          .refine(
            (list) => list.reduce((sum, item) => sum + item.data.byteLength, 0) <= maxAttachmentBytes,
            'attachments can be at most 25 MiB together',
          ),
        /** Extra header lines, in order. */
        headers: z
          .array(
            z
              .object({
                name: z.string().regex(/^[!-9;-~]{1,100}$/, 'a header name is printable ASCII without spaces or ":"'),
                value: z.string().max(10_000),
              })
              .strict(),
          )
          .max(100)
          .default([]),
      })
      .strict(),
    z.object({
      raw: bytes,
      messageId: z.string(),
      date: z.string(),
      /** MAIL FROM / RCPT TO addresses taken from the headers. */
      envelope: z.object({ from: z.string(), to: z.array(z.string()) }),
      size: z.number().int(),
    }),
  ),
};

/** One read from the socket. */
export const smtpChunk = stamp.extend({
  /** Empty once the session's keep cap is reached (the bytes are still counted). */
  data: bytes,
  bytes: z.number().int().nonnegative(),
  tls: z.boolean(),
});
export type SmtpChunk = z.infer<typeof smtpChunk>;

export const smtpCloseReasons = ['client', 'server', 'reset', 'error'] as const;

export const smtpClientEvents = {
  /** Every received byte, as timestamped chunks, coalesced (for the transcript). */
  'smtp.data': receiveTotals.extend({ ...stamp.shape, sessionId, chunks: z.array(smtpChunk) }),
  /** Every reply (the greeting too), as soon as it is complete: also late and unsolicited ones (421 while idle). */
  'smtp.reply': smtpReplyInfo,
  /** The connection is gone; nothing more will happen on this session. */
  'smtp.closed': stamp.extend({
    sessionId,
    by: z.enum(smtpCloseReasons),
    error: errorInfo.optional(),
    /** The last step sent before the close, if any. */
    seq: z.number().int().nonnegative(),
    label: stepLabel.optional(),
    /** After QUIT was answered (221): the normal end. */
    afterQuit: z.boolean(),
    /** Steps that were still waiting for a reply, what they were. */
    unanswered: z.array(smtpExchangeSubject),
    /** A reply the close cut short. */
    partial: smtpReply.optional(),
    sentBytes: z.number().int(),
    receivedBytes: z.number().int(),
  }),
};
