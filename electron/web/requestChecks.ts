import { timingSafeEqual } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { TOKEN_SUBPROTOCOL_PREFIX } from '../../shared/app/browserAccess';

/**
 * The checks every browser-mode request passes before it gets anything: the Host
 * header (DNS-rebinding defence), and for the WebSocket the Origin and the per-launch
 * token (offered as a subprotocol in the handshake).
 */

export type Check<T> = { ok: true; value: T } | { ok: false; status: number; message: string };

/**
 * A page on evil.example can make its own name resolve to 127.0.0.1 and then talk
 * to us as "same origin" from the browser's point of view. The Host header still
 * carries the attacker's name, so only names DNS cannot rebind are accepted: IP
 * literals and `localhost` (which browsers resolve to loopback themselves), with
 * exactly the port we listen on. Returns the host as browsers spell it in Origin.
 */
export function checkHostHeader(header: string | undefined, port: number): Check<string> {
  if (!header) return { ok: false, status: 400, message: 'The request has no Host header.' };
  const lower = header.toLowerCase();
  let name: string;
  let portText: string | undefined;
  if (lower.startsWith('[')) {
    const end = lower.indexOf(']');
    if (end < 0) return { ok: false, status: 400, message: `The Host header ${quote(header)} is malformed.` };
    name = lower.slice(1, end);
    const rest = lower.slice(end + 1);
    if (rest !== '' && !rest.startsWith(':')) {
      return { ok: false, status: 400, message: `The Host header ${quote(header)} is malformed.` };
    }
    portText = rest === '' ? undefined : rest.slice(1);
    if (!isIPv6(name)) return misdirected(header, port);
  } else {
    const colon = lower.lastIndexOf(':');
    name = colon < 0 ? lower : lower.slice(0, colon);
    portText = colon < 0 ? undefined : lower.slice(colon + 1);
    if (name.includes(':')) {
      return { ok: false, status: 400, message: `The Host header ${quote(header)} is malformed.` };
    }
    if (!isIPv4(name) && name !== 'localhost') return misdirected(header, port);
  }
  // Browsers leave out the port only when it is the scheme's default.
  const portMatches = portText === undefined ? port === 80 : portText === String(port);
  if (!portMatches) return misdirected(header, port);
  return { ok: true, value: lower };
}

function misdirected(header: string, port: number): Check<never> {
  return {
    ok: false,
    status: 421,
    message:
      `This server does not answer to ${quote(header)}. ` +
      `It only answers to its IP address or localhost on port ${port} (a defence against DNS rebinding). ` +
      'Open the URL printed in the terminal.',
  };
}

/** A browser's WebSocket always carries Origin; it must be this very page. */
export function checkOrigin(origin: string | undefined, host: string): Check<string> {
  const expected = `http://${host}`;
  if (!origin) return { ok: false, status: 403, message: 'The WebSocket request has no Origin header.' };
  if (origin !== expected) {
    return {
      ok: false,
      status: 403,
      message: `The WebSocket request comes from ${quote(origin)}; only pages from ${expected} may connect.`,
    };
  }
  return { ok: true, value: origin };
}

/** Compares in constant time, so response timing says nothing about how much of a guess was right. */
export function tokenMatches(candidate: string, token: string): boolean {
  const expected = Buffer.from(token, 'utf8');
  const given = Buffer.from(candidate, 'utf8');
  if (given.byteLength !== expected.byteLength) {
    timingSafeEqual(expected, expected);
    return false;
  }
  return timingSafeEqual(given, expected);
}

/**
 * The page presents the token as one of the subprotocols it offers on /ws
 * (`Sec-WebSocket-Protocol: protocol-playground, pp-token.<token>`); see
 * shared/app/browserAccess.ts for why not a cookie.
 */
export function protocolsHaveToken(header: string | undefined, token: string): boolean {
  if (!header) return false;
  let found = false;
  for (const offered of header.split(',')) {
    const value = offered.trim();
    if (!value.startsWith(TOKEN_SUBPROTOCOL_PREFIX)) continue;
    // Every candidate is compared, so the time taken does not depend on which one matched.
    if (tokenMatches(value.slice(TOKEN_SUBPROTOCOL_PREFIX.length), token)) found = true;
  }
  return found;
}

function quote(text: string): string {
  return JSON.stringify(text.length > 100 ? `${text.slice(0, 100)}…` : text);
}
