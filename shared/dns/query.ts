import { toAsciiName } from './idna';

/**
 * Builds a DNS query byte by byte (RFC 1035 §4.1): the 12-byte header with every flag
 * bit the user set, one question, and optionally the EDNS OPT record (RFC 6891) that
 * dig adds. Names are written as length-prefixed labels, never compressed.
 */

export interface DnsFlags {
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  z: boolean;
  ad: boolean;
  cd: boolean;
  rcode: number;
}

export const queryFlags: DnsFlags = {
  qr: false,
  opcode: 0,
  aa: false,
  tc: false,
  rd: true,
  ra: false,
  z: false,
  ad: false,
  cd: false,
  rcode: 0,
};

export interface QuerySpec {
  id: number;
  flags: DnsFlags;
  name: string;
  type: number;
  class: number;
  /** Adds an OPT record: the UDP payload size the asker accepts, and the DNSSEC OK bit. */
  edns?: { udpPayloadSize: number; dnssecOk: boolean } | undefined;
}

export type NameEncoding =
  { ok: true; bytes: Uint8Array; ascii: string; unicode: string } | { ok: false; message: string };

/**
 * A name as length-prefixed labels ending in the root's zero byte. Non-ASCII names go
 * through IDNA first. Refuses empty labels, labels over 63 bytes and names over 255.
 */
export function encodeName(typed: string): NameEncoding {
  const name = typed.trim();
  if (name === '') return { ok: false, message: 'name is empty: type a name such as example.com (or . for the root)' };
  if (/\s/.test(name)) return { ok: false, message: 'a name has no spaces' };
  const idna = toAsciiName(name);
  if (!idna.ok) return idna;
  const ascii = idna.ascii;
  if (ascii === '.') return { ok: true, bytes: new Uint8Array([0]), ascii, unicode: '.' };
  const body = ascii.endsWith('.') ? ascii.slice(0, -1) : ascii;
  const labels = body.split('.');
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  let total = 1;
  for (const [i, label] of labels.entries()) {
    if (label === '') {
      return {
        ok: false,
        message: `empty label ${i === 0 ? 'at the start' : `after '${labels.slice(0, i).join('.')}'`}: two dots in a row or a leading dot`,
      };
    }
    const bytes = encoder.encode(label);
    if (bytes.length > 63) {
      return {
        ok: false,
        message: `label '${label.slice(0, 20)}…' is ${bytes.length} bytes; a label may have at most 63`,
      };
    }
    parts.push(bytes);
    total += bytes.length + 1;
  }
  if (total > 255) return { ok: false, message: `the name is ${total} bytes on the wire; a name may have at most 255` };
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out[at++] = part.length;
    out.set(part, at);
    at += part.length;
  }
  out[at] = 0;
  return { ok: true, bytes: out, ascii, unicode: idna.unicode };
}

export function flagsWord(flags: DnsFlags): number {
  return (
    (flags.qr ? 0x8000 : 0) |
    ((flags.opcode & 0xf) << 11) |
    (flags.aa ? 0x0400 : 0) |
    (flags.tc ? 0x0200 : 0) |
    (flags.rd ? 0x0100 : 0) |
    (flags.ra ? 0x0080 : 0) |
    (flags.z ? 0x0040 : 0) |
    (flags.ad ? 0x0020 : 0) |
    (flags.cd ? 0x0010 : 0) |
    (flags.rcode & 0xf)
  );
}

export type QueryResult =
  | { ok: true; bytes: Uint8Array; ascii: string; unicode: string }
  | { ok: false; field: 'name' | 'type' | 'class' | 'id' | 'edns'; message: string };

export function buildQuery(spec: QuerySpec): QueryResult {
  if (!Number.isInteger(spec.id) || spec.id < 0 || spec.id > 0xffff) {
    return { ok: false, field: 'id', message: 'ID must be a whole number from 0 to 65535' };
  }
  if (!Number.isInteger(spec.type) || spec.type < 1 || spec.type > 0xffff) {
    return { ok: false, field: 'type', message: 'type must be a number from 1 to 65535' };
  }
  if (!Number.isInteger(spec.class) || spec.class < 1 || spec.class > 0xffff) {
    return { ok: false, field: 'class', message: 'class must be a number from 1 to 65535 (IN is 1)' };
  }
  if (spec.edns && (spec.edns.udpPayloadSize < 512 || spec.edns.udpPayloadSize > 65535)) {
    return { ok: false, field: 'edns', message: 'the EDNS UDP payload size must be from 512 to 65535' };
  }
  const name = encodeName(spec.name);
  if (!name.ok) return { ok: false, field: 'name', message: name.message };
  const size = 12 + name.bytes.length + 4 + (spec.edns ? 11 : 0);
  const out = new Uint8Array(size);
  const u16 = (at: number, v: number) => {
    out[at] = v >> 8;
    out[at + 1] = v & 0xff;
  };
  u16(0, spec.id);
  u16(2, flagsWord(spec.flags));
  u16(4, 1);
  u16(10, spec.edns ? 1 : 0);
  out.set(name.bytes, 12);
  let at = 12 + name.bytes.length;
  u16(at, spec.type);
  u16(at + 2, spec.class);
  at += 4;
  if (spec.edns) {
    out[at] = 0; // root name
    u16(at + 1, 41);
    u16(at + 3, spec.edns.udpPayloadSize);
    // TTL: extended RCODE 0, version 0, DO bit, Z 0
    u16(at + 7, spec.edns.dnssecOk ? 0x8000 : 0);
    u16(at + 9, 0);
  }
  return { ok: true, bytes: out, ascii: name.ascii, unicode: name.unicode };
}

/** A random query ID, as a resolver picks one (guessable IDs invite spoofed replies). */
export function randomQueryId(random: () => number = Math.random): number {
  return Math.floor(random() * 0x10000) & 0xffff;
}
