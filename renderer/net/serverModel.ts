import type { SocketAddress } from '../../shared/net/contract';
import type { EmulatedLink } from '../../shared/net/link';
import { type TranscriptInput, TranscriptModel, type TranscriptOptions } from '../transcript/model';
import { type ControlErrors, controlError, parsePortField, placeError } from './errors';
import { formatSocketAddress, plural } from './format';
import { LinkModel } from './linkModel';
import { type AcceptedEntry, type ErrorEntry, errorLine, type LogStamp } from './serverLog';
import { Store } from './store';

export type ServerControl = 'port' | 'bindAddress' | 'mode' | 'start' | 'stop';

export interface BindChoice {
  readonly value: string;
  /** Short enough for a narrow panel at 1024 px; `meaning` is shown below the choice. */
  readonly label: string;
  readonly meaning: string;
  /** Other machines can reach it: the panel warns before and while it runs. */
  readonly allInterfaces: boolean;
}

/** 127.0.0.1 first: a lab server stays on this machine unless the user asks otherwise. */
export const bindChoices: readonly BindChoice[] = [
  {
    value: '127.0.0.1',
    label: '127.0.0.1 (this computer)',
    meaning: 'Only this computer can connect.',
    allInterfaces: false,
  },
  {
    value: '::1',
    label: '::1 (this computer, IPv6)',
    meaning: 'Only this computer can connect, over IPv6.',
    allInterfaces: false,
  },
  { value: '0.0.0.0', label: '0.0.0.0 (all interfaces)', meaning: 'Other machines can connect.', allInterfaces: true },
  {
    value: '::',
    label: ':: (all interfaces, IPv6)',
    meaning: 'Other machines can connect, over IPv6 (and often IPv4).',
    allInterfaces: true,
  },
];

export function isAllInterfaces(bindAddress: string): boolean {
  return bindChoices.some((choice) => choice.value === bindAddress && choice.allInterfaces);
}

export interface ServerState<Mode extends string, Counters> {
  readonly port: string;
  readonly bindAddress: string;
  readonly mode: Mode;
  /** Protocol-specific switches (UDP: read like recvfrom(2048)). */
  readonly flags: Readonly<Record<string, boolean>>;
  readonly phase: 'stopped' | 'starting' | 'running' | 'stopping';
  readonly serverId: string | undefined;
  /** The welcoming (TCP) or bound (UDP) socket's address while running. */
  readonly local: SocketAddress | undefined;
  readonly warning: string | undefined;
  readonly counters: Counters | undefined;
  /** Log lines the Node side left out under a flood (still counted in the counters). */
  readonly omittedEntries: number;
  readonly errors: ControlErrors<ServerControl>;
}

export interface StartedServer {
  readonly serverId: string;
  readonly local: SocketAddress;
  readonly warning?: string | undefined;
}

export interface ServerLogEvent<Entry, Counters> {
  readonly serverId: string;
  readonly entries: readonly Entry[];
  readonly counters: Counters;
  readonly omittedEntries: number;
}

const placement = { fields: { port: 'port', bindAddress: 'bindAddress', mode: 'mode' }, codes: {} } as const;
const serverCodes: Record<string, ServerControl> = {
  E_ADDR_IN_USE: 'port',
  E_ACCESS: 'port',
  E_ADDR_NOT_AVAILABLE: 'bindAddress',
};

/**
 * A built-in server panel: port, bind address and mode as chosen, whether it runs,
 * its counters, and its log (a transcript with one party per client). The protocol
 * supplies the start/stop calls and how its log entries read, and may check its own
 * fields before a start (beforeStart) and show a failed start beside them (placeStartError).
 */
export abstract class ServerModel<Mode extends string, Counters, Entry> extends Store<ServerState<Mode, Counters>> {
  readonly log: TranscriptModel;
  /** The emulated link in front of the server: given at Start, changeable while it runs. */
  readonly link: LinkModel;
  /** A connection-based server's clients, connectionId → address, so every line names its connection. */
  private readonly clients = new Map<string, SocketAddress>();
  private readonly early: ServerLogEvent<Entry, Counters>[] = [];
  private lastServerId: string | undefined;

  constructor(
    defaults: { mode: Mode; port?: string; flags?: Record<string, boolean>; protocol?: 'UDP' | 'TCP' },
    options?: TranscriptOptions,
  ) {
    super({
      port: defaults.port ?? '12000',
      bindAddress: '127.0.0.1',
      mode: defaults.mode,
      flags: defaults.flags ?? {},
      phase: 'stopped',
      serverId: undefined,
      local: undefined,
      warning: undefined,
      counters: undefined,
      omittedEntries: 0,
      errors: {},
    });
    this.log = new TranscriptModel(options);
    this.link = new LinkModel(defaults.protocol ?? 'TCP', (link) => {
      const { serverId } = this.state;
      if (!serverId) return Promise.reject(new Error('The server is not running: the link is given at Start.'));
      return this.setServerLink(serverId, link);
    });
  }

  protected abstract startServer(
    port: number,
    bindAddress: string,
    mode: Mode,
    link: EmulatedLink | null,
  ): Promise<StartedServer>;
  protected abstract stopServer(serverId: string): Promise<unknown>;

  /** Gives the running server another emulated link; servers without one (web, mail, for now) refuse. */
  protected setServerLink(_serverId: string, _link: EmulatedLink | null): Promise<unknown> {
    return Promise.reject(new Error('This server has no emulated link yet.'));
  }
  protected abstract logInputs(entry: Entry): TranscriptInput[];
  protected abstract readonly protocol: 'UDP' | 'TCP';

  /**
   * Before the port is read: checks or clears the protocol's own fields. False: not started
   * (the fields say why).
   */
  protected beforeStart(): boolean {
    return true;
  }

  /**
   * A start that failed because of one of the protocol's own fields: shows the error beside
   * that field and returns true, so Start and Port stay without it (the log still says it).
   */
  protected placeStartError(_error: unknown): boolean {
    return false;
  }

  setPort(port: string): void {
    this.set({ ...this.state, port, errors: {} });
  }

  setBindAddress(bindAddress: string): void {
    this.set({ ...this.state, bindAddress, errors: {} });
  }

  setMode(mode: Mode): void {
    this.set({ ...this.state, mode, errors: {} });
  }

  setFlag(name: string, value: boolean): void {
    this.set({ ...this.state, flags: { ...this.state.flags, [name]: value }, errors: {} });
  }

  get running(): boolean {
    return this.state.phase === 'running';
  }

  /** A server not stopped, or a log with lines: a reload would lose them. */
  hasUnsavedWork(): boolean {
    return this.state.phase !== 'stopped' || this.log.hasRows;
  }

  async start(): Promise<boolean> {
    if (this.state.phase !== 'stopped') return false;
    if (!this.beforeStart()) return false;
    const link = this.link.parse();
    if (!link.ok) return false;
    const port = parsePortField(this.state.port, true);
    if (!port.ok) {
      this.set({ ...this.state, errors: { port: controlError(port.message) } });
      return false;
    }
    this.set({ ...this.state, phase: 'starting', errors: {}, counters: undefined, omittedEntries: 0 });
    this.clients.clear();
    try {
      const started = await this.startServer(port.port, this.state.bindAddress, this.state.mode, link.link);
      this.link.started(link.link);
      this.set({
        ...this.state,
        phase: 'running',
        serverId: started.serverId,
        local: started.local,
        warning: started.warning,
      });
      this.lastServerId = started.serverId;
      for (const event of this.early.splice(0)) this.handleLog(event);
      return true;
    } catch (error) {
      const { control, error: shown } = placeError<ServerControl>(error, 'start', {
        ...placement,
        codes: serverCodes,
        typed: { port: this.state.port },
      });
      this.log.append({ direction: 'system', tone: 'error', note: `could not start: ${shown.message}` });
      this.early.length = 0;
      const placedElsewhere = this.placeStartError(error);
      this.set({ ...this.state, phase: 'stopped', errors: placedElsewhere ? {} : { [control]: shown } });
      return false;
    }
  }

  async stop(): Promise<void> {
    const { serverId } = this.state;
    if (this.state.phase !== 'running' || !serverId) return;
    this.set({ ...this.state, phase: 'stopping', errors: {} });
    try {
      await this.stopServer(serverId);
      this.stopped();
    } catch (error) {
      this.set({ ...this.state, phase: 'running', errors: { stop: placeError(error, 'stop').error } });
    }
  }

  handleLog(event: ServerLogEvent<Entry, Counters>): void {
    if (this.state.phase === 'starting') {
      // The log may overtake the start call's answer; it is shown once the server's id is known.
      this.early.push(event);
      return;
    }
    // The last server's id too: its final lines may come just after the stop call's answer.
    if (event.serverId !== this.state.serverId && event.serverId !== this.lastServerId) return;
    const inputs = event.entries.flatMap((entry) => this.logInputs(entry));
    const newlyOmitted = event.omittedEntries - this.state.omittedEntries;
    if (newlyOmitted > 0) {
      inputs.push({
        direction: 'system',
        tone: 'warn',
        note: `${plural(newlyOmitted, 'log line')} left out: too many at once (the counters still count them)`,
      });
    }
    this.log.append(...inputs);
    const stoppedByError = event.entries.some((entry) => isStoppedByError(entry));
    this.set({ ...this.state, counters: event.counters, omittedEntries: event.omittedEntries });
    if (stoppedByError) this.stopped();
  }

  /** The Node side closed this server along with the app's link to it. */
  connectionLost(): void {
    if (this.state.phase === 'stopped') return;
    this.log.append({
      direction: 'system',
      tone: 'error',
      note: 'the app lost its link to its Node side, which stopped this server; start it again once it is back',
    });
    this.stopped();
  }

  dispose(): void {
    const { serverId } = this.state;
    if (serverId && this.state.phase === 'running') this.stopServer(serverId).catch(() => {});
  }

  protected listeningNote(local: SocketAddress): string {
    return `${this.protocol === 'TCP' ? 'welcoming socket listening on' : 'socket bound to'} ${formatSocketAddress(local)}`;
  }

  /** Who a connection's lines belong to: `c1 127.0.0.1:54321`. */
  protected party(connectionId: string): string {
    const client = this.clients.get(connectionId);
    return client ? `${connectionId} ${formatSocketAddress(client)}` : connectionId;
  }

  /** The line for a connection accepted; from here on its lines name the client. */
  protected acceptedLine(
    base: LogStamp,
    entry: Pick<AcceptedEntry, 'connectionId' | 'client'>,
    note: string,
  ): TranscriptInput {
    this.clients.set(entry.connectionId, entry.client);
    return { ...base, direction: 'system', tone: 'ok', party: this.party(entry.connectionId), note };
  }

  /** The connection's bytes each way, decoded as one text until it closes. */
  protected streamKey(connectionId: string, way: 'in' | 'out'): string {
    return `${connectionId}:${way}`;
  }

  /**
   * The line for a connection closed: `how`, then the error if it failed (an error line if
   * reset or failed). Ends the connection's two streams.
   */
  protected closedLine(
    base: LogStamp,
    entry: { readonly connectionId: string; readonly by: string; readonly error?: { message: string } | undefined },
    how: string,
  ): TranscriptInput {
    this.log.endStream(this.streamKey(entry.connectionId, 'in'));
    this.log.endStream(this.streamKey(entry.connectionId, 'out'));
    const failed = entry.by === 'reset' || entry.by === 'error';
    const note = entry.error ? `${how}: ${entry.error.message}` : how;
    return {
      ...base,
      direction: 'system',
      tone: failed ? 'error' : 'info',
      party: this.party(entry.connectionId),
      note,
    };
  }

  /** An error the server reported, on the connection's line when it concerns one. */
  protected connectionErrorLine(base: LogStamp, entry: Pick<ErrorEntry, 'connectionId' | 'error'>): TranscriptInput {
    return errorLine(base, entry.connectionId ? this.party(entry.connectionId) : undefined, entry.error);
  }

  private stopped(): void {
    this.link.started(undefined);
    this.set({ ...this.state, phase: 'stopped', serverId: undefined, local: undefined, warning: undefined });
  }
}

function isStoppedByError(entry: unknown): boolean {
  const candidate = entry as { kind?: unknown; reason?: unknown };
  return candidate.kind === 'stopped' && candidate.reason === 'error';
}
