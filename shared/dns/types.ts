/**
 * DNS numbers and their names: record types, classes, opcodes and RCODEs, with a
 * sentence each for the ones a student meets (RFC 1035, 2782, 3596, 6891, 8914).
 */

/** The record types the app names; any other number is shown as TYPE<n> (RFC 3597). */
export const recordTypes: Readonly<Record<string, number>> = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  HINFO: 13,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  NAPTR: 35,
  DS: 43,
  RRSIG: 46,
  NSEC: 47,
  DNSKEY: 48,
  SVCB: 64,
  HTTPS: 65,
  OPT: 41,
  AXFR: 252,
  ANY: 255,
  CAA: 257,
};

/** The types offered in the query builder's list (any number 1–65535 may be typed too). */
export const queryTypeChoices = ['A', 'AAAA', 'NS', 'CNAME', 'MX', 'TXT', 'SOA', 'PTR', 'SRV', 'ANY'] as const;

const typeNames = new Map(Object.entries(recordTypes).map(([name, value]) => [value, name]));

/** `A` for 1, `TYPE65280` for a number without a name. */
export function typeName(type: number): string {
  return typeNames.get(type) ?? `TYPE${type}`;
}

const typeMeanings: Readonly<Record<string, string>> = {
  A: 'an IPv4 address of the name',
  AAAA: 'an IPv6 address of the name',
  NS: 'a name server that is authoritative for the zone',
  CNAME: 'the name is an alias; the canonical (real) name follows',
  SOA: 'start of authority: the zone’s primary server, its admin mailbox, serial and timers',
  PTR: 'a pointer to a name (reverse lookups: address → name)',
  MX: 'a mail server for the domain, with its preference (lower is tried first)',
  TXT: 'free text strings (SPF, domain verification, …)',
  SRV: 'where a service runs: priority, weight, port and target host',
  OPT: 'EDNS pseudo-record: the sender’s UDP payload size and extended flags, not data',
  ANY: 'a query for every record the server is willing to give',
};

export function typeMeaning(type: number): string | undefined {
  return typeMeanings[typeName(type)];
}

/**
 * A type as a person types it: a name (`mx`, `AAAA`), `TYPE65` or a number 1–65535.
 * Answers the number, or a message saying what is allowed.
 */
export function parseType(text: string): { ok: true; value: number } | { ok: false; message: string } {
  const t = text.trim().toUpperCase();
  if (t === '') return { ok: false, message: 'type is empty: choose A, AAAA, MX, … or type a number 1–65535' };
  const named = recordTypes[t];
  if (named !== undefined) return { ok: true, value: named };
  const digits = /^(?:TYPE)?(\d{1,6})$/.exec(t);
  if (digits) {
    const n = Number(digits[1]);
    if (n >= 1 && n <= 65535) return { ok: true, value: n };
    return { ok: false, message: `type ${n} is out of range: a type is a 16-bit number from 1 to 65535` };
  }
  return { ok: false, message: `unknown type '${text.trim()}': use a name such as A, MX, TXT or a number 1–65535` };
}

export const recordClasses: Readonly<Record<string, number>> = { IN: 1, CH: 3, HS: 4, NONE: 254, ANY: 255 };
const classNames = new Map(Object.entries(recordClasses).map(([name, value]) => [value, name]));

export function className(value: number): string {
  return classNames.get(value) ?? `CLASS${value}`;
}

/** The classes a query builder offers: IN (the Internet), CH (Chaos: `version.bind`), HS (Hesiod), ANY. */
export const queryClassChoices = ['IN', 'CH', 'HS', 'ANY'] as const;

/** A class as a person types it: IN, CH, HS, NONE, ANY, `CLASS3` or a number 1–65535. */
export function parseClass(text: string): { ok: true; value: number } | { ok: false; message: string } {
  const t = text.trim().toUpperCase();
  if (t === '') return { ok: false, message: 'class is empty: choose IN (the Internet), CH, HS, ANY or a number' };
  const named = recordClasses[t];
  if (named !== undefined) return { ok: true, value: named };
  const digits = /^(?:CLASS)?(\d{1,6})$/.exec(t);
  if (digits) {
    const n = Number(digits[1]);
    if (n >= 1 && n <= 65535) return { ok: true, value: n };
    return { ok: false, message: `class ${n} is out of range: a class is a 16-bit number from 1 to 65535 (IN is 1)` };
  }
  return { ok: false, message: `unknown class '${text.trim()}': use IN, CH, HS, ANY or a number 1–65535` };
}

/** An Opcode or RCODE field as typed: a name (QUERY, NXDOMAIN, …) or a number 0–15 (4 bits in the header). */
export function parseNibble(
  text: string,
  what: 'Opcode' | 'RCODE',
): { ok: true; value: number } | { ok: false; message: string } {
  const t = text.trim().toUpperCase();
  const names = what === 'Opcode' ? opcodeNames : rcodes.map(([name]) => name);
  const named = names.indexOf(t);
  if (named >= 0 && named <= 15) return { ok: true, value: named };
  if (/^\d{1,3}$/.test(t) && Number(t) <= 15) return { ok: true, value: Number(t) };
  const example = what === 'Opcode' ? 'QUERY (0), STATUS (2), NOTIFY (4)' : 'NOERROR (0), NXDOMAIN (3)';
  return { ok: false, message: `${what} is 4 bits: a number 0–15 or a name such as ${example}` };
}

const opcodeNames = ['QUERY', 'IQUERY', 'STATUS', 'OPCODE3', 'NOTIFY', 'UPDATE', 'DSO'];
export function opcodeName(opcode: number): string {
  return opcodeNames[opcode] ?? `OPCODE${opcode}`;
}

const rcodes: readonly (readonly [string, string])[] = [
  ['NOERROR', 'no error: the answer (possibly empty) is in the reply'],
  ['FORMERR', 'format error: the server could not understand the query'],
  [
    'SERVFAIL',
    'server failure: the server could not answer (e.g. it could not reach the authoritative servers, or DNSSEC failed)',
  ],
  ['NXDOMAIN', 'non-existent domain: the name does not exist at all (the authority section usually has the SOA)'],
  ['NOTIMP', 'not implemented: the server does not support this kind of query'],
  ['REFUSED', 'refused: the server will not answer this query for policy reasons (e.g. a name outside its zones)'],
  ['YXDOMAIN', 'a name exists that should not (dynamic update)'],
  ['YXRRSET', 'a record set exists that should not (dynamic update)'],
  ['NXRRSET', 'a record set that should exist does not (dynamic update)'],
  ['NOTAUTH', 'the server is not authoritative for the zone'],
  ['NOTZONE', 'a name is not within the zone'],
];

export function rcodeName(rcode: number): string {
  return rcodes[rcode]?.[0] ?? `RCODE${rcode}`;
}

export function rcodeMeaning(rcode: number): string {
  return rcodes[rcode]?.[1] ?? 'an RCODE without a standard meaning here';
}

/** A TTL as a duration: `86400` → `1d`, `3725` → `1h 2m 5s`. */
export function formatTtl(seconds: number): string {
  if (seconds === 0) return '0s (do not cache)';
  const parts: string[] = [];
  let rest = seconds;
  for (const [unit, size] of [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return parts.join(' ');
}
