import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket from 'dns-packet';
import type { ParsedRequestOf, ResponseOf } from '../../../shared/contract/index';
import type { DnsHop, DnsServerCounters, DnsServerLogEntry } from '../../../shared/dns/server/contract';
import { parseZone } from '../../../shared/dns/zone';
import { PlaygroundError } from '../../../shared/contract/errors';
import type { SocketAddress } from '../../../shared/net/contract';
import { allInterfacesWarning, toSocketAddress } from '../../net/address';
import { BuiltInServer, closeListening, type StartAnswer, type StartContext } from '../../net/builtInServer';
import { stamp } from '../../net/clock';
import { netError } from '../../net/errors';
import { type ListenAt, listenAt } from '../../net/listen';
import type { Opened } from '../../net/registry';
import { answerQuery, encodeReply, formErr, indexZone, udpLimit, type ZoneIndex } from './answer';

type StartRequest = ParsedRequestOf<'dnsServer.start'>;

/** A server's answer to one query: the reply, its summary for the log and (the resolver) how it was found. */
export interface Answered {
  packet: dnsPacket.Packet;
  summary: string;
  walk?: DnsHop[];
  fromCache?: boolean;
}

/** How a server turns one query into a reply; the resolver answers differently from a zone. */
export type Responder = (query: dnsPacket.DecodedPacket, client: SocketAddress) => Promise<Answered> | Answered;

/** A zone that does not parse is refused with every error at its line and column. */
export function zoneOrError(text: string): ZoneIndex {
  const zone = parseZone(text);
  if (zone.errors.length > 0) {
    throw new PlaygroundError({
      code: 'E_BAD_ZONE',
      message: `the zone has ${zone.errors.length} error${zone.errors.length === 1 ? '' : 's'}: ${zone.errors
        .slice(0, 5)
        .map((e) => `line ${e.line}, column ${e.column}: ${e.message}`)
        .join('; ')}`,
      details: { errors: zone.errors },
    });
  }
  if (!zone.records.some((r) => r.type === 'SOA')) {
    throw new PlaygroundError({
      code: 'E_BAD_ZONE',
      message: 'the zone has no SOA record: an authoritative zone starts with one',
    });
  }
  return indexZone(zone);
}

function firstQuestion(query: dnsPacket.DecodedPacket): string {
  const q = query.questions?.[0];
  return q ? `${q.name === '.' ? '.' : q.name + '.'} ${q.type}` : '(no question)';
}

/** What a DNS server starts with besides the start context: where, as what, and how it answers. */
export interface DnsServerSetup<Answered extends object> {
  at: ListenAt;
  keepBytes?: number | undefined;
  /** Its role in the 'listening' entry: `authoritative for example.lab.`, `root (.)`, … */
  role: string;
  respond: Responder;
  /** The same query bytes (after the ID) always get the same reply (a zone's server, not the resolver). */
  repeatable?: boolean;
  /** What its start answer adds. */
  answered: Answered;
}

/** A reply kept for repeats of its query: what the log says of the question and of the reply. */
interface KeptReply {
  question: string;
  reply: Buffer;
  summary: string;
}

/** Replies kept per server; when full, the list starts over. */
const maxKeptReplies = 256;

/** Port 0: how many times a DNS server tries another port when TCP finds the one UDP got taken. */
const anyPortAttempts = 5;

/**
 * A DNS server on UDP and TCP at the same port (RFC 1035 §4.2: TCP messages carry a 2-byte
 * length). Each query and reply goes to the log with its bytes and who asked.
 */
export class DnsServer extends BuiltInServer<'dnsServer.log'> {
  private readonly counters: DnsServerCounters = { queries: 0, replies: 0, bytesReceived: 0, bytesReplied: 0 };
  private readonly connections = new Set<net.Socket>();
  private tcp: net.Server | undefined;
  /** Replies by transport and query bytes after the ID, when they are repeatable. */
  private readonly kept: Map<string, KeptReply> | undefined;

  private constructor(
    context: StartContext,
    private readonly udp: dgram.Socket,
    keepBytes: number | undefined,
    private readonly respond: Responder,
    repeatable: boolean,
  ) {
    super(context, { event: 'dnsServer.log', keepBytes });
    this.kept = repeatable ? new Map() : undefined;
  }

  /** The authoritative server for a zone the user typed. */
  static async start(
    request: StartRequest,
    context: StartContext,
  ): Promise<Opened<DnsServer, ResponseOf<'dnsServer.start'>>> {
    const zone = zoneOrError(request.zone);
    return DnsServer.listenWith(context, {
      at: request,
      keepBytes: request.keepBytes,
      role: 'authoritative for ' + zone.origin,
      respond: (query) => answerQuery(zone, query),
      repeatable: true,
      answered: {
        origin: zone.origin,
        records: [...zone.byName.values()].reduce((n, list) => n + list.length, 0),
      },
    });
  }

  /**
   * Binds UDP, then listens on TCP at the port UDP got. With port 0 the port UDP picked may
   * be taken on TCP: a few more tries, each a fresh start under the same id.
   */
  static async listenWith<Answered extends object>(
    context: StartContext,
    setup: DnsServerSetup<Answered>,
  ): Promise<Opened<DnsServer, StartAnswer<Answered>>> {
    for (let attempt = 1; ; attempt++) {
      let tcpFailed = false;
      try {
        return await BuiltInServer.startListening(setup.at, context, {
          protocol: 'UDP',
          create: (target) => {
            const udp = dgram.createSocket(target.family === 'IPv6' ? 'udp6' : 'udp4');
            return {
              server: new DnsServer(context, udp, setup.keepBytes, setup.respond, setup.repeatable ?? false),
              socket: udp,
            };
          },
          alsoListen: async (server, local) => {
            const tcp = net.createServer((socket) => server.accept(socket));
            server.tcp = tcp;
            const target = { address: local.address, family: local.family };
            try {
              await listenAt(tcp, 'TCP', { bindAddress: setup.at.bindAddress, port: local.port }, target);
            } catch (error) {
              tcpFailed = true;
              throw error;
            }
          },
          listening: (server) => {
            server.udp.on('message', (message, info) => server.receiveUdp(message, info));
            server.udp.on('error', (error) => server.logError(error));
            return {
              warning: ({ address, port }) => allInterfacesWarning(address, port, 'UDP'),
              logged: { role: setup.role },
              answered: setup.answered,
            };
          },
        });
      } catch (error) {
        if (!(tcpFailed && setup.at.port === 0 && attempt < anyPortAttempts)) throw error;
      }
    }
  }

  /** A line from the resolver's walk (a hop, or an answer from the cache). */
  note(
    entry: Extract<DnsServerLogEntry, { kind: 'hop' | 'cache' }> extends infer E ? Omit<E, 'at' | 'mono'> : never,
  ): void {
    if (!this.stopped) this.log.add({ ...stamp(), ...entry } as DnsServerLogEntry);
  }

  protected snapshot(): DnsServerCounters {
    return { ...this.counters };
  }

  protected shutDown(): Promise<void> {
    try {
      this.udp.close();
    } catch {
      // already closed
    }
    return this.tcp ? closeListening(this.tcp, this.connections) : Promise.resolve();
  }

  /**
   * Answers one query and logs it and its reply. A zone's server answers the same bytes
   * (after the ID) the same way, so its replies are kept by those bytes: a repeat costs a
   * copy with the ID written in, not a decode, a zone walk and an encode. The log is the same.
   */
  private handle(
    bytes: Uint8Array,
    client: SocketAddress,
    transport: 'udp' | 'tcp',
  ): Buffer | undefined | Promise<Buffer | undefined> {
    this.counters.queries++;
    this.counters.bytesReceived += bytes.byteLength;
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const key = this.kept && bytes.byteLength >= 12 ? transport + buffer.toString('latin1', 2) : undefined;
    const hit = key === undefined ? undefined : this.kept?.get(key);
    if (hit) {
      this.logQuery(bytes, client, transport, `ID ${buffer.readUInt16BE(0)}: ${hit.question}`);
      const reply = Buffer.from(hit.reply);
      reply[0] = bytes[0]!;
      reply[1] = bytes[1]!;
      return this.logReply(reply, client, transport, hit.summary, {});
    }
    let query: dnsPacket.DecodedPacket | undefined;
    try {
      query = dnsPacket.decode(buffer);
    } catch {
      query = undefined;
    }
    if (!query) {
      this.logQuery(bytes, client, transport, 'not a DNS message (answered FORMERR)');
      return this.logReply(formErr(bytes), client, transport, 'FORMERR', {});
    }
    const question = firstQuestion(query);
    this.logQuery(bytes, client, transport, `ID ${query.id}: ${question}`);
    const decoded = query;
    const answered = this.respond(decoded, client);
    const reply = (done: Answered): Buffer | undefined => {
      let summary = done.summary;
      let how: Pick<Answered, 'walk' | 'fromCache'> = {};
      if (done.walk) how = { walk: done.walk };
      if (done.fromCache) how = { fromCache: true };
      const encoded = encodeReply(done.packet, transport === 'udp' ? udpLimit(decoded) : undefined);
      if (encoded[2]! & 0x02) summary += ' — too big for UDP: cut, TC=1';
      if (key !== undefined && this.kept) {
        if (this.kept.size >= maxKeptReplies) this.kept.clear();
        this.kept.set(key, { question, reply: encoded, summary });
      }
      return this.logReply(encoded, client, transport, summary, how);
    };
    return answered instanceof Promise ? answered.then(reply) : reply(answered);
  }

  private logQuery(bytes: Uint8Array, client: SocketAddress, transport: 'udp' | 'tcp', summary: string): void {
    this.log.add(
      {
        ...stamp(),
        kind: 'query',
        client,
        transport,
        data: this.log.keep(bytes),
        bytes: bytes.byteLength,
        summary,
      },
      bytes.byteLength,
    );
  }

  /** Counts and logs a reply about to go out; gives it back, or nothing when there is none or the server stopped. */
  private logReply(
    reply: Buffer | undefined,
    client: SocketAddress,
    transport: 'udp' | 'tcp',
    summary: string,
    how: Pick<Answered, 'walk' | 'fromCache'>,
  ): Buffer | undefined {
    if (!reply || this.stopped) return undefined;
    this.counters.replies++;
    this.counters.bytesReplied += reply.byteLength;
    this.log.add(
      {
        ...stamp(),
        kind: 'reply',
        client,
        transport,
        data: this.log.keep(reply),
        bytes: reply.byteLength,
        summary,
        ...how,
      },
      reply.byteLength,
    );
    return reply;
  }

  private receiveUdp(message: Buffer, info: dgram.RemoteInfo): void {
    if (this.stopped) return;
    // No callback: a failed send comes as the socket's 'error', logged the same way, and a
    // send without one skips a completion callback per reply.
    const send = (reply: Buffer | undefined) => {
      if (reply && !this.stopped) this.udp.send(reply, info.port, info.address);
    };
    const reply = this.handle(message, toSocketAddress(info), 'udp');
    if (reply instanceof Promise) void reply.then(send);
    else send(reply);
  }

  private accept(socket: net.Socket): void {
    if (this.stopped) return void socket.destroy();
    this.connections.add(socket);
    const client = toSocketAddress({
      address: socket.remoteAddress ?? '',
      family: socket.remoteFamily ?? 'IPv4',
      port: socket.remotePort ?? 0,
    });
    let pending = Buffer.alloc(0);
    socket.setTimeout(10_000, () => socket.destroy());
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      // Every complete length-prefixed message in the buffer; bounded by its size.
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        const size = pending.readUInt16BE(0);
        const message = pending.subarray(2, 2 + size);
        pending = pending.subarray(2 + size);
        void Promise.resolve(this.handle(message, client, 'tcp')).then((reply) => {
          if (!reply || socket.destroyed) return;
          const prefix = Buffer.alloc(2);
          prefix.writeUInt16BE(reply.length);
          socket.write(Buffer.concat([prefix, reply]));
        });
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.connections.delete(socket));
  }

  private logError(error: Error): void {
    if (this.stopped) return;
    this.log.add({ ...stamp(), kind: 'error', error: netError(error, { protocol: 'UDP', action: 'send' }).toInfo() });
  }
}
