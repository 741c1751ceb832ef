import dgram from 'node:dgram';
import dnsPacket from 'dns-packet';
import { rcodeName } from '../../../shared/dns/types';
import type { DnsCacheEntry, DnsHop } from '../../../shared/dns/server/contract';
import type { SocketAddress } from '../../../shared/net/contract';
import { monoNow, roundMs } from '../../net/clock';
import type { Answered, DnsServer } from './session';

/**
 * The local recursive resolver of the course's figure: asked with RD=1, it walks the
 * hierarchy itself — root, then each referral's glue address — with RD=0 queries,
 * caches every record set for its TTL, and answers a second ask from the cache.
 */

const maxHops = 16;
const hopTimeoutMs = 2000;

interface Cached {
  answers: dnsPacket.Answer[];
  expiresMono: number;
  ttl: number;
}

export class Resolver {
  private readonly cache = new Map<string, Cached>();
  server: DnsServer | undefined;

  constructor(
    /** The root server's address; every server of the hierarchy listens on `root.port`. */
    private readonly root: SocketAddress,
    private readonly log: (
      entry: ({ kind: 'hop' } & DnsHop) | { kind: 'cache'; question: string; outcome: string },
    ) => void,
    private readonly cacheChanged: (entries: DnsCacheEntry[]) => void,
  ) {}

  entries(): DnsCacheEntry[] {
    const now = monoNow();
    return [...this.cache.entries()]
      .filter(([, c]) => c.expiresMono > now)
      .map(([key, c]) => ({
        key,
        ttl: c.ttl,
        expiresMono: c.expiresMono,
        records: c.answers.map((a) => `${a.name}. ${a.type} ${JSON.stringify((a as { data?: unknown }).data)}`),
      }));
  }

  private remember(key: string, answers: dnsPacket.Answer[]): void {
    if (answers.length === 0) return;
    const ttl = Math.min(...answers.map((a) => (a as { ttl?: number }).ttl ?? 0));
    if (ttl <= 0) return;
    this.cache.set(key, { answers, ttl, expiresMono: monoNow() + ttl * 1000 });
    if (this.cache.size > 10_000) this.cache.delete(this.cache.keys().next().value!);
    this.cacheChanged(this.entries());
  }

  private fromCache(key: string): dnsPacket.Answer[] | undefined {
    const hit = this.cache.get(key);
    if (!hit) return undefined;
    const left = Math.floor((hit.expiresMono - monoNow()) / 1000);
    if (left <= 0) {
      this.cache.delete(key);
      return undefined;
    }
    return hit.answers.map((a) => ({ ...a, ttl: left }) as dnsPacket.Answer);
  }

  /** Answers one query from a stub (RD=1): from the cache, or by walking the hierarchy. */
  async respond(query: dnsPacket.DecodedPacket): Promise<Answered> {
    const q = query.questions?.[0];
    const flags = dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE;
    const base = { id: query.id ?? 0, type: 'response' as const, questions: q ? [q] : [] };
    if (!q) return { packet: { ...base, flags: flags | 1 }, summary: 'FORMERR' };
    const key = `${q.name.toLowerCase()} ${q.type}`;
    const cached = this.fromCache(key);
    if (cached) {
      this.log({
        kind: 'cache',
        question: key,
        outcome: `answered from the cache (${(cached[0] as { ttl?: number }).ttl ?? 0} s left)`,
      });
      return {
        packet: { ...base, flags, answers: cached },
        summary: `NOERROR from the cache, ${cached.length} answers`,
        fromCache: true,
      };
    }
    const walk: DnsHop[] = [];
    const walked = await this.walk(q.name.toLowerCase(), q.type, walk);
    if (walked.rcode === 0) this.remember(key, walked.answers);
    return {
      packet: { ...base, flags: flags | walked.rcode, answers: walked.answers, authorities: walked.authorities },
      summary: `${rcodeName(walked.rcode)} after ${walked.hops} hops`,
      walk,
    };
  }

  /** Walks from the root; each hop is logged and added to `walk`. */
  private async walk(
    name: string,
    type: string,
    walk: DnsHop[],
  ): Promise<{ rcode: number; answers: dnsPacket.Answer[]; authorities: dnsPacket.Answer[]; hops: number }> {
    let server = this.root;
    const answers: dnsPacket.Answer[] = [];
    let qname = name;
    const logHop = (entry: DnsHop) => {
      walk.push(entry);
      this.log({ kind: 'hop', ...entry });
    };
    for (let hop = 1; hop <= maxHops; hop++) {
      const question = `${qname}. ${type}`;
      const started = monoNow();
      const reply = await this.ask(server, qname, type);
      const rttMs = roundMs(monoNow() - started);
      if (!reply) {
        logHop({ server, question, outcome: `no reply within ${hopTimeoutMs / 1000} s` });
        return { rcode: 2, answers, authorities: [], hops: hop };
      }
      const rcode = (reply.flags ?? 0) & 0xf;
      if (reply.answers && reply.answers.length > 0) {
        answers.push(...reply.answers);
        const last = reply.answers[reply.answers.length - 1]!;
        logHop({ server, question, rttMs, outcome: `answer: ${reply.answers.length} record(s)` });
        if (last.type === 'CNAME' && type !== 'CNAME' && !reply.answers.some((a) => a.type === type)) {
          qname = String(dataOf(last)).toLowerCase();
          server = this.root;
          continue;
        }
        return { rcode: 0, answers, authorities: [], hops: hop };
      }
      const ns = (reply.authorities ?? []).filter((a) => a.type === 'NS');
      const glue = (reply.additionals ?? []).find((a) => a.type === 'A' && ns.some((n) => dataOf(n) === a.name));
      if (rcode === 0 && ns.length > 0 && glue) {
        logHop({
          server,
          question,
          rttMs,
          outcome: `referral to ${ns[0]!.name}. → ${String(dataOf(ns[0]!))}. at ${String(dataOf(glue))}`,
        });
        this.remember(`${ns[0]!.name} NS`, [...ns, glue]);
        server = { address: String(dataOf(glue)), family: 'IPv4', port: this.root.port };
        continue;
      }
      logHop({ server, question, rttMs, outcome: `${rcodeName(rcode)}, no answer` });
      return { rcode, answers, authorities: reply.authorities ?? [], hops: hop };
    }
    return { rcode: 2, answers, authorities: [], hops: maxHops };
  }

  private ask(server: SocketAddress, name: string, type: string): Promise<dnsPacket.DecodedPacket | undefined> {
    return new Promise((resolve) => {
      const socket = dgram.createSocket('udp4');
      const id = Math.floor(Math.random() * 0x10000);
      const timer = setTimeout(() => done(undefined), hopTimeoutMs);
      const done = (reply: dnsPacket.DecodedPacket | undefined) => {
        clearTimeout(timer);
        socket.close();
        resolve(reply);
      };
      socket.on('error', () => done(undefined));
      socket.on('message', (message, info) => {
        if (info.address !== server.address || info.port !== server.port) return;
        try {
          const reply = dnsPacket.decode(message);
          if (reply.id === id) done(reply);
        } catch {
          // not a DNS message: keep waiting until the deadline
        }
      });
      socket.send(
        dnsPacket.encode({ id, type: 'query', flags: 0, questions: [{ name, type: type as dnsPacket.RecordType }] }),
        server.port,
        server.address,
      );
    });
  }
}

function dataOf(answer: dnsPacket.Answer): unknown {
  return (answer as { data?: unknown }).data;
}
