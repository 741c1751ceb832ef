/**
 * `npm start`'s use of Electron's own installer (electron/cli/installElectron.ts):
 * the real node_modules/electron/install.js pointed at 127.0.0.1 mirrors that
 * refuse or never answer (no other network is touched), stand-in installers for
 * success and progress, and the reasons and fixes for the failures that cannot be
 * made to happen here (offline, out of space, HTTP errors).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createRequire } from 'node:module';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../../electron/cli/build';
import { findElectronBinary } from '../../../../electron/cli/electronBinary';
import {
  defaultInstallTimeoutMs,
  type InstallProgress,
  installFailure,
  installTimeoutMs,
  runElectronInstaller,
} from '../../../../electron/cli/installElectron';
import { progressText } from '../../../../electron/cli/start';
import packageJson from '../../../../package.json' with { type: 'json' };

const realPackageDir = dirname(createRequire(join(projectRoot, 'package.json')).resolve('electron/package.json'));
const electronVersion = (createRequire(import.meta.url)(join(realPackageDir, 'package.json')) as { version: string })
  .version;

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A 127.0.0.1 port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Accepts connections and never answers, like a firewall that swallows packets. */
async function silentServer(): Promise<number> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return (server.address() as { port: number }).port;
}

/** The real installer's environment: a mirror on 127.0.0.1 and an empty download cache. */
function realInstallerEnv(mirror: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ELECTRON_MIRROR: mirror,
    electron_config_cache: tempDir('pp-cache-'),
  };
  // Nothing from the caller may send it elsewhere.
  for (const name of Object.keys(env)) {
    if (/^(npm_config_electron_|npm_package_config_electron_|ELECTRON_(CUSTOM|NIGHTLY)|.*_PROXY$)/i.test(name))
      delete env[name];
  }
  delete env.ELECTRON_OVERRIDE_DIST_PATH;
  return env;
}

const hasRealBinary = findElectronBinary().found;

describe("Electron's own installer, run by npm start", () => {
  // Where the binary is already there the installer exits at once and succeeds: nothing to test.
  it.skipIf(hasRealBinary)(
    'refused by the mirror: a failure saying it was blocked, with the host, the cause and a fix',
    async () => {
      const port = await closedPort();
      const outcome = await runElectronInstaller({
        packageDir: realPackageDir,
        env: realInstallerEnv(`http://127.0.0.1:${port}/`),
        timeoutMs: 60_000,
      });
      expect(outcome).toEqual({
        ok: false,
        reason: `blocked: Electron's installer could not download from 127.0.0.1:${port} (ECONNREFUSED connect ECONNREFUSED 127.0.0.1:${port})`,
        fix: expect.stringContaining('ELECTRON_MIRROR'),
      });
      expect(outcome.ok || outcome.fix).toContain('ELECTRON_OVERRIDE_DIST_PATH');
      expect(outcome.ok || outcome.fix).toContain(
        `electron-v${electronVersion}-${process.platform}-${process.arch}.zip`,
      );
      // Nothing was half-installed.
      expect(findElectronBinary().found).toBe(false);
    },
    60_000,
  );

  it.skipIf(hasRealBinary)(
    'a mirror that never answers: stopped at the time limit, with how to allow more',
    async () => {
      const port = await silentServer();
      const started = Date.now();
      const outcome = await runElectronInstaller({
        packageDir: realPackageDir,
        env: realInstallerEnv(`http://127.0.0.1:${port}/`),
        timeoutMs: 1500,
      });
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(outcome).toEqual({
        ok: false,
        reason: "Electron's download did not finish within 1.5 s",
        fix: expect.stringMatching(/npx install-electron.*PLAYGROUND_ELECTRON_INSTALL_TIMEOUT=<seconds>/),
      });
    },
    30_000,
  );

  it('a successful install: progress from the download, then the binary is found', async () => {
    // A stand-in electron package whose install.js downloads from 127.0.0.1 and unpacks a binary.
    const payload = Buffer.alloc(300_000, 7);
    const http = createHttpServer((_request, response) => {
      response.writeHead(200, { 'content-length': payload.length });
      response.end(payload);
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => http.close(() => resolve())));
    const { port } = http.address() as { port: number };

    const root = tempDir('pp-install-');
    writeFileSync(join(root, 'package.json'), '{"name":"p"}');
    const packageDir = join(root, 'node_modules', 'electron');
    mkdirSync(packageDir, { recursive: true });
    writeFileSync(join(packageDir, 'package.json'), '{"name":"electron","version":"45.0.0"}');
    writeFileSync(
      join(packageDir, 'install.js'),
      `const fs = require('fs'), path = require('path');
       fetch('http://127.0.0.1:${port}/electron.zip').then((r) => r.arrayBuffer()).then((zip) => {
         if (zip.byteLength !== ${payload.length}) throw new Error('short download');
         fs.mkdirSync(path.join(__dirname, 'dist'), { recursive: true });
         fs.writeFileSync(path.join(__dirname, 'dist', 'electron'), '#!/bin/sh\\n', { mode: 0o755 });
         fs.writeFileSync(path.join(__dirname, 'path.txt'), 'electron');
       });`,
    );
    const before = findElectronBinary({ root, env: {}, platform: 'linux' });
    expect(before).toMatchObject({ found: false, packageDir });

    const progress: InstallProgress[] = [];
    const outcome = await runElectronInstaller({ packageDir, env: process.env, onProgress: (p) => progress.push(p) });
    expect(outcome).toEqual({ ok: true });
    expect(progress.at(-1)).toEqual({ received: payload.length, total: payload.length });
    expect(progressText({ received: 12_345_678, total: 110_500_000 })).toBe('12.3 of 110.5 MB');
    expect(findElectronBinary({ root, env: {}, platform: 'linux' })).toEqual({
      found: true,
      executablePath: join(packageDir, 'dist', 'electron'),
    });
  });

  it('waits five minutes unless PLAYGROUND_ELECTRON_INSTALL_TIMEOUT says otherwise', () => {
    expect(installTimeoutMs({})).toBe(defaultInstallTimeoutMs);
    expect(defaultInstallTimeoutMs).toBe(300_000);
    expect(installTimeoutMs({ PLAYGROUND_ELECTRON_INSTALL_TIMEOUT: '20' })).toBe(20_000);
    expect(installTimeoutMs({ PLAYGROUND_ELECTRON_INSTALL_TIMEOUT: 'soon' })).toBe(defaultInstallTimeoutMs);
  });
});

describe('why the installer failed, as the installer prints it', () => {
  const context = { packageDir: realPackageDir };
  const fetchFailed = (url: string, cause: string) =>
    `@@playground-fetch-failed ${JSON.stringify({ url, cause })}\nTypeError: fetch failed\n    at node:internal/deps/undici/undici:14976:13\n`;

  it('offline: the host name does not resolve', () => {
    const failure = installFailure(
      fetchFailed(
        'https://github.com/electron/electron/releases/download/v45.4.1/electron-v45.4.1-linux-x64.zip',
        'ENOTFOUND getaddrinfo ENOTFOUND github.com',
      ),
      context,
    );
    expect(failure.reason).toBe(
      "offline: Electron's installer could not reach github.com (ENOTFOUND getaddrinfo ENOTFOUND github.com)",
    );
    expect(failure.fix).toMatch(/^connect to the internet and run `npm start` again, or set ELECTRON_MIRROR/);
  });

  it('out of space while downloading or unpacking', () => {
    const failure = installFailure(
      'Error: ENOSPC: no space left on device, write\n    at async WriteStream.write (node:internal/fs/streams:1:1)\n',
      context,
    );
    expect(failure.reason).toMatch(/^out of disk space/);
    expect(failure.fix).toMatch(/^free some space/);
  });

  it('blocked by a proxy (407) or a TLS-intercepting firewall; a mirror without the file (404)', () => {
    const proxy = installFailure(
      'HTTPError: Response code 407 (Proxy Authentication Required) for https://github.com/electron/x.zip\n',
      context,
    );
    expect(proxy.reason).toBe(
      'blocked: github.com answered 407 Proxy Authentication Required for https://github.com/electron/x.zip',
    );
    const tls = installFailure(
      fetchFailed('https://github.com/x.zip', 'SELF_SIGNED_CERT_IN_CHAIN self-signed certificate in certificate chain'),
      context,
    );
    expect(tls.reason).toMatch(/^blocked: .*github\.com.*SELF_SIGNED_CERT_IN_CHAIN/);
    const missing = installFailure(
      'HTTPError: Response code 404 (Not Found) for https://mirror.example/v45.4.1/electron-v45.4.1-linux-x64.zip\n',
      context,
    );
    expect(missing.reason).toMatch(/^download failed: mirror\.example answered 404 Not Found/);
    expect(missing.fix).toMatch(/^check ELECTRON_MIRROR/);
  });

  it('anything else: the telling line, and how to see the installer’s full output', () => {
    const failure = installFailure('Error: Electron builds are not available on platform: aix\n    at x\n', context);
    expect(failure.reason).toBe(
      "Electron's installer failed: Error: Electron builds are not available on platform: aix",
    );
    expect(failure.fix).toMatch(/^run `npx install-electron`/);
  });
});

describe('engines', () => {
  it('asks for a Node that runs the build, the tests and Electron’s installer (ESM loaded with require())', () => {
    const semver = createRequire(import.meta.url)('semver') as {
      subset(sub: string, range: string): boolean;
      satisfies(version: string, range: string): boolean;
    };
    const required = packageJson.engines.node;
    // install.js require()s @electron/get, an ES module: Node 20.19+ or 22.12+ load it.
    let dir = dirname(createRequire(join(realPackageDir, 'install.js')).resolve('@electron/get'));
    while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
    const getPackage = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { type?: string };
    expect(getPackage.type).toBe('module');
    for (const tooOld of ['18.20.0', '20.0.0', '20.18.3', '22.11.0']) {
      expect(semver.satisfies(tooOld, required), tooOld).toBe(false);
    }
    for (const fine of ['20.19.0', '22.12.0', '24.0.0']) expect(semver.satisfies(fine, required), fine).toBe(true);
    const viteEngines = (createRequire(import.meta.url)('vite/package.json') as { engines: { node: string } }).engines;
    expect(semver.subset(required, viteEngines.node)).toBe(true);
    expect(semver.satisfies(process.versions.node, required)).toBe(true);
  });
});
