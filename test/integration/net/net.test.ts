import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame } from '../../../shared/contract/codec';
import { commands, events } from '../../../shared/contract/index';
import { TranscriptBuilder, transcriptFile } from '../../../shared/net/transcript';
import { startApp } from '../../support/appClient';
import { decode, encode } from '../../support/bytes';
import { canBindUdp, canListen } from '../../support/ports';
import { until } from '../../support/waits';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe('the socket services in the app', () => {
  it('are part of the one services list and declare their commands and events', () => {
    for (const name of ['udp.open', 'udp.send', 'udp.close', 'udpServer.start', 'tcp.connect', 'tcpServer.stop']) {
      expect(Object.hasOwn(commands, name)).toBe(true);
    }
    for (const name of ['udp.datagrams', 'udp.noReply', 'tcp.data', 'tcp.peerEnded', 'tcp.closed', 'tcpServer.log']) {
      expect(Object.hasOwn(events, name)).toBe(true);
    }
  });

  it('when the renderer goes away, every socket and server closes and the ports can be bound again', async () => {
    const app = startApp();
    const tcpServer = await app.client.call('tcpServer.start', { port: 0, mode: 'lines' });
    const udpServer = await app.client.call('udpServer.start', { port: 0 });

    // A client connection to an outside server, to see that it is closed too.
    let outsideClosed = false;
    const outside = net.createServer((socket) => {
      socket.on('error', () => {});
      socket.on('close', () => {
        outsideClosed = true;
      });
    });
    await new Promise<void>((resolve) => outside.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => outside.close());
    const outsidePort = (outside.address() as net.AddressInfo).port;
    await app.client.call('tcp.connect', { host: '127.0.0.1', port: outsidePort });
    const inside = await app.client.call('tcp.connect', { host: '127.0.0.1', port: tcpServer.local.port });
    await app.client.call('tcp.send', { sessionId: inside.sessionId, data: encode('open\n') });
    const udp = await app.client.call('udp.open', { bindAddress: '127.0.0.1' });
    await until(
      () => app.events['tcpServer.log'].at(-1)?.counters.connectionsOpen === 1,
      'the server to hold a connection',
    );

    expect(await canListen(tcpServer.local.port)).toBe(false);
    expect(await canBindUdp(udpServer.local.port)).toBe(false);
    expect(await canBindUdp(udp.local.port)).toBe(false);

    app.close();

    await until(() => canListen(tcpServer.local.port), 'the TCP server port to be free');
    await until(() => canBindUdp(udpServer.local.port), 'the UDP server port to be free');
    await until(() => canBindUdp(udp.local.port), 'the UDP client port to be free');
    await until(() => outsideClosed, 'the TCP client connection to close');
  });

  it('tcpServer.stop frees the port before it answers; a stopped server cannot be stopped twice', async () => {
    const app = startApp();
    cleanups.push(() => app.close());
    const server = await app.client.call('tcpServer.start', { port: 0, mode: 'echo' });
    const client = await app.client.call('tcp.connect', { host: '127.0.0.1', port: server.local.port });
    await app.client.call('tcpServer.stop', { serverId: server.serverId });
    expect(await canListen(server.local.port)).toBe(true);
    // The server closed its connection socket: the client hears FIN (half-open until it closes too).
    await app.waitFor('tcp.peerEnded', (e) => e.sessionId === client.sessionId);
    const log = await app.waitFor('tcpServer.log', (e) => e.entries.some((entry) => entry.kind === 'stopped'));
    expect(log.counters.connectionsAccepted).toBe(1);
    const again = await app.failure(app.client.call('tcpServer.stop', { serverId: server.serverId }));
    expect(again.code).toBe('E_NOT_FOUND');

    const udpServer = await app.client.call('udpServer.start', { port: 0 });
    await app.client.call('udpServer.stop', { serverId: udpServer.serverId });
    expect(await canBindUdp(udpServer.local.port)).toBe(true);
  });
});

describe('transcripts', () => {
  it('a TCP conversation becomes serialisable transcript lines built only from results and events', async () => {
    const app = startApp();
    cleanups.push(() => app.close());
    const transcript = new TranscriptBuilder();
    for (const name of ['tcp.data', 'tcp.peerEnded', 'tcp.noReply', 'tcp.closed'] as const) {
      app.client.on(name, (payload) => transcript.event(name, payload));
    }
    const server = await app.client.call('tcpServer.start', { port: 0, mode: 'classic' });
    const connection = await app.client.call('tcp.connect', { host: '127.0.0.1', port: server.local.port });
    transcript.opened('tcp', connection);
    const data = encode('hello');
    transcript.sent(
      'tcp',
      await app.client.call('tcp.send', { sessionId: connection.sessionId, data, replyTimeoutMs: 2000 }),
      data,
    );
    await app.waitFor('tcp.peerEnded');
    await app.client.call('tcp.close', { sessionId: connection.sessionId });
    await app.waitFor('tcp.closed');

    const kinds = transcript.entries.map((entry) => entry.kind);
    expect(kinds).toEqual(['open', 'send', 'receive', 'peerEnded', 'close']);
    const [open, send, receive] = transcript.entries;
    expect(open?.rttMs).toBe(connection.connectMs);
    expect(send).toMatchObject({ direction: 'client-to-server', bytes: 5, seq: 1 });
    expect(receive).toMatchObject({ direction: 'server-to-client', bytes: 5, seq: 1 });
    expect(decode(receive?.data ?? new Uint8Array())).toBe('HELLO');
    expect(receive?.rttMs).toBeGreaterThanOrEqual(0);
    // Monotonic times order the lines.
    const monos = transcript.entries.map((entry) => entry.mono);
    expect([...monos].sort((a, b) => a - b)).toEqual(monos);

    // Browser mode carries events through the WebSocket codec: bytes must survive it too.
    const dataEvent = app.events['tcp.data'][0];
    const wire = decodeFrame(encodeFrame({ kind: 'event', name: 'tcp.data', payload: dataEvent })) as {
      payload: unknown;
    };
    expect(events['tcp.data'].parse(wire.payload)).toEqual(dataEvent);

    const file = structuredClone({ format: 'protocol-playground.transcript', version: 1, entries: transcript.entries });
    expect(transcriptFile.parse(file).entries).toHaveLength(5);
  });

  it('UDP lines include the no-reply deadline and a truncation marker once the keep cap is hit', async () => {
    const app = startApp({ keepBytes: 8 });
    cleanups.push(() => app.close());
    const transcript = new TranscriptBuilder();
    for (const name of ['udp.datagrams', 'udp.noReply', 'udp.error', 'udp.closed'] as const) {
      app.client.on(name, (payload) => transcript.event(name, payload));
    }
    const server = await app.client.call('udpServer.start', { port: 0 });
    const open = await app.client.call('udp.open', {});
    const port = server.local.port;
    for (const text of ['abcdef', 'ghijkl']) {
      const data = encode(text);
      transcript.sent(
        'udp',
        await app.client.call('udp.send', { sessionId: open.sessionId, host: '127.0.0.1', port, data }),
        data,
      );
      await app.waitFor('udp.datagrams', (e) => e.receivedBytes >= 6 * (text === 'abcdef' ? 1 : 2));
    }
    const kinds = transcript.entries.map((entry) => entry.kind);
    expect(kinds).toEqual(['send', 'receive', 'send', 'receive', 'dropped']);
    const dropped = transcript.entries.at(-1);
    expect(dropped?.bytes).toBe(4);
    expect(dropped?.text).toMatch(/truncated: 4 bytes/);
    expect(decode(transcript.entries[3]?.data ?? new Uint8Array())).toBe('GH');
  });
});
