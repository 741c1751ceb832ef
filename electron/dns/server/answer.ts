import dnsPacket from 'dns-packet';
import type { Zone, ZoneRecord } from '../../../shared/dns/zone';

/**
 * How an authoritative server answers from its zone (RFC 1034 §4.3.2): the records of
 * the name and type with AA set; a CNAME followed inside the zone; a referral (NS in
 * authority, glue addresses in additional, AA clear) for a delegated subzone; NXDOMAIN
 * with the SOA for a name that does not exist; REFUSED for a name outside the zone.
 */

const maxCnameHops = 8;

export interface ZoneIndex {
  origin: string;
  byName: Map<string, ZoneRecord[]>;
  soa: ZoneRecord | undefined;
}

export function indexZone(zone: Zone): ZoneIndex {
  const byName = new Map<string, ZoneRecord[]>();
  for (const r of zone.records) {
    const list = byName.get(r.name) ?? [];
    list.push(r);
    byName.set(r.name, list);
  }
  return { origin: zone.origin, byName, soa: zone.records.find((r) => r.type === 'SOA') };
}

function bare(name: string): string {
  return name === '.' ? '.' : name.replace(/\.$/, '');
}

function inZone(name: string, origin: string): boolean {
  return origin === '.' || name === origin || name.endsWith(`.${origin}`);
}

export function toAnswer(r: ZoneRecord): dnsPacket.Answer {
  const base = { name: bare(r.name), ttl: r.ttl, class: 'IN' as const };
  switch (r.type) {
    case 'A':
    case 'AAAA':
      return { ...base, type: r.type, data: r.address };
    case 'NS':
    case 'CNAME':
      return { ...base, type: r.type, data: bare(r.target) };
    case 'MX':
      return { ...base, type: 'MX', data: { preference: r.preference, exchange: bare(r.exchange) } };
    case 'TXT':
      return { ...base, type: 'TXT', data: r.strings };
    case 'SOA':
      return {
        ...base,
        type: 'SOA',
        data: {
          mname: bare(r.mname),
          rname: bare(r.rname),
          serial: r.serial,
          refresh: r.refresh,
          retry: r.retry,
          expire: r.expire,
          minimum: r.minimum,
        },
      };
  }
}

export interface Answered {
  packet: dnsPacket.Packet;
  /** For the log: `NOERROR, AA, 2 answers`, `referral to lab.`, `REFUSED (outside example.lab.)`. */
  summary: string;
}

/** The reply to one decoded query. */
export function answerQuery(zone: ZoneIndex, query: dnsPacket.DecodedPacket): Answered {
  const question = query.questions?.[0];
  const rd = ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED) !== 0;
  const reply = (flags: number, rcode: number, parts: Partial<dnsPacket.Packet>): dnsPacket.Packet => ({
    id: query.id ?? 0,
    type: 'response',
    flags: flags | (rd ? dnsPacket.RECURSION_DESIRED : 0) | rcode,
    questions: question ? [question] : [],
    ...parts,
  });
  if (!question || (query.questions?.length ?? 0) !== 1) {
    return { packet: reply(0, 1, {}), summary: 'FORMERR (a query has exactly one question)' };
  }
  const qname = question.name === '.' ? '.' : `${question.name.toLowerCase()}.`;
  const qtype = question.type as string;
  if (!inZone(qname, zone.origin)) {
    return { packet: reply(0, 5, {}), summary: `REFUSED (${qname} is outside ${zone.origin})` };
  }
  // A delegation between the apex and the name: answer with a referral.
  const labels = qname === '.' ? [] : qname.slice(0, -1).split('.');
  for (let i = labels.length - 1; i >= 0; i--) {
    const cut = labels.slice(i).join('.') + '.';
    if (cut === zone.origin || !inZone(cut, zone.origin)) continue;
    const ns = (zone.byName.get(cut) ?? []).filter((r) => r.type === 'NS');
    if (ns.length === 0) continue;
    const glue = ns.flatMap((r) =>
      (zone.byName.get(r.type === 'NS' ? r.target : '') ?? []).filter((g) => g.type === 'A' || g.type === 'AAAA'),
    );
    return {
      packet: reply(0, 0, { authorities: ns.map(toAnswer), additionals: glue.map(toAnswer) }),
      summary: `referral to ${cut} (${ns.length} NS, ${glue.length} glue)`,
    };
  }
  const answers: dnsPacket.Answer[] = [];
  let name = qname;
  for (let hop = 0; hop <= maxCnameHops; hop++) {
    const records = zone.byName.get(name);
    if (!records) {
      if (hop > 0) break; // the CNAME's target has nothing here: the answer is the chain so far
      const exists = [...zone.byName.keys()].some((n) => n.endsWith(`.${name}`));
      const soa = zone.soa ? [{ ...toAnswer(zone.soa), ttl: Math.min(zone.soa.ttl, soaMinimum(zone.soa)) }] : [];
      if (exists)
        return {
          packet: reply(dnsPacket.AUTHORITATIVE_ANSWER, 0, { authorities: soa }),
          summary: 'NOERROR, AA, no data (empty non-terminal)',
        };
      return {
        packet: reply(dnsPacket.AUTHORITATIVE_ANSWER, 3, { authorities: soa }),
        summary: `NXDOMAIN, AA (${name} does not exist)`,
      };
    }
    const matching = records.filter((r) => r.type === qtype || qtype === 'ANY');
    if (matching.length > 0) {
      answers.push(...matching.map(toAnswer));
      break;
    }
    const cname = records.find((r) => r.type === 'CNAME');
    if (!cname) break;
    answers.push(toAnswer(cname));
    name = cname.type === 'CNAME' ? cname.target : name;
    if (!inZone(name, zone.origin)) break;
  }
  const authorities =
    answers.length === 0 && zone.soa
      ? [{ ...toAnswer(zone.soa), ttl: Math.min(zone.soa.ttl, soaMinimum(zone.soa)) }]
      : [];
  return {
    packet: reply(dnsPacket.AUTHORITATIVE_ANSWER, 0, { answers, authorities }),
    summary:
      answers.length === 0
        ? 'NOERROR, AA, no data'
        : `NOERROR, AA, ${answers.length} answer${answers.length === 1 ? '' : 's'}`,
  };
}

function soaMinimum(soa: ZoneRecord): number {
  return soa.type === 'SOA' ? soa.minimum : soa.ttl;
}

/** The UDP payload size the asker accepts: EDNS's, else 512 (RFC 1035). */
export function udpLimit(query: dnsPacket.DecodedPacket): number {
  const opt = query.additionals?.find((a) => a.type === 'OPT') as { udpPayloadSize?: number } | undefined;
  return Math.max(512, opt?.udpPayloadSize ?? 512);
}

/** Encodes a reply; over UDP one that does not fit is cut to its question with TC=1 (RFC 2181 §9). */
export function encodeReply(packet: dnsPacket.Packet, limit: number | undefined): Buffer {
  const full = dnsPacket.encode(packet);
  if (limit === undefined || full.length <= limit) return full;
  return dnsPacket.encode({
    ...packet,
    flags: (packet.flags ?? 0) | dnsPacket.TRUNCATED_RESPONSE,
    answers: [],
    authorities: [],
    additionals: [],
  });
}

/** A minimal FORMERR for bytes that are not a query: the ID echoed when there is one. */
export function formErr(bytes: Uint8Array): Buffer | undefined {
  if (bytes.length < 2) return undefined;
  return dnsPacket.encode({ id: (bytes[0]! << 8) | bytes[1]!, type: 'response', flags: 1, questions: [] });
}
