import { concatBytes, encodeUtf8 } from '../bytes/utf8';
import { toVisibleString } from '../bytes/visibleSegments';
import { decodeBase64, encodeBase64 } from './base64';

/**
 * SMTP AUTH's answers (RFC 4954): base64 on the wire, shown decoded beside it,
 * because the lesson is that base64 is an encoding, not a secret.
 */

export interface AuthAnswer {
  /** What goes on the wire (without CRLF). */
  base64: string;
  /** What it decodes to. */
  decoded: Uint8Array;
  /** The decoded bytes with controls as glyphs: `␀alice␀secret` for PLAIN. */
  decodedVisible: string;
}

function answer(decoded: Uint8Array): AuthAnswer {
  return { base64: encodeBase64(decoded), decoded, decodedVisible: toVisibleString(decoded) };
}

/**
 * AUTH PLAIN's single answer (RFC 4616): authorization identity (usually
 * empty), NUL, user name, NUL, password, all UTF-8.
 */
export function authPlainAnswer(username: string, password: string, authorizationId = ''): AuthAnswer {
  const nul = Uint8Array.of(0);
  return answer(concatBytes([encodeUtf8(authorizationId), nul, encodeUtf8(username), nul, encodeUtf8(password)]));
}

/** AUTH LOGIN's two answers: the user name after "Username:", the password after "Password:". */
export function authLoginAnswers(username: string, password: string): [AuthAnswer, AuthAnswer] {
  return [answer(encodeUtf8(username)), answer(encodeUtf8(password))];
}

/** A base64 line (an answer, or a 334 challenge) decoded for display; null when it is not base64. */
export function decodeAuthText(base64: string): AuthAnswer | null {
  const decoded = decodeBase64(base64);
  return decoded === null ? null : { base64: base64.trim(), decoded, decodedVisible: toVisibleString(decoded) };
}
