import { className, formatTtl, opcodeName, rcodeMeaning, rcodeName, typeMeaning, typeName } from '../types';
import type { DnsDissection, DnsField, DnsHeader, DnsQuestion, DnsRecord, DnsSection } from './model';
import { type NameContext, readName } from './names';
import { readRdata } from './rdata';

const sectionTitles = { answer: 'Answer', authority: 'Authority', additional: 'Additional' } as const;

/**
 * Dissects a DNS message (RFC 1035 §4.1) byte by byte. Pure, never throws, never loops:
 * every step moves forward through the bytes or stops with a violation. What could be
 * read before a violation is still answered.
 */
export function dissectDns(bytes: Uint8Array): DnsDissection {
  const result: DnsDissection = {
    questions: [],
    answers: [],
    authorities: [],
    additionals: [],
    fields: [],
    pointers: [],
    violations: [],
    size: bytes.length,
  };
  try {
    dissectInto(bytes, result);
  } catch (error) {
    // A bug here must not take the UI down: report it like any other problem.
    result.violations.push({ code: 'truncated', offset: 0, message: `the dissector failed: ${String(error)}` });
  }
  result.fields.sort((a, b) => a.offset - b.offset);
  return result;
}

function dissectInto(bytes: Uint8Array, result: DnsDissection): void {
  const ctx: NameContext = { bytes, fields: result.fields, pointers: result.pointers, violations: result.violations };
  const u16 = (at: number) => (bytes[at]! << 8) | bytes[at + 1]!;
  const u32 = (at: number) =>
    ((bytes[at]! << 24) >>> 0) + (bytes[at + 1]! << 16) + (bytes[at + 2]! << 8) + bytes[at + 3]!;
  const push = (field: DnsField) => result.fields.push(field);

  if (bytes.length < 12) {
    result.violations.push({
      code: 'truncated',
      offset: bytes.length,
      message: `truncated: the message is ${bytes.length} bytes; the header alone is 12`,
    });
    return;
  }
  const flags = u16(2);
  const header: DnsHeader = {
    id: u16(0),
    qr: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    aa: (flags & 0x0400) !== 0,
    tc: (flags & 0x0200) !== 0,
    rd: (flags & 0x0100) !== 0,
    ra: (flags & 0x0080) !== 0,
    z: (flags & 0x0040) !== 0,
    ad: (flags & 0x0020) !== 0,
    cd: (flags & 0x0010) !== 0,
    rcode: flags & 0xf,
    qdcount: u16(4),
    ancount: u16(6),
    nscount: u16(8),
    arcount: u16(10),
  };
  result.header = header;
  const h = (id: string, name: string, offset: number, value: string, meaning?: string) =>
    push({
      id: `header.${id}`,
      section: 'header',
      group: 'Header',
      name,
      offset,
      length: 2,
      value,
      ...(meaning ? { meaning } : {}),
    });
  h(
    'id',
    'ID',
    0,
    `${header.id} (0x${header.id.toString(16).padStart(4, '0')})`,
    'chosen by the asker; the reply must carry the same ID',
  );
  const bits = [
    header.qr ? 'QR=1 response' : 'QR=0 query',
    `Opcode=${header.opcode} ${opcodeName(header.opcode)}`,
    header.aa ? 'AA' : '',
    header.tc ? 'TC' : '',
    header.rd ? 'RD' : '',
    header.ra ? 'RA' : '',
    header.z ? 'Z' : '',
    header.ad ? 'AD' : '',
    header.cd ? 'CD' : '',
    `RCODE=${header.rcode} ${rcodeName(header.rcode)}`,
  ].filter(Boolean);
  h('flags', 'Flags', 2, `0x${flags.toString(16).padStart(4, '0')}: ${bits.join(', ')}`, rcodeMeaning(header.rcode));
  h('qdcount', 'QDCOUNT', 4, String(header.qdcount), 'questions');
  h('ancount', 'ANCOUNT', 6, String(header.ancount), 'answer records');
  h('nscount', 'NSCOUNT', 8, String(header.nscount), 'authority records (e.g. NS referrals, the SOA)');
  h('arcount', 'ARCOUNT', 10, String(header.arcount), 'additional records (glue addresses, the EDNS OPT)');

  let pos = 12;
  const need = (at: number, n: number, what: string): boolean => {
    if (at + n <= bytes.length) return true;
    result.violations.push({
      code: 'truncated',
      offset: at,
      message: `truncated: the ${what} needs bytes ${at}–${at + n - 1} but the message ends at ${bytes.length}`,
    });
    return false;
  };
  const ranOut = (section: string, countName: string, count: number, found: number): void => {
    result.violations.push({
      code: 'count-larger-than-records',
      offset: pos,
      message: `${countName} says ${count} ${section} but the message ends after ${found}`,
    });
  };

  for (let i = 0; i < header.qdcount; i++) {
    if (pos >= bytes.length) return ranOut('questions', 'QDCOUNT', header.qdcount, i);
    const group = `Question ${i + 1}`;
    const start = pos;
    const name = readName(ctx, pos, { section: 'question', group, id: `question.${i}.name`, label: 'QNAME' });
    if (!name) return;
    pos += name.length;
    if (!need(pos, 4, `QTYPE and QCLASS of question ${i + 1}`)) return;
    const type = u16(pos);
    const klass = u16(pos + 2);
    push({
      id: `question.${i}.type`,
      section: 'question',
      group,
      name: 'QTYPE',
      offset: pos,
      length: 2,
      value: `${type} ${typeName(type)}`,
      ...meaningOf(type),
    });
    push({
      id: `question.${i}.class`,
      section: 'question',
      group,
      name: 'QCLASS',
      offset: pos + 2,
      length: 2,
      value: `${klass} ${className(klass)}`,
    });
    pos += 4;
    const question: DnsQuestion = { name, type, class: klass, offset: start, length: pos - start };
    result.questions.push(question);
  }

  const sections: ['answer' | 'authority' | 'additional', number, string, DnsRecord[]][] = [
    ['answer', header.ancount, 'ANCOUNT', result.answers],
    ['authority', header.nscount, 'NSCOUNT', result.authorities],
    ['additional', header.arcount, 'ARCOUNT', result.additionals],
  ];
  for (const [section, count, countName, list] of sections) {
    for (let i = 0; i < count; i++) {
      if (pos >= bytes.length) return ranOut(`${section} records`, countName, count, i);
      const record = readRecord(section, i);
      if (!record) return;
      list.push(record);
    }
  }
  if (pos < bytes.length) {
    result.violations.push({
      code: 'trailing-bytes',
      offset: pos,
      message: `${bytes.length - pos} trailing byte${bytes.length - pos === 1 ? '' : 's'} after the last record (offset ${pos}–${bytes.length - 1}) that no count announces`,
    });
    push({
      id: 'trailing',
      section: 'additional',
      group: 'Trailing bytes',
      name: 'trailing bytes',
      offset: pos,
      length: bytes.length - pos,
      value: `${bytes.length - pos} bytes no count announces`,
    });
  }

  function readRecord(section: 'answer' | 'authority' | 'additional', index: number): DnsRecord | undefined {
    const group = `${sectionTitles[section]} ${index + 1}`;
    const id = `${section}.${index}`;
    const start = pos;
    const name = readName(ctx, pos, { section, group, id: `${id}.name`, label: 'NAME' });
    if (!name) return undefined;
    pos += name.length;
    if (!need(pos, 10, `TYPE, CLASS, TTL and RDLENGTH of ${group.toLowerCase()}`)) return undefined;
    const type = u16(pos);
    const klass = u16(pos + 2);
    const ttl = u32(pos + 4);
    const rdlength = u16(pos + 8);
    const field = (key: string, fieldName: string, offset: number, length: number, value: string, meaning?: string) =>
      push({
        id: `${id}.${key}`,
        section: section as DnsSection,
        group,
        name: fieldName,
        offset,
        length,
        value,
        ...(meaning ? { meaning } : {}),
      });
    const isOpt = type === 41;
    field('type', 'TYPE', pos, 2, `${type} ${typeName(type)}`, typeMeaning(type));
    if (isOpt) {
      field(
        'class',
        'CLASS (UDP payload size)',
        pos + 2,
        2,
        `${klass} bytes`,
        'EDNS: the largest UDP reply the sender accepts',
      );
      field(
        'ttl',
        'TTL (extended RCODE, version, DO)',
        pos + 4,
        4,
        `ext-rcode ${ttl >>> 24}, version ${(ttl >>> 16) & 0xff}, DO=${(ttl & 0x8000) !== 0 ? 1 : 0}`,
      );
    } else {
      field('class', 'CLASS', pos + 2, 2, `${klass} ${className(klass)}`);
      field('ttl', 'TTL', pos + 4, 4, `${ttl} (${formatTtl(ttl)})`, 'how long the record may be cached');
    }
    field('rdlength', 'RDLENGTH', pos + 8, 2, String(rdlength), 'bytes of RDATA that follow');
    pos += 10;
    if (!need(pos, rdlength, `RDATA of ${group.toLowerCase()} (RDLENGTH ${rdlength})`)) return undefined;
    let fieldCount = 0;
    const rdata = readRdata({
      ctx,
      start: pos,
      rdlength,
      type,
      class: klass,
      ttl,
      field: (fieldName, offset, length, value, meaning) =>
        field(`rdata.${fieldCount++}`, fieldName, offset, length, value, meaning),
      place: (suffix, label) => ({ section, group, id: `${id}.${suffix}`, label }),
    });
    pos += rdlength;
    const record: DnsRecord = {
      section,
      index,
      name,
      type,
      class: klass,
      ttl,
      rdlength,
      rdata,
      offset: start,
      length: pos - start,
    };
    // A record whose RDATA broke a rule is still listed: RDLENGTH says where the next one starts.
    return record;
  }
}

function meaningOf(type: number): { meaning?: string } {
  const meaning = typeMeaning(type);
  return meaning ? { meaning } : {};
}
