import { z } from 'zod';
import { fieldsNamed, type HttpField } from './parse/fields';
import { type HttpTarget, parseHttpUrl } from './url';

/** One Set-Cookie header, read (RFC 6265 §5.2; attributes kept in order, unknown ones too). */
export interface SetCookie {
  name: string;
  value: string;
  attributes: { name: string; value?: string }[];
  /** Milliseconds since the epoch, from Expires. */
  expires?: number;
  /** Seconds, from Max-Age. */
  maxAge?: number;
  domain?: string;
  path?: string;
  secure: boolean;
  httpOnly: boolean;
  sameSite?: 'Strict' | 'Lax' | 'None';
}

export type SetCookieResult = { ok: true; cookie: SetCookie; notes: string[] } | { ok: false; message: string };

export function parseSetCookie(header: string): SetCookieResult {
  const [pair = '', ...rest] = header.split(';');
  const equals = pair.indexOf('=');
  if (equals === -1) {
    return { ok: false, message: `"${pair.trim()}" has no "=": a cookie is name=value.` };
  }
  const name = pair.slice(0, equals).trim();
  const value = pair.slice(equals + 1).trim();
  if (name === '') return { ok: false, message: 'The cookie has no name before "=".' };
  const cookie: SetCookie = { name, value, attributes: [], secure: false, httpOnly: false };
  const notes: string[] = [];
  for (const part of rest) {
    const at = part.indexOf('=');
    const attribute = (at === -1 ? part : part.slice(0, at)).trim();
    const attributeValue = at === -1 ? undefined : part.slice(at + 1).trim();
    if (attribute === '') continue;
    cookie.attributes.push(
      attributeValue === undefined ? { name: attribute } : { name: attribute, value: attributeValue },
    );
    switch (attribute.toLowerCase()) {
      case 'expires': {
        const time = parseCookieDate(attributeValue ?? '');
        if (time === null) notes.push(`Expires "${attributeValue ?? ''}" is not a date; ignored.`);
        else cookie.expires = time;
        break;
      }
      case 'max-age':
        if (attributeValue !== undefined && /^-?\d+$/.test(attributeValue)) cookie.maxAge = Number(attributeValue);
        else notes.push(`Max-Age "${attributeValue ?? ''}" is not a whole number of seconds; ignored.`);
        break;
      case 'domain':
        if (attributeValue) cookie.domain = attributeValue.replace(/^\./, '').toLowerCase();
        break;
      case 'path':
        if (attributeValue?.startsWith('/')) cookie.path = attributeValue;
        break;
      case 'secure':
        cookie.secure = true;
        break;
      case 'httponly':
        cookie.httpOnly = true;
        break;
      case 'samesite': {
        const same = (attributeValue ?? '').toLowerCase();
        if (same === 'strict' || same === 'lax' || same === 'none') {
          cookie.sameSite = same === 'strict' ? 'Strict' : same === 'lax' ? 'Lax' : 'None';
        } else notes.push(`SameSite "${attributeValue ?? ''}" is not Strict, Lax or None; ignored.`);
        break;
      }
      default:
        break;
    }
  }
  return { ok: true, cookie, notes };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** The cookie date algorithm of RFC 6265 §5.1.1: lenient about the format servers really send. */
export function parseCookieDate(text: string): number | null {
  let time: number[] | null = null;
  let day: number | null = null;
  let month: number | null = null;
  let year: number | null = null;
  // RFC 6265 delimiters: HTAB, and every printable character that is not a letter, digit or ":".
  for (const token of text.split(/[\t -/;-@[-`{-~]+/)) {
    if (token === '') continue;
    const clock = /^(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\D.*)?$/.exec(token);
    if (time === null && clock) {
      time = [Number(clock[1]), Number(clock[2]), Number(clock[3])];
      continue;
    }
    if (day === null && /^\d{1,2}(?:\D.*)?$/.test(token)) {
      day = Number.parseInt(token, 10);
      continue;
    }
    const monthIndex = MONTHS.indexOf(token.slice(0, 3).toLowerCase());
    if (month === null && monthIndex !== -1) {
      month = monthIndex;
      continue;
    }
    if (year === null && /^\d{2,4}(?:\D.*)?$/.test(token)) {
      year = Number.parseInt(token, 10);
      if (year >= 70 && year <= 99) year += 1900;
      else if (year >= 0 && year <= 69) year += 2000;
    }
  }
  if (time === null || day === null || month === null || year === null) return null;
  const [h = 0, m = 0, s = 0] = time;
  if (day < 1 || day > 31 || year < 1601 || h > 23 || m > 59 || s > 59) return null;
  return Date.UTC(year, month, day, h, m, s);
}

/** A cookie as the jar keeps it: plain data, so a jar saves as JSON and loads back with cookieJarSchema. */
export const storedCookieSchema = z.object({
  name: z.string().min(1),
  value: z.string(),
  path: z.string().startsWith('/'),
  secure: z.boolean(),
  httpOnly: z.boolean(),
  sameSite: z.enum(['Strict', 'Lax', 'None']).optional(),
  /** Milliseconds since the epoch; null for a session cookie. */
  expiresAt: z.number().nullable(),
  createdAt: z.number(),
});
export type StoredCookie = z.infer<typeof storedCookieSchema>;

/** Cookies per origin (scheme://host[:port]): the per-target list the composer shows and edits. */
export const cookieJarSchema = z.object({
  version: z.literal(1),
  origins: z.record(z.string(), z.array(storedCookieSchema)),
});
export type CookieJar = z.infer<typeof cookieJarSchema>;

export function emptyCookieJar(): CookieJar {
  return { version: 1, origins: {} };
}

function targetOf(url: string | HttpTarget): HttpTarget | string {
  if (typeof url !== 'string') return url;
  const parsed = parseHttpUrl(url);
  return parsed.ok ? parsed.target : parsed.message;
}

/** RFC 6265 §5.1.4 default-path: the request path up to its last "/", or "/". */
export function defaultCookiePath(requestPath: string): string {
  const path = requestPath.split('?')[0] ?? '/';
  if (!path.startsWith('/')) return '/';
  const last = path.lastIndexOf('/');
  return last <= 0 ? '/' : path.slice(0, last);
}

export function cookiePathMatches(cookiePath: string, requestPath: string): boolean {
  const path = requestPath.split('?')[0] || '/';
  if (path === cookiePath) return true;
  if (!path.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || path[cookiePath.length] === '/';
}

function withOrigin(jar: CookieJar, origin: string, cookies: StoredCookie[]): CookieJar {
  const origins = { ...jar.origins };
  if (cookies.length === 0) delete origins[origin];
  else origins[origin] = cookies;
  return { version: 1, origins };
}

export interface StoreResult {
  jar: CookieJar;
  /** What happened, for people: stored, replaced, deleted, rejected and why. */
  notes: string[];
}

/**
 * Applies one Set-Cookie received from `url` (the request's URL). Returns a new
 * jar; the old one is untouched. Domain is noted but not widened: this jar
 * keeps cookies per origin, which is what the playground shows and edits.
 */
export function storeSetCookie(
  jar: CookieJar,
  url: string | HttpTarget,
  header: string,
  now = Date.now(),
): StoreResult {
  const target = targetOf(url);
  if (typeof target === 'string') return { jar, notes: [target] };
  const parsed = parseSetCookie(header);
  if (!parsed.ok) return { jar, notes: [`Set-Cookie ignored: ${parsed.message}`] };
  const { cookie } = parsed;
  const notes = [...parsed.notes];
  if (cookie.secure && target.scheme !== 'https') {
    return {
      jar,
      notes: [
        ...notes,
        `Cookie ${cookie.name} is Secure but came over http://: browsers reject it, and so does this jar.`,
      ],
    };
  }
  if (cookie.domain && cookie.domain !== target.hostname) {
    notes.push(
      `Domain=${cookie.domain} would also send ${cookie.name} to other hosts; here it stays with ${target.origin}.`,
    );
  }
  let expiresAt: number | null = null;
  if (cookie.maxAge !== undefined) expiresAt = now + cookie.maxAge * 1000;
  else if (cookie.expires !== undefined) expiresAt = cookie.expires;
  const path = cookie.path ?? defaultCookiePath(target.path);
  const existing = jar.origins[target.origin] ?? [];
  const same = existing.find((c) => c.name === cookie.name && c.path === path);
  const others = existing.filter((c) => c !== same);
  if (expiresAt !== null && expiresAt <= now) {
    notes.push(
      same
        ? `Cookie ${cookie.name} deleted (its expiry is in the past).`
        : `Cookie ${cookie.name} already expired; not stored.`,
    );
    return { jar: withOrigin(jar, target.origin, others), notes };
  }
  const stored: StoredCookie = {
    name: cookie.name,
    value: cookie.value,
    path,
    secure: cookie.secure,
    httpOnly: cookie.httpOnly,
    expiresAt,
    createdAt: same?.createdAt ?? now,
  };
  if (cookie.sameSite) stored.sameSite = cookie.sameSite;
  notes.push(`${same ? 'Replaced' : 'Stored'} cookie ${cookie.name}=${cookie.value} for ${target.origin}${path}.`);
  return { jar: withOrigin(jar, target.origin, [...others, stored]), notes };
}

/** Every Set-Cookie header of a response, in order. */
export function storeResponseCookies(
  jar: CookieJar,
  url: string | HttpTarget,
  fields: readonly HttpField[],
  now = Date.now(),
): StoreResult {
  let current = jar;
  const notes: string[] = [];
  for (const field of fieldsNamed(fields, 'Set-Cookie')) {
    const step = storeSetCookie(current, url, field.value, now);
    current = step.jar;
    notes.push(...step.notes);
  }
  return { jar: current, notes };
}

/** The cookies a request to `url` carries: path matched, not expired, Secure only over https; longest path first. */
export function cookiesFor(jar: CookieJar, url: string | HttpTarget, now = Date.now()): StoredCookie[] {
  const target = targetOf(url);
  if (typeof target === 'string') return [];
  return (jar.origins[target.origin] ?? [])
    .filter((c) => (c.expiresAt === null || c.expiresAt > now) && (!c.secure || target.scheme === 'https'))
    .filter((c) => cookiePathMatches(c.path, target.path))
    .sort((a, b) => b.path.length - a.path.length || a.createdAt - b.createdAt);
}

/** "name=value; other=value", the Cookie header's value. */
export function cookieHeaderValue(cookies: readonly { name: string; value: string }[]): string {
  return cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}

/** The user edits the list: add or replace (same name and path) a cookie of an origin. */
export function putCookie(jar: CookieJar, origin: string, cookie: StoredCookie): CookieJar {
  const others = (jar.origins[origin] ?? []).filter((c) => !(c.name === cookie.name && c.path === cookie.path));
  return withOrigin(jar, origin, [...others, cookie]);
}

export function deleteCookie(jar: CookieJar, origin: string, name: string, path?: string): CookieJar {
  const kept = (jar.origins[origin] ?? []).filter((c) => !(c.name === name && (path === undefined || c.path === path)));
  return withOrigin(jar, origin, kept);
}

/** Drops expired cookies everywhere. */
export function pruneExpired(jar: CookieJar, now = Date.now()): CookieJar {
  let out = jar;
  for (const [origin, cookies] of Object.entries(jar.origins)) {
    const live = cookies.filter((c) => c.expiresAt === null || c.expiresAt > now);
    if (live.length !== cookies.length) out = withOrigin(out, origin, live);
  }
  return out;
}
