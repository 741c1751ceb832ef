import type { Port } from '../transport/port';
import { PlaygroundError } from './errors';
import { describeIssues, type EventFrame, outboundFrameSchema, type ResponseFrame } from './frames';
import {
  type CommandName,
  commands,
  type EventName,
  type EventPayloadOf,
  events,
  isEventName,
  type RequestOf,
  type ResponseOf,
} from './index';

export interface CallOptions {
  /** Aborting sends a cancel frame; the call rejects with E_CANCELLED. */
  signal?: AbortSignal | undefined;
  /** Gives up after this long (and cancels on the Node side) with E_TIMEOUT. */
  timeoutMs?: number | undefined;
}

export interface Client {
  call<M extends CommandName>(method: M, payload: RequestOf<M>, options?: CallOptions): Promise<ResponseOf<M>>;
  on<E extends EventName>(name: E, listener: (payload: EventPayloadOf<E>) => void): () => void;
  /** Uses this port from now on; calls still open on the previous one fail with E_DISCONNECTED. */
  connect(port: Port): void;
  readonly connected: boolean;
}

export interface ClientOptions {
  /**
   * The Node side runs in this process from the same build (the command line's
   * in-memory port): what it sends is not parsed again (its handlers' results are
   * typed by the contract, and no process boundary lies between), and requests go
   * out unchecked because serve validates every one with the same schema and answers
   * E_BAD_REQUEST in the same words. The renderer, across IPC or a WebSocket, keeps
   * every check (the default). Two to four schema parses less per round trip.
   */
  inProcess?: boolean;
}

interface Pending {
  method: CommandName;
  resolve: (value: never) => void;
  reject: (error: PlaygroundError) => void;
  cleanup: () => void;
}

/**
 * The typed face of the contract: `call('app.info', {})` resolves to exactly the
 * response type the contract declares. Pure (no DOM or Node), so the renderer, the
 * tests and a future command-line runner all use this one client.
 */
export function createClient(options: ClientOptions = {}): Client {
  const check = options.inProcess !== true;
  let port: Port | undefined;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const detachers: Array<() => void> = [];

  const failAll = (error: PlaygroundError) => {
    for (const [id, call] of pending) {
      pending.delete(id);
      call.cleanup();
      call.reject(error);
    }
  };

  const receive = (raw: unknown) => {
    const parsed = check
      ? outboundFrameSchema.safeParse(raw)
      : { success: true as const, data: raw as ResponseFrame | EventFrame };
    if (!parsed.success) {
      console.warn('ignored a malformed frame from the Node side', describeIssues('frame', parsed.error).message);
      return;
    }
    const frame = parsed.data;
    if (frame.kind === 'event') {
      if (!isEventName(frame.name)) return;
      const payload = check
        ? events[frame.name].safeParse(frame.payload)
        : { success: true as const, data: frame.payload };
      if (!payload.success) {
        console.warn(`ignored event ${frame.name}:`, describeIssues('payload', payload.error).message);
        return;
      }
      for (const listener of [...(listeners.get(frame.name) ?? [])]) listener(payload.data as never);
      return;
    }
    const call = pending.get(frame.id);
    if (!call) return; // already timed out or cancelled here
    pending.delete(frame.id);
    call.cleanup();
    if (!frame.ok) {
      call.reject(new PlaygroundError(frame.error));
      return;
    }
    const result = check
      ? commands[call.method].response.safeParse(frame.result)
      : { success: true as const, data: frame.result };
    if (result.success) call.resolve(result.data as never);
    else {
      const { message } = describeIssues('result', result.error);
      call.reject(
        new PlaygroundError({
          code: 'E_INTERNAL',
          message: `the Node side answered ${call.method} with a result that does not match the contract (${message})`,
        }),
      );
    }
  };

  return {
    get connected() {
      return port !== undefined && !port.closed;
    },

    connect(next) {
      for (const detach of detachers.splice(0)) detach();
      failAll(new PlaygroundError({ code: 'E_DISCONNECTED', message: 'the connection to the Node side was replaced' }));
      port = next;
      detachers.push(
        next.onFrame(receive),
        next.onClose(() => {
          if (port !== next) return;
          failAll(
            new PlaygroundError({
              code: 'E_DISCONNECTED',
              message:
                'the connection to the Node side closed before it answered; it reconnects by itself, then try again',
            }),
          );
        }),
      );
    },

    call(method, payload, options = {}) {
      return new Promise((resolve, reject) => {
        const current = port;
        if (!current || current.closed) {
          reject(
            new PlaygroundError({
              code: 'E_DISCONNECTED',
              message: 'not connected to the Node side right now; it reconnects by itself, then try again',
            }),
          );
          return;
        }
        const checked = check ? commands[method].request.safeParse(payload) : { success: true as const };
        if (!checked.success) {
          const { field, message } = describeIssues('payload', checked.error);
          reject(new PlaygroundError({ code: 'E_BAD_REQUEST', field, message: `${method}: ${message}` }));
          return;
        }
        const { signal, timeoutMs } = options;
        if (signal?.aborted) {
          reject(new PlaygroundError({ code: 'E_CANCELLED', message: `${method} was cancelled` }));
          return;
        }
        const id = nextId++;
        let timer: ReturnType<typeof setTimeout> | undefined;
        const giveUp = (error: PlaygroundError) => {
          if (!pending.delete(id)) return;
          cleanup();
          if (!current.closed) current.send({ kind: 'cancel', id });
          reject(error);
        };
        const onAbort = () => giveUp(new PlaygroundError({ code: 'E_CANCELLED', message: `${method} was cancelled` }));
        const cleanup = () => {
          if (timer !== undefined) clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        };
        pending.set(id, { method, resolve: resolve as (value: never) => void, reject, cleanup });
        signal?.addEventListener('abort', onAbort, { once: true });
        if (timeoutMs !== undefined) {
          timer = setTimeout(
            () =>
              giveUp(
                new PlaygroundError({
                  code: 'E_TIMEOUT',
                  message: `${method} got no answer within ${formatSeconds(timeoutMs)}`,
                }),
              ),
            timeoutMs,
          );
        }
        try {
          current.send({ kind: 'request', id, method, payload });
        } catch (error) {
          // A transport that cannot carry this frame fails this call only.
          if (!pending.delete(id)) return;
          cleanup();
          reject(
            error instanceof PlaygroundError
              ? error
              : new PlaygroundError({ code: 'E_INTERNAL', message: `${method} could not be sent: ${String(error)}` }),
          );
        }
      });
    },

    on(name, listener) {
      let set = listeners.get(name);
      if (!set) {
        set = new Set();
        listeners.set(name, set);
      }
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
  };
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
