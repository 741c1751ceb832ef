import { type AddressInfo, createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { serve } from '../../../electron/serve';
import { createTcpClientService } from '../../../electron/tcp/client/service';
import { WebSocketPort } from '../../../electron/web/websocketPort';
import { createClient } from '../../../shared/contract/client';
import type { EventPayloadOf } from '../../../shared/contract/index';

/**
 * Backpressure from the page to the TCP socket: a sender writes as fast as it can
 * while the page reads its WebSocket slowly. The session stops reading (TCP's flow
 * control then slows the sender) instead of queueing until the page is cut off.
 */

const MiB = 1024 * 1024;
const quiet = () => {};
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A byte pattern the receiver can check at any offset. */
function patternAt(offset: number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = (offset + i) % 251;
  return bytes;
}

/** Writes `total` bytes as fast as the socket takes them, then ends. */
async function fastSender(total: number): Promise<number> {
  const server = createServer((socket: Socket) => {
    socket.on('error', () => {});
    let sent = 0;
    const pump = () => {
      while (sent < total) {
        const block = patternAt(sent, Math.min(256 * 1024, total - sent));
        sent += block.length;
        if (!socket.write(block)) return;
      }
      socket.end();
    };
    socket.on('drain', pump);
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return (server.address() as AddressInfo).port;
}

/** The Node side behind a real WebSocket, and the page's end of it, whose reading the test controls. */
async function slowPage(options: { highWaterBytes: number; maxBufferedBytes: number }) {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  cleanups.push(() => new Promise((resolve) => wss.close(resolve)));
  await new Promise((resolve) => wss.once('listening', resolve));
  let closeCode: number | undefined;
  wss.once('connection', (ws) => {
    const port = new WebSocketPort(ws, { log: quiet, heartbeatMs: 0, maxBufferedBytes: options.maxBufferedBytes });
    serve(port, {
      transport: 'browser',
      services: [createTcpClientService({ pageHighWaterBytes: options.highWaterBytes })],
      log: quiet,
    });
  });
  const socket = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  cleanups.push(() => socket.terminate());
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  socket.on('close', (code) => {
    closeCode = code;
  });
  const port = new WebSocketPort(socket, { log: quiet, heartbeatMs: 0 });
  const client = createClient();
  client.connect(port);
  return { client, socket, closeCode: () => closeCode };
}

describe('a TCP client whose page reads slowly', () => {
  it('stops reading while the page is behind and loses nothing; the page stays connected', async () => {
    const total = 24 * MiB;
    const sender = await fastSender(total);
    // Without backpressure the Node side would queue all 24 MiB for the page and cut it off at 4 MiB.
    const page = await slowPage({ highWaterBytes: 1 * MiB, maxBufferedBytes: 4 * MiB });
    const flow: Array<EventPayloadOf<'tcp.flow'>> = [];
    const received: Uint8Array[] = [];
    let receivedBytes = 0;
    const ended = new Promise<void>((resolve) => {
      page.client.on('tcp.flow', (payload) => flow.push(payload));
      page.client.on('tcp.data', (payload) => {
        for (const chunk of payload.chunks) received.push(chunk.data);
        receivedBytes = payload.receivedBytes;
      });
      page.client.on('tcp.peerEnded', () => resolve());
    });
    const connected = await page.client.call('tcp.connect', { host: '127.0.0.1', port: sender }, { timeoutMs: 5000 });

    // The page takes its frames in bursts: 20 ms reading, 80 ms not.
    const slow = setInterval(() => {
      page.socket.pause();
      setTimeout(() => page.socket.resume(), 80);
    }, 100);
    cleanups.push(() => clearInterval(slow));
    await Promise.race([
      ended,
      new Promise((_, reject) => setTimeout(() => reject(new Error('the stream did not end within 30 s')), 30_000)),
    ]);
    clearInterval(slow);
    page.socket.resume();

    expect(page.closeCode()).toBeUndefined();
    expect(receivedBytes).toBe(total);
    const data = Buffer.concat(received);
    expect(data.length).toBe(total);
    expect(data.equals(patternAt(0, total))).toBe(true);
    // Paused and resumed, in turn, and said so.
    expect(flow.length).toBeGreaterThanOrEqual(2);
    expect(flow[0]).toMatchObject({ sessionId: connected.sessionId, paused: true });
    expect(flow[0]?.queuedBytes).toBeGreaterThan(1 * MiB);
    flow.forEach((change, index) => expect(change.paused).toBe(index % 2 === 0));
    const resumed = flow.find((change) => !change.paused);
    expect(resumed?.queuedBytes).toBeLessThanOrEqual(MiB / 4);
    expect(resumed?.pausedMs).toBeGreaterThan(0);
    // Still connected: the page can close the session itself.
    await page.client.call('tcp.close', { sessionId: connected.sessionId }, { timeoutMs: 5000 });
  }, 40_000);
});
