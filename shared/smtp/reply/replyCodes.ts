import type { SmtpVerb } from '../commands';

/**
 * What a reply answers, for explanations tailored to it: the greeting answers
 * connecting, the reply after `.` answers the message, a 334 challenge is
 * answered by an AUTH response line.
 */
export type ReplySubject = SmtpVerb | 'greeting' | 'message' | 'auth-response';

export interface ReplyCodeInfo {
  code: number;
  /** Short name, close to the RFC's wording: "Bad sequence of commands". */
  title: string;
  /** What it means for a student, and what to do next. */
  meaning: string;
  /** Sharper meaning when the reply answers this command (or the greeting, or the message). */
  byCommand: Partial<Record<ReplySubject, string>>;
  /** The server closes the connection after sending it. */
  closes: boolean;
  /** Where it is defined. */
  reference: string;
}

type Entry = Omit<ReplyCodeInfo, 'code' | 'closes' | 'reference'> & { closes?: boolean; reference?: string };

const rfc5321 = 'RFC 5321 §4.2';
const rfc4954 = 'RFC 4954 (AUTH)';

const entries: Record<number, Entry> = {
  211: {
    title: 'System status',
    meaning: 'A status or help reply meant for people to read; nothing changes in the session.',
    byCommand: { HELP: 'Help text about the server, for people to read.' },
  },
  214: {
    title: 'Help message',
    meaning: 'Help text, for people to read: usually the list of commands the server knows. Nothing changes.',
    byCommand: {},
  },
  220: {
    title: 'Service ready',
    meaning:
      'The server is ready to talk: this is the greeting right after connecting, usually with the server’s name. Next, introduce yourself with HELO (or EHLO).',
    byCommand: {
      greeting:
        'The greeting: the server is ready and tells you its name. Next, introduce yourself with HELO crepes.fr (or EHLO to see its extensions).',
      STARTTLS:
        'Ready to start TLS: the TLS handshake now happens on this same connection. Afterwards the session starts over, encrypted: send EHLO again.',
    },
  },
  221: {
    title: 'Closing connection',
    meaning: 'The server says goodbye and closes the connection. It is the normal answer to QUIT.',
    byCommand: {
      QUIT: 'Goodbye: the server closes the connection. Any mail it accepted with 250 is already on its way.',
    },
    closes: true,
  },
  235: {
    title: 'Authentication successful',
    meaning: 'You are logged in. Mail the server refused with 530 should now be accepted.',
    byCommand: {},
    reference: rfc4954,
  },
  250: {
    title: 'OK',
    meaning: 'Requested action okay, completed: the command worked.',
    byCommand: {
      HELO: 'The server greets you back: it now knows who you are. Start a mail with MAIL FROM.',
      EHLO: 'The server greets you back; the lines after the first list the extensions it supports. Start a mail with MAIL FROM.',
      MAIL: 'Sender accepted: a mail transaction has started. Next, name the recipients with RCPT TO.',
      RCPT: 'Recipient accepted. Add more recipients with RCPT TO, or send DATA to start the message.',
      message:
        'Message accepted for delivery: the server has taken responsibility for it. Start another mail with MAIL FROM, or QUIT.',
      BDAT: 'Chunk received (and, after BDAT … LAST, the message accepted).',
      RSET: 'Mail transaction cleared: sender and recipients are forgotten, as if just after HELO.',
      NOOP: 'Nothing done and nothing wrong: the connection is alive.',
      VRFY: 'The server confirms that this mailbox exists.',
      EXPN: 'The server lists the members of this mailing list.',
    },
  },
  251: {
    title: 'User not local; will forward',
    meaning: 'The recipient does not live on this server, but the server accepts the mail and will forward it.',
    byCommand: {},
  },
  252: {
    title: 'Cannot verify user, but will try',
    meaning:
      'The server will not say whether this user exists (many hide it to stop address harvesting), but it would accept mail for them.',
    byCommand: {},
  },
  334: {
    title: 'Authentication challenge',
    meaning:
      'The server waits for the next part of your login. The text after 334 is base64: decoded it is the question (e.g. “Username:”). Answer with one line of base64.',
    byCommand: {
      AUTH: 'The login has started; the server waits for your answer, as one line of base64.',
      'auth-response': 'Answer received; the server waits for the next one (often the password), in base64.',
    },
    reference: rfc4954,
  },
  354: {
    title: 'Start mail input',
    meaning:
      'Go ahead: send the message (headers, a blank line, the body), then a line holding only “.” to end it (CRLF.CRLF).',
    byCommand: {
      DATA: 'Go ahead with the message: headers, a blank line, the body, then a line with only “.”. Lines that start with “.” get an extra “.” (dot-stuffing) so they cannot end it early.',
    },
  },
  421: {
    title: 'Service not available, closing connection',
    meaning:
      'The server is ending this connection (too busy, too many errors, idle too long, or shutting down) and closes it right after. Connect again later.',
    byCommand: {
      greeting: 'The server will not talk right now (too busy, or it does not want this connection) and closes it.',
    },
    closes: true,
  },
  450: {
    title: 'Mailbox unavailable (try again later)',
    meaning:
      'Not done for now: the mailbox is busy or temporarily blocked. Greylisting servers answer this to strangers on purpose: a real mail server tries again later and gets through.',
    byCommand: {},
  },
  451: {
    title: 'Local error in processing',
    meaning:
      'Aborted because of a temporary problem on the server’s side. Nothing is wrong with your command: retry later.',
    byCommand: {},
  },
  452: {
    title: 'Insufficient system storage',
    meaning:
      'Not done for now: the server is short of storage, or (after RCPT TO) this mail already has as many recipients as the server takes; send the rest in another mail.',
    byCommand: {
      RCPT: 'Too many recipients for one mail (or no room right now): send this recipient in another mail.',
    },
  },
  455: {
    title: 'Server unable to accommodate parameters',
    meaning: 'The server cannot accept the parameters after the address (like SIZE=) right now. Try again later.',
    byCommand: {},
  },
  500: {
    title: 'Syntax error, command unrecognized',
    meaning:
      'The server did not understand the line: a typo in the command word, a line that is too long, or text that is not a command at all (like message lines sent before DATA was accepted).',
    byCommand: {
      'auth-response': 'Your login answer was not understood: it must be one line of base64.',
    },
  },
  501: {
    title: 'Syntax error in parameters or arguments',
    meaning: 'The command word is right but what follows it is not.',
    byCommand: {
      HELO: 'HELO needs your domain name after it: HELO crepes.fr.',
      EHLO: 'EHLO needs your domain name after it: EHLO crepes.fr.',
      MAIL: 'Check the sender’s address: MAIL FROM:<alice@crepes.fr>, with the angle brackets.',
      RCPT: 'Check the recipient’s address: RCPT TO:<bob@hamburger.edu>, with the angle brackets.',
      AUTH: 'The AUTH line is malformed: a mechanism name (PLAIN, LOGIN) and, if given, valid base64.',
      'auth-response': 'Your login answer is not valid base64.',
      VRFY: 'VRFY needs a user name or address after it.',
      DATA: 'DATA takes nothing after it.',
      QUIT: 'QUIT takes nothing after it.',
    },
  },
  502: {
    title: 'Command not implemented',
    meaning: 'The server knows the command but does not offer it (it is not implemented, or switched off).',
    byCommand: {
      EHLO: 'An old server without extensions (no ESMTP): use HELO instead.',
      VRFY: 'VRFY is switched off, as on most servers: it would let strangers harvest addresses.',
      EXPN: 'EXPN is switched off, as on most servers: it would reveal mailing list members.',
      STARTTLS: 'This server offers no TLS.',
      AUTH: 'This server offers no login (AUTH).',
    },
  },
  503: {
    title: 'Bad sequence of commands',
    meaning: 'The command is fine, but not at this point of the conversation.',
    byCommand: {
      MAIL: 'MAIL FROM is accepted only after HELO/EHLO, and once per mail: if a mail is already started, finish it or send RSET.',
      RCPT: 'The server expects MAIL FROM before RCPT TO: start the mail with MAIL FROM:<alice@crepes.fr>, wait for its 250, then name the recipients.',
      DATA: 'DATA needs at least one accepted RCPT TO (and a MAIL FROM before it) first.',
      BDAT: 'BDAT needs an accepted MAIL FROM and RCPT TO first.',
      AUTH: 'AUTH is not allowed now: it comes after EHLO and before MAIL FROM, once (you may already be logged in).',
      STARTTLS: 'STARTTLS comes after EHLO, once (TLS may already be on).',
      HELO: 'This server does not take HELO now: finish or RSET the mail first.',
      EHLO: 'This server does not take EHLO now: finish or RSET the mail first.',
    },
  },
  504: {
    title: 'Command parameter not implemented',
    meaning: 'The command is known but this parameter of it is not.',
    byCommand: {
      AUTH: 'This login mechanism is not offered: pick one from the AUTH line of the EHLO reply.',
    },
  },
  521: {
    title: 'Server does not accept mail',
    meaning: 'This host never accepts mail (RFC 7504). Do not retry.',
    byCommand: {},
    closes: true,
    reference: 'RFC 7504',
  },
  530: {
    title: 'Authentication required',
    meaning: 'Log in first (AUTH), or on some servers start TLS first (STARTTLS).',
    byCommand: {
      MAIL: 'This server takes mail only from logged-in users: send AUTH (after STARTTLS if it wants TLS) before MAIL FROM.',
      RCPT: 'Relaying to this recipient needs a login: send AUTH first.',
      AUTH: 'Start TLS first (STARTTLS), then EHLO, then AUTH.',
    },
    reference: rfc4954,
  },
  534: {
    title: 'Authentication mechanism is too weak',
    meaning: 'The server’s policy does not allow this login method here: start TLS first or use another mechanism.',
    byCommand: {},
    reference: rfc4954,
  },
  535: {
    title: 'Authentication credentials invalid',
    meaning: 'Login failed: wrong user name or password (or they were not encoded in base64 correctly).',
    byCommand: {},
    reference: rfc4954,
  },
  538: {
    title: 'Encryption required for this authentication mechanism',
    meaning: 'This login method is allowed only inside TLS: send STARTTLS, then EHLO, then AUTH.',
    byCommand: {},
    reference: rfc4954,
  },
  550: {
    title: 'Mailbox unavailable',
    meaning:
      'Not done, for good: the mailbox does not exist or cannot be used, or the server’s policy refuses the command.',
    byCommand: {
      RCPT: 'No such user here, or the server refuses to relay: it takes mail only for its own domains unless you log in.',
      MAIL: 'The server refuses this sender.',
      message: 'The message was refused after it arrived, usually by a content or spam check.',
      VRFY: 'No such user here.',
    },
  },
  551: {
    title: 'User not local; please try elsewhere',
    meaning:
      'The recipient is not on this server; the text says where to send instead. This server will not forward it.',
    byCommand: {},
  },
  552: {
    title: 'Exceeded storage allocation',
    meaning: 'Too big: the message exceeds what the server or the mailbox accepts. See SIZE in the EHLO reply.',
    byCommand: {
      MAIL: 'The SIZE= you declared is over the server’s limit (see SIZE in the EHLO reply).',
      message: 'The message is bigger than the server accepts (see SIZE in the EHLO reply).',
    },
  },
  553: {
    title: 'Mailbox name not allowed',
    meaning: 'The address is not acceptable: badly written, or one you may not use.',
    byCommand: {
      MAIL: 'This sender address is not allowed (badly written, or not yours to use).',
      RCPT: 'This recipient address is not allowed (badly written, or the server will not deliver to it).',
    },
  },
  554: {
    title: 'Transaction failed',
    meaning: 'Failed for good; the text usually says why (often a policy or spam check).',
    byCommand: {
      greeting:
        'No SMTP service here: the server refuses to talk to you (often your address is blocked). Send QUIT; anything else gets 503.',
      message: 'The message was refused, usually by a content or spam check.',
      RCPT: 'The recipient was refused by the server’s policy.',
      MAIL: 'The sender was refused by the server’s policy.',
    },
  },
  555: {
    title: 'MAIL FROM/RCPT TO parameters not recognized',
    meaning:
      'The parameters after the address (like SIZE=1000 or BODY=8BITMIME) are unknown to this server: send the address alone.',
    byCommand: {},
  },
  454: {
    title: 'Temporarily unavailable (TLS or authentication)',
    meaning: 'Temporarily refused: TLS is not available right now, or the login failed for a temporary reason.',
    byCommand: {
      STARTTLS:
        'TLS is not available right now; try later (or continue unencrypted, everyone on the path can read it).',
      AUTH: 'Temporary login failure on the server’s side: try again later.',
    },
  },
};

/** Every code this app explains, with what it means; in code order. */
export const replyCodes: readonly ReplyCodeInfo[] = Object.keys(entries)
  .map(Number)
  .sort((a, b) => a - b)
  .map((code) => {
    const entry = entries[code] as Entry;
    return { ...entry, code, closes: entry.closes ?? false, reference: entry.reference ?? rfc5321 };
  });

const byCode: ReadonlyMap<number, ReplyCodeInfo> = new Map(replyCodes.map((info) => [info.code, info]));

export function replyCodeInfo(code: number): ReplyCodeInfo | undefined {
  return byCode.get(code);
}

export type ReplyClass =
  'positive-completion' | 'positive-intermediate' | 'transient-negative' | 'permanent-negative' | 'invalid';

const classInfo: Record<ReplyClass, string> = {
  'positive-completion': '2xx: it worked',
  'positive-intermediate': '3xx: go on, the server waits for more from you',
  'transient-negative': '4xx: not done, but the same command may work later',
  'permanent-negative': '5xx: not done, and sending the same again will fail the same way',
  invalid: 'not an SMTP reply code (they run from 200 to 599)',
};

const categories = [
  'syntax',
  'information',
  'the connection',
  'unspecified',
  'unspecified',
  'the mail system',
] as const;

export function replyClass(code: number | null): ReplyClass {
  if (code === null) return 'invalid';
  const first = Math.floor(code / 100);
  if (first === 2) return 'positive-completion';
  if (first === 3) return 'positive-intermediate';
  if (first === 4) return 'transient-negative';
  if (first === 5) return 'permanent-negative';
  return 'invalid';
}

/** "4xx: not done, but the same command may work later; about the mail system" — for any code, known or not. */
export function describeReplyClass(code: number | null): string {
  const kind = replyClass(code);
  if (kind === 'invalid' || code === null) return classInfo.invalid;
  const category = categories[Math.floor(code / 10) % 10];
  return category ? `${classInfo[kind]}; about ${category}` : classInfo[kind];
}
