import { realpath as realpathCallback, stat as statCallback, type Stats } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import { osCode } from '../../net/errors';

// The callback forms, not fs/promises: Electron's asar support patches these, and the
// bundled sample site is read from inside app.asar.
const realpath = promisify(realpathCallback);
const stat = promisify(statCallback) as (path: string) => Promise<Stats>;

/** Where a request path leads inside the served folder, or why it may not go there. */
export type PathOutcome =
  | { kind: 'file'; absolute: string; relative: string }
  | { kind: 'redirect'; location: string; reason: string }
  | { kind: 'refuse'; status: 400 | 403 | 404; reason: string };

const refuse = (status: 400 | 403 | 404, reason: string): PathOutcome => ({ kind: 'refuse', status, reason });

/** `real` is `root` itself or lies below it (both already resolved by realpath). */
export function isInside(root: string, real: string): boolean {
  if (real === root) return true;
  return real.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * Maps the path of a request target (no query) to a regular file under `root`, which
 * must itself be a realpath. Decoded once, like every server does; anything that could
 * step outside (`..`, encoded or double-encoded dots and slashes, backslashes, NUL, a
 * symbolic link leading out) is refused with a reason, before the file system is asked.
 */
export async function resolveRequestPath(root: string, pathname: string): Promise<PathOutcome> {
  if (!pathname.startsWith('/')) {
    return refuse(400, 'the request target must be a path starting with "/" (e.g. GET /index.html HTTP/1.1)');
  }
  if (pathname.includes('\\')) {
    return refuse(400, 'a backslash is not a path separator in URLs: use "/" between folders');
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return refuse(400, 'the path has a broken percent-encoding (a "%" must be followed by two hex digits)');
  }
  if (decoded.includes('\0')) return refuse(400, 'the path holds a NUL byte (%00): no file name can contain it');
  if (decoded.includes('\\')) return refuse(400, 'the path holds an encoded backslash (%5C): use "/" between folders');
  if (/%(2e|2f|5c|00)/i.test(decoded)) {
    return refuse(403, 'the path is percent-encoded twice (e.g. %252e): that is how requests try to leave the folder');
  }
  const segments = decoded.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) return refuse(403, 'the path climbs out of the served folder with ".."');
  if (process.platform === 'win32' && segments.some((segment) => segment.includes(':'))) {
    return refuse(400, 'a ":" in a path names a drive or a stream on Windows, never a file here');
  }
  if (segments.some((segment) => segment.startsWith('.'))) {
    return refuse(404, 'hidden files and folders (names starting with ".") are not served');
  }
  const found = await locate(root, join(root, ...segments));
  if (found.kind !== 'found') return found;
  if (found.stats.isDirectory()) {
    if (!pathname.endsWith('/')) {
      return { kind: 'redirect', location: `${pathname}/`, reason: 'a folder: its address ends in "/"' };
    }
    const index = await locate(root, join(found.real, 'index.html'));
    if (index.kind !== 'found') {
      return index.status === 404
        ? refuse(404, 'this folder has no index.html (folder listings are not offered)')
        : index;
    }
    return asFile(root, index.real, index.stats);
  }
  return asFile(root, found.real, found.stats);
}

type Located = { kind: 'found'; real: string; stats: Stats } | Extract<PathOutcome, { kind: 'refuse' }>;

async function locate(root: string, candidate: string): Promise<Located> {
  let real: string;
  try {
    real = await realpath(candidate);
  } catch (error) {
    const code = osCode(error);
    if (code === 'EACCES' || code === 'EPERM') return { kind: 'refuse', status: 403, reason: `not readable (${code})` };
    return { kind: 'refuse', status: 404, reason: code === 'ELOOP' ? 'a symbolic link loop' : 'no such file' };
  }
  if (!isInside(root, real)) {
    return { kind: 'refuse', status: 403, reason: 'a symbolic link leads outside the served folder' };
  }
  try {
    return { kind: 'found', real, stats: await stat(real) };
  } catch (error) {
    return { kind: 'refuse', status: 404, reason: `cannot be read (${osCode(error) ?? 'stat failed'})` };
  }
}

function asFile(root: string, real: string, stats: Stats): PathOutcome {
  // A FIFO or device would block or never end: only regular files are served.
  if (!stats.isFile()) return refuse(404, 'not a regular file');
  const path = relative(root, real).split(sep).join('/');
  if (path.split('/').some((segment) => segment.startsWith('.'))) {
    return refuse(404, 'hidden files and folders (names starting with ".") are not served');
  }
  return { kind: 'file', absolute: real, relative: path };
}
