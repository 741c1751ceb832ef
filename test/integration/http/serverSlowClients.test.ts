import { afterEach, describe, expect, test } from 'vitest';
import { defaultWebServerMaxConnections, defaultWebServerTimeouts } from '../../../shared/http/server/contract';
import { type App, startApp } from '../../support/appClient';
import { until } from '../../support/waits';
import { entriesOf, RawHttp, startWebServer } from './serverHarness';

/**
 * Slowloris: clients that open every connection slot and send their request head a
 * header at a time, never finishing it. A new connection closes the one waiting longest
 * without a complete head, so a real request is answered within 15 s; and the head limit
 * stays long enough for a student typing a request by hand.
 */

let app: App;
const clients: RawHttp[] = [];
const timers: NodeJS.Timeout[] = [];
afterEach(() => {
  for (const timer of timers.splice(0)) clearInterval(timer);
  for (const client of clients.splice(0)) client.close();
  app?.close();
});

/** Tries a whole request on a new connection until one is answered; gives the status and how long it took. */
async function realRequest(port: number, withinMs: number): Promise<{ status: number | undefined; tookMs: number }> {
  const started = Date.now();
  while (Date.now() - started < withinMs) {
    const client = await RawHttp.connect(port);
    clients.push(client);
    client.send('GET /style.css HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    const [response] = await client.responses(1, [], withinMs).catch(() => []);
    if (response) return { status: response.status, tookMs: Date.now() - started };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { status: undefined, tookMs: Date.now() - started };
}

describe('slow clients cannot lock the web server out; a typing student is not one of them', () => {
  test(`with ${defaultWebServerMaxConnections} slowloris connections open, a real request is answered within 15 s`, async () => {
    app = startApp();
    // The defaults: the head limit is long (120 s), so it is making room that lets the request in.
    const { local, serverId } = await startWebServer(app);
    const slow: RawHttp[] = [];
    for (let i = 0; i < defaultWebServerMaxConnections; i++) {
      const client = await RawHttp.connect(local.port);
      clients.push(client);
      slow.push(client);
      client.send('GET / HTTP/1.1\r\nHost: localhost\r\n');
    }
    // A header every 200 ms: never idle long enough for the socket timeout, never the blank line.
    let header = 0;
    timers.push(
      setInterval(() => {
        for (const client of slow) if (!client.closed) client.send(`X-Slow-${header}: 1\r\n`);
        header++;
      }, 200),
    );
    await until(
      () => entriesOf(app, serverId, 'accepted').length === defaultWebServerMaxConnections,
      'every slot taken',
    );

    const answered = await realRequest(local.port, 15_000);
    expect(answered.status).toBe(200);
    expect(answered.tookMs).toBeLessThan(15_000);
    // Nobody was refused: the oldest unfinished connection (the first slow one) was closed to
    // make room, told why with a 503, and the log says so.
    expect(entriesOf(app, serverId, 'refused')).toHaveLength(0);
    const [madeRoom] = await (slow[0] as RawHttp).responses(1);
    expect(madeRoom?.status).toBe(503);
    await (slow[0] as RawHttp).waitClosed();
    await until(() => entriesOf(app, serverId, 'evicted').length >= 1, 'the eviction logged');
    const [evicted] = entriesOf(app, serverId, 'evicted');
    const first = entriesOf(app, serverId, 'accepted')[0];
    expect(evicted?.connectionId).toBe(first?.connectionId);
    expect(evicted?.maxConnections).toBe(defaultWebServerMaxConnections);
    await until(
      () => entriesOf(app, serverId, 'closed').some((e) => e.connectionId === first?.connectionId && e.by === 'room'),
      'its close logged as making room',
    );
    expect(app.events['webServer.log'].at(-1)?.counters.connectionsEvicted).toBeGreaterThanOrEqual(1);
  }, 20_000);

  test('a request typed by hand, a line every few seconds over more than 20 s, is answered', async () => {
    app = startApp();
    const { local, serverId } = await startWebServer(app);
    const student = await RawHttp.connect(local.port);
    clients.push(student);
    const lines = [
      'GET /style.css HTTP/1.1\r\n',
      'Host: localhost\r\n',
      'User-Agent: typed by hand\r\n',
      'Accept: text/css\r\n',
      'Accept-Language: en\r\n',
      'Connection: close\r\n',
      '\r\n',
    ];
    const started = Date.now();
    for (const line of lines) {
      // Typed a character at a time, then a pause to think before the next line.
      for (const char of line) student.send(char);
      expect(student.closed).toBe(false);
      if (line !== '\r\n') await new Promise((resolve) => setTimeout(resolve, 3_500));
    }
    expect(Date.now() - started).toBeGreaterThan(20_000);
    const [response] = await student.responses(1);
    expect(response?.status).toBe(200);
    const [request] = entriesOf(app, serverId, 'request');
    expect(request?.target).toBe('/style.css');
  }, 35_000);

  test('the defaults are explicit, long enough to type a head by hand; the server reports the limits in force', async () => {
    app = startApp();
    const started = await app.client.call('webServer.start', { port: 0 });
    expect(started.timeouts).toEqual(defaultWebServerTimeouts);
    expect(started.timeouts.headersTimeoutMs).toBeGreaterThanOrEqual(60_000);
    expect(started.timeouts.headersTimeoutMs).toBeLessThanOrEqual(120_000);
    await app.client.call('webServer.stop', { serverId: started.serverId });
  });

  test('a head timeout longer than the request timeout is refused, naming the field', async () => {
    app = startApp();
    await expect(
      app.client.call('webServer.start', { port: 0, headersTimeoutMs: 5_000, requestTimeoutMs: 2_000 }),
    ).rejects.toMatchObject({ code: 'E_BAD_REQUEST', field: 'payload.headersTimeoutMs' });
  });
});
