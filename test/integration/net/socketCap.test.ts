import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_OPEN_SOCKETS, serve } from '../../../electron/serve';
import { services } from '../../../electron/services';
import { type Client, createClient } from '../../../shared/contract/client';
import { PlaygroundError } from '../../../shared/contract/errors';
import { createMemoryPortPair } from '../../../shared/transport/memoryPort';
import type { Port } from '../../../shared/transport/port';

/**
 * One window's cap on open sockets and servers, counted once by the Session (serve.ts)
 * whatever opened them: UDP and TCP clients, every built-in server, HTTP connections.
 */

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** One page: the real services behind the real dispatcher, with its own cap. */
function page(maxOpenSockets?: number): { client: Client; port: Port } {
  const [pageEnd, nodeEnd] = createMemoryPortPair();
  serve(nodeEnd, { transport: 'memory', services, log: () => {}, ...(maxOpenSockets ? { maxOpenSockets } : {}) });
  const client = createClient();
  client.connect(pageEnd);
  cleanups.push(() => pageEnd.close());
  return { client, port: pageEnd };
}

async function failure(call: Promise<unknown>): Promise<PlaygroundError> {
  const outcome = await call.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof PlaygroundError)) throw new Error(`expected a PlaygroundError, got ${String(outcome)}`);
  return outcome;
}

const udpOpen = (client: Client) => client.call('udp.open', { bindAddress: '127.0.0.1' }, { timeoutMs: 5000 });

describe('open sockets and servers per window', () => {
  it(`refuses socket number ${MAX_OPEN_SOCKETS + 1} by default, naming the cap`, async () => {
    const { client } = page();
    for (let i = 0; i < MAX_OPEN_SOCKETS; i++) await udpOpen(client);
    const refused = await failure(udpOpen(client));
    expect(refused.code).toBe('E_TOO_MANY');
    expect(refused.message).toBe(`at most ${MAX_OPEN_SOCKETS} open sockets and servers per window: close some first`);
    expect(MAX_OPEN_SOCKETS).toBe(256);
  });

  it('counts clients and servers of every kind together, and a closed one makes room', async () => {
    const { client } = page(4);
    const first = await udpOpen(client);
    await udpOpen(client);
    await client.call('udpServer.start', { port: 0 }, { timeoutMs: 5000 });
    const tcpServer = await client.call('tcpServer.start', { port: 0 }, { timeoutMs: 5000 });

    const message = 'at most 4 open sockets and servers per window: close some first';
    expect(await failure(udpOpen(client))).toMatchObject({ code: 'E_TOO_MANY', message });
    expect(await failure(client.call('tcpServer.start', { port: 0 }, { timeoutMs: 5000 }))).toMatchObject({
      code: 'E_TOO_MANY',
      message,
    });
    expect(await failure(client.call('webServer.start', { port: 0 }, { timeoutMs: 5000 }))).toMatchObject({
      code: 'E_TOO_MANY',
      message,
    });
    expect(await failure(client.call('mailServer.start', { port: 0 }, { timeoutMs: 5000 }))).toMatchObject({
      code: 'E_TOO_MANY',
      message,
    });

    // A refused TCP connect never reaches the server: the socket is closed before it connects.
    let accepted = 0;
    const plain = net.createServer((socket) => {
      accepted++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => plain.close(resolve)));
    const target = { host: '127.0.0.1', port: (plain.address() as net.AddressInfo).port };
    expect(await failure(client.call('tcp.connect', target, { timeoutMs: 5000 }))).toMatchObject({
      code: 'E_TOO_MANY',
      message,
    });
    expect(
      await failure(
        client.call(
          'http.send',
          { target, raw: new TextEncoder().encode('GET / HTTP/1.1\r\nHost: x\r\n\r\n') },
          { timeoutMs: 5000 },
        ),
      ),
    ).toMatchObject({ code: 'E_TOO_MANY', message });
    expect(accepted).toBe(0);

    // Closing a socket or stopping a server frees its place.
    await client.call('udp.close', { sessionId: first.sessionId });
    const again = await udpOpen(client);
    expect(await failure(udpOpen(client))).toMatchObject({ code: 'E_TOO_MANY' });
    await client.call('tcpServer.stop', { serverId: tcpServer.serverId });
    const connected = await client.call('tcp.connect', target, { timeoutMs: 5000 });
    expect(connected.sessionId).toBeTruthy();
    await client.call('udp.close', { sessionId: again.sessionId });
  });

  it('is per window: another page has its own, and a closed page gives all of its back', async () => {
    const one = page(2);
    await udpOpen(one.client);
    await udpOpen(one.client);
    expect(await failure(udpOpen(one.client))).toMatchObject({ code: 'E_TOO_MANY' });
    const other = page(2);
    await udpOpen(other.client);
    await udpOpen(other.client);
    one.port.close();
    const reopened = page(2);
    await udpOpen(reopened.client);
    await udpOpen(reopened.client);
  });
});
