import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { appVersionDefine } from '../electron/cli/build';

const root = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root,
  // What the build puts into electron/preload.ts, so its tests run the same source.
  define: appVersionDefine(),
  test: {
    // Unit and loopback-integration tests run in parallel; end-to-end specs start
    // a browser and a host each, so they run one file at a time.
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 90_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
