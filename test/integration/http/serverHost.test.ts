import { hostname } from 'node:os';
import { afterEach, describe, expect, test } from 'vitest';
import { type App, startApp } from '../../support/appClient';
import { until } from '../../support/waits';
import { entriesOf, exchange, startWebServer } from './serverHarness';

/**
 * The DNS-rebinding defence: a website whose name was rebound to 127.0.0.1 reaches the
 * server with its own name in Host. Only names DNS cannot rebind are answered.
 */

let app: App;
afterEach(() => app?.close());

const get = (host: string | undefined, version = 'HTTP/1.1', target = '/style.css') =>
  `GET ${target} ${version}\r\n${host === undefined ? '' : `Host: ${host}\r\n`}Connection: close\r\n\r\n`;

const machine = hostname();
const short = machine.split('.')[0] ?? machine;

describe('the web server answers only its own Host names', () => {
  test.each([
    ['127.0.0.1 with the port', (port: number) => `127.0.0.1:${port}`],
    ['an IPv4 literal on another port (a forwarded port)', () => '10.0.0.7:80'],
    ['an IPv6 literal', () => '[::1]:8080'],
    ['localhost in capitals with a trailing dot', () => 'LOCALHOST.:8080'],
    ['localhost without a port', () => 'localhost'],
    ["this machine's name", (port: number) => `${machine}:${port}`],
    ["this machine's short name, any case", () => short.toUpperCase()],
  ])('%s is answered', async (_, host) => {
    app = startApp();
    const { local } = await startWebServer(app);
    const [response] = await exchange(local.port, get(host(local.port)));
    expect(response?.status).toBe(200);
  });

  test('an HTTP/1.0 request without Host (the textbook has none) is answered', async () => {
    app = startApp();
    const { local } = await startWebServer(app);
    const [response] = await exchange(local.port, get(undefined, 'HTTP/1.0'));
    expect(response?.status).toBe(200);
  });

  test.each([
    ['a rebound website', (port: number) => `evil.example:${port}`],
    ['a name that only starts like localhost', () => 'localhost.evil.example'],
    ['an IP-looking DNS name', () => '127.0.0.1.nip.io'],
    ["a name that only starts like this machine's", () => `${short}.evil.example`],
    ['a bracketed name that is no IPv6 address', () => '[evil.example]'],
  ])('%s gets 421, and the page and the log line explain DNS rebinding', async (_, host) => {
    app = startApp();
    const { local, serverId } = await startWebServer(app);
    const [response] = await exchange(local.port, get(host(local.port)));
    expect(response?.statusLine).toBe('HTTP/1.1 421 Misdirected Request');
    const page = response?.body.toString('utf8') ?? '';
    expect(page).toContain('DNS rebinding');
    await until(() => entriesOf(app, serverId, 'response').length === 1, 'the response logged');
    const [logged] = entriesOf(app, serverId, 'response');
    expect(logged?.status).toBe(421);
    expect(logged?.reason).toMatch(/^This server answers only to an IP address or to localhost, .*\. Another name/);
    expect(logged?.reason).toContain('DNS rebinding');
    expect(logged?.reason?.split('. ')).toHaveLength(2);
    expect(logged?.file).toBeUndefined();
  });

  test('an HTTP/1.0 request with a foreign Host, and an absolute-form target naming one, get 421', async () => {
    app = startApp();
    const { local } = await startWebServer(app);
    const [old] = await exchange(local.port, get('evil.example', 'HTTP/1.0'));
    expect(old?.status).toBe(421);
    // The absolute-form target's authority is the name the request is for, whatever Host says.
    const [absolute] = await exchange(local.port, get('localhost', 'HTTP/1.1', 'http://evil.example/style.css'));
    expect(absolute?.status).toBe(421);
    const [ownAbsolute] = await exchange(local.port, get('evil.example', 'HTTP/1.1', 'http://localhost/style.css'));
    expect(ownAbsolute?.status).toBe(200);
  });

  test('with the check switched off, any Host is answered', async () => {
    app = startApp();
    const started = await startWebServer(app, { checkHost: false });
    expect(started.checkHost).toBe(false);
    const [response] = await exchange(started.local.port, get('evil.example'));
    expect(response?.status).toBe(200);
  });

  test('the check is on by default', async () => {
    app = startApp();
    const started = await app.client.call('webServer.start', { port: 0 });
    expect(started.checkHost).toBe(true);
    await app.client.call('webServer.stop', { serverId: started.serverId });
  });
});
