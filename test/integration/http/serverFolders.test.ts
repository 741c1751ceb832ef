import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { type App, startApp } from '../../support/appClient';
import { canListen, freeTcpPort, tcpPortFreed } from '../../support/ports';
import { until } from '../../support/waits';
import { entriesOf, exchange, startWebServer } from './serverHarness';

const secret = 'TOP SECRET: outside the served folder';
let base: string;
let served: string;
let app: App;
afterEach(() => app?.close());

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'pp-webserver-'));
  served = join(base, 'site');
  mkdirSync(join(served, 'sub'), { recursive: true });
  writeFileSync(join(base, 'secret.txt'), secret);
  writeFileSync(join(served, 'index.html'), '<p>inside</p>');
  writeFileSync(join(served, 'sub', 'index.html'), '<p>sub index</p>');
  writeFileSync(join(served, 'sub', 'page one.html'), '<p>spaces</p>');
  writeFileSync(join(served, '.hidden'), secret);
  mkdirSync(join(served, 'empty'));
  symlinkSync(join(base, 'secret.txt'), join(served, 'out.txt'));
  symlinkSync(base, join(served, 'outdir'));
  symlinkSync(join(served, 'index.html'), join(served, 'alias.html'));
  writeFileSync(join(base, 'file.txt'), 'not a folder');
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('no path leaves the served folder', () => {
  test.each([
    '/../secret.txt',
    '/../../../../../../etc/passwd',
    '/%2e%2e/secret.txt',
    '/%2E%2E/secret.txt',
    '/..%2fsecret.txt',
    '/%2e%2e%2fsecret.txt',
    '/sub/..%2f..%2fsecret.txt',
    '/%252e%252e/secret.txt',
    '/%252e%252e%252fsecret.txt',
    '/..\\secret.txt',
    '/%5c..%5csecret.txt',
    '/..%5csecret.txt',
    '/sub/../../secret.txt',
    '/./../secret.txt',
    '/index.html%00.txt',
    '/%00',
    '/out.txt',
    '/outdir/secret.txt',
    '/outdir/site/index.html/../../secret.txt',
    '/.hidden',
    '/%2ehidden',
    'http://localhost/../secret.txt',
    '../secret.txt',
    '/%',
    '/%zz',
  ])('%s is refused and never answered with the file outside', async (target) => {
    app = startApp();
    const { local, serverId } = await startWebServer(app, { folder: served });
    const [response] = await exchange(
      local.port,
      `GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`,
    );
    expect([400, 403, 404]).toContain(response?.status);
    expect(response?.body.toString()).not.toContain(secret);
    await until(() => entriesOf(app, serverId, 'response').length === 1, 'the refusal logged');
    const [logged] = entriesOf(app, serverId, 'response');
    expect(logged?.file).toBeUndefined();
    expect(logged?.reason).toBeTruthy();
  });

  test('a symbolic link that stays inside the folder is served', async () => {
    app = startApp();
    const { local } = await startWebServer(app, { folder: served });
    const [response] = await exchange(local.port, 'GET /alias.html HTTP/1.0\r\n\r\n');
    expect(response?.status).toBe(200);
    expect(response?.body.toString()).toBe('<p>inside</p>');
  });

  test('a folder without its slash is redirected with 301 and Location; with it, its index.html is served', async () => {
    app = startApp();
    const { local, folder } = await startWebServer(app, { folder: served });
    expect(folder).toBe(served);
    const [moved] = await exchange(local.port, 'GET /sub HTTP/1.0\r\n\r\n');
    expect(moved?.status).toBe(301);
    expect(moved?.headers.get('location')).toBe('/sub/');
    const [index] = await exchange(local.port, 'GET /sub/ HTTP/1.0\r\n\r\n');
    expect(index?.body.toString()).toBe('<p>sub index</p>');
    const [spaced] = await exchange(local.port, 'GET /sub/page%20one.html?x=1 HTTP/1.0\r\n\r\n');
    expect(spaced?.body.toString()).toBe('<p>spaces</p>');
    const [empty] = await exchange(local.port, 'GET /empty/ HTTP/1.0\r\n\r\n');
    expect(empty?.status).toBe(404);
    expect(empty?.body.toString()).toContain('no index.html');
  });
});

describe('starting', () => {
  test('a folder that does not exist is a clear error naming it', async () => {
    app = startApp();
    const missing = join(base, 'nope');
    const error = await app.failure(startWebServer(app, { folder: missing }));
    expect(error.code).toBe('E_NOT_FOUND');
    expect(error.field).toBe('payload.folder');
    expect(error.message).toContain(missing);
    expect(error.message).toContain('ENOENT');
  });

  test('a file instead of a folder, and a relative path, are refused', async () => {
    app = startApp();
    const notFolder = await app.failure(startWebServer(app, { folder: join(base, 'file.txt') }));
    expect(notFolder.code).toBe('E_NOT_A_FOLDER');
    expect(notFolder.message).toContain('is a file, not a folder');
    const relative = await app.failure(startWebServer(app, { folder: 'site' }));
    expect(relative.code).toBe('E_BAD_REQUEST');
    expect(relative.message).toContain('not a full path');
  });

  test('a port in use is a clear error naming the port; stop frees it for a new start', async () => {
    app = startApp();
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const error = await app.failure(startWebServer(app, { port }));
      expect(error.code).toBe('E_ADDR_IN_USE');
      expect(error.message).toContain(`127.0.0.1:${port}`);
      expect(error.message).toContain('EADDRINUSE');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
    const free = await freeTcpPort();
    const first = await startWebServer(app, { port: free });
    const again = await app.failure(startWebServer(app, { port: free }));
    expect(again.code).toBe('E_ADDR_IN_USE');
    await app.client.call('webServer.stop', { serverId: first.serverId });
    const second = await startWebServer(app, { port: free });
    expect(second.local.port).toBe(free);
  });

  test('when the renderer goes away its web server stops and the port is free again', async () => {
    app = startApp();
    const port = await freeTcpPort();
    await startWebServer(app, { port });
    expect(await canListen(port)).toBe(false);
    app.close();
    expect(await tcpPortFreed(port)).toBe(true);
  });

  test('a bad port and a bad folder type are refused by the contract', async () => {
    app = startApp();
    const port = await app.failure(app.client.call('webServer.start', { port: 70000 }));
    expect(port.code).toBe('E_BAD_REQUEST');
    const stop = await app.failure(app.client.call('webServer.stop', { serverId: 'webServer-nope' }));
    expect(stop.code).toBe('E_NOT_FOUND');
  });

  test('all interfaces must be asked for and comes with a warning', async () => {
    app = startApp();
    const started = await startWebServer(app, { bindAddress: '0.0.0.0' });
    expect(started.warning).toContain('other machines');
  });
});

describe('the Set-Cookie demo', () => {
  test('/cookie sets a visit counter that the next request brings back', async () => {
    app = startApp();
    const { local, serverId } = await startWebServer(app);
    const [first] = await exchange(local.port, 'GET /cookie HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    expect(first?.status).toBe(200);
    expect(first?.headers.get('set-cookie')).toBe('visits=1; Path=/; SameSite=Lax');
    expect(first?.body.toString()).toContain('Visit number 1');
    expect(first?.body.toString()).toContain('no Cookie header');
    const [second] = await exchange(
      local.port,
      'GET /cookie HTTP/1.1\r\nHost: localhost\r\nCookie: theme=dark; visits=1\r\nConnection: close\r\n\r\n',
    );
    expect(second?.headers.get('set-cookie')).toBe('visits=2; Path=/; SameSite=Lax');
    expect(second?.body.toString()).toContain('Visit number 2');
    expect(second?.body.toString()).toContain('Cookie: theme=dark; visits=1');
    await until(() => entriesOf(app, serverId, 'response').length === 2, 'both logged');
    expect(entriesOf(app, serverId, 'response')[1]?.reason).toBe('cookie demo: visit 2');
  });

  test('without the demo, /cookie is just a missing file', async () => {
    app = startApp();
    const { local } = await startWebServer(app, { cookieDemo: false });
    const [response] = await exchange(local.port, 'GET /cookie HTTP/1.0\r\n\r\n');
    expect(response?.status).toBe(404);
  });
});
