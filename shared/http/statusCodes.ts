export type StatusClass = 'informational' | 'success' | 'redirection' | 'client-error' | 'server-error' | 'unknown';

export interface StatusInfo {
  code: number;
  /** The standard reason phrase (RFC 9110), or "" for a code it does not define. */
  reason: string;
  /** What it means, in plain words, for the response viewer. */
  meaning: string;
  class: StatusClass;
}

const table: [number, string, string][] = [
  [
    100,
    'Continue',
    'Go ahead and send the request body (the answer to "Expect: 100-continue"). The real response follows.',
  ],
  [
    101,
    'Switching Protocols',
    'The server agrees to speak another protocol (e.g. WebSocket) on this connection from now on.',
  ],
  [102, 'Processing', 'Still working on it (WebDAV); the real response follows.'],
  [
    103,
    'Early Hints',
    'Headers (such as Link: preload) sent ahead so the browser can start fetching; the real response follows.',
  ],
  [200, 'OK', 'The request succeeded; the requested object is in the body.'],
  [201, 'Created', 'A new resource was created; Location usually says where.'],
  [202, 'Accepted', 'Accepted for processing, not finished yet.'],
  [203, 'Non-Authoritative Information', 'OK, but a proxy changed the content it got from the origin.'],
  [204, 'No Content', 'Success, and there is deliberately no body.'],
  [205, 'Reset Content', 'Success; clear the form that sent this.'],
  [206, 'Partial Content', 'Here is the byte range you asked for with Range (Content-Range says which part).'],
  [300, 'Multiple Choices', 'Several representations exist; pick one.'],
  [301, 'Moved Permanently', 'The object moved for good: Location gives its new URL; update links and bookmarks.'],
  [302, 'Found', 'The object is temporarily at the URL in Location; keep using the old URL later.'],
  [303, 'See Other', 'Fetch the result with a GET to the URL in Location (typical after a POST).'],
  [304, 'Not Modified', 'Your cached copy is still good (conditional GET): no body, use the cache.'],
  [305, 'Use Proxy', 'Deprecated: use the proxy in Location.'],
  [307, 'Temporary Redirect', 'Temporarily at the URL in Location; repeat the same method and body there.'],
  [308, 'Permanent Redirect', 'Moved for good to the URL in Location; repeat the same method and body there.'],
  [
    400,
    'Bad Request',
    'The server could not understand the request message: check the request line, line endings and headers.',
  ],
  [401, 'Unauthorized', 'Authentication needed: WWW-Authenticate says how; send Authorization.'],
  [402, 'Payment Required', 'Reserved; rarely used.'],
  [403, 'Forbidden', 'The server understood but refuses; logging in will not help.'],
  [404, 'Not Found', 'There is no object at this path on this server (check the target and Host).'],
  [405, 'Method Not Allowed', 'This object does not support that method; Allow lists those that work.'],
  [406, 'Not Acceptable', 'Nothing matches your Accept headers.'],
  [407, 'Proxy Authentication Required', 'The proxy wants credentials (Proxy-Authorization).'],
  [
    408,
    'Request Timeout',
    'The server waited too long for the complete request (a missing empty line or a short body?).',
  ],
  [409, 'Conflict', 'The request conflicts with the current state of the resource.'],
  [410, 'Gone', 'The object was here but is gone for good.'],
  [411, 'Length Required', 'The request has a body but no Content-Length: add it.'],
  [412, 'Precondition Failed', 'A condition in If-Match / If-Unmodified-Since was false.'],
  [413, 'Content Too Large', 'The request body is larger than the server accepts.'],
  [414, 'URI Too Long', 'The request target is longer than the server accepts (data belongs in a POST body).'],
  [415, 'Unsupported Media Type', 'The server does not accept the body in this Content-Type.'],
  [416, 'Range Not Satisfiable', 'The Range asked for lies outside the object.'],
  [417, 'Expectation Failed', 'The server cannot meet the Expect header.'],
  [418, "I'm a teapot", 'An April Fools joke (RFC 2324) that some servers really send.'],
  [421, 'Misdirected Request', 'This server is not the one for that Host (common with TLS and virtual hosts).'],
  [422, 'Unprocessable Content', 'Well-formed, but the content makes no sense to the server.'],
  [425, 'Too Early', 'The server will not risk processing a request that might be replayed.'],
  [426, 'Upgrade Required', 'Switch protocols first (Upgrade says to what, e.g. TLS or a newer HTTP).'],
  [428, 'Precondition Required', 'The server wants a conditional request (If-Match) to avoid lost updates.'],
  [429, 'Too Many Requests', 'Rate limited: slow down (Retry-After says when to try again).'],
  [431, 'Request Header Fields Too Large', 'The headers are too big.'],
  [451, 'Unavailable For Legal Reasons', 'Blocked for legal reasons.'],
  [500, 'Internal Server Error', 'The server failed while handling the request: the fault is on the server side.'],
  [501, 'Not Implemented', 'The server does not support that method at all.'],
  [502, 'Bad Gateway', 'A proxy or gateway got an invalid answer from the server behind it.'],
  [503, 'Service Unavailable', 'Overloaded or down for maintenance; try later (Retry-After).'],
  [504, 'Gateway Timeout', 'A proxy or gateway gave up waiting for the server behind it.'],
  [505, 'HTTP Version Not Supported', 'The server does not speak the HTTP version in the request line (use HTTP/1.1).'],
  [511, 'Network Authentication Required', 'A captive portal wants you to log in to the network.'],
];

export const statusCodes: ReadonlyMap<number, StatusInfo> = new Map(
  table.map(([code, reason, meaning]) => [code, { code, reason, meaning, class: statusClass(code) }]),
);

export function statusClass(code: number): StatusClass {
  if (code >= 100 && code < 200) return 'informational';
  if (code >= 200 && code < 300) return 'success';
  if (code >= 300 && code < 400) return 'redirection';
  if (code >= 400 && code < 500) return 'client-error';
  if (code >= 500 && code < 600) return 'server-error';
  return 'unknown';
}

const classMeaning: Record<StatusClass, string> = {
  informational: 'An interim response: the final one follows.',
  success: 'Success of some kind.',
  redirection: 'Look elsewhere: see the Location header.',
  'client-error': 'The server blames the request.',
  'server-error': 'The server failed.',
  unknown: 'Not a defined status class (codes run from 100 to 599).',
};

const headSuccess = 'The request succeeded. This answers HEAD: the headers a GET would get, and no body.';

/**
 * The table entry, or for an unlisted code what its class (the first digit) says. With
 * the request's method, 200 to HEAD says that no body comes (the table's 200 promises one).
 */
export function describeStatus(code: number, method?: string): StatusInfo {
  const info = statusCodes.get(code) ?? {
    code,
    reason: '',
    meaning: classMeaning[statusClass(code)],
    class: statusClass(code),
  };
  return code === 200 && method === 'HEAD' ? { ...info, meaning: headSuccess } : info;
}
