/**
 * Builds what the app runs: the renderer with Vite into dist/renderer, and the
 * Electron main and preload scripts with esbuild into dist/electron. A sandboxed
 * preload cannot load modules, so it is bundled into one file.
 *
 *   npm run build              everything
 *   npm run build -- renderer  only the renderer (or electron, or cli: the command line)
 */
import { type Dirent, readdirSync, readFileSync, statSync } from 'node:fs';
import type { BuildOptions } from 'esbuild';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCli } from '../../bin/cli-build.js';

export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
export const rendererDist = join(projectRoot, 'dist', 'renderer');
export const electronDist = join(projectRoot, 'dist', 'electron');

export async function buildRenderer(options: { quiet?: boolean } = {}): Promise<void> {
  const { build } = await import('vite');
  // NODE_ENV picks React's build; a caller's NODE_ENV=test (Vitest starting the web host)
  // would ship the development build, several times slower on a fast stream.
  const callerNodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: join(projectRoot, 'renderer', 'vite.config.ts'),
      logLevel: options.quiet ? 'warn' : 'info',
    });
  } finally {
    if (callerNodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = callerNodeEnv;
  }
}

/** The version the preload script reports, as the build puts it in (`__APP_VERSION__`). */
export function appVersionDefine(): Record<string, string> {
  const { version } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string };
  return { __APP_VERSION__: JSON.stringify(version) };
}

/** `outDir`: where main.cjs and preload.cjs go (dist/electron unless a test says otherwise). */
export async function buildElectron(options: { outDir?: string } = {}): Promise<void> {
  const { outDir = electronDist } = options;
  const { build } = await import('esbuild');
  const common: BuildOptions = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    sourcemap: true,
    external: ['electron'],
    logLevel: 'warning',
  };
  await Promise.all([
    build({
      ...common,
      entryPoints: [join(projectRoot, 'electron', 'main.ts')],
      outfile: join(outDir, 'main.cjs'),
      target: 'node22',
    }),
    build({
      ...common,
      entryPoints: [join(projectRoot, 'electron', 'preload.ts')],
      outfile: join(outDir, 'preload.cjs'),
      target: 'chrome140',
      // The version alone, not package.json (electron/preload.ts).
      define: appVersionDefine(),
    }),
  ]);
}

/** True when dist/renderer is missing or older than anything it is built from. */
export function rendererIsStale(): boolean {
  const built = newestMtime(rendererDist, () => true);
  if (built === 0) return true;
  const sources = Math.max(
    newestMtime(join(projectRoot, 'renderer'), () => true),
    newestMtime(join(projectRoot, 'shared'), () => true),
    statSync(join(projectRoot, 'package.json')).mtimeMs,
  );
  return sources > built;
}

function newestMtime(dir: string, include: (path: string) => boolean): number {
  let newest = 0;
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path, include));
    else if (include(path)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

async function main(): Promise<void> {
  const what = process.argv[2] ?? 'all';
  if (what === 'renderer' || what === 'all') await buildRenderer();
  if (what === 'electron' || what === 'all') await buildElectron();
  if (what === 'cli' || what === 'all') await buildCli(projectRoot);
  console.log(`built ${what} into ${relative(process.cwd(), join(projectRoot, 'dist')) || 'dist'}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
