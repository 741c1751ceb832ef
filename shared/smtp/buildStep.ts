import { composeMessage } from '../bytes/composeMessage';
import { normaliseLineEndings } from '../bytes/lineEndings';
import type { TextParseError } from '../bytes/textParseResult';
import { concatBytes, encodeUtf8 } from '../bytes/utf8';
import { authLoginAnswers, authPlainAnswer } from './auth';
import { type StuffResult, stuffMessage } from './message/dotStuffing';
import type { SmtpStep } from './steps';

/** RFC 5321 §4.5.3.1.4: a command line is at most 512 octets, CRLF included. */
export const maxCommandLineOctets = 512;

export interface BuiltLine {
  /** Exactly what goes on the wire, line ending included. */
  bytes: Uint8Array;
  role: 'command' | 'auth-answer' | 'message';
  /** For base64 lines: what they decode to, controls as glyphs (`␀alice␀secret`). */
  decoded?: string;
  /** The decoded form holds a password: the UI may hide it until asked. */
  secret?: boolean;
  /** Send the next line only after a reply with this code (AUTH LOGIN waits for each 334). */
  expect?: number;
}

export type BuiltStep =
  | {
      ok: true;
      /** Sent one after the other, each after the reply to the one before. */
      lines: BuiltLine[];
      /** All the step's bytes, in order. */
      bytes: Uint8Array;
      /** Deliberate or accidental oddities the transcript should mention; the bytes are sent anyway. */
      warnings: string[];
      /** For the message: what dot-stuffing and the final "." changed. */
      stuffing?: StuffResult;
    }
  | {
      ok: false;
      /** What is wrong and what to write instead; for a free line with escapes, where in the text. */
      message: string;
      error?: TextParseError;
    };

const crlf = '\r\n';

/** `alice@crepes.fr` → `<alice@crepes.fr>`; `<>` and `<a@b> SIZE=10` are kept; parameters after a space stay outside. */
function reversePath(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('<')) return trimmed;
  const space = trimmed.search(/\s/);
  const address = space < 0 ? trimmed : trimmed.slice(0, space);
  const params = space < 0 ? '' : trimmed.slice(space).replace(/^\s+/, ' ');
  return `<${address}>${params}`;
}

function commandWarnings(line: string, warnings: string[]): void {
  if (/[\r\n]/.test(line)) {
    warnings.push(
      'The text holds a line break, so this goes out as more than one line: the server reads each line as a command.',
    );
  }
  if ([...line].some((character) => (character.codePointAt(0) as number) > 0x7f)) {
    warnings.push('The command has characters outside ASCII: servers accept them only with SMTPUTF8.');
  }
  const octets = encodeUtf8(line).length + 2;
  if (octets > maxCommandLineOctets) {
    warnings.push(
      `The command is ${octets} octets with its CRLF, over the ${maxCommandLineOctets}-octet limit: expect 500.`,
    );
  }
}

function command(line: string, warnings: string[]): BuiltLine {
  commandWarnings(line, warnings);
  return { bytes: encodeUtf8(line + crlf), role: 'command' };
}

function built(lines: BuiltLine[], warnings: string[], stuffing?: StuffResult): BuiltStep {
  const result: BuiltStep = {
    ok: true,
    lines,
    bytes: concatBytes(lines.map((line) => line.bytes)),
    warnings,
  };
  if (stuffing) result.stuffing = stuffing;
  return result;
}

/** The bytes a step sends, line by line, with what is worth knowing about them. Never throws. */
export function buildStep(step: SmtpStep): BuiltStep {
  const warnings: string[] = [];
  const text = step.text;
  switch (step.kind) {
    case 'helo':
    case 'ehlo': {
      const verb = step.kind.toUpperCase();
      if (text.trim() === '') warnings.push(`${verb} needs your domain name (like crepes.fr): expect 501 without it.`);
      return built([command(text.trim() === '' ? verb : `${verb} ${text.trim()}`, warnings)], warnings);
    }
    case 'mail':
    case 'rcpt': {
      const path = reversePath(text);
      const address = /^<([^>]*)>/.exec(path)?.[1];
      if (address === undefined) {
        warnings.push('The address has no closing “>”: expect 501.');
      } else if (step.kind === 'rcpt' && address === '') {
        warnings.push('RCPT TO needs an address: <> is only for MAIL FROM (bounces).');
      } else if (address !== '' && !address.includes('@') && address.toLowerCase() !== 'postmaster') {
        warnings.push(`“${address}” has no @domain: an address looks like bob@hamburger.edu.`);
      }
      const prefix = step.kind === 'mail' ? 'MAIL FROM:' : 'RCPT TO:';
      return built([command(prefix + path, warnings)], warnings);
    }
    case 'data':
    case 'quit':
    case 'rset':
    case 'starttls':
      return built([command(step.kind.toUpperCase(), warnings)], warnings);
    case 'noop':
    case 'help':
    case 'vrfy': {
      const verb = step.kind.toUpperCase();
      if (step.kind === 'vrfy' && text.trim() === '') warnings.push('VRFY needs a name or address: expect 501.');
      return built([command(text.trim() === '' ? verb : `${verb} ${text.trim()}`, warnings)], warnings);
    }
    case 'auth-plain': {
      const password = step.password ?? '';
      if (text === '' || password === '') warnings.push('The user name or the password is empty: expect 535.');
      const answer = authPlainAnswer(text, password);
      const line = command(`AUTH PLAIN ${answer.base64}`, warnings);
      return built([{ ...line, decoded: answer.decodedVisible, secret: true }], warnings);
    }
    case 'auth-login': {
      const password = step.password ?? '';
      if (text === '' || password === '') warnings.push('The user name or the password is empty: expect 535.');
      const [user, pass] = authLoginAnswers(text, password);
      return built(
        [
          { ...command('AUTH LOGIN', warnings), expect: 334 },
          { bytes: encodeUtf8(user.base64 + crlf), role: 'auth-answer', decoded: user.decodedVisible, expect: 334 },
          { bytes: encodeUtf8(pass.base64 + crlf), role: 'auth-answer', decoded: pass.decodedVisible, secret: true },
        ],
        warnings,
      );
    }
    case 'message': {
      const body = step.keepLineEndings ? text : normaliseLineEndings(text, 'crlf');
      const stuffing = stuffMessage(body, { stuffDots: step.dotStuffing ?? true, finalDot: step.finalDot ?? true });
      if (step.keepLineEndings && /\n/.test(text.replace(/\r\n/g, ''))) {
        warnings.push('Line breaks are sent as typed: bare LFs instead of CRLF.');
      }
      if (step.dotStuffing === false && stuffing.dotLines.length > 0) {
        warnings.push('Dot-stuffing is off: lines starting with “.” go out unchanged.');
      }
      if (step.finalDot === false)
        warnings.push('No final “.” line: the server keeps waiting for the end of the message.');
      return built([{ bytes: stuffing.bytes, role: 'message' }], warnings, stuffing);
    }
    case 'free': {
      const lineEnding = step.lineEnding ?? 'crlf';
      const typed = lineEnding === 'none' ? text : normaliseLineEndings(text, lineEnding);
      const composed = composeMessage(typed, { mode: step.inputMode ?? 'text', lineEnding });
      if (!composed.ok) return { ok: false, message: composed.error.message, error: composed.error };
      const lines = countLines(composed.bytes);
      if (lines > 1) {
        warnings.push(
          `This sends ${lines} lines at once: the server reads each as a command (pipelining, which needs PIPELINING in the EHLO reply).`,
        );
      }
      if (lineEnding === 'lf') warnings.push('The line ends with a bare LF instead of CRLF.');
      if (lineEnding === 'none') warnings.push('No line ending: the server waits for the rest of the line.');
      return built([{ bytes: composed.bytes, role: 'command' }], warnings);
    }
  }
}

function countLines(bytes: Uint8Array): number {
  let lines = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a && i < bytes.length - 1) lines++;
  return bytes.length === 0 ? 0 : lines + 1;
}

/**
 * All the bytes a step sends (for AUTH LOGIN, its three lines in order, each sent
 * after the reply to the one before). Throws for a free line whose escapes do not
 * parse; buildStep says so without throwing.
 */
export function commandBytes(step: SmtpStep): Uint8Array {
  const result = buildStep(step);
  if (!result.ok) throw new Error(result.message);
  return result.bytes;
}
