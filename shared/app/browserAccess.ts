/**
 * How a browser-mode page proves it may use the host: the per-launch token travels in
 * the printed URL's fragment (`http://127.0.0.1:PORT/#token=…`, never sent to any
 * server), the page keeps it in its own tab (sessionStorage is per origin, port
 * included), and presents it only in the WebSocket handshake, as one of the offered
 * subprotocols. Browsers let a page set no other header on a WebSocket; unlike a
 * cookie, a subprotocol is sent only on the connection the page opens itself, so no
 * other server on 127.0.0.1 ever sees the token.
 */

/** The subprotocol the host selects; offered first, so the handshake has one to answer with. */
export const APP_SUBPROTOCOL = 'protocol-playground';

/** Starts the subprotocol that carries the token (base64url, which is valid in a subprotocol). */
export const TOKEN_SUBPROTOCOL_PREFIX = 'pp-token.';

/** The fragment key of the printed URL: `#token=…`. */
export const TOKEN_FRAGMENT_KEY = 'token';

/** What a client offers in `Sec-WebSocket-Protocol` to be let in. */
export function handshakeProtocols(token: string): string[] {
  return [APP_SUBPROTOCOL, `${TOKEN_SUBPROTOCOL_PREFIX}${token}`];
}

/** The printed URL: the origin, `/`, and the token in the fragment. */
export function signInUrl(origin: string, token: string): string {
  return `${origin}/#${TOKEN_FRAGMENT_KEY}=${token}`;
}
