import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, WebSocket as WsClient } from 'ws';
import type { Service } from '../../../../electron/service';
import { serve } from '../../../../electron/serve';
import {
  backoffDelay,
  type ConnectionManager,
  type ConnectionState,
  createConnectionManager,
  type Timers,
} from '../../../../renderer/transport/connection';
import { openWebSocketPort } from '../../../../renderer/transport/websocketPort';
import { decodeFrame, encodeFrame } from '../../../../shared/contract/codec';
import { PlaygroundError } from '../../../../shared/contract/errors';
import type { Frame } from '../../../../shared/contract/frames';
import { createMemoryPortPair } from '../../../../shared/transport/memoryPort';
import { type Port, PortListeners } from '../../../../shared/transport/port';

/**
 * The connection manager against a real WebSocket server on loopback, running the real
 * dispatcher (serve) — only the host's HTTP/token layer is left out. The page's own
 * websocketPort is used, with Node's `ws` client standing in for the browser's WebSocket.
 */

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A service that emits a clock.tick right after each connection and has an app.ping that waits to be cancelled. */
const testService: Service = (session) => {
  const timer = setTimeout(() => session.emit('clock.tick', { now: Date.now(), seq: 0 }), 20);
  session.own({ close: () => clearTimeout(timer) });
  return {
    'app.info': () => ({
      name: 'test',
      version: '9.9.9',
      platform: process.platform,
      arch: process.arch,
      node: process.versions.node,
      electron: null,
      transport: session.transport,
    }),
    'app.ping': ({ data }, { signal }) =>
      data.byteLength === 0
        ? new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))))
        : { data, receivedAt: Date.now() },
  };
};

function serverPort(socket: WsClient): Port {
  const listeners = new PortListeners();
  socket.on('message', (data: Buffer) => listeners.deliver(decodeFrame(new Uint8Array(data))));
  socket.on('close', () => listeners.markClosed());
  return {
    get closed() {
      return listeners.closed;
    },
    send(frame: Frame) {
      if (socket.readyState === WsClient.OPEN) socket.send(encodeFrame(frame));
    },
    onFrame: (listener) => listeners.onFrame(listener),
    onClose: (listener) => listeners.onClose(listener),
    close() {
      socket.close();
      listeners.markClosed();
    },
  };
}

interface Host {
  port: number;
  url: string;
  /** Drops every connection without a close handshake, as a crashed host would. */
  dropAll(): void;
  /** WebSocket connections open on the server side right now. */
  connections(): number;
  close(): Promise<void>;
}

async function startHost(port = 0): Promise<Host> {
  const server = new WebSocketServer({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  server.on('connection', (socket) => {
    serve(serverPort(socket), { transport: 'browser', services: [testService], log: () => {} });
  });
  const actual = (server.address() as AddressInfo).port;
  let closed = false;
  const host: Host = {
    port: actual,
    url: `ws://127.0.0.1:${actual}/ws`,
    dropAll: () => {
      for (const client of server.clients) client.terminate();
    },
    connections: () => server.clients.size,
    close: async () => {
      if (closed) return;
      closed = true;
      host.dropAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  cleanups.push(() => host.close());
  return host;
}

function wsOpener(url: string, attempts: number[] = []) {
  return (signal: AbortSignal) => {
    attempts.push(performance.now());
    return openWebSocketPort(url, { signal, createSocket: (target) => new WsClient(target) as unknown as WebSocket });
  };
}

function manage(manager: ConnectionManager): ConnectionManager {
  cleanups.push(() => manager.stop());
  return manager;
}

/** Resolves with the first state that matches; fails after `timeoutMs`. */
function waitForState(
  manager: ConnectionManager,
  matches: (state: ConnectionState) => boolean,
  timeoutMs = 5000,
): Promise<ConnectionState> {
  if (matches(manager.state)) return Promise.resolve(manager.state);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`state did not match within ${timeoutMs} ms; last: ${JSON.stringify(manager.state)}`));
    }, timeoutMs);
    const off = manager.subscribe((state) => {
      if (!matches(state)) return;
      clearTimeout(timer);
      off();
      resolve(state);
    });
  });
}

const fast = { initialMs: 20, maxMs: 80 };

describe('connection manager over a real loopback WebSocket', () => {
  it('connects, and the typed client works over the port it opened', async () => {
    const host = await startHost();
    const manager = manage(
      createConnectionManager({ transport: 'browser', openPort: wsOpener(host.url), backoff: fast }),
    );
    expect(manager.state.status).toBe('connecting');
    manager.start();
    const state = await waitForState(manager, (s) => s.status === 'connected');
    expect(state).toMatchObject({ attempt: 0, connections: 1, reason: undefined });
    const info = await manager.client.call('app.info', {}, { timeoutMs: 2000 });
    expect(info).toMatchObject({ version: '9.9.9', transport: 'browser' });
    const data = new Uint8Array([0, 13, 10, 255]);
    const echoed = await manager.client.call('app.ping', { data }, { timeoutMs: 2000 });
    expect(echoed.data).toEqual(data);
  });

  it('on a drop: fails open calls with E_DISCONNECTED, says why, reconnects, and keeps event subscriptions', async () => {
    const host = await startHost();
    const manager = manage(
      createConnectionManager({ transport: 'browser', openPort: wsOpener(host.url), backoff: fast }),
    );
    const ticks: number[] = [];
    manager.client.on('clock.tick', (tick) => ticks.push(tick.seq));
    const seen: ConnectionState[] = [];
    manager.subscribe((state) => seen.push(state));
    manager.start();
    await waitForState(manager, (s) => s.status === 'connected');
    await expect.poll(() => ticks.length).toBe(1);

    const hanging = manager.client.call('app.ping', { data: new Uint8Array(0) });
    host.dropAll();
    const error = await hanging.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaygroundError);
    expect((error as PlaygroundError).code).toBe('E_DISCONNECTED');

    const reconnected = await waitForState(manager, (s) => s.status === 'connected' && s.connections === 2);
    expect(reconnected.attempt).toBe(0);
    const dropped = seen.find((s) => s.status === 'reconnecting');
    expect(dropped).toMatchObject({ attempt: 1, reason: expect.stringContaining('connection was lost') });
    expect(dropped?.retryAt).toBeTypeOf('number');

    // The listener registered before the drop hears the new session's tick.
    await expect.poll(() => ticks.length).toBe(2);
    const info = await manager.client.call('app.info', {}, { timeoutMs: 2000 });
    expect(info.version).toBe('9.9.9');
  });

  it('retries with growing, bounded delays while the host is down, then reconnects when it is back', async () => {
    const first = await startHost();
    const attempts: number[] = [];
    const manager = manage(
      createConnectionManager({
        transport: 'browser',
        openPort: wsOpener(first.url, attempts),
        backoff: fast,
        random: () => 1, // no jitter: delays are exactly the ceiling
      }),
    );
    manager.start();
    await waitForState(manager, (s) => s.status === 'connected');
    await first.close();

    const failing = await waitForState(manager, (s) => s.status === 'reconnecting' && s.attempt >= 5);
    expect(failing.reason).toContain('could not connect to');
    const second = await startHost(first.port);
    await waitForState(manager, (s) => s.status === 'connected' && s.connections === 2);
    expect(second.port).toBe(first.port);

    // attempts[0] was the first connection; the rest follow the drop.
    const gaps = attempts.slice(2).map((at, i) => at - (attempts[i + 1] ?? at));
    const expected = [40, 80, 80, 80]; // 20 ms before attempt 2 (after the drop), then doubling to the 80 ms cap
    gaps.slice(0, expected.length).forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual((expected[i] ?? 0) - 5);
    });
    // Bounded, with slack for a loaded machine; the exact cap is proven with manual timers below.
    for (const gap of gaps) expect(gap).toBeLessThan(fast.maxMs + 1000);
    expect((await manager.client.call('app.info', {}, { timeoutMs: 2000 })).version).toBe('9.9.9');
  });

  it('stop() closes the port and ends the retries', async () => {
    const host = await startHost();
    const attempts: number[] = [];
    const manager = manage(
      createConnectionManager({ transport: 'browser', openPort: wsOpener(host.url, attempts), backoff: fast }),
    );
    manager.start();
    await waitForState(manager, (s) => s.status === 'connected');
    expect(host.connections()).toBe(1);
    manager.stop();
    await expect.poll(() => host.connections()).toBe(0);
    expect(manager.state.status).toBe('stopped');
    expect(manager.client.connected).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(attempts).toHaveLength(1);
    await expect(manager.client.call('app.info', {})).rejects.toMatchObject({ code: 'E_DISCONNECTED' });
  });
});

/** Timers the test fires by hand: no waiting, no flakiness. */
function manualTimers() {
  let next = 1;
  const due = new Map<number, { callback: () => void; ms: number }>();
  const timers: Timers = {
    setTimeout(callback, ms) {
      const id = next++;
      due.set(id, { callback, ms });
      return id;
    },
    clearTimeout(handle) {
      due.delete(handle as number);
    },
  };
  return {
    timers,
    /** Delays of the timers now pending. */
    pending: () => [...due.values()].map((t) => t.ms),
    /** Fires the pending timer with this delay. */
    fire(ms: number) {
      const entry = [...due.entries()].find(([, t]) => t.ms === ms);
      if (!entry) throw new Error(`no timer of ${ms} ms pending (pending: ${[...due.values()].map((t) => t.ms)})`);
      due.delete(entry[0]);
      entry[1].callback();
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('connection manager policy (manual timers)', () => {
  it('becomes "unreachable" after 4 failed attempts without ever connecting, and keeps retrying at the cap', async () => {
    const clock = manualTimers();
    let opened = 0;
    const manager = manage(
      createConnectionManager({
        transport: 'browser',
        openPort: async () => {
          opened++;
          throw new Error('could not connect to ws://127.0.0.1:9/ws');
        },
        timers: clock.timers,
        random: () => 1,
        connectTimeoutMs: 10_000,
      }),
    );
    manager.start();
    const statuses: string[] = [];
    for (const delay of [250, 500, 1000, 5000, 5000]) {
      await settle();
      statuses.push(`${manager.state.status}#${manager.state.attempt}`);
      expect(clock.pending()).toEqual([delay]);
      clock.fire(delay);
    }
    await settle();
    expect(statuses).toEqual(['connecting#2', 'connecting#3', 'connecting#4', 'unreachable#5', 'unreachable#6']);
    expect(manager.state).toMatchObject({ status: 'unreachable', reason: 'could not connect to ws://127.0.0.1:9/ws' });
    expect(clock.pending()).toEqual([5000]);
    expect(opened).toBe(6);
  });

  it('after a drop: "reconnecting" from attempt 1, delays doubling from 250 ms and capped at 5 s', async () => {
    const clock = manualTimers();
    let peer: Port | undefined;
    const manager = manage(
      createConnectionManager({
        transport: 'browser',
        openPort: async () => {
          if (peer) throw new Error('could not connect');
          const [page, host] = createMemoryPortPair();
          peer = host;
          return page;
        },
        timers: clock.timers,
        random: () => 1,
      }),
    );
    manager.start();
    await settle();
    expect(manager.state).toMatchObject({ status: 'connected', connections: 1 });
    peer?.close();
    await settle();
    expect(manager.state).toMatchObject({ status: 'reconnecting', attempt: 1, reason: 'the connection closed' });
    const delays: number[] = [];
    const attempts: number[] = [];
    for (let i = 0; i < 8; i++) {
      const [delay] = clock.pending();
      if (delay === undefined) throw new Error('no retry scheduled');
      delays.push(delay);
      attempts.push(manager.state.attempt);
      clock.fire(delay);
      await settle();
      expect(manager.state.status).toBe('reconnecting'); // never "unreachable" once it has connected
    }
    expect(delays).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000, 5000]);
    expect(attempts).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('retryNow() skips the wait', async () => {
    const clock = manualTimers();
    let opened = 0;
    const manager = manage(
      createConnectionManager({
        transport: 'browser',
        openPort: async () => {
          opened++;
          throw new Error('refused');
        },
        timers: clock.timers,
        random: () => 1,
      }),
    );
    manager.start();
    await settle();
    expect(opened).toBe(1);
    manager.retryNow();
    await settle();
    expect(opened).toBe(2);
    expect(clock.pending()).toEqual([500]); // retryNow does not reset the backoff
  });

  it('abandons an attempt that does not open within connectTimeoutMs, and closes the port if it opens late', async () => {
    const clock = manualTimers();
    let resolveLate: ((port: Port) => void) | undefined;
    let abortSeen = false;
    const manager = manage(
      createConnectionManager({
        transport: 'browser',
        openPort: (signal) => {
          signal.addEventListener('abort', () => {
            abortSeen = true;
          });
          return new Promise<Port>((resolve) => {
            resolveLate = resolve; // ignores the abort, like a stubborn opener
          });
        },
        timers: clock.timers,
        random: () => 1,
        connectTimeoutMs: 3000,
      }),
    );
    manager.start();
    await settle();
    expect(clock.pending()).toEqual([3000]);
    clock.fire(3000);
    await settle();
    expect(abortSeen).toBe(true);
    expect(manager.state).toMatchObject({
      status: 'connecting',
      attempt: 2,
      reason: 'no answer from the host within 3 s',
    });

    let closed = false;
    const stub: Port = {
      closed: false,
      send() {},
      onFrame: () => () => {},
      onClose: () => () => {},
      close() {
        closed = true;
      },
    };
    resolveLate?.(stub);
    await settle();
    expect(closed).toBe(true);
    expect(manager.state.status).toBe('connecting');
  });
});

describe('backoffDelay', () => {
  const options = { initialMs: 250, maxMs: 5000 };
  it('doubles from the initial delay up to the cap', () => {
    expect([0, 1, 2, 3, 4, 5, 10, 1000, Infinity].map((n) => backoffDelay(n, options, () => 1))).toEqual([
      250, 500, 1000, 2000, 4000, 5000, 5000, 5000, 5000,
    ]);
  });
  it('jitters into [half, full] of the ceiling and never exceeds the cap', () => {
    expect(backoffDelay(0, options, () => 0)).toBe(125);
    expect(backoffDelay(20, options, () => 0)).toBe(2500);
    for (let retry = 0; retry < 40; retry++) {
      const delay = backoffDelay(retry, options);
      expect(delay).toBeGreaterThanOrEqual(125);
      expect(delay).toBeLessThanOrEqual(5000);
    }
  });
});
