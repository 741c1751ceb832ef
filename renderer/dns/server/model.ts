import type { Client } from '../../../shared/contract/client';
import type { EventPayloadOf, ResponseOf } from '../../../shared/contract/index';
import { isPlaygroundError } from '../../../shared/contract/errors';
import {
  defaultDnsServerPort,
  type DnsServerCounters,
  type DnsServerLogEntry,
} from '../../../shared/dns/server/contract';
import { parseZone, sampleZone, type ZoneError } from '../../../shared/dns/zone';
import { formatSocketAddress } from '../../net/format';
import { errorLine, listeningLines, stoppedLine } from '../../net/serverLog';
import { type ServerLogEvent, ServerModel, type StartedServer } from '../../net/serverModel';
import { Store } from '../../net/store';
import type { TranscriptInput, TranscriptOptions } from '../../transcript/model';

/** The DNS server has one way of working; the shared server model wants a mode. */
export type DnsServerMode = 'authoritative';

export interface ZoneState {
  readonly text: string;
  /** Every error at its line and column, as the zone stands. */
  readonly errors: readonly ZoneError[];
  /** What the Node side said about the zone when a start failed. */
  readonly startError: string | undefined;
}

/** The zone as typed, beside the shared server state, which has no zone. */
export class ZoneStore extends Store<ZoneState> {
  update(next: Partial<ZoneState>): void {
    this.set({ ...this.state, ...next });
  }
}

/** One cached record set of the local resolver, its expiry on this page's clock (performance.now()). */
export interface CachedSet {
  readonly key: string;
  readonly ttl: number;
  readonly expiresAt: number;
  readonly records: readonly string[];
}

export interface HierarchyState {
  readonly phase: 'stopped' | 'starting' | 'running' | 'stopping';
  readonly started: ResponseOf<'dnsHierarchy.start'> | undefined;
  readonly cache: readonly CachedSet[];
  readonly error: string | undefined;
}

type Role = { readonly label: string };

/**
 * The hierarchy of the course's figure (root, TLD, authoritative, and the local resolver),
 * and the resolver's cache, each set with when it expires so the view counts its TTL down.
 */
export class DnsHierarchyModel extends Store<HierarchyState> {
  /** serverId → who it is, for the log's lines. */
  readonly roles = new Map<string, Role>();

  constructor(
    private readonly client: Client,
    private readonly onStarted: (root: { address: string; port: number }) => void,
    private readonly now: () => number = () => performance.now(),
  ) {
    super({ phase: 'stopped', started: undefined, cache: [], error: undefined });
  }

  async start(): Promise<void> {
    if (this.state.phase !== 'stopped') return;
    this.set({ ...this.state, phase: 'starting', error: undefined, cache: [] });
    try {
      const started = await this.client.call('dnsHierarchy.start', {}, { timeoutMs: 15_000 });
      this.roles.clear();
      for (const s of started.servers) this.roles.set(s.serverId, { label: s.role });
      this.roles.set(started.resolver.serverId, { label: 'resolver' });
      this.set({ ...this.state, phase: 'running', started });
      this.onStarted(started.servers[0]!.local);
    } catch (error) {
      this.set({ ...this.state, phase: 'stopped', error: error instanceof Error ? error.message : String(error) });
    }
  }

  async stop(): Promise<void> {
    if (this.state.phase !== 'running') return;
    this.set({ ...this.state, phase: 'stopping' });
    try {
      await this.client.call('dnsHierarchy.stop', {}, { timeoutMs: 15_000 });
    } finally {
      this.stopped();
    }
  }

  /** The resolver's cache as it changed: expiries turned from the Node side's clock into this page's. */
  handleCache(event: EventPayloadOf<'dnsResolver.cache'>): void {
    if (this.state.started?.resolver.serverId !== event.serverId) return;
    const now = this.now();
    const cache = event.entries.map((e) => ({
      key: e.key,
      ttl: e.ttl,
      expiresAt: now + (e.expiresMono - event.mono),
      records: e.records,
    }));
    this.set({ ...this.state, cache });
  }

  /** Seconds left of a cached set's TTL now (0: expired, the next ask walks again). */
  secondsLeft(entry: CachedSet): number {
    return Math.max(0, Math.ceil((entry.expiresAt - this.now()) / 1000));
  }

  connectionLost(): void {
    if (this.state.phase !== 'stopped') this.stopped();
  }

  dispose(): void {
    if (this.state.phase === 'running') this.client.call('dnsHierarchy.stop', {}).catch(() => {});
  }

  private stopped(): void {
    this.set({ ...this.state, phase: 'stopped', started: undefined, cache: [] });
  }
}

/**
 * The built-in DNS server's panel: port, where it listens, the zone, Start/Stop, counters
 * and the log, where every query and reply appears with its bytes and who asked; the
 * hierarchy's servers write into the same log, each line named by its role.
 */
export class DnsServerModel extends ServerModel<DnsServerMode, DnsServerCounters, DnsServerLogEntry> {
  protected readonly protocol = 'UDP';
  readonly zone = new ZoneStore({ text: sampleZone, errors: [], startError: undefined });
  readonly hierarchy: DnsHierarchyModel;

  constructor(
    private readonly client: Client,
    /** Where queries should go next: the server just started, or the hierarchy's root. */
    private readonly onTarget: (host: string, port: number) => void,
    options?: TranscriptOptions,
  ) {
    super({ mode: 'authoritative', port: String(defaultDnsServerPort) }, options);
    // DNS messages are binary: their bytes read better as hex (the view can switch to text).
    this.log.setViewMode('hex');
    this.hierarchy = new DnsHierarchyModel(client, (root) => onTarget(root.address, root.port));
  }

  setZone(text: string): void {
    this.zone.update({ text, errors: parseZone(text).errors, startError: undefined });
  }

  /** The hierarchy's servers log here too, their lines named by role; anything else is the panel's own server. */
  override handleLog(event: ServerLogEvent<DnsServerLogEntry, DnsServerCounters>): void {
    const role = this.hierarchy.roles.get(event.serverId);
    if (!role) {
      super.handleLog(event);
      return;
    }
    this.log.append(...event.entries.flatMap((entry) => this.linesOf(entry, role.label)));
  }

  override connectionLost(): void {
    super.connectionLost();
    this.hierarchy.connectionLost();
  }

  override dispose(): void {
    super.dispose();
    this.hierarchy.dispose();
  }

  protected override beforeStart(): boolean {
    const errors = parseZone(this.zone.state.text).errors;
    this.zone.update({ errors, startError: undefined });
    return errors.length === 0;
  }

  /** A zone the Node side refused belongs under the Zone field. */
  protected override placeStartError(error: unknown): boolean {
    if (!isPlaygroundError(error) || error.code !== 'E_BAD_ZONE') return false;
    this.zone.update({ startError: error.message });
    return true;
  }

  protected async startServer(port: number, bindAddress: string): Promise<StartedServer> {
    const started = await this.client.call(
      'dnsServer.start',
      { port, bindAddress, zone: this.zone.state.text },
      { timeoutMs: 15_000 },
    );
    const host =
      started.local.address === '0.0.0.0'
        ? '127.0.0.1'
        : started.local.address === '::'
          ? '::1'
          : started.local.address;
    this.onTarget(host, started.local.port);
    return started;
  }

  protected stopServer(serverId: string): Promise<unknown> {
    return this.client.call('dnsServer.stop', { serverId }, { timeoutMs: 15_000 });
  }

  protected logInputs(entry: DnsServerLogEntry): TranscriptInput[] {
    return this.linesOf(entry, undefined);
  }

  /** One log entry as transcript lines; `role` names a hierarchy server's lines. */
  private linesOf(entry: DnsServerLogEntry, role: string | undefined): TranscriptInput[] {
    const base = { at: entry.at, mono: entry.mono };
    const who = (address: string) => (role ? `${role} · ${address}` : address);
    switch (entry.kind) {
      case 'listening':
        return listeningLines(
          base,
          `${role ? `${role}: ` : ''}listening on ${formatSocketAddress(entry.local)} (UDP and TCP), ${entry.role}`,
          entry.warning,
        );
      case 'query':
        return [
          {
            ...base,
            direction: 'client-to-server',
            party: who(formatSocketAddress(entry.client)),
            data: entry.data,
            size: entry.bytes,
            note: `${entry.transport.toUpperCase()} query: ${entry.summary}`,
          },
        ];
      case 'reply': {
        const how = entry.fromCache ? ' (from the cache)' : entry.walk ? ` (${entry.walk.length} hops)` : '';
        return [
          {
            ...base,
            direction: 'server-to-client',
            party: who(formatSocketAddress(entry.client)),
            data: entry.data,
            size: entry.bytes,
            note: `reply: ${entry.summary}${how}`,
          },
        ];
      }
      case 'hop':
        return [
          {
            ...base,
            direction: 'system',
            party: role,
            rttMs: entry.rttMs,
            note: `hop → ${formatSocketAddress(entry.server)} ${entry.question}: ${entry.outcome}`,
          },
        ];
      case 'cache':
        return [
          { ...base, direction: 'system', tone: 'ok', party: role, note: `cache: ${entry.question}: ${entry.outcome}` },
        ];
      case 'error':
        return [errorLine(base, role, entry.error)];
      case 'stopped':
        return [{ ...stoppedLine(base, entry.reason, 'the server stopped'), party: role }];
    }
  }
}
