import type dgram from 'node:dgram';
import type net from 'node:net';
import type { EventPayloadOf } from '../../shared/contract';
import type { ErrorInfo } from '../../shared/contract/errors';
import type { ResolvedAddress, SocketAddress, Stamp } from '../../shared/net/contract';
import type { EmulatedLink } from '../../shared/net/link';
import type { Closable, Session } from '../service';
import { allInterfacesWarning, isAllInterfaces, toSocketAddress } from './address';
import { stamp } from './clock';
import { netError } from './errors';
import { LinkState } from './link';
import { type ListenAt, listenAt, resolveBindAddress } from './listen';
import type { ResolvedNetOptions } from './options';
import type { Opened } from './registry';
import { ServerLog } from './serverLog';

/** The built-in servers' log events. */
export type ServerLogEvent = 'tcpServer.log' | 'udpServer.log' | 'webServer.log' | 'mailServer.log' | 'dnsServer.log';
export type ServerLogEntryOf<E extends ServerLogEvent> = EventPayloadOf<E>['entries'][number];
export type ServerCountersOf<E extends ServerLogEvent> = EventPayloadOf<E>['counters'];

/** What every start of a built-in server runs with, besides the request itself. */
export interface StartContext {
  /** The new server's id. */
  id: string;
  session: Session;
  options: ResolvedNetOptions;
  /** Cancels the start command. */
  signal: AbortSignal;
}

export interface ServerLogSetup<E extends ServerLogEvent> {
  /** The event the log goes out as. */
  event: E;
  /** Bytes of data the log keeps in all, when the start request sets it; the options' otherwise. */
  keepBytes?: number | undefined;
  /** Entry kinds a flood may leave out (counted); ServerLog's default when not given. */
  droppableKinds?: ReadonlySet<ServerLogEntryOf<E>['kind']>;
  /** The emulated link it starts with (none when left out); its log then has a 'link' entry after 'listening'. */
  link?: EmulatedLink | null | undefined;
}

/** What the start answer and the 'listening' entry say beyond the address and the warning. */
export interface Listening<Logged extends object, Answered extends object> {
  /** The all-interfaces warning for this kind of server; the plain TCP or UDP server's when left out. */
  warning?: (local: SocketAddress) => string;
  logged: Logged;
  answered: Answered;
}

/** How one kind of built-in server comes up, in what it differs from the others (see `BuiltInServer.startListening`). */
export interface StartSteps<S, Logged extends object, Answered extends object> {
  protocol: 'TCP' | 'UDP';
  /** Makes the server and its listening (TCP) or bound (UDP) socket, not yet open, for the resolved address. */
  create(target: ResolvedAddress): Created<S> | Promise<Created<S>>;
  /**
   * Once the socket is open, before the 'listening' entry: opens what else the server listens
   * with at the same address and port (the DNS server's TCP socket beside its UDP one). A
   * failure undoes the start, unannounced, and is thrown.
   */
  alsoListen?(server: S, local: SocketAddress): Promise<void>;
  /** Once the socket is open: attaches the server's handlers and says what its 'listening' entry and answer add. */
  listening(server: S, local: SocketAddress): Listening<Logged, Answered>;
}

/** A built-in server of any kind (the class is not covariant in its log event). */
type AnyBuiltInServer = { [E in ServerLogEvent]: BuiltInServer<E> }[ServerLogEvent];

/** A start command's answer: the address listened on, the warning if it is all interfaces, and what the server adds. */
export type StartAnswer<Answered extends object> = Stamp & {
  serverId: string;
  local: SocketAddress;
  warning?: string;
} & Answered;

interface Created<S> {
  server: S;
  socket: net.Server | dgram.Socket;
}

/**
 * What every built-in server (TCP, UDP, web, mail, DNS) does alike. It belongs to the session
 * while it runs, so a closed window stops it; its log goes out as one event kind with its
 * counters; a listen that fails undoes the start; and stopping closes the listening socket
 * and every connection, logs `stopped`, and resolves once the port is free again.
 */
export abstract class BuiltInServer<E extends ServerLogEvent> {
  readonly id: string;
  protected readonly session: Session;
  protected stopped = false;
  protected readonly log: ServerLog<ServerLogEntryOf<E>>;
  /** The emulated link in front of this server; each crossing reads it then, so a change applies to new traffic. */
  protected readonly link: LinkState;
  private readonly resource: Closable = { close: () => void this.dispose('local') };

  protected constructor({ id, session, options }: StartContext, setup: ServerLogSetup<E>) {
    const { event, keepBytes, droppableKinds } = setup;
    this.id = id;
    this.session = session;
    this.link = new LinkState(setup.link);
    this.log = new ServerLog<ServerLogEntryOf<E>>(
      options,
      keepBytes ?? options.keepBytes,
      (entries, omitted) => {
        const payload = { serverId: id, entries, counters: this.snapshot(), omittedEntries: omitted };
        session.emit(event, payload as EventPayloadOf<E>);
      },
      droppableKinds,
    );
  }

  /**
   * What starting any built-in server takes: resolve the address the user asked for, make
   * the server, open its socket, and log the 'listening' entry beside the start answer.
   */
  protected static async startListening<S extends AnyBuiltInServer, Logged extends object, Answered extends object>(
    at: ListenAt,
    { signal }: StartContext,
    steps: StartSteps<S, Logged, Answered>,
  ): Promise<Opened<S, StartAnswer<NoInfer<Answered>>>> {
    const { protocol } = steps;
    const target = await resolveBindAddress(protocol, at, signal);
    const { server, socket } = await steps.create(target);
    const local = await server.listen(socket, protocol, at, target);
    if (steps.alsoListen) await server.undoneOnFailure(steps.alsoListen(server, local));
    const result = server.listening(local, steps.listening(server, local), protocol);
    return { opened: server, result };
  }

  /** Stops listening and closes every connection; resolves once the port is free again. */
  async stop(): Promise<Stamp & { serverId: string }> {
    await this.dispose('local');
    return { ...stamp(), serverId: this.id };
  }

  /** Another emulated link (or none) for new traffic; the log says so. */
  setLink(link: EmulatedLink | null): Stamp & { serverId: string; link: EmulatedLink | null } {
    const at = stamp();
    this.link.set(link);
    this.log.add({ ...at, kind: 'link', link, changed: true } as ServerLogEntryOf<E>);
    return { ...at, serverId: this.id, link };
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
  private async listen(
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

  /** Waits for one more step of the start; its failure stops the server again, unannounced, and is thrown. */
  private async undoneOnFailure(step: Promise<void>): Promise<void> {
    try {
      await step;
    } catch (error) {
      void this.dispose('error', false);
      throw error;
    }
  }

  /**
   * Logs the 'listening' entry and gives the start answer, both with the warning when the
   * server listens on all interfaces (last, as the contract lists it).
   */
  private listening<Logged extends object, Answered extends object>(
    local: SocketAddress,
    { warning, logged, answered }: Listening<Logged, Answered>,
    protocol: 'TCP' | 'UDP',
  ): StartAnswer<Answered> {
    const at = stamp();
    const warn = warning ?? (({ address, port }: SocketAddress) => allInterfacesWarning(address, port, protocol));
    const warned = isAllInterfaces(local.address) ? { warning: warn(local) } : {};
    this.log.add({ ...at, kind: 'listening', local, ...logged, ...warned } as ServerLogEntryOf<E>);
    const link = this.link.link;
    if (link) this.log.add({ ...at, kind: 'link', link, changed: false } as ServerLogEntryOf<E>);
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
