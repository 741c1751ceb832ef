#!/usr/bin/env node
/* global process, URL */
// The `protocol-playground` command (package.json "bin"). Runs the built command line
// from dist/cli/, building it first when it is missing or older than its sources.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { buildCli, cliBundlePath, cliIsStale, packageVersion } from './cli-build.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);

if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
  // Answered here, without loading the bundle: a quick check that the tool is installed.
  process.stdout.write(`${packageVersion(root)}\n`);
} else {
  if (process.env.PLAYGROUND_CLI_NO_BUILD !== '1' && cliIsStale(root)) {
    process.stderr.write('protocol-playground: building the command line (first use or changed sources)…\n');
    try {
      await buildCli(root);
    } catch (error) {
      process.stderr.write(`protocol-playground: the build failed (run npm install first): ${error.message}\n`);
      process.exit(3);
    }
  }
  createRequire(import.meta.url)(cliBundlePath(root));
}
