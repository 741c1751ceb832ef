import { encodeUtf8 } from '../../bytes/utf8';
import { parseHttpUrl } from '../url';

/** The composer's starting points, in the order its menu offers them. */
export const requestTemplateKinds = ['get', 'head', 'post-form', 'post-json', 'put', 'conditional-get'] as const;
export type RequestTemplateKind = (typeof requestTemplateKinds)[number];

export const requestTemplateLabels: Record<RequestTemplateKind, string> = {
  get: 'GET',
  head: 'HEAD',
  'post-form': 'POST (form)',
  'post-json': 'POST (JSON)',
  put: 'PUT',
  'conditional-get': 'Conditional GET',
};

export interface TemplateOptions {
  /** Default http://localhost:8080/. */
  url?: string;
  /** Default 1.1. */
  version?: '1.0' | '1.1';
  /** For the conditional GET: the Last-Modified and ETag of an earlier response. */
  lastModified?: string;
  etag?: string;
  /** For the conditional GET without validators: the date to ask about (default now). */
  now?: Date;
  /** Replaces the sample body of POST and PUT. */
  body?: string;
}

const sampleBodies: Partial<Record<RequestTemplateKind, [string, string]>> = {
  'post-form': ['application/x-www-form-urlencoded', 'name=Ada+Lovelace&course=networks'],
  'post-json': ['application/json', '{"name": "Ada Lovelace", "course": "networks"}'],
  put: ['text/plain; charset=utf-8', 'Hello, server!'],
};

/** An HTTP-date (IMF-fixdate), e.g. "Tue, 01 Mar 2016 18:57:50 GMT". */
export function formatHttpDate(date: Date): string {
  return date.toUTCString();
}

/**
 * A complete request with CRLF line endings and, for bodies, a Content-Length
 * that matches (in bytes). HTTP/1.0 versions keep Host, which every virtual
 * host needs, but otherwise show the 1.0 default: the server closes after
 * answering.
 */
export function requestTemplate(
  kind: RequestTemplateKind,
  options: TemplateOptions = {},
): { ok: true; text: string } | { ok: false; message: string } {
  const parsed = parseHttpUrl(options.url ?? 'http://localhost:8080/');
  if (!parsed.ok) return parsed;
  const { target } = parsed;
  const method = kind === 'head' ? 'HEAD' : kind === 'put' ? 'PUT' : kind.startsWith('post') ? 'POST' : 'GET';
  const lines = [`${method} ${target.path} HTTP/${options.version ?? '1.1'}`, `Host: ${target.hostHeader}`];
  if (kind === 'conditional-get') {
    if (options.lastModified || !options.etag) {
      lines.push(`If-Modified-Since: ${options.lastModified ?? formatHttpDate(options.now ?? new Date())}`);
    }
    if (options.etag) lines.push(`If-None-Match: ${options.etag}`);
  }
  const sample = sampleBodies[kind];
  let body = '';
  if (sample) {
    body = options.body ?? sample[1];
    lines.push(`Content-Type: ${sample[0]}`, `Content-Length: ${encodeUtf8(body).length}`);
  }
  return { ok: true, text: `${lines.join('\r\n')}\r\n\r\n${body}` };
}
