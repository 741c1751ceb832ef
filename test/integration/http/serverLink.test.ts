// The emulated link on the built-in web server, measured from outside the app with Node's
// own HTTP client on loopback, as curl would see it: each request waits one round trip.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../support/appClient';
import { until } from '../../support/waits';

let app: App;

beforeEach(() => {
  app = startApp();
});

afterEach(() => {
  app.close();
});

/** One GET, timed from the request's first byte to the response's last. */
function get(port: number, path: string, agent: http.Agent | false) {
  return new Promise<{ status: number; body: Buffer; ms: number; reused: boolean }>((resolve, reject) => {
    const start = performance.now();
    const request = http.get({ host: '127.0.0.1', port, path, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          body: Buffer.concat(chunks),
          ms: performance.now() - start,
          reused: request.reusedSocket,
        }),
      );
    });
    request.on('error', reject);
  });
}

describe('the emulated link on the built-in web server', () => {
  it('holds each request and response 50 ms: an outside HTTP client measures about 100 ms, and the log says so', async () => {
    const server = await app.client.call('webServer.start', { port: 0, link: { delayMs: 50 } });
    const port = server.local.port;
    // A new connection for each request (non-persistent): the emulated handshake's RTT, then the request's.
    const fresh = await get(port, '/', false);
    expect(fresh.status).toBe(200);
    expect(fresh.ms).toBeGreaterThanOrEqual(199);
    expect(fresh.ms).toBeLessThan(350);
    // A kept connection: the second request waits one RTT only.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      await get(port, '/', agent);
      const again = await get(port, '/', agent);
      expect(again.reused).toBe(true);
      expect(again.ms).toBeGreaterThanOrEqual(99);
      expect(again.ms).toBeLessThan(250);
    } finally {
      agent.destroy();
    }
    await app.waitFor('webServer.log', (e) => e.counters.responses2xx === 3);
    const entries = app.events['webServer.log'].flatMap((e) => e.entries);
    expect(entries[1]).toMatchObject({ kind: 'link', changed: false, link: { delayMs: 50 } });
    const request = entries.find((e) => e.kind === 'request');
    expect(request?.kind === 'request' && request.linkDelayMs).toBeGreaterThanOrEqual(49);
    const response = entries.find((e) => e.kind === 'response');
    expect(response?.kind === 'response' && response.linkDelayMs).toBeGreaterThan(0);
  });

  it('takes L/R for a large body under a bandwidth limit, and a link changed while running applies to new connections', async () => {
    const server = await app.client.call('webServer.start', { port: 0 });
    const port = server.local.port;
    const before = await get(port, '/', false);
    expect(before.ms).toBeLessThan(50);
    await app.client.call('webServer.setLink', {
      serverId: server.serverId,
      link: { delayMs: 0, bandwidthBytesPerSecond: 100 * 1024 },
    });
    // The sample site's page and images: whatever the size, it takes about size / rate.
    const slow = await get(port, '/', false);
    const expected = ((slow.body.byteLength + 200) * 1000) / (100 * 1024);
    expect(slow.ms).toBeGreaterThanOrEqual(expected * 0.8);
    const linkEntry = () => app.events['webServer.log'].flatMap((e) => e.entries).find((e) => e.kind === 'link');
    await until(() => linkEntry() !== undefined, 'the link entry');
    const changed = linkEntry();
    expect(changed).toMatchObject({ changed: true, link: { bandwidthBytesPerSecond: 100 * 1024 } });
  });

  it('serves the experiment page and page and objects: N references, objects of the size asked for', async () => {
    const server = await app.client.call('webServer.start', { port: 0 });
    const page = await get(server.local.port, '/_experiment/page.html?n=3&size=100', false);
    expect(page.status).toBe(200);
    expect(page.body.toString().match(/<img src="\/_experiment\/\d\.bin\?size=100"/g)).toHaveLength(3);
    const object = await get(server.local.port, '/_experiment/2.bin?size=100', false);
    expect(object.status).toBe(200);
    expect(object.body.byteLength).toBe(100);
    const unknown = await get(server.local.port, '/_experiment/other', false);
    expect(unknown.status).toBe(404);
  });
});
