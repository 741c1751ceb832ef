import type { Client } from '../../../shared/contract/client';
import type { ResponseOf } from '../../../shared/contract/index';
import type { DnsHop, DnsServerLogEntry } from '../../../shared/dns/server/contract';
import { randomQueryId } from '../../../shared/dns/query';
import { isCancelled } from '../../net/errors';
import type { Wait } from '../../net/session';
import { Store } from '../../net/store';
import { type TranscriptInput, TranscriptModel } from '../../transcript/model';
import { type BuiltDraft, buildDraft, initialDraft, type QueryDraft, sendable } from './draft';

export type QueryResult = ResponseOf<'dns.query'>;

/** How the local resolver found the reply just shown: its hops with their RTTs, or its cache. */
export interface ResolverWalk {
  readonly hops: readonly DnsHop[];
  readonly fromCache: boolean;
}

export interface DnsClientState {
  readonly draft: QueryDraft;
  /** The draft's bytes, or what is wrong with which field. */
  readonly built: BuiltDraft;
  /** The query on its way: its deadline counts down, Cancel stops the wait. */
  readonly waiting: Wait | undefined;
  /** The last exchange: what was sent to whom, and the reply if one came. */
  readonly result: QueryResult | undefined;
  /** When the reply came from the hierarchy's local resolver: how it got it. */
  readonly walk: ResolverWalk | undefined;
  /** The send failed (the server's name unknown, …); beside Send. */
  readonly error: string | undefined;
  /** The user cancelled the wait. */
  readonly cancelled: boolean;
  readonly selectedQuery: string | undefined;
  readonly selectedReply: string | undefined;
  /** One line per query sent in this lab, newest last: the trail of a step-by-step resolution. */
  readonly asked: readonly string[];
}

const maxAsked = 20;
const maxRecentReplies = 20;

/** A reply the local resolver logged, to find the walk behind the reply this client got. */
interface ResolverReply {
  readonly port: number;
  readonly transport: 'udp' | 'tcp';
  readonly id: number;
  readonly walk: ResolverWalk;
}

/**
 * The query builder and its last exchange: the fields as typed (nothing typed is lost),
 * the bytes they make, the send with its visible deadline and Cancel, the reply (the view
 * dissects it) and, for an ask to the local resolver, the hops it walked or its cache.
 */
export class DnsClientModel extends Store<DnsClientState> {
  /** Each query and reply as transcript rows, for the sequence diagram (the tool shows no transcript of its own). */
  readonly exchanges = new TranscriptModel();
  private abort: AbortController | undefined;
  private readonly recentReplies: ResolverReply[] = [];
  /** The system's resolver, until the user types another server. */
  private serverTyped = false;

  constructor(
    private readonly client: Client,
    private readonly now: () => number = Date.now,
  ) {
    const draft = initialDraft();
    super({
      draft,
      built: buildDraft(draft),
      waiting: undefined,
      result: undefined,
      walk: undefined,
      error: undefined,
      cancelled: false,
      selectedQuery: undefined,
      selectedReply: undefined,
      asked: [],
    });
  }

  /** Asks the Node side for the system's first resolver, the default server (`dns.getServers()`). */
  async useSystemResolver(): Promise<void> {
    try {
      const { servers } = await this.client.call('dns.servers', {});
      const first = servers[0]?.replace(/^\[(.*)\](:\d+)?$/, '$1').replace(/:53$/, '');
      if (first && !this.serverTyped) this.edit({ server: first });
    } catch {
      // keep 127.0.0.1
    }
  }

  edit(patch: Partial<QueryDraft>): void {
    const draft = { ...this.state.draft, ...patch };
    this.set({ ...this.state, draft, built: buildDraft(draft) });
  }

  /** The user typed the server or port: the system's resolver no longer replaces it. */
  editTarget(patch: Partial<Pick<QueryDraft, 'server' | 'port'>>): void {
    this.serverTyped = true;
    this.edit(patch);
  }

  setFlag(flag: keyof QueryDraft['flags'], on: boolean): void {
    this.edit({ flags: { ...this.state.draft.flags, [flag]: on } });
  }

  /** A new random ID, as a resolver picks one per query. */
  newId(): void {
    this.edit({ id: String(randomQueryId()) });
  }

  /** A server started or chosen in the server panel: the query goes there next. */
  target(host: string, port: number): void {
    this.editTarget({ server: host, port: String(port) });
  }

  selectQueryField(id: string | undefined): void {
    this.set({ ...this.state, selectedQuery: id });
  }

  selectReplyField(id: string | undefined): void {
    this.set({ ...this.state, selectedReply: id });
  }

  /** Sends the query as the draft stands (with `override`, e.g. the next server of a referral). */
  async send(override: Partial<QueryDraft> = {}): Promise<void> {
    if (this.state.waiting) return;
    if (Object.keys(override).length > 0) this.edit(override);
    const { draft, built } = this.state;
    if (!sendable(built)) return;
    const abort = new AbortController();
    this.abort = abort;
    const server = draft.server.trim();
    this.set({
      ...this.state,
      waiting: { startedAt: this.now(), timeoutMs: built.timeoutMs },
      error: undefined,
      cancelled: false,
    });
    try {
      const result = await this.client.call(
        'dns.query',
        {
          host: server,
          port: built.port,
          transport: draft.transport,
          data: built.bytes,
          timeoutMs: built.timeoutMs,
          retryTcp: draft.retryTcp,
        },
        { signal: abort.signal, timeoutMs: built.timeoutMs + 10_000 },
      );
      const line = result.reply
        ? `${server}:${built.port} answered in ${result.reply.rttMs.toFixed(1)} ms`
        : `${server}:${built.port}: ${result.noReply ?? 'no reply'}`;
      this.exchanges.append(...exchangeRows(result, built.bytes, `${server}:${built.port}`));
      this.set({
        ...this.state,
        result,
        walk: undefined,
        selectedReply: undefined,
        asked: [...this.state.asked, line].slice(-maxAsked),
      });
      this.matchWalk();
    } catch (error) {
      if (isCancelled(error)) this.set({ ...this.state, cancelled: true });
      else this.set({ ...this.state, error: error instanceof Error ? error.message : String(error) });
    } finally {
      if (this.abort === abort) this.abort = undefined;
      this.set({ ...this.state, waiting: undefined });
    }
  }

  /** Stops waiting for the reply; what was typed stays. */
  cancel(): void {
    this.abort?.abort();
  }

  /** The built-in servers' log: a reply of the local resolver may be the one this client is showing. */
  noteServerLog(entries: readonly DnsServerLogEntry[]): void {
    let added = false;
    for (const entry of entries) {
      if (entry.kind !== 'reply' || (!entry.walk && !entry.fromCache) || entry.data.length < 2) continue;
      this.recentReplies.push({
        port: entry.client.port,
        transport: entry.transport,
        id: (entry.data[0]! << 8) | entry.data[1]!,
        walk: { hops: entry.walk ?? [], fromCache: entry.fromCache === true },
      });
      added = true;
    }
    if (!added) return;
    this.recentReplies.splice(0, Math.max(0, this.recentReplies.length - maxRecentReplies));
    this.matchWalk();
  }

  /** The link to the Node side broke: the wait is over (the Node side closed the socket). */
  connectionLost(): void {
    this.abort?.abort();
  }

  dispose(): void {
    this.abort?.abort();
  }

  /** The resolver's reply to this client's last query (same local port, transport and ID), if logged. */
  private matchWalk(): void {
    const { result } = this.state;
    const attempt = result?.attempts.at(-1);
    const data = result?.reply?.data;
    if (!attempt?.local || !data || data.length < 2 || this.state.walk) return;
    const id = (data[0]! << 8) | data[1]!;
    const found = this.recentReplies.find(
      (r) => r.port === attempt.local!.port && r.transport === attempt.transport && r.id === id,
    );
    if (found) this.set({ ...this.state, walk: found.walk });
  }
}

export interface NameLookupState {
  readonly host: string;
  readonly busy: boolean;
  readonly result: ResponseOf<'dns.lookup'> | undefined;
  readonly error: string | undefined;
}

/** getaddrinfo as a program calls it (`dns.lookup`): hosts file, then DNS; every address in order. */
export class NameLookupModel extends Store<NameLookupState> {
  constructor(private readonly client: Client) {
    super({ host: 'localhost', busy: false, result: undefined, error: undefined });
  }

  setHost(host: string): void {
    this.set({ ...this.state, host, error: undefined });
  }

  async lookUp(): Promise<void> {
    if (this.state.busy) return;
    this.set({ ...this.state, busy: true, error: undefined });
    try {
      const result = await this.client.call('dns.lookup', { host: this.state.host });
      this.set({ ...this.state, busy: false, result });
    } catch (error) {
      this.set({ ...this.state, busy: false, result: undefined, error: messageOf(error) });
    }
  }
}

export interface ServiceLookupState {
  readonly service: string;
  readonly busy: boolean;
  readonly result: ResponseOf<'dns.service'> | undefined;
  readonly error: string | undefined;
}

/** getservbyname / getservbyport from the services file (or the built-in table, said so). */
export class ServiceLookupModel extends Store<ServiceLookupState> {
  constructor(private readonly client: Client) {
    super({ service: 'smtp', busy: false, result: undefined, error: undefined });
  }

  setService(service: string): void {
    this.set({ ...this.state, service, error: undefined });
  }

  async lookUp(): Promise<void> {
    if (this.state.busy) return;
    this.set({ ...this.state, busy: true, error: undefined });
    try {
      const result = await this.client.call('dns.service', { service: this.state.service });
      const error =
        result.entries.length === 0 ? `no service '${this.state.service.trim()}' in ${result.source}` : undefined;
      this.set({ ...this.state, busy: false, result, error });
    } catch (error) {
      this.set({ ...this.state, busy: false, result: undefined, error: messageOf(error) });
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * One query's attempts as rows: the reply arrives at the result's stamp (Node's monotonic
 * clock); each attempt was sent its own RTT before it ended, and a retry over TCP starts
 * where the truncated UDP attempt ended. An attempt without a reply has no RTT: it is
 * drawn at the stamp, followed by the "no reply" note.
 */
export function exchangeRows(result: QueryResult, query: Uint8Array, server: string): TranscriptInput[] {
  const rows: TranscriptInput[] = [];
  const end = result.mono;
  const rtts = result.attempts.map((attempt) => attempt.rttMs ?? 0);
  let sendAt = end - rtts.reduce((sum, rtt) => sum + rtt, 0);
  for (const [index, attempt] of result.attempts.entries()) {
    const seq = index + 1;
    rows.push({
      direction: 'client-to-server',
      mono: sendAt,
      at: result.at - (end - sendAt),
      data: query,
      size: attempt.sentBytes,
      seq,
      note: `query over ${attempt.transport.toUpperCase()} to ${server}`,
    });
    sendAt += rtts[index] ?? 0;
    const last = index === result.attempts.length - 1;
    if (attempt.rttMs !== undefined && (!last || result.reply)) {
      rows.push({
        direction: 'server-to-client',
        mono: sendAt,
        at: result.at - (end - sendAt),
        data: last ? result.reply?.data : undefined,
        seq,
        rttMs: attempt.rttMs,
        note: attempt.truncated ? 'reply truncated (TC=1)' : 'reply',
      });
    }
  }
  if (result.noReply) rows.push({ direction: 'system', mono: end, at: result.at, note: result.noReply, tone: 'warn' });
  return rows;
}
