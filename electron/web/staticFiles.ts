import { type Dirent, readdirSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';

/**
 * The built renderer as a fixed map from URL path to file, listed once. A request
 * can only name a key of this map, so no spelling of `..`, encoded or not, can
 * reach a file outside the renderer directory. Symbolic links are left out for the
 * same reason.
 */
export type StaticFiles = ReadonlyMap<string, string>;

export function listStaticFiles(root: string): StaticFiles {
  const files = new Map<string, string>();
  const walk = (dir: string, depth: number) => {
    if (depth > 16) return;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path, depth + 1);
      else if (entry.isFile()) files.set(`/${relative(root, path).split(sep).join('/')}`, path);
    }
  };
  walk(root, 0);
  return files;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

export function contentTypeOf(path: string): string {
  return contentTypes[extname(path).toLowerCase()] ?? 'application/octet-stream';
}
