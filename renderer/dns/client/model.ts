import type { DnsDissection } from '../../../shared/dns/dissect';
import { buildQuery, type DnsFlags, queryFlags, randomQueryId } from '../../../shared/dns/query';
import { parseType } from '../../../shared/dns/types';

/** What the user typed into the query builder; nothing typed is ever thrown away. */
export interface QueryDraft {
  name: string;
  server: string;
  port: string;
  type: string;
  id: string;
  flags: DnsFlags;
  edns: boolean;
  transport: 'udp' | 'tcp';
  retryTcp: boolean;
  timeoutSeconds: string;
}

export function initialDraft(server = '127.0.0.1'): QueryDraft {
  return {
    name: 'example.lab',
    server,
    port: '53',
    type: 'A',
    id: String(randomQueryId()),
    flags: { ...queryFlags },
    edns: false,
    transport: 'udp',
    retryTcp: true,
    timeoutSeconds: '3',
  };
}

export type DraftErrors = Partial<Record<'name' | 'server' | 'port' | 'type' | 'id' | 'timeout', string>>;

export interface BuiltDraft {
  bytes?: Uint8Array;
  ascii?: string;
  unicode?: string;
  errors: DraftErrors;
  port: number;
  timeoutMs: number;
}

/** The query's bytes as the draft stands, or a message beside each field that is wrong. */
export function buildDraft(draft: QueryDraft): BuiltDraft {
  const errors: DraftErrors = {};
  const port = Number(draft.port.trim());
  if (!/^\d+$/.test(draft.port.trim()) || port < 1 || port > 65535) {
    errors.port = 'port must be a whole number from 1 to 65535 (DNS servers listen on 53)';
  }
  if (draft.server.trim() === '') errors.server = 'server is empty: type an address such as 127.0.0.1';
  const type = parseType(draft.type);
  if (!type.ok) errors.type = type.message;
  const id = Number(draft.id.trim());
  if (!/^\d+$/.test(draft.id.trim()) || id > 65535) errors.id = 'ID must be a whole number from 0 to 65535';
  const seconds = Number(draft.timeoutSeconds);
  if (!(seconds > 0 && seconds <= 60)) errors.timeout = 'the deadline must be from 0.1 to 60 seconds';
  const built = buildQuery({
    id: errors.id ? 0 : id,
    flags: draft.flags,
    name: draft.name,
    type: type.ok ? type.value : 1,
    class: 1,
    edns: draft.edns ? { udpPayloadSize: 1232, dnssecOk: false } : undefined,
  });
  if (!built.ok) {
    if (built.field === 'name') errors.name = built.message;
    return { errors, port, timeoutMs: seconds * 1000 };
  }
  return {
    bytes: built.bytes,
    ascii: built.ascii,
    unicode: built.unicode,
    errors,
    port,
    timeoutMs: Math.round(seconds * 1000),
  };
}

/** A referral in a reply (no answer, NS in authority, glue in additional): where to ask next. */
export function referralOf(d: DnsDissection): { zone: string; ns: string; address: string } | undefined {
  if (!d.header || d.answers.length > 0 || d.header.rcode !== 0) return undefined;
  for (const ns of d.authorities) {
    if (ns.rdata.kind !== 'NS') continue;
    const target = ns.rdata.name.text.toLowerCase();
    const glue = d.additionals.find(
      (a) => a.name.text.toLowerCase() === target && (a.rdata.kind === 'A' || a.rdata.kind === 'AAAA'),
    );
    if (glue && (glue.rdata.kind === 'A' || glue.rdata.kind === 'AAAA')) {
      return { zone: ns.name.text, ns: ns.rdata.name.text, address: glue.rdata.address };
    }
  }
  return undefined;
}
