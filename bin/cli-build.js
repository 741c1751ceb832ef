/* global process */
// How the command line is built and when it is stale; shared by the launcher
// (bin/protocol-playground.js, which builds on first use as `npm start` does) and
// `npm run build` (electron/cli/build.ts). Plain JavaScript: it runs before anything is built.
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export function cliBundlePath(root) {
  return join(root, 'dist', 'cli', 'protocol-playground.cjs');
}

export function packageVersion(root) {
  return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
}

function newestMtime(dir) {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'assets' && entry.name !== 'node_modules') newest = Math.max(newest, newestMtime(path));
    } else if (entry.name.endsWith('.ts') || entry.name.endsWith('.json') || entry.name.endsWith('.js')) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

/** True when the bundle is missing or older than a source it is built from. */
export function cliIsStale(root) {
  let built;
  try {
    built = statSync(cliBundlePath(root)).mtimeMs;
  } catch {
    return true;
  }
  const sources = Math.max(
    newestMtime(join(root, 'shared')),
    newestMtime(join(root, 'electron')),
    statSync(join(root, 'package.json')).mtimeMs,
    statSync(join(root, 'bin', 'cli-build.js')).mtimeMs,
  );
  return sources > built;
}

/** Bundles electron/conversation/cli/main.ts (and the services it runs) into one CommonJS file. */
export async function buildCli(root) {
  const { build } = await import('esbuild');
  await build({
    entryPoints: [join(root, 'electron', 'conversation', 'cli', 'main.ts')],
    outfile: cliBundlePath(root),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
    external: ['electron'],
    define: { PLAYGROUND_VERSION: JSON.stringify(packageVersion(root)) },
  });
  // The launcher's V8 code caches (one per bundle hash) of earlier builds are of no use now.
  const dir = dirname(cliBundlePath(root));
  for (const name of readdirSync(dir)) {
    if (name.startsWith(`${basename(cliBundlePath(root))}.`) && name.endsWith('.v8cache')) rmSync(join(dir, name));
  }
  void process;
}
