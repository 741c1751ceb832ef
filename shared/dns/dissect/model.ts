/**
 * What the dissector answers: every field with its byte offset and length, each
 * compression pointer with where it points and the name found there, and every
 * violation of RFC 1035's message format. Plain data, so the renderer can draw it.
 */

export type DnsSection = 'header' | 'question' | 'answer' | 'authority' | 'additional';

/** One field of the message in the bytes: where it sits, what it says. */
export interface DnsField {
  /** Unique within one message: `header.id`, `answer.0.ttl`, `question.0.name.label.1`. */
  id: string;
  section: DnsSection;
  /** Which part of the section: `Header`, `Question 1`, `Answer 2`. */
  group: string;
  /** The field's name as the RFC calls it: ID, QDCOUNT, TTL, RDLENGTH, label, pointer… */
  name: string;
  offset: number;
  length: number;
  /** The value as text, e.g. `3600 (1h)` or `"www"`. */
  value: string;
  /** A sentence on what it means, when there is one. */
  meaning?: string;
}

/** A compression pointer (`c0 0c`): where it sits, the offset it points to, the name there. */
export interface DnsPointer {
  at: number;
  target: number;
  name: string;
}

export interface DnsViolation {
  /** What rule was broken, stable for programs. */
  code:
    | 'truncated'
    | 'pointer-loop'
    | 'pointer-forward'
    | 'pointer-out-of-range'
    | 'label-too-long'
    | 'name-too-long'
    | 'count-larger-than-records'
    | 'trailing-bytes'
    | 'rdata-length';
  offset: number;
  message: string;
}

/** A name as read: its presentation form, and where its own bytes sit. */
export interface DnsName {
  /** Presentation form, `www.example.com.`; `.` for the root. Special bytes escaped as `\DDD`. */
  text: string;
  /** The labels as UTF-8 text (what libraries return), without escapes. */
  labels: string[];
  offset: number;
  /** Bytes the name takes where it is written (a pointer counts 2, what it points to 0). */
  length: number;
  /** The wire length of the whole name (labels + root), at most 255. */
  wireLength: number;
  pointers: DnsPointer[];
}

export interface DnsHeader {
  id: number;
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  /** The reserved Z bit (bit 9). */
  z: boolean;
  ad: boolean;
  cd: boolean;
  rcode: number;
  qdcount: number;
  ancount: number;
  nscount: number;
  arcount: number;
}

export interface DnsQuestion {
  name: DnsName;
  type: number;
  class: number;
  offset: number;
  length: number;
}

/** Decoded RDATA; `hex` for types without a decoder or RDATA that does not fit its type. */
export type DnsRdata =
  | { kind: 'A' | 'AAAA'; address: string }
  | { kind: 'NS' | 'CNAME' | 'PTR'; name: DnsName }
  | { kind: 'MX'; preference: number; exchange: DnsName }
  | { kind: 'TXT'; strings: string[] }
  | {
      kind: 'SOA';
      mname: DnsName;
      rname: DnsName;
      serial: number;
      refresh: number;
      retry: number;
      expire: number;
      minimum: number;
    }
  | { kind: 'SRV'; priority: number; weight: number; port: number; target: DnsName }
  | {
      kind: 'OPT';
      udpPayloadSize: number;
      extendedRcode: number;
      version: number;
      dnssecOk: boolean;
      options: { code: number; length: number }[];
    }
  | { kind: 'hex'; hex: string };

export interface DnsRecord {
  section: 'answer' | 'authority' | 'additional';
  /** 0-based within its section. */
  index: number;
  name: DnsName;
  type: number;
  class: number;
  ttl: number;
  rdlength: number;
  rdata: DnsRdata;
  offset: number;
  length: number;
}

export interface DnsDissection {
  /** Absent when the message is shorter than the 12-byte header. */
  header?: DnsHeader;
  questions: DnsQuestion[];
  answers: DnsRecord[];
  authorities: DnsRecord[];
  additionals: DnsRecord[];
  /** Every field in byte order. */
  fields: DnsField[];
  pointers: DnsPointer[];
  violations: DnsViolation[];
  size: number;
}
