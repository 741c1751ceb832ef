import dgram from 'node:dgram';
import { upperBytesWithReport } from '../../../shared/bytes';
import type { ParsedRequestOf, ResponseOf } from '../../../shared/contract/index';
import type { SocketAddress } from '../../../shared/net/contract';
import type { UdpServerCounters, UdpServerLogEntry } from '../../../shared/udp/server/contract';
import { toSocketAddress } from '../../net/address';
import { BuiltInServer, type StartContext } from '../../net/builtInServer';
import { roundMs, stamp } from '../../net/clock';
import { netError } from '../../net/errors';
import { DatagramLink } from '../../net/link';
import type { Opened } from '../../net/registry';

type StartRequest = ParsedRequestOf<'udpServer.start'>;

/**
 * The textbook UDPServer: one socket bound to the port, every datagram read as
 * `recvfrom(N)` would read it (cut to N bytes, the rest lost, which the log says),
 * answered with its upper-case (or unchanged, in echo mode) to the sender's address.
 */
export class UdpUpperServer extends BuiltInServer<'udpServer.log'> {
  private readonly counters: UdpServerCounters = {
    datagramsReceived: 0,
    datagramsReplied: 0,
    datagramsCut: 0,
    datagramsDropped: 0,
    bytesReceived: 0,
    bytesReplied: 0,
  };
  private local: SocketAddress | undefined;
  private readonly datagrams: DatagramLink;

  private constructor(
    context: StartContext,
    private readonly socket: dgram.Socket,
    private readonly request: StartRequest,
  ) {
    super(context, { event: 'udpServer.log', keepBytes: request.keepBytes, link: request.link });
    this.datagrams = new DatagramLink(this.link);
  }

  static async start(
    request: StartRequest,
    context: StartContext,
  ): Promise<Opened<UdpUpperServer, ResponseOf<'udpServer.start'>>> {
    return BuiltInServer.startListening(request, context, {
      protocol: 'UDP',
      create: (target) => {
        const socket = dgram.createSocket(target.family === 'IPv6' ? 'udp6' : 'udp4');
        return { server: new UdpUpperServer(context, socket, request), socket };
      },
      listening: (server, local) => {
        server.local = local;
        server.socket.on('message', (message, info) => server.arrive(message, info));
        server.socket.on('error', (error) => server.socketError(error));
        return { logged: {}, answered: { mode: request.mode, recvBufferBytes: request.recvBufferBytes } };
      },
    });
  }

  protected snapshot(): UdpServerCounters {
    return { ...this.counters };
  }

  /** Closing the socket frees the port at once: nothing to wait for. */
  protected shutDown(): Promise<void> {
    this.datagrams.close();
    try {
      this.socket.close();
    } catch {
      // never bound, or already closed
    }
    return Promise.resolve();
  }

  /** A datagram reached the socket: the emulated link may drop it, or hold it back before the server reads it. */
  private arrive(message: Buffer, info: dgram.RemoteInfo): void {
    if (this.stopped) return;
    if (!this.link.link) {
      this.receive(message, info, 0);
      return;
    }
    const passed = this.datagrams.arrive(message.byteLength, (delayMs) => {
      if (!this.stopped) this.receive(message, info, delayMs);
    });
    if (passed === 'dropped') {
      this.counters.datagramsDropped++;
      const entry: UdpServerLogEntry = {
        ...stamp(),
        kind: 'dropped',
        client: toSocketAddress(info),
        data: this.log.keep(message),
        bytes: message.byteLength,
      };
      this.log.add(entry, message.byteLength);
    }
  }

  private receive(message: Buffer, info: dgram.RemoteInfo, linkDelayMs: number): void {
    const client = toSocketAddress(info);
    const size = message.byteLength;
    const limit = this.request.recvBufferBytes;
    const read = limit !== null && size > limit ? message.subarray(0, limit) : message;
    const counters = this.counters;
    counters.datagramsReceived++;
    counters.bytesReceived += size;
    const received: UdpServerLogEntry = {
      ...stamp(),
      kind: 'received',
      client,
      data: this.log.keep(read),
      bytes: size,
    };
    if (linkDelayMs > 0 && received.kind === 'received') received.linkDelayMs = roundMs(linkDelayMs);
    if (read.byteLength < size) {
      counters.datagramsCut++;
      if (received.kind === 'received') received.cutTo = read.byteLength;
    }
    this.log.add(received, read.byteLength);
    const { bytes: reply, invalidBytes } =
      this.request.mode === 'upper' ? upperBytesWithReport(read) : { bytes: read, invalidBytes: 0 };
    if (!this.link.link) {
      this.reply(reply, invalidBytes, info, client, 0);
      return;
    }
    this.datagrams.leave(reply.byteLength, (delayMs) => {
      if (!this.stopped) this.reply(reply, invalidBytes, info, client, delayMs);
    });
  }

  private reply(
    reply: Uint8Array,
    invalidBytes: number,
    info: dgram.RemoteInfo,
    client: SocketAddress,
    linkDelayMs: number,
  ): void {
    const counters = this.counters;
    this.socket.send(reply, info.port, info.address, (error) => {
      if (this.stopped) return;
      if (error) {
        this.log.add({
          ...stamp(),
          kind: 'error',
          client,
          error: netError(error, {
            protocol: 'UDP',
            action: 'send',
            address: info.address,
            port: info.port,
            bytes: reply.byteLength,
          }).toInfo(),
        });
        return;
      }
      counters.datagramsReplied++;
      counters.bytesReplied += reply.byteLength;
      const replied: UdpServerLogEntry = {
        ...stamp(),
        kind: 'replied',
        client,
        data: this.log.keep(reply),
        bytes: reply.byteLength,
      };
      if (invalidBytes > 0 && replied.kind === 'replied') replied.invalidUtf8Bytes = invalidBytes;
      if (linkDelayMs > 0 && replied.kind === 'replied') replied.linkDelayMs = roundMs(linkDelayMs);
      this.log.add(replied, reply.byteLength);
    });
  }

  private socketError(error: Error): void {
    if (this.stopped) return;
    // A UDP server socket survives errors such as an ICMP report for an earlier reply: log and go on.
    const local = this.local;
    this.log.add({
      ...stamp(),
      kind: 'error',
      error: netError(error, {
        protocol: 'UDP',
        action: 'receive',
        address: local?.address,
        port: local?.port,
      }).toInfo(),
    });
  }
}
