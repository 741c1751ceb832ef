import { isIPv4, isIPv6 } from 'node:net';
import { hostname } from 'node:os';

/**
 * The DNS-rebinding defence of the built-in web server. A page on evil.example can make
 * its own name resolve to 127.0.0.1 (or to this machine's LAN address) and then read the
 * served folder through the student's browser as "same origin". The Host header still
 * carries the attacker's name, so only names no outside DNS can rebind are answered:
 * IP literals, `localhost`, and this machine's own name (what a classmate types when the
 * teacher serves on all interfaces). Any port: the check is about the name.
 */

/** This machine's own names, lower-case: os.hostname(), its first label, and that label under mDNS's `.local`. */
export function ownHostNames(name = hostname()): ReadonlySet<string> {
  const full = name.toLowerCase().replace(/\.$/, '');
  const short = full.split('.', 1)[0] ?? '';
  return new Set([full, short, `${short}.local`].filter((n) => n !== '' && n !== '.local'));
}

/** The name in a Host header or an absolute-form target's authority: lower-case, port and one trailing dot dropped. */
export function nameOfAuthority(authority: string): string | undefined {
  const lower = authority.trim().toLowerCase();
  if (lower.startsWith('[')) {
    const end = lower.indexOf(']');
    const rest = lower.slice(end + 1);
    if (end < 0 || !/^(:\d*)?$/.test(rest)) return undefined;
    return lower.slice(1, end);
  }
  const colon = lower.lastIndexOf(':');
  if (colon >= 0 && !/^\d*$/.test(lower.slice(colon + 1))) return undefined;
  const name = colon < 0 ? lower : lower.slice(0, colon);
  // A bare IPv6 address (no brackets) or anything with spaces or slashes is not a host.
  if (name === '' || /[:\s/@]/.test(name)) return undefined;
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

/** Whether `authority` names this server in a way DNS rebinding cannot fake. */
export function isOwnAuthority(authority: string, ownNames: ReadonlySet<string>): boolean {
  const name = nameOfAuthority(authority);
  if (name === undefined) return false;
  return isIPv4(name) || isIPv6(name) || name === 'localhost' || ownNames.has(name);
}

/** The 421's reason, in two sentences (the error page and the log line both show it). */
export function foreignHostReason(authority: string, ownNames: ReadonlySet<string>): string {
  const quoted = JSON.stringify(authority.length > 100 ? `${authority.slice(0, 100)}…` : authority);
  const names = ['localhost', ...ownNames].join(', ');
  return (
    `This server answers only to an IP address or to ${names}, not to ${quoted}. ` +
    "Another name may be a website's own, pointed at this computer (DNS rebinding) so that its pages can read the " +
    "served folder through your browser; a teacher can switch this check off in the web server's options"
  );
}
