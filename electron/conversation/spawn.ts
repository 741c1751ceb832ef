import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import type { SpawnReport } from './reports/model';

const tailBytes = 4096;

/** The end of a stream's output, bounded however much the program prints. */
class Tail {
  private text = '';
  add(chunk: Buffer): void {
    this.text = (this.text + chunk.toString('utf8')).slice(-tailBytes);
  }
  toString(): string {
    return this.text;
  }
}

export interface Spawned {
  /** Waits until `host:port` accepts a TCP connection, the program exits, or `timeoutMs` passes. */
  waitForPort(host: string, port: number, timeoutMs: number): Promise<'open' | 'exited' | 'timeout'>;
  /** Stops the whole process group (SIGTERM, then SIGKILL after 2 s) and reports how it ended. */
  stop(): Promise<SpawnReport>;
  readonly exited: boolean;
}

/**
 * Starts the student's program (`--spawn "python3 WebServer.py"`) through the shell in
 * its own process group, so stopping it stops whatever it started too.
 */
export function spawnProgram(command: string): Spawned {
  const stdout = new Tail();
  const stderr = new Tail();
  const windows = process.platform === 'win32';
  const child: ChildProcess = spawn(
    windows ? 'cmd.exe' : '/bin/sh',
    windows ? ['/d', '/s', '/c', command] : ['-c', command],
    {
      detached: !windows,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let stoppedByUs = false;
  let startError: Error | undefined;
  const exitedPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve();
    });
    child.once('error', (error) => {
      startError = error;
      exit = { code: null, signal: null };
      resolve();
    });
  });
  child.stdout?.on('data', (chunk: Buffer) => stdout.add(chunk));
  child.stderr?.on('data', (chunk: Buffer) => stderr.add(chunk));

  const signalGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      if (windows) child.kill(signal);
      else process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };

  return {
    get exited() {
      return exit !== undefined;
    },
    async waitForPort(host, port, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (exit) return 'exited';
        if (await accepts(host, port, Math.min(500, deadline - Date.now()))) return 'open';
        await Promise.race([exitedPromise, new Promise((r) => setTimeout(r, 50))]);
      }
      return exit ? 'exited' : 'timeout';
    },
    async stop() {
      const diedEarly = exit !== undefined;
      if (!exit) {
        stoppedByUs = true;
        signalGroup('SIGTERM');
        const killer = setTimeout(() => signalGroup('SIGKILL'), 2000);
        await Promise.race([exitedPromise, new Promise((r) => setTimeout(r, 3000))]);
        clearTimeout(killer);
      }
      // Anything the program started and left behind in its group goes too.
      signalGroup('SIGKILL');
      const status = startError
        ? `could not start: ${startError.message}`
        : !exit
          ? 'still running after SIGKILL'
          : exit.signal
            ? `killed by ${exit.signal}${stoppedByUs ? ' (stopped after the run)' : ''}`
            : `exit code ${exit.code}${stoppedByUs ? ' (after SIGTERM)' : ''}`;
      return {
        command,
        pid: child.pid,
        status,
        diedEarly,
        stdoutTail: stdout.toString(),
        stderrTail: stderr.toString(),
      };
    },
  };
}

function accepts(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(Math.max(1, timeoutMs), () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
