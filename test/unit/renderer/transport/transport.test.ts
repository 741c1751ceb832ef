import type { AddressInfo } from 'node:net';
import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, WebSocket as WsClient } from 'ws';
import { createElectronPort, findElectronBridge } from '../../../../renderer/transport/electronPort';
import { describeClose, openWebSocketPort } from '../../../../renderer/transport/websocketPort';
import { createClient } from '../../../../shared/contract/client';
import { decodeFrame, encodeFrame, maxFrameBytes } from '../../../../shared/contract/codec';
import type { Frame } from '../../../../shared/contract/frames';
import type { PlaygroundBridge } from '../../../../shared/transport/bridge';
import { freeTcpPort } from '../../../support/ports';

/** The page's WebSocket port against a real loopback server; Node's `ws` client stands in for the browser's. */

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const createSocket = (url: string) => new WsClient(url) as unknown as WebSocket;

async function startServer(onConnection: (socket: WsClient) => void) {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  server.on('connection', onConnection);
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  );
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}/ws`;
}

function nextClose(socket: WsClient): Promise<number> {
  return new Promise((resolve) => socket.once('close', (code: number) => resolve(code)));
}

describe('openWebSocketPort', () => {
  it('carries frames with bytes both ways, one binary message per frame', async () => {
    const received: unknown[] = [];
    const url = await startServer((socket) => {
      socket.on('message', (data: Buffer, isBinary: boolean) => {
        received.push({ isBinary, frame: decodeFrame(new Uint8Array(data)) });
        const event: Frame = { kind: 'event', name: 'echo', payload: { bytes: new Uint8Array([13, 10, 0, 255]) } };
        socket.send(encodeFrame(event));
      });
    });
    const port = await openWebSocketPort(url, { createSocket });
    cleanups.push(() => port.close());
    const frames: unknown[] = [];
    port.onFrame((frame) => frames.push(frame));
    port.send({ kind: 'request', id: 7, method: 'app.ping', payload: { data: new Uint8Array([1, 2, 3]) } });
    await expect.poll(() => frames.length).toBe(1);
    expect(received).toEqual([
      {
        isBinary: true,
        frame: { kind: 'request', id: 7, method: 'app.ping', payload: { data: new Uint8Array([1, 2, 3]) } },
      },
    ]);
    expect(frames[0]).toEqual({ kind: 'event', name: 'echo', payload: { bytes: new Uint8Array([13, 10, 0, 255]) } });
    expect(port.closed).toBe(false);
  });

  it('closes with the reason the host gave', async () => {
    const url = await startServer((socket) => socket.close(1001, 'restarting'));
    const port = await openWebSocketPort(url, { createSocket });
    const closed = new Promise<void>((resolve) => port.onClose(resolve));
    await closed;
    expect(port.closed).toBe(true);
    expect(port.closeReason).toBe('the host is shutting down: restarting');
  });

  it('closes instead of guessing when the host sends a frame it cannot decode, or text', async () => {
    for (const [garbage, reason] of [
      [Buffer.from([9, 9, 9]), 'could not decode a frame from the host (unknown frame version 9)'],
      ['{"kind":"event"}', 'the host sent a text message; frames are binary'],
    ] as const) {
      let serverClosed: Promise<number> | undefined;
      const url = await startServer((socket) => {
        serverClosed = nextClose(socket);
        socket.send(garbage);
      });
      const port = await openWebSocketPort(url, { createSocket });
      const frames: unknown[] = [];
      port.onFrame((frame) => frames.push(frame));
      await new Promise<void>((resolve) => port.onClose(resolve));
      expect(port.closeReason).toContain(reason);
      expect(frames).toEqual([]);
      expect(await serverClosed).toBe(1000);
    }
  });

  it('close() ends the socket, and sending afterwards does nothing', async () => {
    let serverClosed: Promise<number> | undefined;
    const url = await startServer((socket) => {
      serverClosed = nextClose(socket);
    });
    const port = await openWebSocketPort(url, { createSocket });
    port.close();
    expect(port.closed).toBe(true);
    expect(port.closeReason).toBe('the page closed the connection');
    expect(() => port.send({ kind: 'cancel', id: 1 })).not.toThrow();
    expect(await serverClosed).toBe(1000);
  });

  it('refuses a frame over the maximum before sending it: that call fails saying so, the connection stays open', async () => {
    const received: string[] = [];
    const url = await startServer((socket) => {
      socket.on('message', (data: Buffer) => {
        const frame = decodeFrame(new Uint8Array(data)) as { id: number; method: string };
        received.push(frame.method);
        const echo = new Uint8Array([1, 2, 3]);
        socket.send(encodeFrame({ kind: 'response', id: frame.id, ok: true, result: { data: echo, receivedAt: 1 } }));
      });
    });
    const port = await openWebSocketPort(url, { createSocket });
    cleanups.push(() => port.close());
    const huge = {
      kind: 'request',
      id: 1,
      method: 'smtp.send',
      payload: { data: new Uint8Array(maxFrameBytes) },
    } as const;
    expect(() => port.send(huge)).toThrow(/smtp\.send is 128\.0 MiB encoded; browser mode carries at most 128\.0 MiB/);

    // Through the typed client: the call is rejected with E_TOO_LARGE and the next call still works.
    const client = createClient();
    client.connect({
      send: (frame) =>
        port.send(
          frame.kind === 'request' && frame.method === 'app.info'
            ? { ...frame, payload: { pad: new Uint8Array(maxFrameBytes) } }
            : frame,
        ),
      onFrame: (listener) => port.onFrame(listener),
      onClose: (listener) => port.onClose(listener),
      close: () => port.close(),
      get closed() {
        return port.closed;
      },
    });
    await expect(client.call('app.info', {}, { timeoutMs: 5000 })).rejects.toMatchObject({ code: 'E_TOO_LARGE' });
    expect(port.closed).toBe(false);
    const echoed = await client.call('app.ping', { data: new Uint8Array([1, 2, 3]) }, { timeoutMs: 5000 });
    expect(echoed.data).toEqual(new Uint8Array([1, 2, 3]));
    expect(received).toEqual(['app.ping']);
  });

  it('rejects with the address when nobody listens', async () => {
    const port = await freeTcpPort(); // a port that was just free: nobody listens there
    const url = `ws://127.0.0.1:${port}/ws`;
    await expect(openWebSocketPort(url, { createSocket })).rejects.toThrow(`could not connect to ${url}`);
  });

  it('gives up when aborted while the host never answers the upgrade', async () => {
    const sockets: Socket[] = [];
    let ended = 0;
    const silent = createServer((socket) => {
      sockets.push(socket);
      socket.resume(); // read (and drop) the upgrade request, so the end of the stream is noticed
      socket.on('close', () => ended++);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => silent.close(resolve));
    });
    const url = `ws://127.0.0.1:${(silent.address() as AddressInfo).port}/ws`;
    const abort = new AbortController();
    const opening = openWebSocketPort(url, { createSocket, signal: abort.signal });
    await expect.poll(() => sockets.length).toBe(1);
    abort.abort(new Error('no answer from the host within 10 s'));
    await expect(opening).rejects.toThrow('no answer from the host within 10 s');
    await expect.poll(() => ended).toBe(1);
  });

  it('describes close codes in words', () => {
    expect(describeClose(1006)).toBe('the connection was lost (the host stopped or is unreachable)');
    expect(describeClose(1009, 'frame too big')).toBe('a message was too large for the host: frame too big');
    expect(describeClose(4321)).toBe('the connection closed with code 4321');
  });
});

describe('createElectronPort', () => {
  function fakeBridge() {
    const sent: Frame[] = [];
    const listeners = new Set<(frame: unknown) => void>();
    const bridge: PlaygroundBridge = {
      version: '0.1.0',
      send: (frame) => sent.push(frame),
      onFrame(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    const emit = (frame: unknown) => {
      for (const listener of listeners) listener(frame);
    };
    return { bridge, sent, listeners, emit };
  }

  it('sends and receives through the bridge and stops listening on close', () => {
    const fake = fakeBridge();
    const port = createElectronPort(fake.bridge);
    const frames: unknown[] = [];
    let closes = 0;
    port.onFrame((frame) => frames.push(frame));
    port.onClose(() => closes++);
    port.send({ kind: 'cancel', id: 3 });
    fake.emit({ kind: 'event', name: 'clock.tick', payload: { now: 1, seq: 0 } });
    expect(fake.sent).toEqual([{ kind: 'cancel', id: 3 }]);
    expect(frames).toHaveLength(1);

    port.close();
    expect(port.closed).toBe(true);
    expect(closes).toBe(1);
    expect(fake.listeners.size).toBe(0);
    port.send({ kind: 'cancel', id: 4 });
    expect(fake.sent).toHaveLength(1);
  });

  it('finds the bridge only when it has the expected shape', () => {
    const { bridge } = fakeBridge();
    expect(findElectronBridge({ playground: bridge })).toBe(bridge);
    expect(findElectronBridge({})).toBeUndefined();
    expect(findElectronBridge({ playground: { send: 'nope' } })).toBeUndefined();
  });
});
