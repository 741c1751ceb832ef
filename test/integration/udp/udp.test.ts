import dgram from 'node:dgram';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../support/appClient';
import { decode, encode } from '../../support/bytes';
import { freeUdpPort, hasIPv6Loopback } from '../../support/ports';
import { sleep } from '../../support/waits';

let app: App;
const cleanups: Array<() => void> = [];

beforeEach(() => {
  app = startApp();
});

afterEach(() => {
  app.close();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** The textbook UDPServer: recvfrom(2048), reply message.decode().upper().encode() to the sender. */
async function textbookUdpServer(reply = true): Promise<number> {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (message, client) => {
    if (!reply) return;
    const sentence = message.subarray(0, 2048).toString('utf8');
    socket.send(Buffer.from(sentence.toUpperCase(), 'utf8'), client.port, client.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  cleanups.push(() => socket.close());
  return socket.address().port;
}

async function startServer(options: { mode?: 'upper' | 'echo'; recvBufferBytes?: number | null } = {}) {
  return app.client.call('udpServer.start', { port: 0, ...options });
}

describe('UDP client against the built-in server', () => {
  it('upper mode: replies in upper case to the sender, and the log shows both sides with counters', async () => {
    const server = await startServer();
    expect(server.local).toMatchObject({ address: '127.0.0.1', family: 'IPv4' });
    expect(server.local.port).toBeGreaterThan(0);
    expect(server.warning).toBeUndefined();

    const open = await app.client.call('udp.open', {});
    expect(open.local.family).toBe('IPv4');
    expect(open.local.port).toBeGreaterThan(0);

    const sent = await app.client.call('udp.send', {
      sessionId: open.sessionId,
      host: '127.0.0.1',
      port: server.local.port,
      data: encode('hello'),
      replyTimeoutMs: 2000,
    });
    expect(sent).toMatchObject({ seq: 1, sentBytes: 5, to: { address: '127.0.0.1', port: server.local.port } });
    expect(sent.replyDeadline?.timeoutMs).toBe(2000);

    const event = await app.waitFor('udp.datagrams', (e) => e.sessionId === open.sessionId);
    const [datagram] = event.datagrams;
    expect(decode(datagram?.data ?? new Uint8Array())).toBe('HELLO');
    expect(datagram?.from).toEqual(server.local);
    expect(datagram?.truncated).toBe(false);
    expect(datagram?.reply?.seq).toBe(1);
    expect(datagram?.reply?.rttMs).toBeGreaterThanOrEqual(0);
    expect(event).toMatchObject({ receivedBytes: 5, keptBytes: 5, droppedBytes: 0, receivedDatagrams: 1 });

    const log = await app.waitFor('udpServer.log', (e) => e.counters.datagramsReplied === 1);
    const entries = app.events['udpServer.log'].flatMap((e) => e.entries);
    expect(entries.map((e) => e.kind)).toEqual(['listening', 'received', 'replied']);
    const received = entries[1];
    expect(received?.kind === 'received' && received.client.port).toBe(open.local.port);
    expect(received?.kind === 'received' && decode(received.data)).toBe('hello');
    expect(log.counters).toEqual({
      datagramsReceived: 1,
      datagramsReplied: 1,
      datagramsCut: 0,
      datagramsDropped: 0,
      bytesReceived: 5,
      bytesReplied: 5,
    });
    expect(app.events['udp.noReply']).toEqual([]);
  });

  it('echo mode sends the bytes back unchanged, binary included', async () => {
    const server = await startServer({ mode: 'echo' });
    const { sessionId } = await app.client.call('udp.open', {});
    const data = new Uint8Array([0, 1, 0x0d, 0x0a, 0x61, 0xff, 0xfe]);
    await app.client.call('udp.send', { sessionId, host: 'localhost', port: server.local.port, data });
    const event = await app.waitFor('udp.datagrams');
    expect([...(event.datagrams[0]?.data ?? [])]).toEqual([...data]);
  });

  it('recvfrom(2048): a longer datagram is cut, and the log says so', async () => {
    const server = await startServer({ recvBufferBytes: 2048 });
    expect(server.recvBufferBytes).toBe(2048);
    const { sessionId } = await app.client.call('udp.open', {});
    await app.client.call('udp.send', {
      sessionId,
      host: '127.0.0.1',
      port: server.local.port,
      data: encode('a'.repeat(3000)),
    });
    const event = await app.waitFor('udp.datagrams');
    expect(decode(event.datagrams[0]?.data ?? new Uint8Array())).toBe('A'.repeat(2048));
    const log = await app.waitFor('udpServer.log', (e) => e.counters.datagramsReplied === 1);
    expect(log.counters.datagramsCut).toBe(1);
    const received = app.events['udpServer.log'].flatMap((e) => e.entries).find((e) => e.kind === 'received');
    expect(received).toMatchObject({ kind: 'received', bytes: 3000, cutTo: 2048 });
  });

  it('whole datagrams when the receive buffer is off; the client can emulate recvfrom(N) too', async () => {
    const server = await startServer({ recvBufferBytes: null });
    const { sessionId } = await app.client.call('udp.open', { recvBufferBytes: 100 });
    await app.client.call('udp.send', {
      sessionId,
      host: '127.0.0.1',
      port: server.local.port,
      data: encode('b'.repeat(3000)),
    });
    const event = await app.waitFor('udp.datagrams');
    expect(event.datagrams[0]).toMatchObject({ size: 3000, truncated: true });
    expect(event.datagrams[0]?.data.byteLength).toBe(100);
  });

  it('Unicode: straße becomes STRASSE, so the reply is longer than the request', async () => {
    const server = await startServer();
    const { sessionId } = await app.client.call('udp.open', {});
    const sent = await app.client.call('udp.send', {
      sessionId,
      host: '127.0.0.1',
      port: server.local.port,
      data: encode('straße'),
    });
    expect(sent.sentBytes).toBe(7);
    const event = await app.waitFor('udp.datagrams');
    expect(decode(event.datagrams[0]?.data ?? new Uint8Array())).toBe('STRASSE');
    expect(event.datagrams[0]?.size).toBe(7);
  });

  it('connected UDP: sends without host and port, reports the peer, and replies arrive', async () => {
    const server = await startServer();
    const open = await app.client.call('udp.open', { connect: { host: '127.0.0.1', port: server.local.port } });
    expect(open.peer).toEqual(server.local);
    await app.client.call('udp.send', { sessionId: open.sessionId, data: encode('connected'), replyTimeoutMs: 2000 });
    const event = await app.waitFor('udp.datagrams');
    expect(decode(event.datagrams[0]?.data ?? new Uint8Array())).toBe('CONNECTED');
    const wrong = await app.failure(
      app.client.call('udp.send', { sessionId: open.sessionId, host: '127.0.0.1', port: 9, data: encode('x') }),
    );
    expect(wrong.code).toBe('E_BAD_REQUEST');
    expect(wrong.message).toContain('connected to');
  });

  it('binding a chosen local port and address is reported by getsockname', async () => {
    const port = await freeUdpPort();
    const open = await app.client.call('udp.open', { bindAddress: '127.0.0.1', bindPort: port });
    expect(open.local).toEqual({ address: '127.0.0.1', family: 'IPv4', port });
  });
});

describe('UDP client against the textbook UDPServer', () => {
  it('gets the upper-case reply from a raw dgram server', async () => {
    const port = await textbookUdpServer();
    const { sessionId } = await app.client.call('udp.open', {});
    await app.client.call('udp.send', {
      sessionId,
      host: '127.0.0.1',
      port,
      data: encode('straße'),
      replyTimeoutMs: 2000,
    });
    const event = await app.waitFor('udp.datagrams');
    expect(decode(event.datagrams[0]?.data ?? new Uint8Array())).toBe('STRASSE');
    expect(event.datagrams[0]?.reply?.seq).toBe(1);
  });

  it('a server that never replies: the deadline passes and says UDP cannot tell', async () => {
    const port = await textbookUdpServer(false);
    const { sessionId } = await app.client.call('udp.open', {});
    await app.client.call('udp.send', { sessionId, host: '127.0.0.1', port, data: encode('hi'), replyTimeoutMs: 300 });
    const noReply = await app.waitFor('udp.noReply');
    expect(noReply).toMatchObject({ sessionId, seq: 1, timeoutMs: 300, to: { address: '127.0.0.1', port } });
    expect(noReply.message).toContain('no reply from 127.0.0.1:');
    expect(noReply.message).toContain('UDP does not report that nobody is listening');
  });
});

describe('UDP built-in client from a raw textbook UDPClient', () => {
  it('a raw dgram client gets the reply, with the sender address logged', async () => {
    const server = await startServer();
    const socket = dgram.createSocket('udp4');
    cleanups.push(() => socket.close());
    const reply = new Promise<Buffer>((resolve) => socket.once('message', resolve));
    socket.send(encode('from python'), server.local.port, '127.0.0.1');
    expect((await reply).toString()).toBe('FROM PYTHON');
    const log = await app.waitFor('udpServer.log', (e) => e.entries.some((entry) => entry.kind === 'received'));
    const received = log.entries.find((entry) => entry.kind === 'received');
    expect(received?.kind === 'received' && received.client.port).toBe(socket.address().port);
  });
});

describe('UDP bad input', () => {
  it('closed port, unconnected: no reply within the deadline (UDP says nothing)', async () => {
    const port = await freeUdpPort();
    const { sessionId } = await app.client.call('udp.open', {});
    await app.client.call('udp.send', { sessionId, host: '127.0.0.1', port, data: encode('x'), replyTimeoutMs: 300 });
    const noReply = await app.waitFor('udp.noReply');
    expect(noReply.message).toContain('within 300 ms');
    expect(app.events['udp.error']).toEqual([]);
  });

  it('closed port, connected: ECONNREFUSED is reported and nothing crashes', async () => {
    const port = await freeUdpPort();
    const { sessionId } = await app.client.call('udp.open', { connect: { host: '127.0.0.1', port } });
    // Linux reports the ICMP "port unreachable" on the socket (an error event) or on the next send.
    let refused: { code: string; message: string } | undefined;
    for (let i = 0; i < 5 && !refused; i++) {
      try {
        await app.client.call('udp.send', { sessionId, data: encode('x'), replyTimeoutMs: 2000 });
      } catch (error) {
        refused = error as { code: string; message: string };
      }
      refused ??= (await app.waitFor('udp.error', () => true, 500).catch(() => undefined))?.error;
    }
    expect(refused?.code).toBe('E_REFUSED');
    expect(refused?.message).toContain(`127.0.0.1:${port}`);
    expect(refused?.message).toContain('ECONNREFUSED');
    // The session is still usable.
    const closed = await app.client.call('udp.close', { sessionId });
    expect(closed.sessionId).toBe(sessionId);
  });

  it('datagram over 65,507 bytes: EMSGSIZE as E_MSG_SIZE', async () => {
    const { sessionId } = await app.client.call('udp.open', {});
    const error = await app.failure(
      app.client.call('udp.send', { sessionId, host: '127.0.0.1', port: 9, data: new Uint8Array(65_508) }),
    );
    expect(error.code).toBe('E_MSG_SIZE');
    expect(error.message).toContain('EMSGSIZE');
    expect(error.message).toContain('65,507');
    const fits = await app.client.call('udp.send', {
      sessionId,
      host: '127.0.0.1',
      port: 9,
      data: new Uint8Array(65_507),
    });
    expect(fits.sentBytes).toBe(65_507);
  });

  it('unknown host: E_DNS names the host', async () => {
    const { sessionId } = await app.client.call('udp.open', {});
    const error = await app.failure(
      app.client.call('udp.send', { sessionId, host: 'no-such-host.invalid', port: 12000, data: encode('x') }),
    );
    expect(error.code).toBe('E_DNS');
    expect(error.message).toContain("'no-such-host.invalid'");
  });

  it.each([0, 65536, 1.5, -1])('port %s is refused with a message naming the range', async (port) => {
    const { sessionId } = await app.client.call('udp.open', {});
    const error = await app.failure(
      app.client.call('udp.send', { sessionId, host: '127.0.0.1', port, data: encode('x') }),
    );
    expect(error.code).toBe('E_BAD_REQUEST');
    expect(error.field).toBe('payload.port');
    expect(error.message).toMatch(/1 to 65535/);
  });

  it('unconnected send without host or port is refused', async () => {
    const { sessionId } = await app.client.call('udp.open', {});
    const error = await app.failure(app.client.call('udp.send', { sessionId, port: 12000, data: encode('x') }));
    expect(error).toMatchObject({ code: 'E_BAD_REQUEST', field: 'payload.host' });
  });

  it('unknown session: E_NOT_FOUND', async () => {
    const error = await app.failure(app.client.call('udp.send', { sessionId: 'udp-999999', data: encode('x') }));
    expect(error.code).toBe('E_NOT_FOUND');
    expect(error.message).toContain('udp-999999');
    const closed = await app.client.call('udp.open', {});
    await app.client.call('udp.close', { sessionId: closed.sessionId });
    const again = await app.failure(app.client.call('udp.close', { sessionId: closed.sessionId }));
    expect(again.code).toBe('E_NOT_FOUND');
  });

  it('an IPv4 socket refuses an IPv6 destination with what to do', async () => {
    const { sessionId } = await app.client.call('udp.open', { family: 'IPv4' });
    const error = await app.failure(
      app.client.call('udp.send', { sessionId, host: '::1', port: 9, data: encode('x') }),
    );
    expect(error.code).toBe('E_FAMILY');
    expect(error.message).toContain('IPv6');
  });

  it('server port already in use: E_ADDR_IN_USE with what to try', async () => {
    const holder = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => holder.bind(0, '127.0.0.1', resolve));
    cleanups.push(() => holder.close());
    const port = holder.address().port;
    const error = await app.failure(app.client.call('udpServer.start', { port }));
    expect(error.code).toBe('E_ADDR_IN_USE');
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(error.message).toContain('EADDRINUSE');
    expect(error.message).toMatch(/another port/);
  });

  it('a port below 1024 needs privileges (or works when running as root)', async () => {
    const port = 1000 + Math.floor(Math.random() * 23);
    try {
      const started = await app.client.call('udpServer.start', { port });
      // Root (as in some containers) may bind low ports: then the server simply works.
      expect(process.getuid?.()).toBe(0);
      expect(started.local.port).toBe(port);
    } catch (error) {
      const code = (error as { code: string }).code;
      expect(['E_ACCESS', 'E_ADDR_IN_USE']).toContain(code);
      if (code === 'E_ACCESS') expect((error as Error).message).toContain('12000');
    }
  });

  it('binding all interfaces is explicit and carries a warning', async () => {
    const server = await startServer({});
    expect(server.warning).toBeUndefined();
    const all = await app.client.call('udpServer.start', { port: 0, bindAddress: '0.0.0.0' });
    expect(all.local.address).toBe('0.0.0.0');
    expect(all.warning).toContain('all interfaces');
    const log = await app.waitFor('udpServer.log', (e) => e.serverId === all.serverId);
    expect(log.entries[0]).toMatchObject({ kind: 'listening', warning: all.warning });
  });
});

describe('UDP over IPv6', () => {
  it('[::1] works end to end, with IPv6 addresses reported', async (context) => {
    if (!(await hasIPv6Loopback())) {
      console.log('skipped: this machine has no IPv6 loopback (::1)');
      context.skip();
    }
    const server = await app.client.call('udpServer.start', { port: 0, bindAddress: '[::1]' });
    expect(server.local).toMatchObject({ address: '::1', family: 'IPv6' });
    const open = await app.client.call('udp.open', { connect: { host: '[::1]', port: server.local.port } });
    expect(open.local.family).toBe('IPv6');
    expect(open.peer).toEqual(server.local);
    await app.client.call('udp.send', { sessionId: open.sessionId, data: encode('six') });
    const event = await app.waitFor('udp.datagrams');
    expect(decode(event.datagrams[0]?.data ?? new Uint8Array())).toBe('SIX');
    expect(event.datagrams[0]?.from.family).toBe('IPv6');
  });
});

describe('UDP flood', () => {
  it('many datagrams arrive in few events, and the keep cap marks what was not kept', async () => {
    app.close();
    app = startApp({ keepBytes: 10_000 });
    const open = await app.client.call('udp.open', { bindAddress: '127.0.0.1' });
    const sender = dgram.createSocket('udp4');
    cleanups.push(() => sender.close());
    const count = 400;
    const payload = new Uint8Array(100).fill(0x78);
    for (let i = 0; i < count; i++) {
      await new Promise<void>((resolve) => sender.send(payload, open.local.port, '127.0.0.1', () => resolve()));
      // Short pauses keep the OS from dropping datagrams from a full receive queue (UDP may lose them).
      if (i % 20 === 19) await sleep(2);
    }
    const received = () => app.events['udp.datagrams'].at(-1)?.receivedDatagrams ?? 0;
    let seen = -1;
    while (seen !== received()) {
      seen = received();
      await sleep(200);
    }
    const last = app.events['udp.datagrams'].at(-1);
    if (!last) throw new Error('no udp.datagrams event');
    expect(last.receivedDatagrams).toBeGreaterThan(200);
    const all = app.events['udp.datagrams'];
    // Far fewer events than datagrams: coalesced.
    expect(all.length).toBeLessThan(last.receivedDatagrams / 4);
    expect(last.keptBytes).toBe(10_000);
    expect(last.droppedBytes).toBe(last.receivedBytes - 10_000);
    expect(last.droppedDatagrams).toBeGreaterThan(0);
    expect(all.flatMap((e) => e.datagrams).length).toBe(100);
  });
});
