/**
 * SMTP command words as the lessons, the explanations and the session
 * tracker name them. `MAIL FROM:<a@b>` is the command MAIL with the argument
 * `FROM:<a@b>` (RFC 5321 §4.1.1); everything here is case-insensitive, as servers are.
 */

export const smtpVerbs = [
  'HELO',
  'EHLO',
  'MAIL',
  'RCPT',
  'DATA',
  'BDAT',
  'RSET',
  'NOOP',
  'VRFY',
  'EXPN',
  'HELP',
  'QUIT',
  'STARTTLS',
  'AUTH',
] as const;
export type SmtpVerb = (typeof smtpVerbs)[number];

/** How people usually write the command (what the explanations say). */
export const verbNames: Record<SmtpVerb, string> = {
  HELO: 'HELO',
  EHLO: 'EHLO',
  MAIL: 'MAIL FROM',
  RCPT: 'RCPT TO',
  DATA: 'DATA',
  BDAT: 'BDAT',
  RSET: 'RSET',
  NOOP: 'NOOP',
  VRFY: 'VRFY',
  EXPN: 'EXPN',
  HELP: 'HELP',
  QUIT: 'QUIT',
  STARTTLS: 'STARTTLS',
  AUTH: 'AUTH',
};

export interface CommandLine {
  /** The first word in upper case, e.g. `MAIL`; '' for an empty line. */
  word: string;
  /** The word when it is a command SMTP defines, else null (a typo, or not a command at all). */
  verb: SmtpVerb | null;
  /** Everything after the first space, e.g. `FROM:<alice@crepes.fr>`. */
  argument: string;
}

export function isSmtpVerb(word: string): word is SmtpVerb {
  return (smtpVerbs as readonly string[]).includes(word);
}

/** Splits one command line (without its CRLF; a trailing CR or LF is ignored). */
export function parseCommandLine(line: string): CommandLine {
  const trimmed = line.replace(/\r?\n?$/, '').replace(/\r$/, '');
  const space = trimmed.search(/[ \t]/);
  const word = (space < 0 ? trimmed : trimmed.slice(0, space)).toUpperCase();
  const argument = space < 0 ? '' : trimmed.slice(space + 1);
  return { word, verb: isSmtpVerb(word) ? word : null, argument };
}

/**
 * The address inside `FROM:<alice@crepes.fr>` or `TO: <bob@hamburger.edu> NOTIFY=NEVER`
 * (a space after the colon, as in the textbook, is tolerated); '' for the null
 * sender `<>`; null when there are no angle brackets.
 */
export function pathAddress(argument: string): string | null {
  const match = /^(?:FROM|TO)\s*:\s*<([^>]*)>/i.exec(argument.trim());
  return match ? (match[1] as string) : null;
}

/**
 * Whether a command line is well formed as RFC 5321 writes it: a known command word with
 * the argument it needs (a domain after HELO/EHLO, `FROM:<…>`/`TO:<…>` with an address
 * that has an @ or is the null sender, a mechanism after AUTH, nothing after DATA). A
 * syntax reply to a well-formed line is the server refusing it, not the student's typo.
 */
export function isWellFormedCommand(line: string): boolean {
  const { verb, argument } = parseCommandLine(line);
  const arg = argument.trim();
  switch (verb) {
    case null:
      return false;
    case 'HELO':
    case 'EHLO':
      return /^\S+$/.test(arg);
    case 'MAIL': {
      const address = /^FROM:/i.test(arg) ? pathAddress(arg) : null;
      return address === '' || (address !== null && /^[^@\s]+@[^@\s]+$/.test(address));
    }
    case 'RCPT': {
      const address = /^TO:/i.test(arg) ? pathAddress(arg) : null;
      return address !== null && /^[^@\s]+@[^@\s]+$/.test(address);
    }
    case 'AUTH':
      return /^[A-Z0-9_-]+(\s+\S+)?$/i.test(arg);
    case 'DATA':
    case 'RSET':
    case 'QUIT':
    case 'STARTTLS':
      return arg === '';
    default:
      return true;
  }
}
