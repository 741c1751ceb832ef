import dgram from 'node:dgram';
import net from 'node:net';
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
import { type EventName, type EventPayloadOf, events, PlaygroundError } from '../../shared/contract/index';
import { createMemoryPortPair } from '../../shared/transport/memoryPort';
import type { Port } from '../../shared/transport/port';

export const encode = (text: string) => new TextEncoder().encode(text);
export const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

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

/**
 * The app's Node side behind an in-memory port, driven through the real typed client:
 * every request and event crosses the contract exactly as from the renderer.
 */
export function startApp(options?: NetServiceOptions): App {
  const [a, b] = createMemoryPortPair();
  const list: readonly Service[] = options
    ? [
        createUdpClientService(options),
        createUdpServerService(options),
        createTcpClientService(options),
        createTcpServerService(options),
        createWebServerService(options),
      ]
    : services;
  serve(b, { transport: 'memory', services: list, log: () => {} });
  const client = createClient();
  client.connect(a);
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
    port: a,
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
    close: () => a.close(),
  };
}

/** All bytes a TCP session received so far, in order. */
export function tcpReceived(app: App, sessionId: string): Uint8Array {
  const chunks = app.events['tcp.data'].filter((e) => e.sessionId === sessionId).flatMap((e) => e.chunks);
  return Buffer.concat(chunks.map((chunk) => chunk.data));
}

export async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A port on 127.0.0.1 that nothing listens on (bound for a moment, then released). */
export async function freeTcpPort(host = '127.0.0.1'): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function freeUdpPort(type: 'udp4' | 'udp6' = 'udp4'): Promise<number> {
  const socket = dgram.createSocket(type);
  await new Promise<void>((resolve) => socket.bind(0, type === 'udp4' ? '127.0.0.1' : '::1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}

/** Whether this machine has a usable IPv6 loopback. */
export async function hasIPv6Loopback(): Promise<boolean> {
  const server = net.createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '::1', resolve);
    });
    return true;
  } catch {
    return false;
  } finally {
    server.close();
  }
}
