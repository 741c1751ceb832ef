import { handshakeProtocols } from '../../shared/app/browserAccess';
import { type Client, createClient } from '../../shared/contract/client';
import type { Port } from '../../shared/transport/port';
import { takeAccessToken } from './accessToken';
import { createElectronPort, findElectronBridge } from './electronPort';
import { type OpenWebSocketOptions, openWebSocketPort } from './websocketPort';

export type TransportLabel = 'electron' | 'browser';

/**
 * - connecting: the first attempts since start.
 * - connected: a port is open and the client uses it.
 * - reconnecting: was connected, lost it, trying again by itself.
 * - unreachable: never connected after several attempts; still trying, slowly.
 *   Browsers cannot tell "wrong token" (401) from "nobody listening", so the UI
 *   explains both here.
 * - stopped: `stop()` was called.
 */
export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'unreachable' | 'stopped';

export interface ConnectionState {
  readonly status: ConnectionStatus;
  /** The attempt under way or scheduled next, counted from 1 since the last connection; 0 while connected. */
  readonly attempt: number;
  /** Why the last connection or attempt ended, in words. */
  readonly reason: string | undefined;
  /** When the next attempt starts (per `now()`), while waiting for it. */
  readonly retryAt: number | undefined;
  /** Successful connections so far: changes on every (re)connection, so per-connection work can key on it. */
  readonly connections: number;
}

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface BackoffOptions {
  /** Delay before the first retry (before jitter). */
  initialMs: number;
  /** No delay is ever longer than this. */
  maxMs: number;
}

export interface ConnectionOptions {
  transport: TransportLabel;
  /** Opens a fresh port; rejects when the host cannot be reached. Aborting `signal` must give up. */
  openPort: (signal: AbortSignal) => Promise<Port>;
  client?: Client | undefined;
  backoff?: Partial<BackoffOptions> | undefined;
  /** An attempt that has not opened after this long is abandoned and retried. */
  connectTimeoutMs?: number | undefined;
  /** Failed attempts before ever connecting after which the state becomes `unreachable`. */
  unreachableAfter?: number | undefined;
  timers?: Timers | undefined;
  random?: (() => number) | undefined;
  now?: (() => number) | undefined;
}

export interface ConnectionManager {
  readonly transport: TransportLabel;
  /** One client for the page's lifetime: event subscriptions on it survive reconnects. */
  readonly client: Client;
  readonly state: ConnectionState;
  /** Called after every state change; the state object is replaced, never mutated. */
  subscribe(listener: (state: ConnectionState) => void): () => void;
  start(): void;
  /** Skips the wait before the next attempt (a "Retry now" button). */
  retryNow(): void;
  /** Closes the port and stops retrying. */
  stop(): void;
}

export const defaultBackoff: BackoffOptions = { initialMs: 250, maxMs: 5000 };

/**
 * Delay before retry number `retry` (0 for the first): doubling from `initialMs`,
 * capped at `maxMs`, then jittered into [half, full] so that many pages reconnecting
 * to a restarted host do not all arrive at once.
 */
export function backoffDelay(retry: number, options: BackoffOptions, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(retry, 0), 30);
  const ceiling = Math.min(options.maxMs, options.initialMs * 2 ** exponent);
  return Math.round(ceiling * (0.5 + 0.5 * random()));
}

/**
 * Keeps the client connected to the Node side: opens a port, hands it to the client,
 * and when it closes opens another after a bounded, jittered backoff. Calls open when
 * a port closes fail with E_DISCONNECTED (the client does that); event listeners stay.
 * Knows nothing about the DOM, so tests drive it with real sockets and fake timers.
 */
export function createConnectionManager(options: ConnectionOptions): ConnectionManager {
  const {
    transport,
    openPort,
    client = createClient(),
    connectTimeoutMs = 10_000,
    unreachableAfter = 4,
    timers = { setTimeout: (cb, ms) => setTimeout(cb, ms), clearTimeout: (h) => clearTimeout(h as never) },
    random = Math.random,
    now = Date.now,
  } = options;
  const backoff: BackoffOptions = { ...defaultBackoff, ...options.backoff };

  const listeners = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = {
    status: 'connecting',
    attempt: 0,
    reason: undefined,
    retryAt: undefined,
    connections: 0,
  };
  let started = false;
  let stopped = false;
  let failures = 0; // failed attempts since the last connection (or since start)
  let retries = 0; // retries scheduled since the last connection: the backoff exponent
  let port: Port | undefined;
  let retryTimer: unknown;
  let attemptAbort: AbortController | undefined;

  const update = (next: Partial<ConnectionState>) => {
    state = { ...state, ...next };
    for (const listener of [...listeners]) listener(state);
  };

  const attempt = async () => {
    retryTimer = undefined;
    const abort = new AbortController();
    attemptAbort = abort;
    update({ attempt: failures + 1, retryAt: undefined });
    const timeout = timers.setTimeout(
      () => abort.abort(new Error(`no answer from the host within ${Math.round(connectTimeoutMs / 1000)} s`)),
      connectTimeoutMs,
    );
    const opening = Promise.resolve().then(() => openPort(abort.signal));
    let opened: Port;
    try {
      opened = await Promise.race([opening, aborted(abort.signal)]);
    } catch (error) {
      // An opener that ignores the abort may still resolve later: do not leak that port.
      opening.then(
        (late) => late.close(),
        () => {},
      );
      if (stopped || attemptAbort !== abort) return;
      attemptAbort = undefined;
      failures++;
      scheduleRetry(error instanceof Error ? error.message : String(error));
      return;
    } finally {
      timers.clearTimeout(timeout);
    }
    if (stopped || attemptAbort !== abort) {
      opened.close();
      return;
    }
    attemptAbort = undefined;
    adopt(opened);
  };

  const adopt = (opened: Port) => {
    port = opened;
    failures = 0;
    retries = 0;
    client.connect(opened);
    opened.onClose(() => {
      if (port !== opened || stopped) return;
      port = undefined;
      const reason = (opened as Partial<{ closeReason: string }>).closeReason ?? 'the connection closed';
      scheduleRetry(reason);
    });
    if (opened.closed) return; // closed while being adopted: the onClose above takes over
    update({
      status: 'connected',
      attempt: 0,
      reason: undefined,
      retryAt: undefined,
      connections: state.connections + 1,
    });
  };

  const scheduleRetry = (reason: string) => {
    const everConnected = state.connections > 0;
    const status: ConnectionStatus = everConnected
      ? 'reconnecting'
      : failures >= unreachableAfter
        ? 'unreachable'
        : 'connecting';
    // Once it looks like nobody will answer, retry at the slowest pace.
    const delay = backoffDelay(status === 'unreachable' ? Infinity : retries, backoff, random);
    retries++;
    update({ status, attempt: failures + 1, reason, retryAt: now() + delay });
    retryTimer = timers.setTimeout(() => void attempt(), delay);
  };

  return {
    transport,
    client,
    get state() {
      return state;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start() {
      if (started) return;
      started = true;
      void attempt();
    },
    retryNow() {
      if (stopped || retryTimer === undefined) return;
      timers.clearTimeout(retryTimer);
      void attempt();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      if (retryTimer !== undefined) timers.clearTimeout(retryTimer);
      retryTimer = undefined;
      attemptAbort?.abort(new Error('stopped'));
      attemptAbort = undefined;
      const current = port;
      port = undefined;
      current?.close();
      update({ status: 'stopped', retryAt: undefined });
    },
  };
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/** Why browser mode cannot connect when the page was opened without its token. */
export const noTokenMessage =
  'this page was opened without its access token: open the full URL printed in the terminal (it ends in #token=…)';

/**
 * The connection this page uses: the preload's bridge inside Electron, otherwise a
 * WebSocket to the browser-mode host that served the page (same origin, path /ws),
 * presenting the page's access token in the handshake (accessToken.ts). Not started
 * yet: call `start()`. `createSocket` is for tests (Node's `ws` in place of the browser's).
 */
export function connectFromPage(
  page: Window = window,
  options: { createSocket?: OpenWebSocketOptions['createSocket'] } = {},
): ConnectionManager {
  const bridge = findElectronBridge(page as { playground?: unknown });
  if (bridge) {
    return createConnectionManager({ transport: 'electron', openPort: async () => createElectronPort(bridge) });
  }
  const scheme = page.location.protocol === 'https:' ? 'wss' : 'ws';
  const url = `${scheme}://${page.location.host}/ws`;
  // Read once: every later (re)connection of this page presents the same token.
  const token = takeAccessToken(page);
  return createConnectionManager({
    transport: 'browser',
    openPort: (signal) =>
      token === undefined
        ? Promise.reject(new Error(noTokenMessage))
        : openWebSocketPort(url, { signal, protocols: handshakeProtocols(token), createSocket: options.createSocket }),
  });
}
