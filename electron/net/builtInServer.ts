import type dgram from 'node:dgram';
import type net from 'node:net';
import type { EventPayloadOf } from '../../shared/contract';
import type { ErrorInfo } from '../../shared/contract/errors';
import type { ResolvedAddress, SocketAddress, Stamp } from '../../shared/net/contract';
import type { Closable, Session } from '../service';
import { isAllInterfaces, toSocketAddress } from './address';
import { stamp } from './clock';
import { netError } from './errors';
import { type ListenAt, listenAt } from './listen';
import type { ResolvedNetOptions } from './options';
import { ServerLog } from './serverLog';

/** The built-in servers' log events. */
export type ServerLogEvent = 'tcpServer.log' | 'udpServer.log' | 'webServer.log' | 'mailServer.log' | 'dnsServer.log';
export type ServerLogEntryOf<E extends ServerLogEvent> = EventPayloadOf<E>['entries'][number];
export type ServerCountersOf<E extends ServerLogEvent> = EventPayloadOf<E>['counters'];

export interface ServerLogSetup<E extends ServerLogEvent> {
  /** The event the log goes out as. */
  event: E;
  options: ResolvedNetOptions;
  /** Bytes of data the log keeps in all. */
  keepLimit: number;
  /** Entry kinds a flood may leave out (counted); ServerLog's default when not given. */
  droppableKinds?: ReadonlySet<ServerLogEntryOf<E>['kind']>;
}

/** What the start answer and the 'listening' entry say beyond the address and the warning. */
export interface Listening<Logged extends object, Answered extends object> {
  /** The all-interfaces warning for this kind of server. */
  warning: (local: SocketAddress) => string;
  logged: Logged;
  answered: Answered;
}

/**
 * What every built-in server (TCP, UDP, web, mail) does alike. It belongs to the session
 * while it runs, so a closed window stops it; its log goes out as one event kind with its
 * counters; a listen that fails undoes the start; and stopping closes the listening socket
 * and every connection, logs `stopped`, and resolves once the port is free again.
 */
export abstract class BuiltInServer<E extends ServerLogEvent> {
  protected stopped = false;
  protected readonly log: ServerLog<ServerLogEntryOf<E>>;
  private readonly resource: Closable = { close: () => void this.dispose('local') };

  protected constructor(
    readonly id: string,
    protected readonly session: Session,
    setup: ServerLogSetup<E>,
  ) {
    const { event, options, keepLimit, droppableKinds } = setup;
    this.log = new ServerLog<ServerLogEntryOf<E>>(
      options,
      keepLimit,
      (entries, omitted) => {
        const payload = { serverId: id, entries, counters: this.snapshot(), omittedEntries: omitted };
        session.emit(event, payload as EventPayloadOf<E>);
      },
      droppableKinds,
    );
  }

  /** Stops listening and closes every connection; resolves once the port is free again. */
  async stop(): Promise<Stamp & { serverId: string }> {
    await this.dispose('local');
    return { ...stamp(), serverId: this.id };
  }

  /** The counters as they are now, for the next log event. */
  protected abstract snapshot(): ServerCountersOf<E>;

  /**
   * Closes the listening socket and every connection (logging what `announce` asks for)
   * before it returns; the promise settles once the port is free.
   */
  protected abstract shutDown(announce: boolean): Promise<void>;

  /**
   * Opens the listening (TCP) or bound (UDP) socket, owned by the session from here on;
   * a failure stops the server again, unannounced, and is thrown. Answers the address it got.
   */
  protected async listen(
    socket: net.Server | dgram.Socket,
    protocol: 'TCP' | 'UDP',
    at: ListenAt,
    target: ResolvedAddress,
  ): Promise<SocketAddress> {
    this.session.own(this.resource);
    try {
      await listenAt(socket, protocol, at, target);
    } catch (error) {
      void this.dispose('error', false);
      throw error;
    }
    return toSocketAddress(socket.address() as net.AddressInfo);
  }

  /**
   * Logs the 'listening' entry and gives the start answer, both with the warning when the
   * server listens on all interfaces (last, as the contract lists it).
   */
  protected listening<Logged extends object, Answered extends object>(
    local: SocketAddress,
    { warning, logged, answered }: Listening<Logged, Answered>,
  ) {
    const at = stamp();
    const warned = isAllInterfaces(local.address) ? { warning: warning(local) } : {};
    this.log.add({ ...at, kind: 'listening', local, ...logged, ...warned } as ServerLogEntryOf<E>);
    return { ...at, serverId: this.id, local, ...answered, ...warned };
  }

  protected async dispose(reason: 'local' | 'error', announce = true): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.session.release(this.resource);
    const closed = this.shutDown(announce);
    if (announce) this.log.add({ ...stamp(), kind: 'stopped', reason } as ServerLogEntryOf<E>);
    this.log.close();
    await closed;
  }
}

/** Closes a TCP listening socket and destroys its connections; resolves once the port is free. */
export function closeListening(server: net.Server, sockets: Iterable<net.Socket>): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  for (const socket of sockets) socket.destroy();
  return closed;
}

/** What went wrong on a TCP server's socket, for its log; `peer` is the client, when known. */
export function tcpServerError(error: unknown, peer?: { address?: string; port?: number }): ErrorInfo {
  return netError(error, { protocol: 'TCP', action: 'receive', address: peer?.address, port: peer?.port }).toInfo();
}

/** Who ended a connection that failed: the peer's reset, or an error. */
export function failedBy(error: ErrorInfo): 'reset' | 'error' {
  return error.code === 'E_RESET' ? 'reset' : 'error';
}
