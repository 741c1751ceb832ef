import {
  type EhloCapability,
  parseEhloReply,
  type ReplyExplanation,
  type SmtpReply,
  type SmtpReplyLine,
} from '../../../shared/smtp';

/**
 * A server reply as the builder shows it: the lines as received (a last line
 * with no text included), the code's name, what it means here, and what the
 * session tracker noticed (a command out of order, a reply to nothing).
 */
export interface ReplyView {
  readonly code: number | null;
  readonly lines: readonly Pick<SmtpReplyLine, 'code' | 'separator' | 'text'>[];
  /** Exactly the bytes received. */
  readonly raw: Uint8Array;
  readonly title: string;
  /** The plain-language meaning, tailored to the command it answers. */
  readonly meaning: string;
  /** "5xx: not done, …" */
  readonly classText: string;
  /** A command sent out of order, said plainly with the server's answer; null when all was in order. */
  readonly note: string | null;
  /** The enhanced status (5.1.1) explained. */
  readonly enhanced: string | null;
  /** A 334's question decoded from base64. */
  readonly challenge: string | null;
  /** EHLO's extensions, one explained line each. */
  readonly capabilities: readonly EhloCapability[];
  /** What is odd about the reply's form (bare LF, no code…). */
  readonly problems: readonly string[];
  readonly complete: boolean;
  readonly closes: boolean;
}

/** A reply with what the session tracker made of it (an `smtp.reply`'s fields, or the tracker's own exchange). */
export interface ExplainedReply {
  readonly reply: SmtpReply;
  readonly explanation: ReplyExplanation | undefined;
  readonly note: string | null;
  readonly late?: boolean;
}

export function replyView({ reply, explanation, note, late }: ExplainedReply, isEhlo = false): ReplyView {
  const capabilities =
    isEhlo && reply.code === 250 && reply.lines.length > 1 ? parseEhloReply(reply.lines).capabilities : [];
  return {
    code: reply.code,
    lines: reply.lines.map(({ code, separator, text }) => ({ code, separator, text })),
    raw: reply.raw,
    title: explanation?.title ?? (reply.code === null ? 'Not an SMTP reply' : `Reply ${reply.code}`),
    meaning: explanation?.summary ?? '',
    classText: explanation?.classText ?? '',
    note: late ? [note, 'It arrived after the step had stopped waiting.'].filter(Boolean).join(' ') : note,
    enhanced: explanation?.enhanced
      ? explanation.enhanced.meaning.startsWith(explanation.enhanced.code)
        ? explanation.enhanced.meaning
        : `${explanation.enhanced.code}: ${explanation.enhanced.meaning}`
      : null,
    challenge: explanation?.challenge?.decoded ?? null,
    capabilities,
    problems: reply.diagnostics.map((diagnostic) => diagnostic.message),
    complete: reply.complete,
    closes: explanation?.closes ?? false,
  };
}

/** 2xx and 3xx carry on; 4xx, 5xx and a line without a code stop "Send all steps". */
export function replyGoesOn(code: number | null): boolean {
  return code !== null && code >= 200 && code < 400;
}
