/**
 * Gets the Electron binary the way Electron itself does. Since electron 45 the
 * package has no postinstall step: its binary arrives on the first
 * `require('electron')`, `npx electron` or `npx install-electron`, all of which run
 * node_modules/electron/install.js. `npm start` runs that same installer (so
 * ELECTRON_MIRROR, the download cache and checksums work as Electron documents
 * them), shows its progress, gives up after a time limit, and turns a failure into
 * one reason and one fix a student can act on.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Electron is about 110 MB: five minutes is slow, but not hopeless. */
export const defaultInstallTimeoutMs = 300_000;

/** Environment variable (seconds) that sets the time limit. */
export const installTimeoutVariable = 'PLAYGROUND_ELECTRON_INSTALL_TIMEOUT';

export type InstallOutcome = { ok: true } | { ok: false; reason: string; fix: string };

export interface InstallProgress {
  readonly received: number;
  readonly total: number;
}

export interface InstallOptions {
  /** node_modules/electron. */
  packageDir: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  onProgress?: (progress: InstallProgress) => void;
}

const progressMark = '@@playground-progress ';
const fetchFailedMark = '@@playground-fetch-failed ';

/**
 * Runs install.js unchanged, with fetch wrapped first: the installer prints only
 * "fetch failed" (the cause, which says offline or blocked, stays in the error's
 * `cause`), and it shows no progress for its first 30 s. Marked lines on stderr
 * carry both back.
 */
const installerWrapper = `
const realFetch = globalThis.fetch;
const describe = (error) => {
  const parts = [];
  for (let cause = error && error.cause; cause; cause = cause.cause) {
    parts.push([cause.code, cause.message].filter(Boolean).join(' '));
    for (const inner of cause.errors || []) parts.push([inner.code, inner.message].filter(Boolean).join(' '));
  }
  return parts.join('; ');
};
globalThis.fetch = async (input, init) => {
  let response;
  try {
    response = await realFetch(input, init);
  } catch (error) {
    process.stderr.write(${JSON.stringify(fetchFailedMark)} + JSON.stringify({ url: String(input), cause: describe(error) }) + '\\n');
    throw error;
  }
  const total = Number(response.headers.get('content-length')) || 0;
  if (!response.ok || !response.body || total === 0) return response;
  let received = 0;
  let shown = 0;
  const counter = new TransformStream({
    transform(chunk, controller) {
      received += chunk.byteLength;
      const now = Date.now();
      if (now - shown > 250 || received === total) {
        shown = now;
        process.stderr.write(${JSON.stringify(progressMark)} + received + ' ' + total + '\\n');
      }
      controller.enqueue(chunk);
    },
  });
  return new Response(response.body.pipeThrough(counter), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
};
require(process.argv[1]);
`;

/** The time limit: PLAYGROUND_ELECTRON_INSTALL_TIMEOUT seconds, else five minutes. */
export function installTimeoutMs(env: NodeJS.ProcessEnv): number {
  const seconds = Number(env[installTimeoutVariable]);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : defaultInstallTimeoutMs;
}

/** The electron package's version (what the installer downloads). */
export function electronVersion(packageDir: string): string {
  try {
    return (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version?: string }).version ?? '?';
  } catch {
    return '?';
  }
}

export function runElectronInstaller(options: InstallOptions): Promise<InstallOutcome> {
  const { packageDir, env = process.env, onProgress } = options;
  const timeoutMs = options.timeoutMs ?? installTimeoutMs(env);
  const childEnv = { ...env };
  // Would make the installer's own node behave differently; it must run as plain Node.
  delete childEnv.ELECTRON_RUN_AS_NODE;
  const child = spawn(process.execPath, ['-e', installerWrapper, join(packageDir, 'install.js')], {
    cwd: packageDir,
    env: childEnv,
    stdio: ['ignore', 'ignore', 'pipe'],
  });

  let stderr = '';
  let partial = '';
  child.stderr.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith(progressMark)) {
        const [received = 0, total = 0] = line.slice(progressMark.length).split(' ').map(Number);
        onProgress?.({ received, total });
      } else {
        stderr = (stderr + line + '\n').slice(-16_384);
      }
    }
  });

  return new Promise((resolve) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 2000).unref();
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({
        ok: false,
        reason: `could not run Electron's installer: ${error.message}`,
        fix: 'check that Node can run here, then run `npx install-electron`',
      });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      const output = stderr + partial;
      if (timedOut) {
        resolve({ ok: false, ...installFailure(output, { timedOutAfterMs: timeoutMs, packageDir }) });
      } else if (code === 0) {
        resolve({ ok: true });
      } else {
        resolve({ ok: false, ...installFailure(output, { packageDir }) });
      }
    });
  });
}

const offlineCodes = ['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'ENETUNREACH', 'ENETDOWN', 'EHOSTUNREACH', 'EHOSTDOWN'];
const blockedCodes = ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET'];

/**
 * Why Electron's installer failed, from what it printed (and the fetch causes the
 * wrapper added), as a reason and a fix: offline, blocked, out of space, and the rest.
 */
export function installFailure(
  output: string,
  context: { timedOutAfterMs?: number; packageDir: string },
): { reason: string; fix: string } {
  const version = electronVersion(context.packageDir);
  const zip = `electron-v${version}-${process.platform}-${process.arch}.zip`;
  const byHand =
    `or download ${zip} on a machine that can, unpack it anywhere, ` +
    'and set ELECTRON_OVERRIDE_DIST_PATH to that folder';
  const mirrorHint = 'or set ELECTRON_MIRROR to a mirror you can reach';
  if (context.timedOutAfterMs !== undefined) {
    return {
      reason: `Electron's download did not finish within ${context.timedOutAfterMs / 1000} s`,
      fix:
        'run `npx install-electron` once (it has no time limit), then `npm start`; ' +
        `or allow more time with ${installTimeoutVariable}=<seconds>`,
    };
  }
  const failed = fetchFailures(output);
  const cause = failed.map((failure) => failure.cause).join('; ');
  const host = failed[0] ? hostOf(failed[0].url) : 'the download server';
  if (/\bENOSPC\b|no space left on device/i.test(output)) {
    return {
      reason: "out of disk space while Electron's installer downloaded or unpacked Electron (about 250 MB are needed)",
      fix:
        'free some space on the disk holding node_modules and the download cache ' +
        '(or point electron_config_cache at a disk with room), then run `npm start` again',
    };
  }
  if (offlineCodes.some((code) => cause.includes(code))) {
    return {
      reason: `offline: Electron's installer could not reach ${host} (${shorten(cause)})`,
      fix: `connect to the internet and run \`npm start\` again, ${mirrorHint}, ${byHand}`,
    };
  }
  if (blockedCodes.some((code) => cause.includes(code)) || /CERT|certificate|SSL|TLS/i.test(cause)) {
    return {
      reason: `blocked: Electron's installer could not download from ${host} (${shorten(cause)})`,
      fix:
        `let ${host} through the firewall, or behind a proxy set ELECTRON_GET_USE_PROXY=1 and HTTPS_PROXY, ` +
        `${mirrorHint}, ${byHand}`,
    };
  }
  const http = /HTTPError: Response code (\d+) \(([^)]*)\) for (\S+)/.exec(output);
  if (http) {
    const [, status = '', text = '', url = ''] = http;
    const blocked = status === '401' || status === '403' || status === '407';
    return {
      reason: `${blocked ? 'blocked' : 'download failed'}: ${hostOf(url)} answered ${status} ${text} for ${url}`,
      fix: blocked
        ? `ask whoever runs the network or proxy to allow ${hostOf(url)}, ${mirrorHint}, ${byHand}`
        : `check ELECTRON_MIRROR (the mirror has no ${zip}), ${byHand}`,
    };
  }
  if (/checksum|sha256|did not match/i.test(output)) {
    return {
      reason: 'the downloaded Electron did not match its checksum (altered or cut short on the way)',
      fix: `run \`npm start\` again; if it repeats, a proxy is changing downloads: ${byHand}`,
    };
  }
  if (failed.length > 0) {
    return {
      reason: `Electron's installer could not download from ${host} (${shorten(cause || 'fetch failed')})`,
      fix: `check the network and ELECTRON_MIRROR, then run \`npm start\` again, ${byHand}`,
    };
  }
  if (/\b(EACCES|EPERM|EROFS)\b/.test(output)) {
    return {
      reason: `Electron's installer may not write where it must (${shorten(lastTellingLine(output))})`,
      fix: `make ${context.packageDir} and the download cache writable by you, then run \`npm start\` again`,
    };
  }
  return {
    reason: `Electron's installer failed: ${shorten(lastTellingLine(output) || 'it printed nothing')}`,
    fix: `run \`npx install-electron\` to see its full output, ${byHand}`,
  };
}

function fetchFailures(output: string): Array<{ url: string; cause: string }> {
  return output
    .split('\n')
    .filter((line) => line.startsWith(fetchFailedMark))
    .flatMap((line) => {
      try {
        return [JSON.parse(line.slice(fetchFailedMark.length)) as { url: string; cause: string }];
      } catch {
        return [];
      }
    });
}

function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

/** The line of an error that says what went wrong: the first not part of a stack trace. */
function lastTellingLine(output: string): string {
  return (
    output
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line !== '' && !line.startsWith('at ') && !line.startsWith(fetchFailedMark)) ?? ''
  );
}

function shorten(text: string): string {
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}
