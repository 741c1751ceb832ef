#!/usr/bin/env node
/* global process, URL */
// The `protocol-playground` command (package.json "bin"). Runs the built command line
// from dist/cli/, building it first when it is missing or older than its sources.
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
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
  loadBundle(cliBundlePath(root));
}

/**
 * Runs the CommonJS bundle as require() would, with V8's code cache beside it: compiling
 * the ~2 MB bundle took over 100 ms of every run's start-up (Node 20 has no
 * module.enableCompileCache). The cache is keyed by the bundle's hash and Node's version,
 * written once after a run (with the functions that run compiled), and ignored when it
 * is missing, stale, rejected by V8 or cannot be written (a read-only install).
 */
function loadBundle(path) {
  const source = readFileSync(path, 'utf8');
  const key = createHash('sha256').update(process.version).update(source).digest('hex').slice(0, 32);
  const cachePath = `${path}.${key}.v8cache`;
  let cachedData;
  try {
    cachedData = readFileSync(cachePath);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename: path, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    process.once('exit', () => {
      try {
        const temporary = `${cachePath}.${process.pid}.tmp`;
        writeFileSync(temporary, script.createCachedData());
        renameSync(temporary, cachePath);
      } catch {
        // No cache this time: the next run compiles again.
      }
    });
  }
  const module = new Module(path);
  module.filename = path;
  const require = createRequire(path);
  script.runInThisContext({ displayErrors: true })(module.exports, require, module, path, dirname(path));
}
