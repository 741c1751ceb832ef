import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type App, startApp, tcpReceived } from '../../support/appClient';
import { decode, encode } from '../../support/bytes';
import { freeTcpPort, hasIPv6Loopback } from '../../support/ports';
import { sleep, until } from '../../support/waits';

let app: App;
const cleanups: Array<() => void> = [];

beforeEach(() => {
  app = startApp();
});

afterEach(() => {
  app.close();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A raw net server for the test; `onConnection` plays the peer. */
async function rawServer(onConnection: (socket: net.Socket) => void, host = '127.0.0.1'): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  cleanups.push(() => {
    for (const socket of sockets) socket.destroy();
    server.close();
  });
  return (server.address() as net.AddressInfo).port;
}

/** The textbook TCPServer: accept, one recv(1024), reply upper(), close the connection socket. */
function textbookTcpServer(): Promise<number> {
  return rawServer((socket) => {
    socket.once('data', (sentence) => {
      socket.end(Buffer.from(sentence.subarray(0, 1024).toString('utf8').toUpperCase(), 'utf8'));
    });
  });
}

async function startServer(mode: 'classic' | 'lines' | 'echo') {
  return app.client.call('tcpServer.start', { port: 0, mode });
}

function serverEntries(serverId: string) {
  return app.events['tcpServer.log'].filter((e) => e.serverId === serverId).flatMap((e) => e.entries);
}

describe('TCP client against the built-in server', () => {
  it('classic: one recv(1024), reply upper, close; the log shows welcoming and connection sockets', async () => {
    const server = await startServer('classic');
    expect(server.local).toMatchObject({ address: '127.0.0.1', family: 'IPv4' });
    const connection = await app.client.call('tcp.connect', { host: '127.0.0.1', port: server.local.port });
    expect(connection.peer).toEqual(server.local);
    expect(connection.local).toMatchObject({ address: '127.0.0.1', family: 'IPv4' });
    expect(connection.connectMs).toBeGreaterThanOrEqual(0);
    expect(connection.resolved).toEqual([{ address: '127.0.0.1', family: 'IPv4' }]);

    const sent = await app.client.call('tcp.send', {
      sessionId: connection.sessionId,
      data: encode('hello'),
      replyTimeoutMs: 2000,
    });
    expect(sent).toMatchObject({ seq: 1, sentBytes: 5 });
    await app.waitFor('tcp.peerEnded', (e) => e.sessionId === connection.sessionId);
    expect(decode(tcpReceived(app, connection.sessionId))).toBe('HELLO');
    const firstChunk = app.events['tcp.data'][0]?.chunks[0];
    expect(firstChunk?.reply?.seq).toBe(1);
    // The server closed its side; the client's side stays open until it closes too.
    expect(app.events['tcp.closed']).toEqual([]);
    const closed = await app.client.call('tcp.close', { sessionId: connection.sessionId });
    expect(closed).toMatchObject({ sentBytes: 5, receivedBytes: 5 });
    const closedEvent = await app.waitFor('tcp.closed');
    expect(closedEvent.reason).toBe('local');

    const log = await app.waitFor('tcpServer.log', (e) => e.entries.some((entry) => entry.kind === 'closed'));
    const entries = serverEntries(server.serverId);
    expect(entries.map((e) => e.kind)).toEqual(['listening', 'accepted', 'received', 'replied', 'closed']);
    const accepted = entries[1];
    expect(accepted?.kind === 'accepted' && accepted.client).toEqual(connection.local);
    expect(accepted?.kind === 'accepted' && accepted.local).toEqual(server.local);
    expect(entries[4]).toMatchObject({ kind: 'closed', by: 'server' });
    expect(log.counters).toMatchObject({ connectionsAccepted: 1, bytesReceived: 5, bytesReplied: 5 });
    await until(
      () => app.events['tcpServer.log'].at(-1)?.counters.connectionsOpen === 0,
      'the connection socket to be counted as closed',
    );
  });

  it('classic: more than 1024 bytes in one go: only the first 1024 are read and answered', async () => {
    const server = await startServer('classic');
    const { sessionId } = await app.client.call('tcp.connect', { host: '127.0.0.1', port: server.local.port });
    await app.client.call('tcp.send', { sessionId, data: encode('a'.repeat(3000)) });
    await app.waitFor('tcp.peerEnded');
    const reply = decode(tcpReceived(app, sessionId));
    expect(reply).toBe('A'.repeat(1024));
    await app.waitFor('tcpServer.log', (e) => e.entries.some((entry) => entry.kind === 'discarded'));
    const discarded = serverEntries(server.serverId).filter((e) => e.kind === 'discarded');
    const total = discarded.reduce((sum, e) => sum + (e.kind === 'discarded' ? e.bytes : 0), 0);
    // However TCP split the 3000 bytes, everything beyond the first recv(1024) is discarded, and said so.
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(3000 - 1024);
    expect(discarded[0]?.kind === 'discarded' && discarded[0].reason).toMatch(/recv\(1024\)/);
  });

  it('lines: keeps the connection and answers each line as it completes', async () => {
    const server = await startServer('lines');
    const { sessionId } = await app.client.call('tcp.connect', { host: 'localhost', port: server.local.port });
    await app.client.call('tcp.send', { sessionId, data: encode('one\ntw') });
    await until(() => decode(tcpReceived(app, sessionId)) === 'ONE\n', 'the first line');
    await app.client.call('tcp.send', { sessionId, data: encode('o\r\nthree') });
    await until(() => decode(tcpReceived(app, sessionId)) === 'ONE\nTWO\r\n', 'the second line');
    // Half-close: the server answers the unfinished last line, then closes its side too.
    await app.client.call('tcp.shutdown', { sessionId });
    await app.waitFor('tcp.peerEnded');
    expect(decode(tcpReceived(app, sessionId))).toBe('ONE\nTWO\r\nTHREE');
    const closed = await app.waitFor('tcp.closed');
    expect(closed).toMatchObject({ reason: 'peer', sentBytes: 14, receivedBytes: 14 });
    const sendAfterShutdown = await app.failure(app.client.call('tcp.send', { sessionId, data: encode('x') }));
    expect(sendAfterShutdown.code).toBe('E_NOT_FOUND');
  });

  it('lines: a multi-byte character split across two sends is upper-cased whole (straße → STRASSE)', async () => {
    const server = await startServer('lines');
    const { sessionId } = await app.client.call('tcp.connect', { host: '127.0.0.1', port: server.local.port });
    const bytes = encode('straße\n');
    const split = bytes.indexOf(0xc3) + 1; // between the two bytes of ß
    await app.client.call('tcp.send', { sessionId, data: bytes.subarray(0, split) });
    await sleep(30);
    await app.client.call('tcp.send', { sessionId, data: bytes.subarray(split) });
    await until(() => decode(tcpReceived(app, sessionId)) === 'STRASSE\n', 'STRASSE');
  });

  it('echo: bytes come back unchanged, binary included', async () => {
    const server = await startServer('echo');
    const { sessionId } = await app.client.call('tcp.connect', { host: '127.0.0.1', port: server.local.port });
    const data = new Uint8Array(256).map((_, i) => i);
    await app.client.call('tcp.send', { sessionId, data });
    await until(() => tcpReceived(app, sessionId).byteLength === 256, 'the echo');
    expect([...tcpReceived(app, sessionId)]).toEqual([...data]);
  });

  it('lines: a flood of lines is answered in full while the server log stays a few events', async () => {
    const server = await startServer('lines');
    const { sessionId } = await app.client.call('tcp.connect', { host: '127.0.0.1', port: server.local.port });
    const lines = 20_000;
    await app.client.call('tcp.send', { sessionId, data: encode('x\n'.repeat(lines)) });
    await until(() => tcpReceived(app, sessionId).byteLength === 2 * lines, 'every reply', 10_000);
    expect(decode(tcpReceived(app, sessionId))).toBe('X\n'.repeat(lines));
    await until(() => app.events['tcpServer.log'].at(-1)?.counters.bytesReplied === 2 * lines, 'the counters');
    const logs = app.events['tcpServer.log'];
    const last = logs.at(-1);
    expect(last?.counters.bytesReceived).toBe(2 * lines);
    // Every reply is counted, but the log did not send 20,000 lines to the UI.
    const listed = logs.flatMap((e) => e.entries).filter((e) => e.kind === 'replied').length;
    expect(listed + (last?.omittedEntries ?? 0)).toBe(lines);
    expect(last?.omittedEntries).toBeGreaterThan(0);
    expect(logs.length).toBeLessThan(50);
  });

  it('echo applies backpressure: a client that does not read stops the server reading, nothing is lost', async () => {
    const server = await startServer('echo');
    const total = 32 * 1024 * 1024;
    const socket = net.connect(server.local.port, '127.0.0.1');
    cleanups.push(() => socket.destroy());
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.pause();
    socket.write(Buffer.alloc(total, 0x62));
    await sleep(500);
    const stalled = app.events['tcpServer.log'].at(-1)?.counters.bytesReceived ?? 0;
    // Only what fits in the socket buffers was read: the server paused instead of queueing 32 MiB.
    expect(stalled).toBeLessThan(total);
    let echoed = 0;
    socket.on('data', (chunk: Buffer) => {
      echoed += chunk.byteLength;
    });
    socket.resume();
    await until(() => echoed === total, 'the whole echo', 15_000);
    await until(() => app.events['tcpServer.log'].at(-1)?.counters.bytesReplied === total, 'the counters');
  });

  it('classic: sending again after the server closed its connection socket ends in a reset', async () => {
    const server = await startServer('classic');
    const { sessionId } = await app.client.call('tcp.connect', { host: '127.0.0.1', port: server.local.port });
    await app.client.call('tcp.send', { sessionId, data: encode('one') });
    await app.waitFor('tcp.peerEnded');
    await sleep(50);
    // The server's socket is gone, so its OS answers with RST; the next write or read then fails.
    for (let i = 0; i < 5 && app.events['tcp.closed'].length === 0; i++) {
      await app.client.call('tcp.send', { sessionId, data: encode('two') }).catch(() => undefined);
      await sleep(50);
    }
    const closed = await app.waitFor('tcp.closed');
    expect(closed.reason).toBe('reset');
    expect(closed.error?.code).toBe('E_RESET');
  });

  it('a connection with no traffic is closed by the server after its idle deadline', async () => {
    const server = await app.client.call('tcpServer.start', { port: 0, mode: 'lines', idleTimeoutMs: 200 });
    const { sessionId } = await app.client.call('tcp.connect', { host: '127.0.0.1', port: server.local.port });
    await app.waitFor('tcp.peerEnded', (e) => e.sessionId === sessionId, 3000);
    await until(() => serverEntries(server.serverId).some((e) => e.kind === 'closed'), 'the closed entry');
    expect(serverEntries(server.serverId).find((e) => e.kind === 'closed')).toMatchObject({ by: 'idle' });
  });

  it('two clients: two connection sockets with distinct source ports in the server log', async () => {
    const server = await startServer('lines');
    const first = await app.client.call('tcp.connect', { host: '127.0.0.1', port: server.local.port });
    const second = await app.client.call('tcp.connect', { host: '127.0.0.1', port: server.local.port });
    await app.client.call('tcp.send', { sessionId: first.sessionId, data: encode('first\n') });
    await app.client.call('tcp.send', { sessionId: second.sessionId, data: encode('second\n') });
    await until(() => decode(tcpReceived(app, first.sessionId)) === 'FIRST\n', 'the first reply');
    await until(() => decode(tcpReceived(app, second.sessionId)) === 'SECOND\n', 'the second reply');
    // The server log is coalesced: it may arrive a little after the replies.
    await until(() => serverEntries(server.serverId).filter((e) => e.kind === 'replied').length === 2, 'the log');
    const accepted = serverEntries(server.serverId).filter((e) => e.kind === 'accepted');
    expect(accepted).toHaveLength(2);
    const ports = accepted.map((e) => (e.kind === 'accepted' ? e.client.port : 0));
    expect(new Set(ports).size).toBe(2);
    expect(ports.sort()).toEqual([first.local.port, second.local.port].sort());
    expect(new Set(accepted.map((e) => (e.kind === 'accepted' ? e.connectionId : ''))).size).toBe(2);
    const counters = app.events['tcpServer.log'].at(-1)?.counters;
    expect(counters).toMatchObject({ connectionsAccepted: 2, connectionsOpen: 2 });
  });

  it('a raw textbook TCPClient gets its reply from the built-in classic server', async () => {
    const server = await startServer('classic');
    const socket = net.connect(server.local.port, '127.0.0.1');
    cleanups.push(() => socket.destroy());
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('from python');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    await new Promise((resolve) => socket.once('end', resolve));
    expect(Buffer.concat(chunks).toString()).toBe('FROM PYTHON');
  });
});

describe('TCP client against raw servers', () => {
  it('the textbook TCPServer answers straße with STRASSE', async () => {
    const port = await textbookTcpServer();
    const { sessionId } = await app.client.call('tcp.connect', { host: '127.0.0.1', port });
    await app.client.call('tcp.send', { sessionId, data: encode('straße') });
    await app.waitFor('tcp.peerEnded');
    expect(decode(tcpReceived(app, sessionId))).toBe('STRASSE');
  });

  it('received multi-byte characters split across chunks keep every byte, each chunk timestamped', async () => {
    const bytes = encode('grüße');
    const port = await rawServer((socket) => {
      socket.write(bytes.subarray(0, 3));
      setTimeout(() => socket.end(bytes.subarray(3)), 50);
    });
    const { sessionId } = await app.client.call('tcp.connect', { host: '127.0.0.1', port });
    await app.waitFor('tcp.peerEnded');
    const chunks = app.events['tcp.data'].flatMap((e) => e.chunks);
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    expect((chunks[1]?.mono ?? 0) - (chunks[0]?.mono ?? 0)).toBeGreaterThan(20);
    expect(decode(tcpReceived(app, sessionId))).toBe('grüße');
  });

  it('peer shuts down its write side: peerEnded, and the client can still send', async () => {
    const received: Buffer[] = [];
    let serverSocket: net.Socket | undefined;
    const port = await rawServer((socket) => {
      serverSocket = socket;
      socket.on('data', (chunk) => received.push(chunk));
      socket.end('bye');
    });
    const { sessionId } = await app.client.call('tcp.connect', { host: '127.0.0.1', port });
    const ended = await app.waitFor('tcp.peerEnded');
    expect(ended.sessionId).toBe(sessionId);
    expect(decode(tcpReceived(app, sessionId))).toBe('bye');
    await app.client.call('tcp.send', { sessionId, data: encode('still here') });
    await until(() => Buffer.concat(received).toString() === 'still here', 'the server to read after its FIN');
    expect(app.events['tcp.closed']).toEqual([]);
    await app.client.call('tcp.close', { sessionId });
    await until(() => serverSocket?.readableEnded === true, 'the server to see our FIN');
    expect((await app.waitFor('tcp.closed')).reason).toBe('local');
  });

  it('half-close: after tcp.shutdown the server still answers, then the connection closes', async () => {
    const port = await rawServer((socket) => {
      const parts: Buffer[] = [];
      socket.on('data', (chunk) => parts.push(chunk));
      socket.on('end', () => socket.end(Buffer.concat(parts).toString().toUpperCase()));
    });
    const { sessionId } = await app.client.call('tcp.connect', { host: '127.0.0.1', port });
    await app.client.call('tcp.send', { sessionId, data: encode('abc') });
    await app.client.call('tcp.shutdown', { sessionId });
    const closed = await app.waitFor('tcp.closed');
    expect(decode(tcpReceived(app, sessionId))).toBe('ABC');
    expect(app.events['tcp.peerEnded']).toHaveLength(1);
    expect(closed.reason).toBe('peer');
  });

  it('a server that never replies: tcp.noReply after the deadline, the connection stays open', async () => {
    const port = await rawServer(() => {});
    const { sessionId } = await app.client.call('tcp.connect', { host: '127.0.0.1', port });
    const sent = await app.client.call('tcp.send', { sessionId, data: encode('anyone?'), replyTimeoutMs: 300 });
    expect(sent.replyDeadline?.timeoutMs).toBe(300);
    const noReply = await app.waitFor('tcp.noReply');
    expect(noReply).toMatchObject({ sessionId, seq: 1, timeoutMs: 300 });
    expect(noReply.message).toContain(`no reply from 127.0.0.1:${port} within 300 ms`);
    expect(app.events['tcp.closed']).toEqual([]);
  });

  it('a reply wait can be cancelled', async () => {
    const port = await rawServer(() => {});
    const { sessionId } = await app.client.call('tcp.connect', { host: '127.0.0.1', port });
    await app.client.call('tcp.send', { sessionId, data: encode('x'), replyTimeoutMs: 200 });
    const cancelled = await app.client.call('tcp.cancelWait', { sessionId });
    expect(cancelled.cancelled).toEqual([1]);
    await sleep(300);
    expect(app.events['tcp.noReply']).toEqual([]);
  });

  it('peer reset: the session closes with reason reset and E_RESET', async () => {
    const port = await rawServer((socket) => socket.once('data', () => socket.resetAndDestroy()));
    const { sessionId } = await app.client.call('tcp.connect', { host: '127.0.0.1', port });
    await app.client.call('tcp.send', { sessionId, data: encode('hi') });
    const closed = await app.waitFor('tcp.closed');
    expect(closed.reason).toBe('reset');
    expect(closed.error?.code).toBe('E_RESET');
    expect(closed.error?.message).toContain('ECONNRESET');
    expect(closed.error?.message).toContain(`127.0.0.1:${port}`);
  });

  it('a server that sends endlessly: few coalesced events, the cap keeps 1 MiB and counts the rest', async () => {
    app.close();
    app = startApp({ keepBytes: 1024 * 1024 });
    const block = Buffer.alloc(64 * 1024, 0x41);
    const port = await rawServer((socket) => {
      const pump = () => {
        while (!socket.destroyed && socket.write(block)) {
          // keep the send buffer full
        }
      };
      socket.on('drain', pump);
      pump();
    });
    const { sessionId, keepLimit } = await app.client.call('tcp.connect', { host: '127.0.0.1', port });
    expect(keepLimit).toBe(1024 * 1024);
    await until(() => (app.events['tcp.data'].at(-1)?.receivedBytes ?? 0) > 8 * 1024 * 1024, '8 MiB', 10_000);
    const all = app.events['tcp.data'];
    const last = all.at(-1);
    expect(last?.keptBytes).toBe(1024 * 1024);
    expect(last?.droppedBytes).toBe((last?.receivedBytes ?? 0) - 1024 * 1024);
    const kept = all.flatMap((e) => e.chunks).reduce((sum, chunk) => sum + chunk.data.byteLength, 0);
    expect(kept).toBe(1024 * 1024);
    // Coalesced: on average each event carries far more than one 64 KiB read.
    expect(all.length).toBeLessThan((last?.receivedBytes ?? 0) / (64 * 1024));
    // The UI stays responsive: calls are still answered promptly during the flood.
    const started = Date.now();
    await app.client.call('tcp.close', { sessionId });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('TCP bad input', () => {
  it('refused: E_REFUSED says which address and what to try', async () => {
    const port = await freeTcpPort();
    const error = await app.failure(app.client.call('tcp.connect', { host: '127.0.0.1', port }));
    expect(error.code).toBe('E_REFUSED');
    expect(error.message).toContain(`127.0.0.1:${port} refused the connection (ECONNREFUSED)`);
    expect(error.message).toContain('Start the built-in TCP server');
  });

  it('unknown host: E_DNS names the host', async () => {
    const error = await app.failure(app.client.call('tcp.connect', { host: 'no-such-host.invalid', port: 12000 }));
    expect(error.code).toBe('E_DNS');
    expect(error.message).toContain("could not find host 'no-such-host.invalid'");
  });

  it.each([0, 65536, 80.5])('port %s is refused before anything is sent', async (port) => {
    const error = await app.failure(app.client.call('tcp.connect', { host: '127.0.0.1', port }));
    expect(error).toMatchObject({ code: 'E_BAD_REQUEST', field: 'payload.port' });
  });

  it('a host with a scheme or spaces is refused with an explanation', async () => {
    const error = await app.failure(app.client.call('tcp.connect', { host: 'http://localhost', port: 12000 }));
    expect(error).toMatchObject({ code: 'E_BAD_REQUEST', field: 'payload.host' });
    expect(error.message).toContain('scheme');
  });

  it('unknown session: E_NOT_FOUND', async () => {
    const error = await app.failure(app.client.call('tcp.send', { sessionId: 'tcp-0', data: encode('x') }));
    expect(error.code).toBe('E_NOT_FOUND');
  });

  it('server port in use: E_ADDR_IN_USE with what to try', async () => {
    const port = await rawServer(() => {});
    const error = await app.failure(app.client.call('tcpServer.start', { port }));
    expect(error.code).toBe('E_ADDR_IN_USE');
    expect(error.message).toContain(`127.0.0.1:${port} is already in use (EADDRINUSE)`);
    expect(error.message).toContain(`${port + 1}`);
  });

  it('a port below 1024 needs privileges (or works when running as root)', async () => {
    const port = 1000 + Math.floor(Math.random() * 23);
    try {
      const started = await app.client.call('tcpServer.start', { port });
      expect(process.getuid?.()).toBe(0);
      expect(started.local.port).toBe(port);
    } catch (error) {
      const code = (error as { code: string }).code;
      expect(['E_ACCESS', 'E_ADDR_IN_USE']).toContain(code);
      if (code === 'E_ACCESS') expect((error as Error).message).toContain('such as 12000');
    }
  });

  it('binding all interfaces carries a warning', async () => {
    const server = await app.client.call('tcpServer.start', { port: 0, bindAddress: '0.0.0.0', mode: 'echo' });
    expect(server.warning).toContain('all interfaces');
    expect(server.warning).toContain('127.0.0.1');
  });
});

describe('TCP connect deadline and cancel', () => {
  /**
   * A listening socket whose program never calls accept(): once its small backlog is
   * full, new connection requests get no answer, so a connect hangs (as with a host
   * that drops SYNs). The listener lives in a worker whose event loop is blocked.
   */
  async function unresponsivePort(): Promise<number> {
    const { Worker } = await import('node:worker_threads');
    const release = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const server = require('node:net').createServer();
       server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
         parentPort.postMessage(server.address().port);
         Atomics.wait(workerData, 0, 0, 30000);
         server.close();
       });`,
      { eval: true, workerData: release },
    );
    const port = await new Promise<number>((resolve) => worker.once('message', resolve));
    const fillers: net.Socket[] = [];
    cleanups.push(() => {
      for (const filler of fillers) filler.destroy();
      Atomics.store(release, 0, 1);
      Atomics.notify(release, 0);
      void worker.terminate();
    });
    // Fill the backlog until a connection request goes unanswered.
    for (let i = 0; i < 16; i++) {
      const filler = net.connect(port, '127.0.0.1');
      filler.on('error', () => {});
      fillers.push(filler);
      const connected = await Promise.race([
        new Promise<boolean>((resolve) => filler.once('connect', () => resolve(true))),
        sleep(300).then(() => false),
      ]);
      if (!connected) return port;
    }
    throw new Error('could not make a connect hang on this machine');
  }

  it('a connect that gets no answer fails with E_TIMEOUT after the user-set deadline', async () => {
    const port = await unresponsivePort();
    const started = Date.now();
    const error = await app.failure(app.client.call('tcp.connect', { host: '127.0.0.1', port, timeoutMs: 400 }));
    expect(error.code).toBe('E_TIMEOUT');
    expect(error.message).toContain(`could not connect to 127.0.0.1:${port} within 400 ms`);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('cancelling the call (AbortSignal) stops a hanging connect with E_CANCELLED', async () => {
    const port = await unresponsivePort();
    const controller = new AbortController();
    const call = app.client.call(
      'tcp.connect',
      { host: '127.0.0.1', port, timeoutMs: 30_000 },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const error = await app.failure(call);
    expect(error.code).toBe('E_CANCELLED');
    expect(Date.now() - started).toBeLessThan(2000);
    // The Node side let go too: no session appeared and later calls work.
    await sleep(50);
    const server = await startServer('echo');
    const connection = await app.client.call('tcp.connect', { host: '127.0.0.1', port: server.local.port });
    expect(connection.sessionId).toMatch(/^tcp-/);
  });
});

describe('TCP over IPv6', () => {
  it('[::1] works end to end, with IPv6 addresses in the results and the server log', async (context) => {
    if (!(await hasIPv6Loopback())) {
      console.log('skipped: this machine has no IPv6 loopback (::1)');
      context.skip();
    }
    const server = await app.client.call('tcpServer.start', { port: 0, bindAddress: '::1', mode: 'classic' });
    expect(server.local).toMatchObject({ address: '::1', family: 'IPv6' });
    const connection = await app.client.call('tcp.connect', { host: '[::1]', port: server.local.port });
    expect(connection.local.family).toBe('IPv6');
    expect(connection.peer).toEqual(server.local);
    await app.client.call('tcp.send', { sessionId: connection.sessionId, data: encode('ipv6') });
    await app.waitFor('tcp.peerEnded');
    expect(decode(tcpReceived(app, connection.sessionId))).toBe('IPV6');
    await until(() => serverEntries(server.serverId).some((e) => e.kind === 'accepted'), 'the accepted entry');
    const accepted = serverEntries(server.serverId).find((e) => e.kind === 'accepted');
    expect(accepted?.kind === 'accepted' && accepted.client).toEqual(connection.local);
  });
});
