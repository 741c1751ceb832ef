import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { Service } from '../../../electron/service';
import { services } from '../../../electron/services';
import { startWebHost, type WebHost } from '../../../electron/web/host';
import { WebSocketPort } from '../../../electron/web/websocketPort';
import { handshakeProtocols } from '../../../shared/app/browserAccess';
import { createClient } from '../../../shared/contract/client';
import { PlaygroundError } from '../../../shared/contract/errors';
import type { Frame } from '../../../shared/contract/frames';

const quiet = () => {};
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function open(
  url: string,
  { protocols = [], ...options }: ConstructorParameters<typeof WebSocket>[2] & { protocols?: string[] } = {},
): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, options);
    cleanups.push(() => ws.terminate());
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Resolves with the close code, or fails the test after `ms`. */
function closeCode(ws: WebSocket, ms = 5000): Promise<number> {
  return new Promise((resolve, reject) => {
    if (ws.readyState === ws.CLOSED) reject(new Error('already closed'));
    const timer = setTimeout(() => reject(new Error(`socket still open after ${ms} ms`)), ms);
    ws.once('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

function nextFrame(port: WebSocketPort, ms = 5000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no frame within ${ms} ms`)), ms);
    const off = port.onFrame((frame) => {
      clearTimeout(timer);
      off();
      resolve(frame);
    });
  });
}

/** A bare ws server on loopback whose first connection is wrapped in a WebSocketPort. */
async function pair(serverOptions: ConstructorParameters<typeof WebSocketPort>[1] = {}) {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  cleanups.push(() => new Promise((resolve) => wss.close(resolve)));
  await new Promise((resolve) => wss.once('listening', resolve));
  const accepted = new Promise<WebSocketPort>((resolve) =>
    wss.once('connection', (ws) => resolve(new WebSocketPort(ws, { log: quiet, ...serverOptions }))),
  );
  const { port } = wss.address() as { port: number };
  const clientSocket = await open(`ws://127.0.0.1:${port}`);
  const server = await accepted;
  const client = new WebSocketPort(clientSocket, { heartbeatMs: 0, log: quiet });
  cleanups.push(
    () => server.close(),
    () => client.close(),
  );
  return { server, client, clientSocket };
}

describe('WebSocketPort over a real loopback WebSocket', () => {
  const bytes = new Uint8Array([0, 13, 10, 255, 1]);
  const inbound: Array<[string, Frame]> = [
    ['request', { kind: 'request', id: 1, method: 'app.ping', payload: { data: bytes, nested: [{ b: bytes }] } }],
    ['cancel', { kind: 'cancel', id: 1 }],
  ];
  const outbound: Array<[string, Frame]> = [
    ['ok response', { kind: 'response', id: 1, ok: true, result: { data: bytes, receivedAt: 5 } }],
    [
      'error response',
      { kind: 'response', id: 2, ok: false, error: { code: 'E_TIMEOUT', message: 'x', details: { raw: 'y' } } },
    ],
    ['event', { kind: 'event', name: 'clock.tick', payload: { now: 1, seq: 2, bytes: new Uint8Array(0) } }],
  ];

  for (const [name, frame] of inbound) {
    it(`carries a ${name} frame from the page to the host`, async () => {
      const { server, client } = await pair();
      const received = nextFrame(server);
      client.send(frame);
      expect(await received).toEqual(frame);
    });
  }

  for (const [name, frame] of outbound) {
    it(`carries an ${name} frame from the host to the page`, async () => {
      const { server, client } = await pair();
      const received = nextFrame(client);
      server.send(frame);
      expect(await received).toEqual(frame);
    });
  }

  it('delivers bytes as plain Uint8Array copies, not views into the message buffer', async () => {
    const { server, client } = await pair();
    const received = nextFrame(server);
    client.send({ kind: 'request', id: 3, method: 'app.ping', payload: { data: new Uint8Array(70_000).fill(7) } });
    const frame = (await received) as { payload: { data: Uint8Array } };
    expect(frame.payload.data.constructor).toBe(Uint8Array);
    expect(frame.payload.data.byteLength).toBe(70_000);
    expect(frame.payload.data.buffer.byteLength).toBe(70_000);
  });

  it('answers a response it cannot encode with E_INTERNAL, so the call still ends', async () => {
    const { server, client } = await pair();
    const received = nextFrame(client);
    server.send({ kind: 'response', id: 9, ok: true, result: { n: Number.NaN } });
    expect(await received).toMatchObject({ kind: 'response', id: 9, ok: false, error: { code: 'E_INTERNAL' } });
  });

  it('closes with 1007 when a binary message is not a frame', async () => {
    const { server, clientSocket } = await pair();
    const code = closeCode(clientSocket);
    clientSocket.send(new Uint8Array([1, 0, 0]));
    expect(await code).toBe(1007);
    expect(server.closed).toBe(true);
  });

  it('closing one end closes the other and tells onClose listeners once', async () => {
    const { server, client } = await pair();
    let serverCloses = 0;
    server.onClose(() => serverCloses++);
    const clientClosed = new Promise<void>((resolve) => client.onClose(resolve));
    server.close();
    await clientClosed;
    expect(serverCloses).toBe(1);
    expect(client.closed).toBe(true);
    server.send({ kind: 'event', name: 'clock.tick', payload: { now: 1, seq: 1 } }); // a no-op, not a throw
  });

  it('closes with 1008 instead of queueing without bound for a peer that stops reading', async () => {
    const maxBufferedBytes = 1024 * 1024;
    const { server, clientSocket } = await pair({ maxBufferedBytes });
    clientSocket.pause();
    const big = new Uint8Array(256 * 1024);
    let sent = 0;
    // The kernel's socket buffers take some megabytes first; 400 × 256 KiB is far beyond them.
    for (let i = 0; i < 400 && !server.closed; i++, sent++) {
      server.send({ kind: 'event', name: 'clock.tick', payload: { big } });
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(server.closed).toBe(true);
    expect(sent).toBeLessThan(400);
    const code = closeCode(clientSocket, 10_000);
    clientSocket.resume();
    expect(await code).toBe(1008);
  });
});

describe('the shared client through startWebHost', () => {
  let dir: string;
  let host: WebHost;
  let pingStarted: () => void = () => {};
  let pingAborted: (reason: unknown) => void = () => {};

  /** app.ping that waits for `hang` bytes, so cancel has something to cancel. */
  const slowPing: Service = () => ({
    'app.ping': ({ data }, { signal }) => {
      if (data.byteLength !== 0) return { data, receivedAt: Date.now() };
      pingStarted();
      return new Promise((_, reject) =>
        signal.addEventListener('abort', () => {
          pingAborted(signal.reason);
          reject(signal.reason);
        }),
      );
    },
  });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pp-renderer-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
    host = await startWebHost({ rendererDir: dir, services: [...services, slowPing], log: quiet });
  });
  afterAll(async () => {
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function connect() {
    const ws = await open(`ws://127.0.0.1:${host.port}/ws`, {
      origin: host.origin,
      protocols: handshakeProtocols(host.token),
    });
    const port = new WebSocketPort(ws, { heartbeatMs: 0, log: quiet });
    const client = createClient();
    client.connect(port);
    cleanups.push(() => port.close());
    return { client, port };
  }

  it('app.info says the transport is browser', async () => {
    const { client } = await connect();
    const info = await client.call('app.info', {}, { timeoutMs: 5000 });
    expect(info.transport).toBe('browser');
    expect(info.node).toBe(process.versions.node);
  });

  it('app.ping carries bytes there and back', async () => {
    const { client } = await connect();
    const data = new Uint8Array(65536);
    for (let i = 0; i < data.length; i++) data[i] = i & 0xff;
    const answer = await client.call('app.ping', { data }, { timeoutMs: 5000 });
    expect(answer.data).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(answer.data).equals(data)).toBe(true);
  });

  it('streams clock.tick events', async () => {
    const { client } = await connect();
    const tick = await new Promise<{ now: number; seq: number }>((resolve) => client.on('clock.tick', resolve));
    expect(tick.seq).toBe(0);
    expect(Math.abs(tick.now - Date.now())).toBeLessThan(5000);
  });

  it('cancelling a call aborts it on the host', async () => {
    const { client } = await connect();
    const started = new Promise<void>((resolve) => {
      pingStarted = resolve;
    });
    const aborted = new Promise<unknown>((resolve) => {
      pingAborted = resolve;
    });
    const controller = new AbortController();
    const call = client.call('app.ping', { data: new Uint8Array(0) }, { signal: controller.signal });
    await started;
    controller.abort();
    await expect(call).rejects.toMatchObject({ code: 'E_CANCELLED' });
    expect(await aborted).toMatchObject({ code: 'E_CANCELLED' });
  });

  it('answers a payload that breaks the schema with E_BAD_REQUEST naming the field', async () => {
    const { port } = await connect();
    const answer = nextFrame(port);
    // Sent raw: the client would refuse this before it left.
    port.send({ kind: 'request', id: 41, method: 'app.ping', payload: { data: 'not bytes' } });
    expect(await answer).toMatchObject({
      kind: 'response',
      id: 41,
      ok: false,
      error: { code: 'E_BAD_REQUEST', field: 'payload.data' },
    });
  });

  it('answers an unknown method with E_UNKNOWN_METHOD', async () => {
    const { port } = await connect();
    const answer = nextFrame(port);
    port.send({ kind: 'request', id: 42, method: 'no.such.command', payload: {} });
    expect(await answer).toMatchObject({ id: 42, ok: false, error: { code: 'E_UNKNOWN_METHOD', field: 'method' } });
  });

  it('dropping the socket fails the open call here and aborts it on the host', async () => {
    const { client, port } = await connect();
    const started = new Promise<void>((resolve) => {
      pingStarted = resolve;
    });
    const aborted = new Promise<unknown>((resolve) => {
      pingAborted = resolve;
    });
    const call = client.call('app.ping', { data: new Uint8Array(0) });
    await started;
    port.close();
    const error = await call.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaygroundError);
    expect((error as PlaygroundError).code).toBe('E_DISCONNECTED');
    expect(await aborted).toMatchObject({ code: 'E_DISCONNECTED' });
  });
});
