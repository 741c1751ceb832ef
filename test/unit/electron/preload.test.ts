/**
 * electron/preload.ts against a stand-in contextBridge and ipcRenderer: it must
 * expose exactly send/onFrame/version under `playground`, and nothing that lets
 * the page reach IPC in general.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import { buildElectron } from '../../../electron/cli/build';
import { FRAME_CHANNEL } from '../../../electron/ipcChannel';
import packageJson from '../../../package.json' with { type: 'json' };
import type { Frame } from '../../../shared/contract/frames';
import type { PlaygroundBridge } from '../../../shared/transport/bridge';

const standIn = vi.hoisted(() => {
  type Listener = (event: unknown, ...args: unknown[]) => void;
  const exposed = new Map<string, unknown>();
  const listeners = new Map<string, Set<Listener>>();
  const sent: Array<{ channel: string; args: unknown[] }> = [];
  const ipcRenderer = {
    send(channel: string, ...args: unknown[]) {
      sent.push({ channel, args });
    },
    on(channel: string, listener: Listener) {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)?.add(listener);
      return ipcRenderer;
    },
    removeListener(channel: string, listener: Listener) {
      listeners.get(channel)?.delete(listener);
      return ipcRenderer;
    },
    /** What the main process sending on `channel` looks like from here. */
    deliver(channel: string, frame: unknown) {
      const event = { sender: ipcRenderer, senderId: 0 };
      for (const listener of [...(listeners.get(channel) ?? [])]) listener(event, frame);
    },
  };
  const contextBridge = {
    exposeInMainWorld(key: string, api: unknown) {
      exposed.set(key, api);
    },
  };
  return { exposed, listeners, sent, ipcRenderer, contextBridge };
});

vi.mock('electron', () => ({ contextBridge: standIn.contextBridge, ipcRenderer: standIn.ipcRenderer }));

await import('../../../electron/preload');

function bridge(): PlaygroundBridge {
  return standIn.exposed.get('playground') as PlaygroundBridge;
}

describe('electron/preload.ts', () => {
  it('exposes exactly onFrame, send and version under `playground`, and nothing else', () => {
    expect([...standIn.exposed.keys()]).toEqual(['playground']);
    expect(Object.keys(bridge()).sort()).toEqual(['onFrame', 'send', 'version']);
    expect(bridge().version).toBe(packageJson.version);
    expect(typeof bridge().send).toBe('function');
    expect(typeof bridge().onFrame).toBe('function');
  });

  it('exposes a plain object, not a Proxy or anything with a prototype to walk', () => {
    expect(Object.getPrototypeOf(bridge())).toBe(Object.prototype);
  });

  it('send forwards the frame, untouched, on the frame channel only', () => {
    const bytes = new Uint8Array([72, 105, 13, 10]);
    const frame: Frame = { kind: 'request', id: 7, method: 'app.ping', payload: { data: bytes } };
    bridge().send(frame);
    expect(standIn.sent).toEqual([{ channel: FRAME_CHANNEL, args: [frame] }]);
    const [forwarded] = standIn.sent[0]?.args ?? [];
    expect((forwarded as { payload: { data: unknown } }).payload.data).toBe(bytes);
  });

  it('onFrame delivers only the frame (never the IPC event) until unsubscribed', () => {
    const received: unknown[][] = [];
    const unsubscribe = bridge().onFrame((...args) => received.push(args));
    const frame = { kind: 'event', name: 'clock.tick', payload: { now: 1, seq: 0 } };
    standIn.ipcRenderer.deliver(FRAME_CHANNEL, frame);
    standIn.ipcRenderer.deliver('some-other-channel', { kind: 'event' });
    expect(received).toEqual([[frame]]);

    expect(unsubscribe()).toBeUndefined();
    standIn.ipcRenderer.deliver(FRAME_CHANNEL, frame);
    expect(received).toHaveLength(1);
    expect(standIn.listeners.get(FRAME_CHANNEL)?.size).toBe(0);
  });

  it('each subscription is independent', () => {
    const a = vi.fn();
    const b = vi.fn();
    const stopA = bridge().onFrame(a);
    const stopB = bridge().onFrame(b);
    stopA();
    standIn.ipcRenderer.deliver(FRAME_CHANNEL, { kind: 'event', name: 'x', payload: null });
    expect(a).not.toHaveBeenCalled();
    expect(b).toHaveBeenCalledOnce();
    stopB();
  });
});

describe('the built preload (dist/electron/preload.cjs)', () => {
  it('carries the version alone: nothing else from package.json, no dependency names', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'pp-preload-'));
    try {
      await buildElectron({ outDir });
      const code = readFileSync(join(outDir, 'preload.cjs'), 'utf8');
      const names = [
        ...Object.keys(packageJson.dependencies),
        ...Object.keys(packageJson.devDependencies),
        ...Object.keys(packageJson.scripts),
      ].filter((name) => name !== 'electron'); // its one require
      for (const name of [...names, 'devDependencies', 'team@protocol-playground.invalid', packageJson.description]) {
        expect(code, name).not.toContain(`"${name}"`);
      }
      expect(code).not.toMatch(/devDependencies|mailparser|nodemailer|vitest/);

      // Run as Electron runs it: CommonJS, `electron` its only require.
      const exposed = new Map<string, unknown>();
      const electron = {
        contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
        ipcRenderer: { send() {}, on() {}, removeListener() {} },
      };
      const required: string[] = [];
      const require = (name: string) => {
        required.push(name);
        if (name !== 'electron') throw new Error(`the preload required ${name}`);
        return electron;
      };
      runInNewContext(code, { require, module: { exports: {} }, exports: {} });
      expect(required).toEqual(['electron']);
      expect((exposed.get('playground') as PlaygroundBridge).version).toBe(packageJson.version);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});
