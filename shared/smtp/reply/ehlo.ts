import { formatByteCount, groupThousands } from '../../bytes/formatByteCount';

/**
 * The EHLO reply (RFC 5321 §4.1.1.1): the first line greets, each further line
 * names one extension the server offers, e.g.
 *
 *   250-hamburger.edu Hello crepes.fr
 *   250-SIZE 10240000
 *   250-8BITMIME
 *   250 AUTH PLAIN LOGIN
 */

export interface EhloCapability {
  /** Upper case, e.g. `SIZE`, `AUTH`. */
  keyword: string;
  /** The words after the keyword, as sent. */
  params: string[];
  /** The line's text as received (without the code). */
  line: string;
  /** Index of the line in the reply. */
  lineIndex: number;
  /** One line for a student. */
  explanation: string;
  /** False for an extension this app has no explanation for. */
  known: boolean;
}

export interface EhloInfo {
  /** The server's name: the first word of the first line. */
  domain: string;
  /** The rest of the first line ("Hello crepes.fr"). */
  greeting: string;
  capabilities: EhloCapability[];
  /** SIZE's limit in bytes; 0 when SIZE says no fixed limit; null when SIZE was not offered. */
  maxSize: number | null;
  /** AUTH mechanisms in upper case (from `AUTH` and the older `AUTH=` form). */
  authMechanisms: string[];
  eightBitMime: boolean;
  pipelining: boolean;
  startTls: boolean;
  smtpUtf8: boolean;
  enhancedStatusCodes: boolean;
  chunking: boolean;
  dsn: boolean;
}

const mechanisms: Record<string, string> = {
  PLAIN: 'PLAIN (user and password in one base64 line)',
  LOGIN: 'LOGIN (user, then password, each in base64)',
  'CRAM-MD5': 'CRAM-MD5 (a hash of the password answers a challenge)',
  XOAUTH2: 'XOAUTH2 (an OAuth token instead of a password)',
  OAUTHBEARER: 'OAUTHBEARER (an OAuth token instead of a password)',
  'SCRAM-SHA-1': 'SCRAM-SHA-1 (the password never crosses the wire)',
  'SCRAM-SHA-256': 'SCRAM-SHA-256 (the password never crosses the wire)',
};

const fixed: Record<string, string> = {
  '8BITMIME':
    'You may send bytes above 127 in the message (declare it with MAIL FROM:<…> BODY=8BITMIME); otherwise SMTP is 7-bit ASCII.',
  PIPELINING: 'You may send several commands without waiting for each reply; the replies come back in order.',
  STARTTLS: 'You can switch this connection to TLS with STARTTLS (then send EHLO again, encrypted).',
  SMTPUTF8: 'Addresses and headers may contain UTF-8 (like josé@example.com), if you say SMTPUTF8 in MAIL FROM.',
  ENHANCEDSTATUSCODES: 'Replies carry a detailed status like 5.1.1 after the code.',
  CHUNKING: 'You may send the message in counted chunks with BDAT instead of DATA (no dot-stuffing needed).',
  DSN: 'You may ask for delivery status notifications (NOTIFY=SUCCESS,FAILURE on RCPT TO).',
  HELP: 'The server answers HELP with a list of commands.',
  BINARYMIME: 'You may send binary message content (with BDAT).',
  VRFY: 'VRFY is available: you can ask whether a mailbox exists.',
  EXPN: 'EXPN is available: you can ask who is on a mailing list.',
  ETRN: 'ETRN: another server can ask this one to send mail queued for it.',
  DELIVERBY: 'You may set a delivery deadline (BY= on MAIL FROM).',
  REQUIRETLS: 'You may require that the message travels only over TLS (REQUIRETLS on MAIL FROM).',
  'MT-PRIORITY': 'You may give the message a priority (MT-PRIORITY= on MAIL FROM).',
};

function explain(keyword: string, params: string[]): { explanation: string; known: boolean } {
  if (keyword === 'SIZE') {
    const limit = params[0] === undefined ? Number.NaN : Number(params[0]);
    if (params[0] === undefined || limit === 0) {
      return { explanation: 'The server checks message sizes but states no fixed limit.', known: true };
    }
    if (!Number.isSafeInteger(limit) || limit < 0) {
      return { explanation: `SIZE should be followed by a number of bytes, not "${params[0]}".`, known: true };
    }
    const readable = formatByteCount(limit);
    // Under 1 MiB the readable size is already the exact count: said twice, it reads like a mistake.
    const size = readable.startsWith(`${groupThousands(limit)} `)
      ? readable
      : `${groupThousands(limit)} bytes (${readable})`;
    return {
      explanation: `Messages up to ${size} are accepted; bigger ones are refused (552). You may declare the size with MAIL FROM:<…> SIZE=n.`,
      known: true,
    };
  }
  if (keyword === 'AUTH') {
    if (params.length === 0) return { explanation: 'You can log in, but no mechanism is listed.', known: true };
    const named = params.map((name) => mechanisms[name.toUpperCase()] ?? name).join(', ');
    return {
      explanation: `You can log in with AUTH: ${named}. Without TLS, base64 hides nothing: anyone on the path can read the password.`,
      known: true,
    };
  }
  const text = fixed[keyword];
  if (text) return { explanation: text, known: true };
  if (keyword.startsWith('X')) return { explanation: 'A private extension of this server’s software.', known: false };
  return { explanation: 'An extension this app has no explanation for.', known: false };
}

/**
 * The capabilities of an EHLO reply, given its lines' texts (an SmtpReply's
 * `lines` fit). A single-line reply offers no extensions; a HELO reply never does.
 */
export function parseEhloReply(lines: readonly { text: string }[]): EhloInfo {
  const first = (lines[0]?.text ?? '').trim();
  const space = first.search(/\s/);
  const info: EhloInfo = {
    domain: space < 0 ? first : first.slice(0, space),
    greeting: space < 0 ? '' : first.slice(space + 1).trim(),
    capabilities: [],
    maxSize: null,
    authMechanisms: [],
    eightBitMime: false,
    pipelining: false,
    startTls: false,
    smtpUtf8: false,
    enhancedStatusCodes: false,
    chunking: false,
    dsn: false,
  };
  const addMechanisms = (names: readonly string[]): void => {
    for (const name of names) {
      const upper = name.toUpperCase();
      if (upper !== '' && !info.authMechanisms.includes(upper)) info.authMechanisms.push(upper);
    }
  };
  lines.forEach((line, lineIndex) => {
    if (lineIndex === 0) return;
    const words = line.text.trim().split(/\s+/).filter(Boolean);
    const first = words[0];
    if (first === undefined) return;
    let keyword = first.toUpperCase();
    let params = words.slice(1);
    // Old servers (and Outlook's sake) advertise "AUTH=LOGIN PLAIN" beside or instead of "AUTH LOGIN PLAIN".
    if (keyword.startsWith('AUTH=')) {
      params = [first.slice(5), ...params];
      keyword = 'AUTH';
    }
    const { explanation, known } = explain(keyword, params);
    info.capabilities.push({ keyword, params, line: line.text, lineIndex, explanation, known });
    if (keyword === 'SIZE') {
      const limit = params[0] === undefined ? 0 : Number(params[0]);
      info.maxSize = Number.isSafeInteger(limit) && limit >= 0 ? limit : null;
    } else if (keyword === 'AUTH') addMechanisms(params);
    else if (keyword === '8BITMIME') info.eightBitMime = true;
    else if (keyword === 'PIPELINING') info.pipelining = true;
    else if (keyword === 'STARTTLS') info.startTls = true;
    else if (keyword === 'SMTPUTF8') info.smtpUtf8 = true;
    else if (keyword === 'ENHANCEDSTATUSCODES') info.enhancedStatusCodes = true;
    else if (keyword === 'CHUNKING') info.chunking = true;
    else if (keyword === 'DSN') info.dsn = true;
  });
  return info;
}
