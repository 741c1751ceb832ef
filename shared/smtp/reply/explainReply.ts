import { toVisibleString } from '../../bytes/visibleSegments';
import { decodeBase64 } from '../base64';
import { isWellFormedCommand, parseCommandLine, verbNames } from '../commands';
import { type EnhancedStatusExplanation, explainEnhancedStatus, parseEnhancedStatus } from './enhancedStatus';
import { phaseInfo, type SmtpPhase } from '../phases';
import { describeReplyClass, type ReplyClass, type ReplySubject, replyClass, replyCodeInfo } from './replyCodes';

/** What explainReply needs of a reply; an SmtpReply fits. */
export interface ReplyLike {
  code: number | null;
  lines?: readonly { text: string }[];
  text?: string;
}

export interface ExplainReplyOptions {
  /**
   * What the reply answers: the command line as sent (`RCPT TO:<bob@hamburger.edu>`)
   * or its word (`RCPT`), or the greeting, the message, or a login answer.
   */
  lastCommand?: string | { kind: 'greeting' | 'message' | 'auth-response' };
  /** Where the session stood when the server read that command (see the session tracker). */
  phase?: SmtpPhase;
}

export interface ReplyExplanation {
  code: number | null;
  /** False for codes outside the table: the class still explains them. */
  known: boolean;
  replyClass: ReplyClass;
  /** "5xx: not done, and sending the same again will fail the same way; about syntax" */
  classText: string;
  title: string;
  /** The code's general meaning. */
  meaning: string;
  /** The meaning for the command it answers, when the table has one. */
  forCommand: string | null;
  /** What the reply answers, as understood from `lastCommand`. */
  answers: ReplySubject | null;
  /** Where the session stood, for failures (from `phase`): "At that point, no mail was started." */
  context: string | null;
  /** The one paragraph to show: the sharpest meaning, then the context. */
  summary: string;
  /** The `5.1.1` after the code, explained. */
  enhanced: EnhancedStatusExplanation | null;
  /** A 334's text decoded from base64 (“Username:”), or null when it is not valid base64. */
  challenge: { base64: string; decoded: string | null } | null;
  /** The server closes the connection after this reply. */
  closes: boolean;
}

function subjectOf(lastCommand: ExplainReplyOptions['lastCommand']): ReplySubject | null {
  if (lastCommand === undefined) return null;
  if (typeof lastCommand !== 'string') return lastCommand.kind;
  return parseCommandLine(lastCommand).verb;
}

/**
 * A reply in plain language, tailored to the command it answers: a 503 after
 * RCPT TO says that MAIL FROM comes first; a 354 after DATA says how to end the
 * message; a 334 shows its base64 question decoded.
 */
export function explainReply(reply: ReplyLike, options: ExplainReplyOptions = {}): ReplyExplanation {
  const code = reply.code;
  const info = code === null ? undefined : replyCodeInfo(code);
  const answers = subjectOf(options.lastCommand);
  const kind = replyClass(code);
  const classText = describeReplyClass(code);
  const firstText = reply.lines?.[0]?.text ?? reply.text?.split('\n')[0] ?? '';

  const title = info?.title ?? (code === null ? 'Not an SMTP reply' : `Reply ${code}`);
  let meaning: string;
  if (info) meaning = info.meaning;
  else if (code === null) {
    meaning =
      'The server sent a line that does not start with a three-digit code: whatever answered is not speaking SMTP (check the port), or the reply was cut.';
  } else meaning = `A code this app does not know. By its first two digits: ${classText}.`;
  const forCommand = answers !== null ? (info?.byCommand[answers] ?? null) : null;

  let context: string | null = null;
  if (options.phase && (kind === 'transient-negative' || kind === 'permanent-negative')) {
    const what =
      answers === null
        ? 'the server read it'
        : answers === 'greeting'
          ? 'you connected'
          : answers === 'message'
            ? 'you sent the message'
            : answers === 'auth-response'
              ? 'you sent your login answer'
              : `you sent ${verbNames[answers]}`;
    context = `When ${what}, ${phaseInfo[options.phase].situation}.`;
  }

  const status = kind === 'invalid' || kind === 'positive-intermediate' ? null : parseEnhancedStatus(firstText);
  const enhanced = status ? explainEnhancedStatus(status, code) : null;

  let challenge: ReplyExplanation['challenge'] = null;
  if (code === 334) {
    const base64 = firstText.trim();
    const decoded = base64 === '' ? new Uint8Array(0) : decodeBase64(base64);
    challenge = { base64, decoded: decoded === null ? null : toVisibleString(decoded) };
  }

  let summary = forCommand ?? meaning;
  const refused = refusedWellFormed(code, options.lastCommand, firstText, enhanced);
  if (refused) summary = refused;
  if (challenge?.decoded) summary += ` Here the question is “${challenge.decoded}”.`;
  if (context) summary += ` ${context}`;
  return {
    code,
    known: info !== undefined,
    replyClass: kind,
    classText,
    title,
    meaning,
    forCommand,
    answers,
    context,
    summary,
    enhanced,
    challenge,
    closes: info?.closes ?? false,
  };
}

/**
 * A syntax reply (500, 501) to a line that is well formed says the server refused it for
 * its own reasons: the server's words and the enhanced code come first, not a typo story.
 */
function refusedWellFormed(
  code: number | null,
  lastCommand: ExplainReplyOptions['lastCommand'],
  text: string,
  enhanced: EnhancedStatusExplanation | null,
): string | null {
  if ((code !== 500 && code !== 501) || typeof lastCommand !== 'string' || !isWellFormedCommand(lastCommand)) {
    return null;
  }
  const verb = parseCommandLine(lastCommand).verb;
  const said = text.replace(/^\d\.\d{1,3}\.\d{1,3}\s*/, '').trim();
  return [
    `The server refused ${verb ? verbNames[verb] : 'the command'}, although the line is well formed${said ? `; in its own words: “${said}”` : ''}.`,
    enhanced?.meaning,
    `Code ${code} usually means a syntax error, but nothing in the line is wrong: the reason is on the server's side (its log says more).`,
  ]
    .filter(Boolean)
    .join(' ');
}
