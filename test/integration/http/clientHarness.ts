import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { EventPayloadOf, RequestOf } from '../../../shared/contract/index';
import type { App } from '../../support/appClient';
import { listenOnFreePort } from '../../support/ports';

type Progress = EventPayloadOf<'http.progress'>;

export interface Running {
  port: number;
  close(): Promise<void>;
}

function closer(server: net.Server, sockets: Set<net.Socket>): () => Promise<void> {
  return async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  };
}

/** A TCP server whose every connection is handled by hand (for responses no HTTP library would send). */
export async function rawServer(
  onConnection: (socket: net.Socket, received: () => Buffer) => void,
): Promise<Running & { received: Buffer[] }> {
  const sockets = new Set<net.Socket>();
  const received: Buffer[] = [];
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    const parts: Buffer[] = [];
    const index = received.length;
    received.push(Buffer.alloc(0));
    socket.on('data', (chunk) => {
      parts.push(chunk);
      received[index] = Buffer.concat(parts);
    });
    onConnection(socket, () => Buffer.concat(parts));
  });
  const port = await listenOnFreePort(server);
  return { port, received, close: closer(server, sockets) };
}

/** A Node `http` (or `https`) server; `connections` counts the TCP connections it accepted. */
export async function nodeServer(
  handler: http.RequestListener,
  tls?: { key: string; cert: string },
): Promise<Running & { connections: () => number; remotePorts: number[] }> {
  const sockets = new Set<net.Socket>();
  const remotePorts: number[] = [];
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  server.keepAliveTimeout = 30_000;
  server.on(tls ? 'secureConnection' : 'connection', (socket: net.Socket) => {
    sockets.add(socket);
    remotePorts.push(socket.remotePort ?? 0);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await listenOnFreePort(server);
  return { port, remotePorts, connections: () => remotePorts.length, close: closer(server, sockets) };
}

export function target(port: number, extra: Partial<RequestOf<'http.send'>['target']> = {}) {
  return { host: '127.0.0.1', port, ...extra };
}

/** Everything the progress events of one exchange said, joined in order. */
export function progressOf(app: App, exchangeId: string) {
  const list = app.events['http.progress'].filter((e) => e.exchangeId === exchangeId);
  const joined = {
    events: list.length,
    heads: [] as Progress['heads'],
    chunks: [] as Progress['chunks'],
    trailers: [] as Progress['trailers'],
    diagnostics: [] as Progress['diagnostics'],
    unparsed: [] as Progress['unparsed'],
  };
  for (const e of list) {
    joined.heads.push(...e.heads);
    joined.chunks.push(...e.chunks);
    joined.trailers.push(...e.trailers);
    joined.diagnostics.push(...e.diagnostics);
    joined.unparsed.push(...e.unparsed);
  }
  return joined;
}

export function ended(app: App, exchangeId: string, timeoutMs = 5000) {
  return app.waitFor('http.exchangeEnd', (e) => e.exchangeId === exchangeId, timeoutMs);
}

/** The whole stored body, read through http.body in slices like the viewer does. */
export async function readBody(app: App, exchangeId: string, decoded = false, slice = 1024 * 1024) {
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (let i = 0; i < 10_000; i++) {
    const part = await app.client.call('http.body', { exchangeId, offset, length: slice, decoded });
    parts.push(part.data);
    offset += part.data.length;
    if (part.data.length < slice) return { bytes: Buffer.concat(parts), last: part };
  }
  throw new Error('body did not end');
}

export const crlf = (text: string) => text.replace(/\n/g, '\r\n');
