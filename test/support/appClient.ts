// The app's Node side (the real services, `serve`) behind an in-memory port, driven
// through the renderer's typed client: every request and event crosses the contract
// exactly as from the renderer.
import { afterEach } from 'vitest';
import type { Service } from '../../electron/service';
import { serve } from '../../electron/serve';
import { createWebServerService } from '../../electron/http/server/service';
import type { NetServiceOptions } from '../../electron/net/options';
import { services } from '../../electron/services';
import { createTcpClientService } from '../../electron/tcp/client/service';
import { createTcpServerService } from '../../electron/tcp/server/service';
import { createUdpClientService } from '../../electron/udp/client/service';
import { createUdpServerService } from '../../electron/udp/server/service';
import { type Client, createClient } from '../../shared/contract/client';
import {
  type EventName,
  type EventPayloadOf,
  events,
  PlaygroundError,
  type TransportKind,
} from '../../shared/contract/index';
import { createMemoryPortPair } from '../../shared/transport/memoryPort';
import type { Port } from '../../shared/transport/port';

export interface AppLink {
  client: Client;
  /** The renderer's end of the in-memory port. */
  port: Port;
  /** Closes the link; the Node side then ends every session it opened for it. */
  close(): void;
}

/** A client connected to `serve` with `services` (default: all of them, as browser mode runs them). */
export function connectApp(options: { services?: readonly Service[]; transport?: TransportKind } = {}): AppLink {
  const [rendererEnd, nodeEnd] = createMemoryPortPair();
  serve(nodeEnd, { transport: options.transport ?? 'memory', services: options.services ?? services, log: () => {} });
  const client = createClient();
  client.connect(rendererEnd);
  return { client, port: rendererEnd, close: () => rendererEnd.close() };
}

/** Where a test file collects what to close after each test. */
export interface Closers {
  push(close: () => void): unknown;
}

/** A connected client for a renderer model; `closers` gets what closes the link. */
export function connectedClient(closers: Closers, options?: Parameters<typeof connectApp>[0]): Client {
  const link = connectApp(options);
  closers.push(link.close);
  return link.client;
}

type Recorded = { [E in EventName]: EventPayloadOf<E>[] };

export interface App {
  client: Client;
  port: Port;
  /** Every event received so far, by name, in order. */
  events: Recorded;
  /** Resolves with the first event (already seen or future) that matches, or fails after `timeoutMs`. */
  waitFor<E extends EventName>(
    name: E,
    match?: (payload: EventPayloadOf<E>) => boolean,
    timeoutMs?: number,
  ): Promise<EventPayloadOf<E>>;
  /** The error a call fails with; fails the test if the call succeeds. */
  failure(call: Promise<unknown>): Promise<PlaygroundError>;
  close(): void;
}

/** A connected client that records every event, for tests that speak the contract directly. */
export function startApp(options?: NetServiceOptions): App {
  const list: readonly Service[] = options
    ? [
        createUdpClientService(options),
        createUdpServerService(options),
        createTcpClientService(options),
        createTcpServerService(options),
        createWebServerService(options),
      ]
    : services;
  const { client, port, close } = connectApp({ services: list });
  const recorded = Object.fromEntries(Object.keys(events).map((name) => [name, []])) as unknown as Recorded;
  const waiters = new Set<() => void>();
  for (const name of Object.keys(events) as EventName[]) {
    client.on(name, (payload) => {
      (recorded[name] as unknown[]).push(payload);
      for (const check of [...waiters]) check();
    });
  }
  return {
    client,
    port,
    events: recorded,
    waitFor(name, match = () => true, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = (recorded[name] as EventPayloadOf<typeof name>[]).find(match);
          if (found === undefined) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching ${name} event within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async failure(call) {
      try {
        await call;
      } catch (error) {
        if (error instanceof PlaygroundError) return error;
        throw error;
      }
      throw new Error('expected the call to fail, but it succeeded');
    },
    close,
  };
}

/**
 * For the top of a test file: the returned `app()` starts an app that is closed after
 * the test that started it; `thenAfterEach` (stopping the file's own servers) runs after that.
 */
export function appPerTest(thenAfterEach?: () => unknown): () => App {
  const apps: App[] = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) app.close();
    await thenAfterEach?.();
  });
  return () => {
    const started = startApp();
    apps.push(started);
    return started;
  };
}

/** All bytes a TCP session received so far, in order. */
export function tcpReceived(app: App, sessionId: string): Uint8Array {
  const chunks = app.events['tcp.data'].filter((e) => e.sessionId === sessionId).flatMap((e) => e.chunks);
  return Buffer.concat(chunks.map((chunk) => chunk.data));
}
