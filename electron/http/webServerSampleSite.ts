import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const sampleSiteInRepo = join('electron', 'http', 'sampleSite');

/**
 * Where the bundled sample site is. From sources (tsx, Vitest) it sits beside this file;
 * from the esbuild bundle dist/electron/main.cjs, and inside the packaged app.asar
 * (electron-builder.yml ships `electron/http/sampleSite/**`), it is two levels up from
 * main.cjs. `import.meta.url` is empty in the CJS bundle, so `__dirname` (defined there
 * and under Vitest) and the working directory (tsx from the project root) are tried.
 */
export function sampleSiteCandidates(): string[] {
  const here = typeof __dirname === 'string' ? __dirname : undefined;
  const candidates = here ? [resolve(here, '..', '..', sampleSiteInRepo), resolve(here, 'sampleSite')] : [];
  candidates.push(resolve(process.cwd(), sampleSiteInRepo));
  return candidates;
}

/** The first candidate that holds index.html, or undefined when the app was shipped without it. */
export function findSampleSite(): string | undefined {
  return sampleSiteCandidates().find((folder) => existsSync(join(folder, 'index.html')));
}
