import {
  type CommandName,
  commands,
  describeIssues,
  type ErrorInfo,
  inboundFrameSchema,
  isCommandName,
  PlaygroundError,
  type TransportKind,
} from '../shared/contract';
import type { Port } from '../shared/transport/port';
import type { Closable, Handler, Service, Session } from './service';

/**
 * Sockets and servers one window (one page in browser mode) may hold open at once. A
 * lesson needs a handful; a page looping over udp.open would otherwise take every file
 * descriptor the process has.
 */
export const MAX_OPEN_SOCKETS = 256;

export interface ServeOptions {
  transport: TransportKind;
  services: readonly Service[];
  /** Bounds memory a misbehaving renderer can pin with calls that never finish. */
  maxOpenCalls?: number;
  /** Open sockets and servers at once (MAX_OPEN_SOCKETS); tests pass a small one. */
  maxOpenSockets?: number;
  log?: (message: string) => void;
}

/**
 * Answers frames arriving on `port`. Every request is validated against its schema
 * before any service sees it; payloads from the renderer are untrusted input.
 */
export function serve(port: Port, options: ServeOptions): Session {
  const {
    transport,
    maxOpenCalls = 1024,
    maxOpenSockets = MAX_OPEN_SOCKETS,
    log = (message) => console.error(message),
  } = options;
  const lifetime = new AbortController();
  const owned = new Set<Closable>();
  /** The owned resources that are sockets or servers: the ones the cap counts. */
  const sockets = new Set<Closable>();
  const open = new Map<number, AbortController>();

  const session: Session = {
    transport,
    signal: lifetime.signal,
    get backlog() {
      return port.bufferedAmount;
    },
    emit(name, payload) {
      if (!port.closed) port.send({ kind: 'event', name, payload });
    },
    own(resource, { socket = true } = {}) {
      if (lifetime.signal.aborted) {
        closeQuietly(resource, log);
        throw new PlaygroundError({ code: 'E_DISCONNECTED', message: 'the renderer has gone away' });
      }
      if (socket && !sockets.has(resource) && sockets.size >= maxOpenSockets) {
        closeQuietly(resource, log);
        throw new PlaygroundError({
          code: 'E_TOO_MANY',
          message: `at most ${maxOpenSockets} open sockets and servers per window: close some first`,
          details: { maxOpenSockets },
        });
      }
      owned.add(resource);
      if (socket) sockets.add(resource);
      return resource;
    },
    release(resource) {
      owned.delete(resource);
      sockets.delete(resource);
    },
  };

  const handlers: Partial<Record<CommandName, Handler<CommandName>>> = {};
  for (const service of options.services) Object.assign(handlers, service(session));

  const reply = (id: number, outcome: { ok: true; result: unknown } | { ok: false; error: ErrorInfo }) => {
    if (port.closed) return;
    port.send(
      outcome.ok
        ? { kind: 'response', id, ok: true, result: outcome.result }
        : { kind: 'response', id, ok: false, error: outcome.error },
    );
  };

  const reject = (raw: unknown, info: ErrorInfo) => {
    const id = (raw as { id?: unknown } | null)?.id;
    if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) reply(id, { ok: false, error: info });
    else session.emit('host.rejected', { code: info.code, message: info.message, field: info.field });
  };

  const run = async (id: number, method: CommandName, payload: unknown) => {
    const handler = handlers[method];
    if (!handler) {
      reply(id, {
        ok: false,
        error: { code: 'E_UNKNOWN_METHOD', message: `${method} is declared but no service handles it` },
      });
      return;
    }
    const checked = commands[method].request.safeParse(payload);
    if (!checked.success) {
      const { field, message } = describeIssues('payload', checked.error);
      reply(id, { ok: false, error: { code: 'E_BAD_REQUEST', field, message: `${method}: ${message}` } });
      return;
    }
    const controller = new AbortController();
    open.set(id, controller);
    try {
      const result = await handler(checked.data as never, { session, signal: controller.signal });
      reply(id, { ok: true, result });
    } catch (error) {
      reply(id, { ok: false, error: toErrorInfo(error, method, log) });
    } finally {
      open.delete(id);
    }
  };

  port.onFrame((raw) => {
    const parsed = inboundFrameSchema.safeParse(raw);
    if (!parsed.success) {
      const { field, message } = describeIssues('frame', parsed.error);
      reject(raw, { code: 'E_BAD_REQUEST', field, message: `malformed frame: ${message}` });
      return;
    }
    const frame = parsed.data;
    if (frame.kind === 'cancel') {
      open.get(frame.id)?.abort(new PlaygroundError({ code: 'E_CANCELLED', message: 'cancelled by the user' }));
      return;
    }
    if (!isCommandName(frame.method)) {
      reply(frame.id, {
        ok: false,
        error: { code: 'E_UNKNOWN_METHOD', field: 'method', message: `unknown command ${frame.method}` },
      });
      return;
    }
    if (open.has(frame.id)) {
      reply(frame.id, {
        ok: false,
        error: { code: 'E_BAD_REQUEST', field: 'id', message: `request id ${frame.id} is already in use` },
      });
      return;
    }
    if (open.size >= maxOpenCalls) {
      reply(frame.id, {
        ok: false,
        error: { code: 'E_BAD_REQUEST', message: `more than ${maxOpenCalls} calls are open at once` },
      });
      return;
    }
    void run(frame.id, frame.method, frame.payload);
  });

  port.onClose(() => {
    const reason = new PlaygroundError({ code: 'E_DISCONNECTED', message: 'the renderer has gone away' });
    for (const controller of open.values()) controller.abort(reason);
    open.clear();
    lifetime.abort(reason);
    for (const resource of owned) closeQuietly(resource, log);
    owned.clear();
    sockets.clear();
  });

  return session;
}

function toErrorInfo(error: unknown, method: string, log: (message: string) => void): ErrorInfo {
  if (error instanceof PlaygroundError) return error.toInfo();
  const message = error instanceof Error ? error.message : String(error);
  log(`internal error in ${method}: ${error instanceof Error && error.stack ? error.stack : message}`);
  return { code: 'E_INTERNAL', message: `internal error in ${method}: ${message}` };
}

function closeQuietly(resource: Closable, log: (message: string) => void): void {
  try {
    const result = resource.close();
    if (result instanceof Promise) result.catch((error: unknown) => log(`closing a resource failed: ${String(error)}`));
  } catch (error) {
    log(`closing a resource failed: ${String(error)}`);
  }
}
