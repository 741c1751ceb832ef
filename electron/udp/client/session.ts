import dgram from 'node:dgram';
import { PlaygroundError } from '../../../shared/contract/errors';
import type { ParsedRequestOf, ResponseOf } from '../../../shared/contract/index';
import type { AddressFamily, ResolvedAddress, SocketAddress } from '../../../shared/net/contract';
import type { UdpDatagram } from '../../../shared/udp/client/contract';
import type { Session } from '../../service';
import { formatSocketAddress, ipFamily, toSocketAddress } from '../../net/address';
import { ByteBudget } from '../../net/byteBudget';
import { formatSeconds, monoNow, stamp } from '../../net/clock';
import { Coalescer } from '../../net/coalescer';
import { netError } from '../../net/errors';
import type { ResolvedNetOptions } from '../../net/options';
import type { Opened } from '../../net/registry';
import { ReplyWaits } from '../../net/replyWaits';
import { resolveHost } from '../../net/resolve';

type OpenRequest = ParsedRequestOf<'udp.open'>;
type SendRequest = ParsedRequestOf<'udp.send'>;

const peerKey = (address: string, port: number) => `${address}|${port}`;

/**
 * One UDP client socket. Bound at open, so getsockname() is known from the start;
 * received datagrams go to the UI coalesced, with the byte cap applied; a send can
 * ask for a reply deadline, because UDP itself never says that nobody listened.
 */
export class UdpClientSession {
  private seq = 0;
  private sent = 0;
  private receivedDatagrams = 0;
  private droppedDatagrams = 0;
  private closed = false;
  private readonly waits = new ReplyWaits();
  private readonly budget: ByteBudget;
  private readonly coalescer: Coalescer<UdpDatagram>;
  private readonly resource = { close: () => this.dispose() };

  private constructor(
    readonly id: string,
    private readonly session: Session,
    private readonly socket: dgram.Socket,
    readonly family: AddressFamily,
    private readonly recvBufferBytes: number | undefined,
    private readonly connected: { host: string; peer: SocketAddress } | undefined,
    keepLimit: number,
    options: ResolvedNetOptions,
  ) {
    this.budget = new ByteBudget(keepLimit);
    this.coalescer = new Coalescer<UdpDatagram>({
      ...options.coalescing,
      flush: (datagrams) => this.emitDatagrams(datagrams),
    });
    socket.on('message', (message, info) => this.receive(message, info));
    socket.on('error', (error) => this.socketError(error));
  }

  static async open(
    id: string,
    request: OpenRequest,
    session: Session,
    options: ResolvedNetOptions,
    signal: AbortSignal,
  ): Promise<Opened<UdpClientSession, ResponseOf<'udp.open'>>> {
    const timing = { protocol: 'UDP' as const, timeoutMs: request.lookupTimeoutMs, signal };
    let family = request.family;
    let bindTo: string | undefined;
    if (request.bindAddress !== undefined) {
      const [first] = await resolveHost(request.bindAddress, { ...timing, family, port: request.bindPort });
      bindTo = first?.address;
      family ??= first?.family;
    }
    let resolved: ResolvedAddress[] | undefined;
    if (request.connect) {
      resolved = await resolveHost(request.connect.host, { ...timing, family, port: request.connect.port });
      family ??= resolved[0]?.family;
    }
    family ??= 'IPv4';
    const socket = dgram.createSocket(family === 'IPv6' ? 'udp6' : 'udp4');
    const owned = { close: () => closeQuietly(socket) };
    session.own(owned);
    try {
      const address = bindTo ?? (family === 'IPv6' ? '::' : '0.0.0.0');
      await bind(socket, address, request.bindPort ?? 0);
      let connected: { host: string; peer: SocketAddress } | undefined;
      if (request.connect) {
        const target = resolved?.[0];
        if (!target) throw new PlaygroundError({ code: 'E_DNS', message: `no address for ${request.connect.host}` });
        await connect(socket, request.connect.host, target.address, request.connect.port);
        connected = { host: request.connect.host, peer: toSocketAddress(socket.remoteAddress()) };
      }
      const keepLimit = request.keepBytes ?? options.keepBytes;
      const client = new UdpClientSession(
        id,
        session,
        socket,
        family,
        request.recvBufferBytes,
        connected,
        keepLimit,
        options,
      );
      session.release(owned);
      session.own(client.resource);
      const result: ResponseOf<'udp.open'> = {
        ...stamp(),
        sessionId: id,
        local: client.local(),
        keepLimit,
      };
      if (connected) result.peer = connected.peer;
      if (resolved) result.resolved = resolved;
      if (request.recvBufferBytes !== undefined) result.recvBufferBytes = request.recvBufferBytes;
      return { opened: client, result };
    } catch (error) {
      session.release(owned);
      closeQuietly(socket);
      throw error;
    }
  }

  local(): SocketAddress {
    return toSocketAddress(this.socket.address());
  }

  async send(request: SendRequest, signal: AbortSignal): Promise<ResponseOf<'udp.send'>> {
    const to = await this.destination(request, signal);
    if (this.closed) throw this.closedError();
    const seq = ++this.seq;
    const key = peerKey(to.address, to.port);
    const sentAt = stamp();
    let replyDeadline: { timeoutMs: number; mono: number } | undefined;
    const { replyTimeoutMs } = request;
    if (replyTimeoutMs !== undefined) {
      const mono = this.waits.add(seq, key, sentAt.mono, replyTimeoutMs, () => this.noReply(seq, to, replyTimeoutMs));
      replyDeadline = { timeoutMs: replyTimeoutMs, mono };
    }
    try {
      await new Promise<void>((resolve, reject) => {
        const done = (error: Error | null) => (error ? reject(error) : resolve());
        if (this.connected) this.socket.send(request.data, done);
        else this.socket.send(request.data, to.port, to.address, done);
      });
    } catch (error) {
      this.waits.cancel(seq);
      throw netError(error, {
        protocol: 'UDP',
        action: 'send',
        host: request.host ?? this.connected?.host,
        address: to.address,
        port: to.port,
        bytes: request.data.byteLength,
      });
    }
    this.sent++;
    const result: ResponseOf<'udp.send'> = {
      ...sentAt,
      sessionId: this.id,
      seq,
      sentBytes: request.data.byteLength,
      to: { address: to.address, family: to.family, port: to.port },
      local: this.local(),
    };
    if (to.resolved) result.resolved = to.resolved;
    if (replyDeadline) result.replyDeadline = replyDeadline;
    return result;
  }

  cancelWait(seq: number | undefined): number[] {
    return this.waits.cancel(seq);
  }

  close(): ResponseOf<'udp.close'> {
    this.dispose();
    const at = stamp();
    this.session.emit('udp.closed', { ...at, sessionId: this.id, reason: 'local' });
    return { ...at, sessionId: this.id, sentDatagrams: this.sent, receivedDatagrams: this.receivedDatagrams };
  }

  private dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.waits.cancel();
    this.coalescer.close();
    this.session.release(this.resource);
    closeQuietly(this.socket);
  }

  private async destination(
    request: SendRequest,
    signal: AbortSignal,
  ): Promise<SocketAddress & { resolved?: ResolvedAddress[] }> {
    if (this.connected) {
      const { host, peer } = this.connected;
      const sameHost = request.host === undefined || request.host === host || request.host === peer.address;
      const samePort = request.port === undefined || request.port === peer.port;
      if (!sameHost || !samePort) {
        throw new PlaygroundError({
          code: 'E_BAD_REQUEST',
          field: sameHost ? 'payload.port' : 'payload.host',
          message: `this UDP socket is connected to ${formatSocketAddress(peer)} and can only send there: leave host and port empty, or open an unconnected session.`,
        });
      }
      return peer;
    }
    if (request.host === undefined || request.port === undefined) {
      throw new PlaygroundError({
        code: 'E_BAD_REQUEST',
        field: request.host === undefined ? 'payload.host' : 'payload.port',
        message: 'this UDP socket is not connected: say which host and port to send the datagram to.',
      });
    }
    const resolved = await resolveHost(request.host, {
      protocol: 'UDP',
      family: this.family,
      timeoutMs: request.lookupTimeoutMs,
      signal,
      port: request.port,
    });
    const target = resolved[0];
    if (!target) throw new PlaygroundError({ code: 'E_DNS', message: `no address for ${request.host}` });
    const result: SocketAddress & { resolved?: ResolvedAddress[] } = { ...target, port: request.port };
    if (ipFamily(request.host) === undefined) result.resolved = resolved;
    return result;
  }

  private receive(message: Buffer, info: dgram.RemoteInfo): void {
    if (this.closed) return;
    const receivedMono = monoNow();
    this.receivedDatagrams++;
    const size = message.byteLength;
    const readable = this.recvBufferBytes === undefined ? size : Math.min(size, this.recvBufferBytes);
    const keep = this.budget.take(readable);
    const reply = this.waits.answer(peerKey(info.address, info.port), receivedMono);
    if (keep === 0 && !reply) {
      this.droppedDatagrams++;
      this.coalescer.touch();
      return;
    }
    const datagram: UdpDatagram = {
      at: Date.now(),
      mono: receivedMono,
      from: toSocketAddress(info),
      // A copy that owns its bytes: a view would pin Node's receive buffer and clone all of it.
      data: new Uint8Array(message.subarray(0, keep)),
      size,
      truncated: readable < size,
    };
    if (reply) datagram.reply = reply;
    this.coalescer.push(datagram, keep, reply !== undefined);
  }

  private emitDatagrams(datagrams: UdpDatagram[]): void {
    this.session.emit('udp.datagrams', {
      ...stamp(),
      sessionId: this.id,
      datagrams,
      ...this.budget.totals(),
      receivedDatagrams: this.receivedDatagrams,
      droppedDatagrams: this.droppedDatagrams,
    });
  }

  private noReply(seq: number, to: SocketAddress, timeoutMs: number): void {
    if (this.closed) return;
    this.coalescer.flush();
    this.session.emit('udp.noReply', {
      ...stamp(),
      sessionId: this.id,
      seq,
      to,
      timeoutMs,
      message: `no reply from ${formatSocketAddress(to)} within ${formatSeconds(timeoutMs)} — UDP does not report that nobody is listening (the datagram or its reply may also have been lost).`,
    });
  }

  private socketError(error: Error): void {
    if (this.closed) return;
    const peer = this.connected?.peer;
    const info = netError(error, {
      protocol: 'UDP',
      action: 'receive',
      host: this.connected?.host,
      address: peer?.address,
      port: peer?.port,
    });
    // A refused connected socket will not get a reply: the error says so, a later "no reply" would only confuse.
    if (info.code === 'E_REFUSED') this.waits.cancel();
    this.coalescer.flush();
    this.session.emit('udp.error', { ...stamp(), sessionId: this.id, error: info.toInfo() });
  }

  private closedError(): PlaygroundError {
    return new PlaygroundError({
      code: 'E_NOT_FOUND',
      message: `UDP session '${this.id}' is closed: open a new one.`,
    });
  }
}

function bind(socket: dgram.Socket, address: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(netError(error, { protocol: 'UDP', action: 'bind', address, port }));
    socket.once('error', onError);
    socket.bind({ address, port, exclusive: true }, () => {
      socket.off('error', onError);
      resolve();
    });
  });
}

function connect(socket: dgram.Socket, host: string, address: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => reject(netError(error, { protocol: 'UDP', action: 'connect', host, address, port }));
    socket.once('error', fail);
    try {
      socket.connect(port, address, (error?: Error) => {
        socket.off('error', fail);
        if (error) fail(error);
        else resolve();
      });
    } catch (error) {
      socket.off('error', fail);
      fail(error as Error);
    }
  });
}

function closeQuietly(socket: dgram.Socket): void {
  try {
    socket.close();
  } catch {
    // already closed
  }
}
