import { describe, expect, it } from 'vitest';
import { serve } from '../../../../electron/serve';
import { services } from '../../../../electron/services';
import { commands, events, frameSchema, inboundFrameSchema, PlaygroundError } from '../../../../shared/contract';
import { createClient } from '../../../../shared/contract/client';
import { portNumber } from '../../../../shared/contract/schema';
import { createMemoryPortPair } from '../../../../shared/transport/memoryPort';
import type { Port } from '../../../../shared/transport/port';

function nextFrame(port: Port): Promise<unknown> {
  return new Promise((resolve) => {
    const off = port.onFrame((frame) => {
      off();
      resolve(frame);
    });
  });
}

describe('frame schemas', () => {
  const bytes = new Uint8Array([0, 13, 10, 255]);
  const valid = [
    { kind: 'request', id: 1, method: 'app.ping', payload: { data: bytes } },
    { kind: 'response', id: 1, ok: true, result: { data: bytes, receivedAt: 1 } },
    { kind: 'response', id: 2, ok: false, error: { code: 'E_BAD_REQUEST', message: 'x', field: 'payload.port' } },
    { kind: 'event', name: 'clock.tick', payload: { now: 1, seq: 0 } },
    { kind: 'cancel', id: 3 },
  ];

  it.each(valid)('accepts a $kind frame', (frame) => {
    expect(frameSchema.safeParse(frame).success).toBe(true);
  });

  it.each([
    ['no kind', { id: 1, method: 'app.info', payload: {} }],
    ['unknown kind', { kind: 'shout', id: 1 }],
    ['negative id', { kind: 'request', id: -1, method: 'app.info', payload: {} }],
    ['fractional id', { kind: 'cancel', id: 1.5 }],
    ['empty method', { kind: 'request', id: 1, method: '', payload: {} }],
    ['error without code', { kind: 'response', id: 1, ok: false, error: { message: 'x' } }],
    ['a string', 'request'],
    ['null', null],
  ])('rejects %s', (_name, frame) => {
    expect(frameSchema.safeParse(frame).success).toBe(false);
  });

  it('lets the renderer send only requests and cancels', () => {
    expect(inboundFrameSchema.safeParse(valid[0]).success).toBe(true);
    expect(inboundFrameSchema.safeParse(valid[4]).success).toBe(true);
    expect(inboundFrameSchema.safeParse(valid[1]).success).toBe(false);
    expect(inboundFrameSchema.safeParse(valid[3]).success).toBe(false);
  });

  it('explains why a port is wrong', () => {
    expect(portNumber.safeParse(12000).success).toBe(true);
    for (const bad of [0, 65536, 1.5, -1, '80', Number.NaN]) {
      const result = portNumber.safeParse(bad);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toMatch(/port must be/);
    }
  });

  it('declares every command with a request and a response schema, and every event with a payload schema', () => {
    for (const [name, spec] of Object.entries(commands)) {
      expect(name).toMatch(/^[a-z][a-zA-Z]*\.[a-z][a-zA-Z]*$/);
      expect(typeof spec.request.safeParse).toBe('function');
      expect(typeof spec.response.safeParse).toBe('function');
    }
    for (const [name, schema] of Object.entries(events)) {
      expect(name).toMatch(/^[a-z][a-zA-Z]*\.[a-z][a-zA-Z]*$/);
      expect(typeof schema.safeParse).toBe('function');
    }
  });
});

describe('memory port pair', () => {
  it('carries every frame kind, bytes included, as a copy', async () => {
    const [a, b] = createMemoryPortPair();
    const data = new Uint8Array([1, 2, 3, 13, 10]);
    const frames = [
      { kind: 'request', id: 1, method: 'app.ping', payload: { data } },
      { kind: 'response', id: 1, ok: true, result: { data, receivedAt: 5 } },
      { kind: 'response', id: 2, ok: false, error: { code: 'E_TIMEOUT', message: 'late' } },
      { kind: 'event', name: 'clock.tick', payload: { now: 7, seq: 1 } },
      { kind: 'cancel', id: 9 },
    ] as const;
    const received: unknown[] = [];
    b.onFrame((frame) => received.push(frame));
    for (const frame of frames) a.send(frame);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(received).toEqual(frames);
    const ping = received[0] as { payload: { data: Uint8Array } };
    expect(ping.payload.data).toBeInstanceOf(Uint8Array);
    expect(ping.payload.data).not.toBe(data);
  });

  it('closes both ends once', async () => {
    const [a, b] = createMemoryPortPair();
    let closes = 0;
    b.onClose(() => closes++);
    a.close();
    a.close();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(a.closed && b.closed).toBe(true);
    expect(closes).toBe(1);
  });
});

describe('serve + client over a memory pair', () => {
  function connect(extra: Parameters<typeof serve>[1]['services'] = []) {
    const [rendererEnd, nodeEnd] = createMemoryPortPair();
    const session = serve(nodeEnd, { transport: 'memory', services: [...services, ...extra], log: () => {} });
    const client = createClient();
    client.connect(rendererEnd);
    return { client, rendererEnd, nodeEnd, session };
  }

  it('answers app.info with the package version and the transport', async () => {
    const { client, rendererEnd } = connect();
    const info = await client.call('app.info', {});
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(info.transport).toBe('memory');
    expect(info.node).toBe(process.versions.node);
    rendererEnd.close();
  });

  it('round-trips bytes through app.ping', async () => {
    const { client, rendererEnd } = connect();
    const data = Uint8Array.from({ length: 300 }, (_, i) => i % 256);
    const reply = await client.call('app.ping', { data });
    expect(reply.data).toEqual(data);
    rendererEnd.close();
  });

  it('streams clock.tick events', async () => {
    const { client, rendererEnd } = connect();
    const tick = await new Promise<{ seq: number; now: number }>((resolve) => {
      const off = client.on('clock.tick', (payload) => {
        off();
        resolve(payload);
      });
    });
    expect(tick.seq).toBe(0);
    expect(Math.abs(tick.now - Date.now())).toBeLessThan(5000);
    rendererEnd.close();
  });

  it('rejects a bad payload with E_BAD_REQUEST naming the field, before any service runs', async () => {
    const { rendererEnd } = connect();
    const reply = nextFrame(rendererEnd);
    rendererEnd.send({ kind: 'request', id: 7, method: 'app.ping', payload: { data: 'not bytes' } });
    expect(await reply).toMatchObject({
      kind: 'response',
      id: 7,
      ok: false,
      error: { code: 'E_BAD_REQUEST', field: 'payload.data' },
    });
    rendererEnd.close();
  });

  it('rejects unknown keys in strict payloads', async () => {
    const { rendererEnd } = connect();
    const reply = nextFrame(rendererEnd);
    rendererEnd.send({ kind: 'request', id: 8, method: 'app.info', payload: { sneaky: true } });
    expect(await reply).toMatchObject({ id: 8, ok: false, error: { code: 'E_BAD_REQUEST' } });
    rendererEnd.close();
  });

  it('answers an unknown method with E_UNKNOWN_METHOD', async () => {
    const { rendererEnd } = connect();
    const reply = nextFrame(rendererEnd);
    rendererEnd.send({ kind: 'request', id: 9, method: 'fs.readFile', payload: { path: '/etc/passwd' } });
    expect(await reply).toMatchObject({ id: 9, ok: false, error: { code: 'E_UNKNOWN_METHOD' } });
    rendererEnd.close();
  });

  it('reports a frame without a usable id as a host.rejected event', async () => {
    const { rendererEnd } = connect();
    const reply = nextFrame(rendererEnd);
    (rendererEnd as { send(frame: unknown): void }).send({ kind: 'response', ok: true });
    expect(await reply).toMatchObject({ kind: 'event', name: 'host.rejected', payload: { code: 'E_BAD_REQUEST' } });
    rendererEnd.close();
  });

  it('checks the payload on the client too, without a round trip', async () => {
    const { client, rendererEnd } = connect();
    const error = await client.call('app.ping', { data: 'x' as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlaygroundError);
    expect(error).toMatchObject({ code: 'E_BAD_REQUEST', field: 'payload.data' });
    rendererEnd.close();
  });

  it('cancels a call on the Node side when the caller aborts, and times out', async () => {
    let sawAbort: unknown;
    const slow = () => ({
      'app.info': (_payload: unknown, call: { signal: AbortSignal }) =>
        new Promise<never>((_resolve, reject) => {
          call.signal.addEventListener('abort', () => {
            sawAbort = call.signal.reason;
            reject(call.signal.reason);
          });
        }),
    });
    const { client, rendererEnd } = connect([slow as never]);
    const controller = new AbortController();
    const pending = client.call('app.info', {}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    await expect(pending).rejects.toMatchObject({ code: 'E_CANCELLED' });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(sawAbort).toMatchObject({ code: 'E_CANCELLED' });

    await expect(client.call('app.info', {}, { timeoutMs: 30 })).rejects.toMatchObject({
      code: 'E_TIMEOUT',
      message: expect.stringContaining('app.info got no answer within'),
    });
    rendererEnd.close();
  });

  it('maps an unexpected exception to E_INTERNAL without crashing the host', async () => {
    const broken = () => ({
      'app.info': () => {
        throw new Error('boom');
      },
    });
    const { client, rendererEnd } = connect([broken as never]);
    await expect(client.call('app.info', {})).rejects.toMatchObject({ code: 'E_INTERNAL', message: /boom/ });
    expect((await client.call('app.ping', { data: new Uint8Array([1]) })).data).toEqual(new Uint8Array([1]));
    rendererEnd.close();
  });

  it('closes what the session owns and fails open calls when the port closes', async () => {
    let closed = 0;
    let session: { own<T extends { close(): void }>(r: T): T } | undefined;
    const owner = (s: typeof session) => {
      session = s;
      s?.own({ close: () => closed++ });
      return { 'app.info': () => new Promise<never>(() => {}) };
    };
    const { client, rendererEnd } = connect([owner as never]);
    const pending = client.call('app.info', {});
    rendererEnd.close();
    await expect(pending).rejects.toMatchObject({ code: 'E_DISCONNECTED' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(closed).toBe(1);
    expect(() => session?.own({ close: () => closed++ })).toThrow(PlaygroundError);
    expect(closed).toBe(2);
  });

  it('refuses more open calls than the limit', async () => {
    const [rendererEnd, nodeEnd] = createMemoryPortPair();
    const hang = () => ({ 'app.info': () => new Promise<never>(() => {}) });
    serve(nodeEnd, { transport: 'memory', services: [hang as never], maxOpenCalls: 2, log: () => {} });
    const replies: unknown[] = [];
    rendererEnd.onFrame((frame) => replies.push(frame));
    for (const id of [1, 2, 3]) rendererEnd.send({ kind: 'request', id, method: 'app.info', payload: {} });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(replies).toEqual([
      expect.objectContaining({ id: 3, ok: false, error: expect.objectContaining({ code: 'E_BAD_REQUEST' }) }),
    ]);
    rendererEnd.close();
  });
});
