import type { DnsDissection } from '../../../shared/dns/dissect';
import { buildQuery, type DnsFlags, queryFlags, randomQueryId } from '../../../shared/dns/query';
import { parseClass, parseNibble, parseType } from '../../../shared/dns/types';

/** What the user typed into the query builder; nothing typed is ever thrown away. */
export interface QueryDraft {
  readonly name: string;
  readonly server: string;
  readonly port: string;
  readonly type: string;
  /** IN, CH, HS, ANY or a number. */
  readonly qclass: string;
  readonly id: string;
  /** The header's bits; Opcode and RCODE are typed (`opcode`, `rcode`) and put in here when valid. */
  readonly flags: Omit<DnsFlags, 'opcode' | 'rcode'>;
  /** A name (QUERY, STATUS, NOTIFY…) or a number 0–15. */
  readonly opcode: string;
  /** A name (NOERROR, NXDOMAIN…) or a number 0–15; a query sends 0, a student may send any. */
  readonly rcode: string;
  readonly edns: boolean;
  readonly transport: 'udp' | 'tcp';
  readonly retryTcp: boolean;
  readonly timeoutSeconds: string;
}

export function initialDraft(server = '127.0.0.1'): QueryDraft {
  const { opcode: _opcode, rcode: _rcode, ...flags } = queryFlags;
  return {
    name: 'example.lab',
    server,
    port: '53',
    type: 'A',
    qclass: 'IN',
    id: String(randomQueryId()),
    flags,
    opcode: 'QUERY',
    rcode: 'NOERROR',
    edns: false,
    transport: 'udp',
    retryTcp: true,
    timeoutSeconds: '3',
  };
}

export type DraftField = 'name' | 'server' | 'port' | 'type' | 'qclass' | 'id' | 'opcode' | 'rcode' | 'timeout';
export type DraftErrors = Partial<Record<DraftField, string>>;

export interface BuiltDraft {
  readonly bytes?: Uint8Array;
  readonly ascii?: string;
  readonly unicode?: string;
  readonly errors: DraftErrors;
  readonly port: number;
  readonly timeoutMs: number;
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
  const qclass = parseClass(draft.qclass);
  if (!qclass.ok) errors.qclass = qclass.message;
  const opcode = parseNibble(draft.opcode, 'Opcode');
  if (!opcode.ok) errors.opcode = opcode.message;
  const rcode = parseNibble(draft.rcode, 'RCODE');
  if (!rcode.ok) errors.rcode = rcode.message;
  const id = Number(draft.id.trim());
  if (!/^\d+$/.test(draft.id.trim()) || id > 65535) errors.id = 'ID must be a whole number from 0 to 65535';
  const seconds = Number(draft.timeoutSeconds);
  if (!(seconds > 0 && seconds <= 60)) errors.timeout = 'the deadline must be from 0.1 to 60 seconds';
  const built = buildQuery({
    id: errors.id ? 0 : id,
    flags: { ...draft.flags, opcode: opcode.ok ? opcode.value : 0, rcode: rcode.ok ? rcode.value : 0 },
    name: draft.name,
    type: type.ok ? type.value : 1,
    class: qclass.ok ? qclass.value : 1,
    edns: draft.edns ? { udpPayloadSize: 1232, dnssecOk: false } : undefined,
  });
  const timeoutMs = Math.round(seconds * 1000);
  if (!built.ok) {
    if (built.field === 'name') errors.name = built.message;
    return { errors, port, timeoutMs };
  }
  return { bytes: built.bytes, ascii: built.ascii, unicode: built.unicode, errors, port, timeoutMs };
}

/** The draft can be sent: it has bytes and no field is wrong. */
export function sendable(built: BuiltDraft): built is BuiltDraft & { bytes: Uint8Array } {
  return built.bytes !== undefined && Object.keys(built.errors).length === 0;
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
