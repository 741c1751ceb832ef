/**
 * Real `electron-builder --linux dir` builds, offline, against a stand-in Electron
 * folder and an explicit Electron version, into a temporary folder: the test
 * profile (its app.asar listed with @electron/asar, its fuses left alone) and the
 * release profile (its fuses flipped). Every download electron-builder could try
 * is pointed at a closed local port, so a build that needs the network fails here
 * instead of hanging in CI.
 */
import { spawn } from 'node:child_process';
import { builtinModules, createRequire } from 'node:module';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { extractFile, listPackage } from '@electron/asar';
import { getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildElectron, buildRenderer, projectRoot, rendererDist } from '../../../electron/cli/build';
import { releaseConfig, testConfig } from '../../../electron/cli/dist';
import { appResponseHeaders } from '../../../electron/desktop/appProtocol';
import { contentSecurityPolicy } from '../../../shared/app/contentSecurityPolicy';

const buildTimeoutMs = 120_000;
const electronVersion = (
  JSON.parse(readFileSync(createRequire(import.meta.url).resolve('electron/package.json'), 'utf8')) as {
    version: string;
  }
).version;

let temp: string;
let electronDist: string;
let env: NodeJS.ProcessEnv;
let appDir: string;
let asarPath: string;
let entries: string[];
let buildLog: string;
let releaseApp: string;
let releaseLog: string;

/**
 * The fuse wire as Electron ships it (its documented defaults), after the sentinel
 * @electron/fuses looks for: wire version 1, 8 fuses, '1' on and '0' off. In order:
 * RunAsNode on, cookie encryption off, NODE_OPTIONS on, --inspect on, asar integrity
 * off, only-from-asar off, browser V8 snapshot off, file:// extra privileges on.
 */
const fuseSentinel = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const shippedFuses = '10110001';

/** Runs electron-builder's CLI; resolves with its exit code and log, killing it after `timeoutMs`. */
function electronBuilder(args: string[], timeoutMs: number): Promise<{ result: number | string; log: string }> {
  const cli = join(projectRoot, 'node_modules', 'electron-builder', 'cli.js');
  const child = spawn(process.execPath, [cli, ...args], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  // Colour codes stripped: the log is searched below.
  const keep = (chunk: Buffer) => (log += stripVTControlCharacters(chunk.toString('utf8')));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ result: `timed out after ${timeoutMs / 1000} s`, log });
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ result: `could not start: ${error.message}`, log });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ result: signal ?? code ?? 'no exit code', log });
    });
  });
}

/** `electron-builder --linux dir` with `config`; resolves with the unpacked app's folder and the build's log. */
async function packLinuxDir(config: string, output: string): Promise<{ app: string; log: string }> {
  const { result, log } = await electronBuilder(
    [
      '--linux',
      'dir',
      '--x64',
      '--config',
      config,
      '--publish',
      'never',
      `-c.electronVersion=${electronVersion}`,
      `-c.electronDist=${electronDist}`,
      `-c.directories.output=${output}`,
    ],
    buildTimeoutMs,
  );
  if (result !== 0) throw new Error(`electron-builder --linux dir failed (${result}):\n${log.slice(-4000)}`);
  return { app: join(output, 'linux-unpacked'), log };
}

/** The packaged executable's fuses in wire order, as the wire stores them ('1' on, '0' off, 'r' removed). */
async function fusesOf(executable: string): Promise<string> {
  const { version: _version, ...fuses } = await getCurrentFuseWire(executable);
  return Object.values(fuses)
    .filter((state) => typeof state === 'number')
    .map((state) => String.fromCharCode(state))
    .join('');
}

beforeAll(async () => {
  // Any built renderer will do for checking what is packed; rebuilding a merely stale one
  // would empty dist/renderer under the feet of browser-mode specs running beside this one.
  if (!existsSync(join(rendererDist, 'index.html'))) await buildRenderer({ quiet: true });
  // The bundle is rebuilt: what it requires at run time is checked below.
  await buildElectron();

  temp = mkdtempSync(join(tmpdir(), 'pp-packaging-'));
  // What electron-builder copies as "Electron": an executable it renames, and a resources folder.
  electronDist = join(temp, 'electron-dist');
  mkdirSync(join(electronDist, 'resources'), { recursive: true });
  writeFileSync(
    join(electronDist, 'electron'),
    `#!/bin/sh\necho "stand-in Electron: no binary in CI"\nexit 1\n${fuseSentinel}\x01\x08${shippedFuses}\n`,
  );
  chmodSync(join(electronDist, 'electron'), 0o755);

  const closed = 'http://127.0.0.1:9';
  env = {
    ...process.env,
    ELECTRON_CACHE: join(temp, 'electron-cache'),
    ELECTRON_BUILDER_CACHE: join(temp, 'builder-cache'),
    ELECTRON_MIRROR: `${closed}/`,
    ELECTRON_BUILDER_BINARIES_MIRROR: `${closed}/`,
    HTTP_PROXY: closed,
    HTTPS_PROXY: closed,
    npm_config_offline: 'true',
    npm_config_update_notifier: 'false',
    CSC_IDENTITY_AUTO_DISCOVERY: 'false',
  };
  delete env.ELECTRON_RUN_AS_NODE;
  // electron-builder goes quiet under Vitest; its log is checked below.
  for (const name of Object.keys(env)) if (name.startsWith('VITEST')) delete env[name];

  // Both profiles at once: half the time, and one window (not two) in which something
  // else rebuilding dist/ could pull files from under electron-builder.
  const [testBuild, releaseBuild] = await Promise.all([
    packLinuxDir(testConfig, join(temp, 'out')),
    packLinuxDir(releaseConfig, join(temp, 'out-release')),
  ]);
  ({ app: appDir, log: buildLog } = testBuild);
  ({ app: releaseApp, log: releaseLog } = releaseBuild);
  asarPath = join(appDir, 'resources', 'app.asar');
  entries = listPackage(asarPath, { isPack: false }).map((entry) => entry.split('\\').join('/'));
}, buildTimeoutMs + 60_000);

afterAll(() => {
  if (temp) rmSync(temp, { recursive: true, force: true });
});

describe('electron-builder --linux dir (test profile, stand-in Electron, offline)', () => {
  it('packs the app as app.asar next to the renamed executable, with the explicit Electron version', () => {
    expect(existsSync(asarPath)).toBe(true);
    expect(existsSync(join(appDir, 'protocol-playground'))).toBe(true);
    expect(existsSync(join(appDir, 'resources', 'app'))).toBe(false);
    expect(buildLog).toContain(`electron=${electronVersion}`);
    expect(buildLog).toContain('using custom unpacked Electron distribution');
    expect(buildLog).not.toMatch(/downloading|fuse/i);
  });

  it('leaves Electron’s fuses as shipped, so Playwright can attach to the test build', async () => {
    expect(await fusesOf(join(appDir, 'protocol-playground'))).toBe(shippedFuses);
  });

  it('holds the built main, preload and renderer', () => {
    expect(entries).toEqual(
      expect.arrayContaining([
        '/package.json',
        '/dist/electron/main.cjs',
        '/dist/electron/preload.cjs',
        '/dist/renderer/index.html',
      ]),
    );
    expect(entries.filter((entry) => /^\/dist\/renderer\/assets\/[^/]+\.js$/.test(entry))).not.toEqual([]);
    expect(entries.filter((entry) => /^\/dist\/renderer\/assets\/[^/]+\.css$/.test(entry))).not.toEqual([]);
    const page = extractFile(asarPath, 'dist/renderer/index.html').toString('utf8');
    expect(page).toMatch(/src="\.\/assets\//);
  });

  it('the packed page carries the same CSP the app:// protocol sends as a header (less what a <meta> cannot hold)', () => {
    const page = extractFile(asarPath, 'dist/renderer/index.html').toString('utf8');
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/
      .exec(page)?.[1]
      ?.replaceAll('&#39;', "'");
    expect(meta).toBe(contentSecurityPolicy({ delivery: 'meta' }));
    const header = appResponseHeaders('text/html')['Content-Security-Policy'];
    expect(header).toBe(`${meta}; frame-ancestors 'none'`);
    expect(header).not.toMatch(/unsafe-/);
  });

  it('holds no tests, no TypeScript sources, no source maps, no project files', () => {
    const unwanted = entries.filter(
      (entry) =>
        /\.(ts|tsx|mts|cts|map)$/.test(entry) ||
        /\/(test|tests|__tests__|bench|shared|renderer\/src)(\/|$)/.test(entry) ||
        /\.test\.|\.spec\./.test(entry) ||
        (/^\/(electron|renderer)(\/|$)/.test(entry) &&
          !/^\/electron(\/http(\/server(\/sampleSite(\/.*)?)?)?)?$/.test(entry)) ||
        /^\/(README\.md|electron-builder\.yml|tsconfig\.json|eslint\.config\.js|package-lock\.json|\.ci|\.github)/.test(
          entry,
        ),
    );
    expect(unwanted).toEqual([]);
  });

  it('holds no node_modules: every production dependency is inside the esbuild bundle', () => {
    expect(entries.filter((entry) => entry.includes('node_modules'))).toEqual([]);
    // So the bundle must need nothing but Node's own modules and Electron.
    const main = extractFile(asarPath, 'dist/electron/main.cjs').toString('utf8');
    // Comments bundled from the sources may show require calls too (linkify-it's docs do).
    const code = main
      .split('\n')
      .filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line))
      .join('\n');
    const required = new Set([...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((match) => match[1]));
    const external = [...required].filter(
      (name) => name !== undefined && !name.startsWith('node:') && !builtinModules.includes(name),
    );
    expect(external).toEqual(['electron']);
  });

  it('ships the built-in web server’s sample site when the project has one', () => {
    const sampleSite = join(projectRoot, 'electron', 'http', 'server', 'sampleSite');
    const packed = entries.filter((entry) => entry.startsWith('/electron/http/server/sampleSite/'));
    expect(packed.length > 0).toBe(existsSync(sampleSite));
  });

  it('carries a production package.json: the bundled main, no scripts or dev dependencies', () => {
    const packed = JSON.parse(extractFile(asarPath, 'package.json').toString('utf8')) as Record<string, unknown>;
    expect(packed.main).toBe('dist/electron/main.cjs');
    expect(packed.productName).toBe('Protocol Playground');
    expect(packed.devDependencies).toBeUndefined();
    expect(packed.scripts).toBeUndefined();
  });
});

describe('electron-builder --linux dir (release profile, stand-in Electron, offline)', () => {
  it('flips the fuses in the packaged executable', async () => {
    expect(releaseLog).toContain('executing @electron/fuses');
    // RunAsNode off, cookie encryption on, NODE_OPTIONS off, --inspect off, asar integrity on,
    // only from app.asar, no browser V8 snapshot, no extra file:// privileges.
    expect(await fusesOf(join(releaseApp, 'protocol-playground'))).toBe('01001100');
  });

  it('packs the same app.asar as the test build', () => {
    const released = listPackage(join(releaseApp, 'resources', 'app.asar'), { isPack: false }).map((entry) =>
      entry.split('\\').join('/'),
    );
    expect(released).toEqual(entries);
  });
});
