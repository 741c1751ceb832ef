import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket as WsClient } from 'ws';
import { startWebHost, type WebHost } from '../../../../electron/web/host';
import { takeAccessToken, TOKEN_STORAGE_KEY, type TokenPage } from '../../../../renderer/transport/accessToken';
import {
  type ConnectionManager,
  type ConnectionState,
  connectFromPage,
  noTokenMessage,
} from '../../../../renderer/transport/connection';

/** A stand-in for `window`: an address whose hash and path `replaceState` really changes, and a tab's storage. */
function fakePage(address: string, storage = new Map<string, string>()) {
  const url = new URL(address);
  const replaced: string[] = [];
  const page = {
    location: {
      get protocol() {
        return url.protocol;
      },
      get host() {
        return url.host;
      },
      get hash() {
        return url.hash;
      },
      get pathname() {
        return url.pathname;
      },
      get search() {
        return url.search;
      },
    },
    history: {
      replaceState(_data: unknown, _unused: string, next?: string) {
        if (next === undefined) return;
        replaced.push(next);
        const moved = new URL(next, url);
        url.hash = moved.hash;
        url.pathname = moved.pathname;
        url.search = moved.search;
      },
    },
    sessionStorage: {
      getItem: (key: string) => storage.get(key) ?? null,
      setItem: (key: string, value: string) => void storage.set(key, value),
    },
  };
  return { page, storage, replaced, href: () => url.href };
}

describe('takeAccessToken', () => {
  it('takes the token from the fragment, keeps it for the tab and drops it from the address', () => {
    const { page, storage, replaced, href } = fakePage('http://127.0.0.1:4000/?tool=udp#token=abc_DEF-123');
    expect(takeAccessToken(page)).toBe('abc_DEF-123');
    expect(storage.get(TOKEN_STORAGE_KEY)).toBe('abc_DEF-123');
    expect(replaced).toEqual(['/?tool=udp']);
    expect(href()).toBe('http://127.0.0.1:4000/?tool=udp');
  });

  it('after a reload (no fragment), uses what the tab kept, and leaves the address alone', () => {
    const storage = new Map([[TOKEN_STORAGE_KEY, 'kept-token']]);
    for (const address of ['http://127.0.0.1:4000/', 'http://127.0.0.1:4000/#/tcp']) {
      const { page, replaced } = fakePage(address, storage);
      expect(takeAccessToken(page)).toBe('kept-token');
      expect(replaced).toEqual([]);
    }
  });

  it('a fresh printed URL replaces what the tab kept (the host was restarted)', () => {
    const storage = new Map([[TOKEN_STORAGE_KEY, 'old-token']]);
    const { page } = fakePage('http://127.0.0.1:4000/#token=new-token', storage);
    expect(takeAccessToken(page)).toBe('new-token');
    expect(storage.get(TOKEN_STORAGE_KEY)).toBe('new-token');
  });

  it('has none without a fragment or anything kept, and ignores fragments that are not a token', () => {
    expect(takeAccessToken(fakePage('http://127.0.0.1:4000/').page)).toBeUndefined();
    expect(takeAccessToken(fakePage('http://127.0.0.1:4000/#token=').page)).toBeUndefined();
    expect(takeAccessToken(fakePage('http://127.0.0.1:4000/#token=a b').page)).toBeUndefined();
  });

  it('still works where storage is refused (the token then lives in memory only)', () => {
    const { page, replaced } = fakePage('http://127.0.0.1:4000/#token=abc');
    const refusing: TokenPage = {
      ...page,
      get sessionStorage(): Storage {
        throw new Error('SecurityError: storage is disabled');
      },
    };
    expect(takeAccessToken(refusing)).toBe('abc');
    expect(replaced).toEqual(['/']);
  });
});

describe('connectFromPage in browser mode, against the real host', () => {
  let rendererDir: string;
  let host: WebHost;
  const sockets: WsClient[] = [];
  const offered: string[][] = [];
  const managers: ConnectionManager[] = [];

  beforeAll(async () => {
    rendererDir = mkdtempSync(join(tmpdir(), 'pp-renderer-'));
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
    host = await startWebHost({ rendererDir, heartbeatMs: 0, log: () => {} });
  });
  afterEach(() => {
    for (const manager of managers.splice(0)) manager.stop();
    for (const socket of sockets.splice(0)) socket.terminate();
    offered.length = 0;
  });
  afterAll(async () => {
    await host.close();
    rmSync(rendererDir, { recursive: true, force: true });
  });

  /** The page's manager, with Node's `ws` (sending the Origin a browser would) in place of the browser's WebSocket. */
  function connect(page: ReturnType<typeof fakePage>['page']): ConnectionManager {
    const manager = connectFromPage(page as unknown as Window, {
      createSocket: (url, protocols) => {
        offered.push(protocols);
        const socket = new WsClient(url, protocols, { origin: host.origin });
        sockets.push(socket);
        return socket as unknown as WebSocket;
      },
    });
    managers.push(manager);
    manager.start();
    return manager;
  }

  function until(manager: ConnectionManager, done: (state: ConnectionState) => boolean): Promise<ConnectionState> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`still ${JSON.stringify(manager.state)}`)), 10_000);
      const check = (state: ConnectionState) => {
        if (!done(state)) return;
        clearTimeout(timer);
        off();
        resolve(state);
      };
      const off = manager.subscribe(check);
      check(manager.state);
    });
  }

  it('connects with the printed URL, reconnects by itself with the same token, and again after a reload', async () => {
    const storage = new Map<string, string>();
    const opened = fakePage(host.url, storage);
    const manager = connect(opened.page);
    await until(manager, (state) => state.status === 'connected');
    expect(opened.href()).toBe(`${host.origin}/`);
    expect(offered[0]).toEqual(['protocol-playground', `pp-token.${host.token}`]);
    expect(await manager.client.call('app.info', {}, { timeoutMs: 5000 })).toMatchObject({ transport: 'browser' });

    // The connection drops (as when the network blips): the page opens a new one by itself.
    sockets[0]?.terminate();
    await until(manager, (state) => state.status === 'connected' && state.connections === 2);
    expect(offered.at(-1)).toEqual(['protocol-playground', `pp-token.${host.token}`]);
    manager.stop();

    // A reload: the address has no fragment any more, the tab's storage still has the token.
    const reloaded = connect(fakePage(opened.href(), storage).page);
    await until(reloaded, (state) => state.status === 'connected');
    expect(await reloaded.client.call('app.info', {}, { timeoutMs: 5000 })).toMatchObject({ transport: 'browser' });
  });

  it('opened without the token, says so and never offers the host anything', async () => {
    const manager = connect(fakePage(`${host.origin}/`).page);
    const state = await until(manager, (current) => current.reason !== undefined);
    expect(state.status).not.toBe('connected');
    expect(state.reason).toBe(noTokenMessage);
    expect(offered).toEqual([]);
  });
});
