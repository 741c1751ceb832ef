import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { withTimeout } from './timing';

/**
 * Request/answer over Node's IPC channel between the bench and the child processes
 * it starts. Each helper runs in its own process so its memory and CPU are its own
 * and do not mix with the bench client's.
 */

// `any`: each child declares its own argument types.
export type Api = Record<string, (args: any) => unknown>;

type Request = { id: number; op: string; args: unknown };
type Answer = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
type Ready = { ready: unknown };

/** Child side: answers the parent's requests with `api`, announces `ready`, exits when the parent goes. */
export function answerParent(api: Api, ready: unknown): void {
  const send = process.send?.bind(process);
  if (!send) throw new Error('this file is a child of bench/run.ts; start the bench with npm run bench');
  process.on('message', (message: Request) => {
    const handler = api[message.op];
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`unknown operation ${message.op}`);
        return handler(message.args);
      })
      .then(
        (result) => send({ id: message.id, ok: true, result } satisfies Answer),
        (error: unknown) => send({ id: message.id, ok: false, error: errorText(error) } satisfies Answer),
      );
  });
  // An orphan would keep its sockets open: leave with the parent.
  process.on('disconnect', () => process.exit(0));
  send({ ready } satisfies Ready);
}

/** Parent side: a child running one bench/*.ts file under tsx. */
export class Child<A extends Api> {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private exited: Error | undefined;

  private constructor(
    readonly name: string,
    private readonly process: ChildProcess,
  ) {
    process.on('message', (message: Answer | Ready) => {
      if ('ready' in message) return;
      const call = this.pending.get(message.id);
      if (!call) return;
      this.pending.delete(message.id);
      if (message.ok) call.resolve(message.result);
      else call.reject(new Error(`${name}: ${message.error}`));
    });
    process.on('exit', (code, signal) => {
      this.exited = new Error(`${name} exited (${signal ?? `code ${code}`})`);
      for (const call of this.pending.values()) call.reject(this.exited);
      this.pending.clear();
    });
  }

  static async start<A extends Api, R>(
    file: string,
    args: string[],
    { env = {}, nodeFlags = [], timeoutMs }: { env?: NodeJS.ProcessEnv; nodeFlags?: string[]; timeoutMs: number },
  ): Promise<{ child: Child<A>; ready: R }> {
    const path = fileURLToPath(new URL(file, import.meta.url));
    const proc = fork(path, args, {
      execArgv: [...nodeFlags, ...profileFlags(), '--import', import.meta.resolve('tsx')],
      env: { ...process.env, ...env },
      // The table goes to stdout; whatever a child prints goes to stderr.
      stdio: ['ignore', 2, 2, 'ipc'],
    });
    const child = new Child<A>(file, proc);
    const ready = await withTimeout(
      new Promise<R>((resolve, reject) => {
        proc.on('message', (message: Answer | Ready) => {
          if ('ready' in message) resolve(message.ready as R);
        });
        proc.once('error', reject);
        proc.once('exit', (code, signal) =>
          reject(new Error(`${file} exited before it was ready (${signal ?? code})`)),
        );
      }),
      timeoutMs,
      `starting ${file}`,
    ).catch((error: unknown) => {
      proc.kill();
      throw error;
    });
    return { child, ready };
  }

  call<K extends keyof A & string>(
    op: K,
    args: Parameters<A[K]>[0],
    timeoutMs: number,
  ): Promise<Awaited<ReturnType<A[K]>>> {
    if (this.exited) return Promise.reject(this.exited);
    const id = this.nextId++;
    const answer = new Promise<Awaited<ReturnType<A[K]>>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    });
    this.process.send({ id, op, args } satisfies Request);
    return withTimeout(answer, timeoutMs, `${this.name} ${op}`).finally(() => this.pending.delete(id));
  }

  /** Asks the child to leave; kills it if it has not within `graceMs`. */
  async stop(graceMs = 3000): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
    this.process.disconnect();
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    await gone;
    clearTimeout(timer);
  }
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** BENCH_CPU_PROF=<dir> (diagnostics only): each child writes a V8 CPU profile there when it exits. */
function profileFlags(): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}
