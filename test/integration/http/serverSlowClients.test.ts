import { afterEach, describe, expect, test } from 'vitest';
import { defaultWebServerMaxConnections, defaultWebServerTimeouts } from '../../../shared/http/server/contract';
import { type App, startApp } from '../../support/appClient';
import { until } from '../../support/waits';
import { entriesOf, RawHttp, startWebServer } from './serverHarness';

/**
 * Slowloris: clients that open every connection slot and send their request head a
 * header at a time, never finishing it. The server's time limits must free the slots
 * soon enough that a real request is answered within 15 s.
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

describe('slow clients cannot lock the web server out', () => {
  test(`with ${defaultWebServerMaxConnections} slowloris connections open, a real request is answered within 15 s`, async () => {
    app = startApp();
    const { local, serverId } = await startWebServer(app, {
      headersTimeoutMs: 1_000,
      requestTimeoutMs: 1_500,
      connectionsCheckingIntervalMs: 100,
    });
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
    // Full: the next connection is refused at once.
    const refused = await RawHttp.connect(local.port);
    clients.push(refused);
    await refused.waitClosed();
    await until(() => entriesOf(app, serverId, 'refused').length >= 1, 'the refusal logged');

    const answered = await realRequest(local.port, 15_000);
    expect(answered.status).toBe(200);
    expect(answered.tookMs).toBeLessThan(15_000);
    // The slow clients were told why: 408, then closed.
    const [timedOut] = await (slow[0] as RawHttp).responses(1);
    expect(timedOut?.status).toBe(408);
    await until(
      () => entriesOf(app, serverId, 'response').filter((entry) => entry.status === 408).length >= 1,
      'a 408 logged',
    );
  }, 20_000);

  test('the defaults are explicit and free a slot well within 15 s; the server reports the limits in force', async () => {
    app = startApp();
    const started = await app.client.call('webServer.start', { port: 0 });
    expect(started.timeouts).toEqual(defaultWebServerTimeouts);
    const { headersTimeoutMs, requestTimeoutMs, connectionsCheckingIntervalMs } = started.timeouts;
    expect(Math.max(headersTimeoutMs, requestTimeoutMs) + connectionsCheckingIntervalMs).toBeLessThanOrEqual(13_000);
    await app.client.call('webServer.stop', { serverId: started.serverId });
  });

  test('a head timeout longer than the request timeout is refused, naming the field', async () => {
    app = startApp();
    await expect(
      app.client.call('webServer.start', { port: 0, headersTimeoutMs: 5_000, requestTimeoutMs: 2_000 }),
    ).rejects.toMatchObject({ code: 'E_BAD_REQUEST', field: 'payload.headersTimeoutMs' });
  });
});
