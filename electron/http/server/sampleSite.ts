import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const sampleSiteInRepo = join('electron', 'http', 'server', 'sampleSite');

/**
 * Where the bundled sample site is. From sources (tsx, Vitest) it sits beside this file;
 * from the esbuild bundle dist/electron/main.cjs, and inside the packaged app.asar
 * (electron-builder.yml ships `electron/http/server/sampleSite/**`), it is two levels up from
 * main.cjs. `import.meta.url` is empty in the CJS bundle, so `__dirname` (defined there
 * and under Vitest), the started script's folder and the working directory (tsx) are tried.
 */
export function sampleSiteCandidates(): string[] {
  const here = typeof __dirname === 'string' ? __dirname : undefined;
  const candidates = here ? [resolve(here, '..', '..', sampleSiteInRepo), resolve(here, 'sampleSite')] : [];
  // tsx started from elsewhere: the script (e.g. electron/cli/web.ts) is inside the project.
  const script = process.argv[1];
  if (script) {
    for (let up = 1; up <= 3; up++)
      candidates.push(resolve(dirname(script), ...Array<string>(up).fill('..'), sampleSiteInRepo));
  }
  candidates.push(resolve(process.cwd(), sampleSiteInRepo));
  return [...new Set(candidates)];
}

/** The first candidate that holds index.html, or undefined when the app was shipped without it. */
export function findSampleSite(): string | undefined {
  return sampleSiteCandidates().find((folder) => existsSync(join(folder, 'index.html')));
}
