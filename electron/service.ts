import type {
  CommandName,
  EventName,
  EventPayloadOf,
  ParsedRequestOf,
  ResponseOf,
  TransportKind,
} from '../shared/contract';

/**
 * The interface every service implements: what the dispatcher (serve.ts) gives a service
 * for one connected renderer, and what a service gives back (handlers for its commands).
 */
export interface Closable {
  close(): void | Promise<void>;
}

/**
 * Everything the Node side does for one connected renderer. Resources a service opens
 * (sockets, servers, timers) are `own`ed by the session and closed when the port closes,
 * so a closed window or dropped WebSocket never leaves a socket behind.
 */
export interface Session {
  readonly transport: TransportKind;
  /** Aborted when the port closes. */
  readonly signal: AbortSignal;
  /**
   * Bytes of events sent that the page has not taken in yet (the port's bufferedAmount;
   * always 0 over Electron IPC). A socket that feeds events stops reading while it is high.
   */
  readonly backlog: number;
  emit<E extends EventName>(name: E, payload: EventPayloadOf<E>): void;
  /**
   * Closes `resource` when the port closes. Sockets and servers count toward the
   * per-window cap (MAX_OPEN_SOCKETS in serve.ts): past it, `resource` is closed and
   * E_TOO_MANY thrown. Housekeeping that holds no socket (a timer, a service's own
   * cleanup) passes `{ socket: false }` and is never refused.
   */
  own<T extends Closable>(resource: T, options?: { socket?: boolean }): T;
  /** Stops owning a resource that was closed by other means. */
  release(resource: Closable): void;
}

export interface CallContext {
  readonly session: Session;
  /** Aborted when the caller cancels or the port closes. */
  readonly signal: AbortSignal;
}

export type Handler<M extends CommandName> = (
  payload: ParsedRequestOf<M>,
  call: CallContext,
) => ResponseOf<M> | Promise<ResponseOf<M>>;

export type Handlers = { [M in CommandName]: Handler<M> };

/** A service adds handlers for its own commands, with per-session state in its closure. */
export type Service = (session: Session) => Partial<Handlers>;
