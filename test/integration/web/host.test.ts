import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect as netConnect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { IDLE_TIMEOUT_MS, MAX_FRAME_BYTES, startWebHost, type WebHost } from '../../../electron/web/host';
import { WebSocketPort } from '../../../electron/web/websocketPort';
import { handshakeProtocols } from '../../../shared/app/browserAccess';
import { createClient } from '../../../shared/contract/client';

const quiet = () => {};
const TOKEN = randomBytes(32).toString('base64url');

let rendererDir: string;
let host: WebHost;
let hostHeader: string;
/** What the page offers in Sec-WebSocket-Protocol: the app's subprotocol and the token's. */
const protocols = handshakeProtocols(TOKEN).join(', ');

beforeAll(async () => {
  rendererDir = mkdtempSync(join(tmpdir(), 'pp-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Protocol Playground</title>');
  mkdirSync(join(rendererDir, 'assets'));
  writeFileSync(join(rendererDir, 'assets', 'app-1234.js'), 'console.log("app");');
  writeFileSync(join(rendererDir, 'assets', 'app-1234.css'), 'body{}');
  host = await startWebHost({ rendererDir, token: TOKEN, log: quiet });
  hostHeader = `127.0.0.1:${host.port}`;
});

afterAll(async () => {
  await host.close();
  rmSync(rendererDir, { recursive: true, force: true });
});

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Every answer the tests saw, to check headers that must hold on all of them. */
const seen: Answer[] = [];

/** A raw HTTP request, so Host and Origin can be anything (fetch would not allow that). */
function get(
  path: string,
  headers: Record<string, string | undefined> = {},
  options: { method?: string; port?: number; setHost?: boolean } = {},
): Promise<Answer> {
  const port = options.port ?? host.port;
  const all: Record<string, string> = {};
  if (options.setHost !== false && !('Host' in headers)) all.Host = `127.0.0.1:${port}`;
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) all[name] = value;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: all, setHost: false, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const answer = { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() };
          seen.push(answer);
          resolve(answer);
        });
      },
    );
    req.setTimeout(5000, () => req.destroy(new Error(`no answer to ${path} within 5 s`)));
    req.on('error', reject);
    req.end();
  });
}

/** A WebSocket handshake by hand: the answer's status is 101 when the host accepted it. */
function upgrade(headers: Record<string, string | undefined>, path = '/ws', port = host.port): Promise<Answer> {
  const base = {
    Connection: 'Upgrade',
    Upgrade: 'websocket',
    'Sec-WebSocket-Version': '13',
    'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
  };
  return new Promise((resolve, reject) => {
    const all: Record<string, string> = { ...base };
    for (const [name, value] of Object.entries(headers)) if (value !== undefined) all[name] = value;
    const req = httpRequest({ host: '127.0.0.1', port, path, headers: all, setHost: false, agent: false });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' });
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const answer = { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() };
        seen.push(answer);
        resolve(answer);
      });
    });
    req.setTimeout(5000, () => req.destroy(new Error('no answer to the handshake within 5 s')));
    req.on('error', reject);
    req.end();
  });
}

function goodUpgradeHeaders(): Record<string, string> {
  return { Host: hostHeader, Origin: `http://${hostHeader}`, 'Sec-WebSocket-Protocol': protocols };
}

function openWebSocket(options: ConstructorParameters<typeof WebSocket>[2] = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://${hostHeader}/ws`, handshakeProtocols(TOKEN), {
      origin: `http://${hostHeader}`,
      ...options,
    });
    cleanups.push(() => ws.terminate());
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function closeOf(ws: WebSocket, ms = 5000): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socket still open after ${ms} ms`)), ms);
    ws.once('close', (code, reason) => {
      clearTimeout(timer);
      resolve({ code, reason: reason.toString() });
    });
  });
}

describe('Host header (DNS-rebinding defence)', () => {
  it.each([
    ['a foreign name', () => `evil.example:${host.port}`],
    ['a rebinding-style name that embeds the IP', () => `127.0.0.1.nip.io:${host.port}`],
    ['the right IP with the wrong port', () => `127.0.0.1:${host.port === 65535 ? 1 : host.port + 1}`],
    ['the right IP with no port', () => '127.0.0.1'],
    ['localhost with the wrong port', () => `localhost:${host.port + 1}`],
  ])('refuses %s with 421 on the page and on /ws', async (_, makeHost) => {
    const page = await get('/', { Host: makeHost() });
    expect(page.status).toBe(421);
    expect(page.body).toMatch(/DNS rebinding/);
    const ws = await upgrade({ ...goodUpgradeHeaders(), Host: makeHost(), Origin: `http://${makeHost()}` });
    expect(ws.status).toBe(421);
    expect(ws.body).toMatch(/DNS rebinding/);
  });

  it('refuses a request without a Host header with 400', async () => {
    const page = await get('/', {}, { setHost: false });
    expect(page.status).toBe(400);
    expect(page.body).toMatch(/no Host header/);
    const ws = await upgrade({ Origin: `http://${hostHeader}`, 'Sec-WebSocket-Protocol': protocols });
    expect(ws.status).toBe(400);
  });

  it('accepts localhost and IP literals with the right port', async () => {
    expect((await get('/', { Host: `localhost:${host.port}` })).status).toBe(200);
    expect((await get('/', { Host: `LOCALHOST:${host.port}` })).status).toBe(200);
    expect((await get('/', { Host: `[::1]:${host.port}` })).status).toBe(200);
    const ws = await upgrade({
      Host: `localhost:${host.port}`,
      Origin: `http://localhost:${host.port}`,
      'Sec-WebSocket-Protocol': protocols,
    });
    expect(ws.status).toBe(101);
  });
});

describe('Origin on /ws', () => {
  it('refuses a foreign Origin with 403', async () => {
    const answer = await upgrade({ ...goodUpgradeHeaders(), Origin: 'http://evil.example' });
    expect(answer.status).toBe(403);
    expect(answer.body).toMatch(/evil\.example/);
  });

  it('refuses an Origin that differs from the Host only in spelling or port', async () => {
    expect((await upgrade({ ...goodUpgradeHeaders(), Origin: `http://localhost:${host.port}` })).status).toBe(403);
    expect((await upgrade({ ...goodUpgradeHeaders(), Origin: `http://127.0.0.1:${host.port + 1}` })).status).toBe(403);
    expect((await upgrade({ ...goodUpgradeHeaders(), Origin: `https://${hostHeader}` })).status).toBe(403);
    expect((await upgrade({ ...goodUpgradeHeaders(), Origin: 'null' })).status).toBe(403);
  });

  it('refuses a missing Origin with 403', async () => {
    const answer = await upgrade({ ...goodUpgradeHeaders(), Origin: undefined });
    expect(answer.status).toBe(403);
    expect(answer.body).toMatch(/no Origin/);
  });

  it('has no WebSocket anywhere but /ws', async () => {
    expect((await upgrade(goodUpgradeHeaders(), '/')).status).toBe(404);
    expect((await upgrade(goodUpgradeHeaders(), '/ws/')).status).toBe(404);
  });
});

describe('token', () => {
  it('prints the token in the URL fragment, which a browser never sends to any server', async () => {
    const other = await startWebHost({ rendererDir, log: quiet });
    try {
      const url = new URL(other.url);
      expect(url.search).toBe('');
      const token = /^#token=([\w-]+)$/.exec(url.hash)?.[1] ?? '';
      expect(token).toBe(other.token);
      expect(Buffer.from(token, 'base64url').byteLength).toBeGreaterThanOrEqual(16);
      expect(token).not.toBe(TOKEN);
      expect(other.url).toBe(`http://127.0.0.1:${other.port}/#token=${token}`);
    } finally {
      await other.close();
    }
  });

  it('serves the page and its assets without any secret, and never sets a cookie', async () => {
    for (const path of ['/', '/index.html', '/assets/app-1234.js', `/?token=${TOKEN}`]) {
      const answer = await get(path);
      expect(answer.status, path).toBe(200);
      expect(answer.headers['set-cookie'], path).toBeUndefined();
    }
    expect((await get('/missing')).headers['set-cookie']).toBeUndefined();
  });

  it("lets /ws in with the token offered as a subprotocol, and answers with the app's own, never the token", async () => {
    const answer = await upgrade(goodUpgradeHeaders());
    expect(answer.status).toBe(101);
    expect(answer.headers['sec-websocket-protocol']).toBe('protocol-playground');
    expect(JSON.stringify(answer.headers)).not.toContain(TOKEN);
  });

  it('finds the token among other subprotocols', async () => {
    const offered = `chat, pp-token.wrong, pp-token.${TOKEN}, protocol-playground`;
    expect((await upgrade({ ...goodUpgradeHeaders(), 'Sec-WebSocket-Protocol': offered })).status).toBe(101);
  });

  it('refuses /ws with 401 without the token subprotocol, with a wrong one, or with the token anywhere else', async () => {
    const sameLength = `${TOKEN.slice(0, -1)}${TOKEN.endsWith('A') ? 'B' : 'A'}`;
    const refused = [
      { 'Sec-WebSocket-Protocol': undefined },
      { 'Sec-WebSocket-Protocol': 'protocol-playground' },
      ...['nope', `${TOKEN}x`, TOKEN.slice(0, -1), sameLength, ''].map((wrong) => ({
        'Sec-WebSocket-Protocol': `protocol-playground, pp-token.${wrong}`,
      })),
      // The bare token, without the prefix that says what it is.
      { 'Sec-WebSocket-Protocol': `protocol-playground, ${TOKEN}` },
      // The old cookie is no longer a way in.
      { 'Sec-WebSocket-Protocol': undefined, Cookie: `pp_${host.port}=${TOKEN}` },
    ];
    for (const headers of refused) {
      const answer = await upgrade({ ...goodUpgradeHeaders(), ...headers });
      expect(answer.status, JSON.stringify(headers)).toBe(401);
      expect(answer.body).toMatch(/URL printed in the terminal/);
    }
    // Nor in the query string.
    const query = await upgrade({ ...goodUpgradeHeaders(), 'Sec-WebSocket-Protocol': undefined }, `/ws?token=${TOKEN}`);
    expect(query.status).toBe(401);
  });
});

describe('static files', () => {
  it('serves index.html at / with no-store and the right type', async () => {
    const answer = await get('/');
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('<title>Protocol Playground</title>');
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(answer.headers['cache-control']).toBe('no-store');
  });

  it('serves assets with their content types', async () => {
    const js = await get('/assets/app-1234.js');
    expect(js.status).toBe(200);
    expect(js.body).toBe('console.log("app");');
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    expect((await get('/assets/app-1234.css')).headers['content-type']).toMatch(/^text\/css/);
  });

  it('answers HEAD without a body and other methods with 405', async () => {
    const head = await get('/', {}, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
      const answer = await get('/', { Origin: 'http://evil.example' }, { method });
      expect(answer.status).toBe(405);
      expect(answer.headers.allow).toBe('GET, HEAD');
    }
  });

  it.each([
    '/../package.json',
    '/%2e%2e/package.json',
    '/%2e%2e/',
    '/assets/../../package.json',
    '/assets/..%2f..%2fpackage.json',
    '/..%5c..%5cpackage.json',
    '//etc/passwd',
    '/assets/',
  ])('answers %s with 404', async (path) => {
    const answer = await get(path);
    expect(answer.status).toBe(404);
    expect(answer.body).not.toContain('"name"');
  });

  it('answers a path that is not valid percent-encoding with 400', async () => {
    expect((await get('/%E0%A4%A')).status).toBe(400);
  });

  it('answers 503 with a hint to build when the renderer has no index.html', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'pp-empty-'));
    const bare = await startWebHost({ rendererDir: empty, token: TOKEN, log: quiet });
    try {
      const answer = await get('/', {}, { port: bare.port });
      expect(answer.status).toBe(503);
      expect(answer.body).toContain('npm run build');
      // Built while the host runs: served without a restart.
      writeFileSync(join(empty, 'index.html'), '<!doctype html><title>late</title>');
      const later = await get('/', {}, { port: bare.port });
      expect(later.status).toBe(200);
      expect(later.body).toContain('late');
    } finally {
      await bare.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('response headers', () => {
  it('puts a strict CSP and the hardening headers on the page', async () => {
    const answer = await get('/');
    const csp = String(answer.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://${hostHeader}`);
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-eval|unsafe-inline|\*/);
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['referrer-policy']).toBe('no-referrer');
    expect(answer.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(answer.headers['cross-origin-resource-policy']).toBe('same-origin');
  });

  it('never sends Access-Control-* headers, on any answer', async () => {
    // A CORS preflight and a cross-origin GET, on top of everything the other tests saw.
    await get('/', { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'GET' });
    await get(
      '/',
      {
        Origin: 'http://evil.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
      { method: 'OPTIONS' },
    );
    expect(seen.length).toBeGreaterThan(2);
    for (const answer of seen) {
      expect(Object.keys(answer.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    }
  });

  it('puts the security headers on refusals too', async () => {
    for (const answer of [await get('/missing'), await get('/', { Host: 'evil.example' })]) {
      expect(answer.headers['content-security-policy']).toBeDefined();
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
    }
  });
});

describe('WebSocket', () => {
  it('accepts the page (its token and its own Origin), and app.info answers over it with transport browser', async () => {
    const ws = await openWebSocket();
    const port = new WebSocketPort(ws, { heartbeatMs: 0, log: quiet });
    const client = createClient();
    client.connect(port);
    const info = await client.call('app.info', {}, { timeoutMs: 5000 });
    expect(info.transport).toBe('browser');
    port.close();
  });

  it('refuses app.chooseFolder with a clear E_UNSUPPORTED: browser mode has no folder dialog', async () => {
    const ws = await openWebSocket();
    const port = new WebSocketPort(ws, { heartbeatMs: 0, log: quiet });
    const client = createClient();
    client.connect(port);
    await expect(
      client.call('app.chooseFolder', { title: 'Folder to serve', defaultPath: '~/site' }, { timeoutMs: 5000 }),
    ).rejects.toMatchObject({
      code: 'E_UNSUPPORTED',
      message: 'choosing a folder needs the desktop app; type the path instead',
    });
    port.close();
  });

  it('carries the largest payload the contract allows for attachments: 25 MiB composed into a message', async () => {
    const ws = await openWebSocket();
    const port = new WebSocketPort(ws, { heartbeatMs: 0, log: quiet });
    const client = createClient();
    client.connect(port);
    const data = randomBytes(25 * 1024 * 1024);
    const message = await client.call(
      'smtp.composeMessage',
      { from: 'alice@crepes.fr', to: ['bob@hamburger.edu'], attachments: [{ filename: 'big.bin', data }] },
      { timeoutMs: 60_000 },
    );
    expect(message.raw.byteLength).toBeGreaterThan((data.byteLength * 4) / 3);
    expect(port.closed).toBe(false);
    port.close();
  });

  it(`closes with 1009 on a message over ${MAX_FRAME_BYTES} bytes`, async () => {
    const ws = await openWebSocket();
    const closed = closeOf(ws);
    ws.send(new Uint8Array(MAX_FRAME_BYTES + 1));
    expect((await closed).code).toBe(1009);
  });

  it('keeps a message of exactly the maximum size within the limit (closed as undecodable, not as too big)', async () => {
    const ws = await openWebSocket();
    const closed = closeOf(ws);
    ws.send(new Uint8Array(MAX_FRAME_BYTES));
    expect((await closed).code).toBe(1007);
  });

  it('closes with 1003 on a text message', async () => {
    const ws = await openWebSocket();
    const closed = closeOf(ws);
    ws.send('{"kind":"request","id":1,"method":"app.info","payload":{}}');
    const { code, reason } = await closed;
    expect(code).toBe(1003);
    expect(reason).toMatch(/binary/);
  });

  it('closes with 1007 on a binary message that is not a frame', async () => {
    const ws = await openWebSocket();
    const closed = closeOf(ws);
    ws.send(new Uint8Array([9, 9, 9]));
    expect((await closed).code).toBe(1007);
  });

  it('drops a client that does not answer heartbeats, and keeps one that does', async () => {
    const heartbeatHost = await startWebHost({ rendererDir, token: TOKEN, heartbeatMs: 100, log: quiet });
    cleanups.push(() => heartbeatHost.close());
    const url = `ws://127.0.0.1:${heartbeatHost.port}/ws`;
    const open = (autoPong: boolean) =>
      new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(url, handshakeProtocols(TOKEN), { origin: heartbeatHost.origin, autoPong });
        cleanups.push(() => ws.terminate());
        ws.once('open', () => resolve(ws));
        ws.once('error', reject);
      });
    const silent = await open(false);
    const healthy = await open(true);
    let pings = 0;
    silent.on('ping', () => pings++);
    const started = Date.now();
    const { code } = await closeOf(silent, 3000);
    expect(code).toBe(1006); // cut off, no close handshake
    expect(pings).toBeGreaterThanOrEqual(1);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(healthy.readyState).toBe(WebSocket.OPEN);
  });

  it('closing the host closes every WebSocket with 1001, within a bounded time', async () => {
    const other = await startWebHost({ rendererDir, token: TOKEN, log: quiet });
    const ws = await new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(`ws://127.0.0.1:${other.port}/ws`, handshakeProtocols(TOKEN), {
        origin: other.origin,
      });
      cleanups.push(() => socket.terminate());
      socket.once('open', () => resolve(socket));
      socket.once('error', reject);
    });
    const closed = closeOf(ws);
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(3000);
    expect((await closed).code).toBe(1001);
    // Nothing listens any more.
    await expect(get('/', {}, { port: other.port })).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('connections that never become a WebSocket', () => {
  /** A raw TCP connection that writes `chunks` (one every `everyMs`); resolves with how long until the host closed it. */
  function holdOpen(port: number, chunks: string[] = [], everyMs = 100, giveUpMs = 5000): Promise<number> {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const socket = netConnect({ host: '127.0.0.1', port });
      cleanups.push(() => socket.destroy());
      let timer: NodeJS.Timeout | undefined;
      const giveUp = setTimeout(() => {
        socket.destroy();
        reject(new Error(`the host kept a silent connection open for ${giveUpMs} ms`));
      }, giveUpMs);
      socket.on('connect', () => {
        const next = () => {
          const chunk = chunks.shift();
          if (chunk === undefined || socket.destroyed) return;
          socket.write(chunk);
          timer = setTimeout(next, everyMs);
        };
        next();
      });
      socket.on('data', () => {});
      socket.on('error', () => {});
      socket.on('close', () => {
        clearTimeout(giveUp);
        clearTimeout(timer);
        resolve(Date.now() - started);
      });
    });
  }

  it(`closes them after ${IDLE_TIMEOUT_MS / 1000} s of silence by default`, () => {
    expect(IDLE_TIMEOUT_MS).toBe(10_000);
  });

  it('closes a connection that sends nothing, one that stops mid-request, and one that trickles its headers', async () => {
    const strict = await startWebHost({ rendererDir, token: TOKEN, idleTimeoutMs: 300, log: quiet });
    cleanups.push(() => strict.close());
    const trickle = ['GET / HTTP/1.1\r\n', ...Array.from({ length: 40 }, (_, i) => `X-Slow-${i}: a\r\n`)];
    const [silent, stopped, slow] = await Promise.all([
      holdOpen(strict.port),
      holdOpen(strict.port, [`GET / HTTP/1.1\r\nHost: 127.0.0.1:${strict.port}\r\n`]),
      holdOpen(strict.port, trickle, 100),
    ]);
    for (const ms of [silent, stopped]) {
      expect(ms).toBeGreaterThanOrEqual(250);
      expect(ms).toBeLessThan(2000);
    }
    // Bytes keep coming, but the headers never end: closed by the headers deadline.
    expect(slow).toBeLessThan(2500);
  });

  it('leaves an open WebSocket alone however quiet it is (heartbeats are its deadline)', async () => {
    const strict = await startWebHost({ rendererDir, token: TOKEN, idleTimeoutMs: 200, heartbeatMs: 0, log: quiet });
    cleanups.push(() => strict.close());
    const ws = await new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(`ws://127.0.0.1:${strict.port}/ws`, handshakeProtocols(TOKEN), {
        origin: strict.origin,
      });
      cleanups.push(() => socket.terminate());
      socket.once('open', () => resolve(socket));
      socket.once('error', reject);
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(ws.readyState).toBe(WebSocket.OPEN);
    const port = new WebSocketPort(ws, { heartbeatMs: 0, log: quiet });
    const client = createClient();
    client.connect(port);
    expect((await client.call('app.info', {}, { timeoutMs: 5000 })).transport).toBe('browser');
    port.close();
  });

  it('still serves the page and its files under a short deadline', async () => {
    const strict = await startWebHost({ rendererDir, token: TOKEN, idleTimeoutMs: 300, log: quiet });
    cleanups.push(() => strict.close());
    expect((await get('/', {}, { port: strict.port })).status).toBe(200);
    expect((await get('/assets/app-1234.js', {}, { port: strict.port })).status).toBe(200);
  });
});

describe('listening address', () => {
  it('listens on 127.0.0.1 only by default', async () => {
    expect(host.origin).toBe(`http://127.0.0.1:${host.port}`);
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((nic) => nic !== undefined && !nic.internal)
      .map((nic) => nic?.address as string);
    for (const address of ['::1', ...others]) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = netConnect({ host: address, port: host.port });
        socket.setTimeout(2000, () => {
          socket.destroy();
          resolve('timeout');
        });
        socket.once('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      });
      expect(outcome, `connecting to ${address}:${host.port}`).not.toBe('connected');
    }
  });

  it('refuses to listen on a name DNS could rebind', async () => {
    await expect(startWebHost({ rendererDir, host: 'my-machine.example' })).rejects.toThrow(/IP address or localhost/);
  });

  it('says clearly when the port is taken', async () => {
    await expect(startWebHost({ rendererDir, port: host.port, log: quiet })).rejects.toThrow(
      new RegExp(`127\\.0\\.0\\.1:${host.port}: the port is already in use`),
    );
  });
});
