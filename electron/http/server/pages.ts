import { STATUS_CODES } from 'node:http';

/** The reason phrase Node writes in the status line. */
export function reasonPhrase(status: number): string {
  return STATUS_CODES[status] ?? 'Unknown';
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const encoder = new TextEncoder();

/** A small HTML page explaining an error status, so a browser shows why, not a blank page. */
export function errorPage(status: number, reason: string): Uint8Array {
  const title = `${status} ${reasonPhrase(status)}`;
  return encoder.encode(
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>\n` +
      `<body><h1>${title}</h1><p>${escapeHtml(reason)}.</p><p><a href="/">The site's first page</a></p></body></html>\n`,
  );
}

export const visitCookie = 'visits';

/** The visit count the browser sent back in `Cookie`, 0 when none (or not a number). */
export function visitsFromCookie(cookieHeader: string | undefined): number {
  for (const pair of (cookieHeader ?? '').split(';')) {
    const [name, value] = pair.split('=', 2).map((part) => part.trim());
    if (name === visitCookie && value !== undefined && /^\d{1,9}$/.test(value)) return Number(value);
  }
  return 0;
}

/**
 * The Set-Cookie demo: HTTP itself remembers nothing between requests; the server
 * hands the state to the browser, which brings it back on every later request.
 */
export function cookiePage(visits: number, cookieHeader: string | undefined): Uint8Array {
  const sent = cookieHeader === undefined ? 'no Cookie header' : `Cookie: ${cookieHeader}`;
  return encoder.encode(
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Cookie demo</title></head>\n<body>\n` +
      `<h1>Visit number ${visits}</h1>\n` +
      `<p>Your request carried <code>${escapeHtml(sent)}</code>.</p>\n` +
      `<p>This response sets <code>Set-Cookie: ${visitCookie}=${visits}</code>. HTTP is stateless: the server keeps ` +
      'no memory of you. The count lives in the cookie your browser sends back with every later request.</p>\n' +
      '<p><a href="/cookie">Visit again</a> · <a href="/">First page</a></p>\n</body></html>\n',
  );
}

/** One response written straight to the socket (Node's parser gave up on the request). */
export function rawResponse(status: number, headers: [string, string][], body: Uint8Array): Uint8Array {
  let head = `HTTP/1.1 ${status} ${reasonPhrase(status)}\r\n`;
  for (const [name, value] of headers) head += `${name}: ${value}\r\n`;
  head += '\r\n';
  const out = new Uint8Array(head.length + body.byteLength);
  out.set(encoder.encode(head), 0);
  out.set(body, head.length);
  return out;
}
