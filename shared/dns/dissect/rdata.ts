import { hex as toHex } from './hex';
import type { DnsName, DnsRdata, DnsViolation } from './model';
import { type FieldPlace, type NameContext, readName } from './names';

/** An IPv6 address in RFC 5952 form (the longest run of zero groups as `::`). */
export function formatIPv6(b: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((b[i]! << 8) | b[i + 1]!);
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i > 1) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hexes = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hexes.join(':');
  return `${hexes.slice(0, bestStart).join(':')}::${hexes.slice(bestStart + bestLen).join(':')}`;
}

export interface RdataPlace {
  ctx: NameContext;
  start: number;
  rdlength: number;
  type: number;
  class: number;
  ttl: number;
  field: (name: string, offset: number, length: number, value: string, meaning?: string) => void;
  place: (suffix: string, label: string) => FieldPlace;
}

/**
 * Decodes RDATA of the types the app explains; anything else (or RDATA whose length does
 * not fit its type) as hex, with a violation saying what did not fit.
 */
export function readRdata(p: RdataPlace): DnsRdata {
  const { ctx, start, rdlength, type } = p;
  const bytes = ctx.bytes;
  const end = start + rdlength;
  const u16 = (at: number) => (bytes[at]! << 8) | bytes[at + 1]!;
  const u32 = (at: number) =>
    ((bytes[at]! << 24) >>> 0) + (bytes[at + 1]! << 16) + (bytes[at + 2]! << 8) + bytes[at + 3]!;
  const asHex = (problem?: string): DnsRdata => {
    if (problem) ctx.violations.push({ code: 'rdata-length', offset: start, message: problem });
    if (rdlength > 0) p.field('RDATA', start, rdlength, toHex(bytes.subarray(start, end)));
    return { kind: 'hex', hex: toHex(bytes.subarray(start, end)) };
  };
  // Reads a name that must end within the RDATA.
  const name = (at: number, suffix: string, label: string): DnsName | undefined => {
    const before = ctx.violations.length;
    const n = readName(ctx, at, p.place(suffix, label));
    if (n && at + n.length > end) {
      ctx.violations.push(overrun(at, label));
      return undefined;
    }
    return ctx.violations.length > before ? undefined : n;
  };
  const overrun = (at: number, what: string): DnsViolation => ({
    code: 'rdata-length',
    offset: at,
    message: `the ${what} at offset ${at} runs past RDLENGTH ${rdlength} (RDATA ends at offset ${end})`,
  });
  const exact = (used: number, what: string): boolean => {
    if (used === end) return true;
    ctx.violations.push({
      code: 'rdata-length',
      offset: used,
      message: `RDLENGTH is ${rdlength} but the ${what} took ${used - start} bytes`,
    });
    return false;
  };
  switch (type) {
    case 1:
    case 28: {
      const size = type === 1 ? 4 : 16;
      if (rdlength !== size)
        return asHex(`an ${type === 1 ? 'A' : 'AAAA'} record's RDATA must be ${size} bytes, not ${rdlength}`);
      const raw = bytes.subarray(start, end);
      const address = type === 1 ? Array.from(raw).join('.') : formatIPv6(raw);
      p.field(type === 1 ? 'ADDRESS (IPv4)' : 'ADDRESS (IPv6)', start, size, address);
      return { kind: type === 1 ? 'A' : 'AAAA', address };
    }
    case 2:
    case 5:
    case 12: {
      const label = type === 2 ? 'NSDNAME' : type === 5 ? 'CNAME' : 'PTRDNAME';
      const n = name(start, 'rdata', label);
      if (!n || !exact(start + n.length, label)) return { kind: 'hex', hex: toHex(bytes.subarray(start, end)) };
      return { kind: type === 2 ? 'NS' : type === 5 ? 'CNAME' : 'PTR', name: n };
    }
    case 15: {
      if (rdlength < 3) return asHex(`an MX record's RDATA needs at least 3 bytes, not ${rdlength}`);
      const preference = u16(start);
      p.field('PREFERENCE', start, 2, String(preference), 'lower values are tried first');
      const exchange = name(start + 2, 'rdata.exchange', 'EXCHANGE');
      if (!exchange || !exact(start + 2 + exchange.length, 'EXCHANGE'))
        return { kind: 'hex', hex: toHex(bytes.subarray(start, end)) };
      return { kind: 'MX', preference, exchange };
    }
    case 16: {
      const strings: string[] = [];
      let at = start;
      const utf8 = new TextDecoder('utf-8');
      while (at < end) {
        const len = bytes[at]!;
        if (at + 1 + len > end) {
          ctx.violations.push(overrun(at, 'character-string'));
          return { kind: 'hex', hex: toHex(bytes.subarray(start, end)) };
        }
        const text = utf8.decode(bytes.subarray(at + 1, at + 1 + len));
        p.field('TXT string', at, len + 1, `${len} "${text}"`);
        strings.push(text);
        at += len + 1;
      }
      return { kind: 'TXT', strings };
    }
    case 6: {
      const mname = name(start, 'rdata.mname', 'MNAME');
      if (!mname) return { kind: 'hex', hex: toHex(bytes.subarray(start, end)) };
      const rname = name(start + mname.length, 'rdata.rname', 'RNAME');
      if (!rname) return { kind: 'hex', hex: toHex(bytes.subarray(start, end)) };
      let at = start + mname.length + rname.length;
      if (at + 20 > end) {
        ctx.violations.push(overrun(at, 'SOA timers'));
        return { kind: 'hex', hex: toHex(bytes.subarray(start, end)) };
      }
      const values: number[] = [];
      const labels: [string, string][] = [
        ['SERIAL', 'the zone’s version; secondaries copy the zone when it grows'],
        ['REFRESH', 'seconds between a secondary’s checks for a new serial'],
        ['RETRY', 'seconds before a secondary retries a failed refresh'],
        ['EXPIRE', 'seconds after which a secondary that cannot refresh stops answering'],
        ['MINIMUM', 'how long resolvers may cache a “no such name” answer (negative TTL)'],
      ];
      for (const [label, meaning] of labels) {
        values.push(u32(at));
        p.field(label, at, 4, String(u32(at)), meaning);
        at += 4;
      }
      exact(at, 'SOA');
      const [serial, refresh, retry, expire, minimum] = values as [number, number, number, number, number];
      return { kind: 'SOA', mname, rname, serial, refresh, retry, expire, minimum };
    }
    case 33: {
      if (rdlength < 7) return asHex(`an SRV record's RDATA needs at least 7 bytes, not ${rdlength}`);
      const [priority, weight, port] = [u16(start), u16(start + 2), u16(start + 4)];
      p.field('PRIORITY', start, 2, String(priority), 'lower is tried first');
      p.field('WEIGHT', start + 2, 2, String(weight), 'share among targets of equal priority');
      p.field('PORT', start + 4, 2, String(port));
      const target = name(start + 6, 'rdata.target', 'TARGET');
      if (!target || !exact(start + 6 + target.length, 'TARGET'))
        return { kind: 'hex', hex: toHex(bytes.subarray(start, end)) };
      return { kind: 'SRV', priority, weight, port, target };
    }
    case 41: {
      const options: { code: number; length: number }[] = [];
      let at = start;
      while (at + 4 <= end) {
        const code = u16(at);
        const length = u16(at + 2);
        if (at + 4 + length > end) break;
        p.field('OPTION', at, 4 + length, `code ${code}, ${length} bytes`);
        options.push({ code, length });
        at += 4 + length;
      }
      if (at !== end) ctx.violations.push(overrun(at, 'EDNS option'));
      return {
        kind: 'OPT',
        udpPayloadSize: p.class,
        extendedRcode: p.ttl >>> 24,
        version: (p.ttl >>> 16) & 0xff,
        dnssecOk: (p.ttl & 0x8000) !== 0,
        options,
      };
    }
    default:
      return asHex();
  }
}
