import dnsPacket from 'dns-packet';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type DnsRecord, dissectDns } from '../../../../../shared/dns/dissect';
import { typeName } from '../../../../../shared/dns/types';
import { compressedReply, libraryReplies } from '../dnsSamples';

const seeds = [compressedReply(), ...libraryReplies()];

/** A real reply with bytes changed, cut, or repeated: the messages a broken server sends. */
const mutated = fc
  .tuple(
    fc.constantFrom(...seeds),
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
    fc.option(fc.nat(), { nil: undefined }),
    fc.uint8Array({ maxLength: 8 }),
  )
  .map(([seed, flips, cut, tail]) => {
    const bytes = new Uint8Array([...seed, ...tail]);
    for (const [at, value] of flips) bytes[at % bytes.length] = value;
    return cut === undefined ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
  });

const messages = fc.oneof(
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }) },
  { weight: 3, arbitrary: mutated },
);

function agree(ours: DnsRecord, theirs: dnsPacket.Answer): void {
  expect(ours.name.labels.length === 0 ? '.' : ours.name.labels.join('.')).toBe(theirs.name);
  const theirType: string = theirs.type;
  if (theirType.startsWith('UNKNOWN_')) expect(ours.type).toBe(Number(theirType.slice(8)));
  else if (!typeName(ours.type).startsWith('TYPE')) expect(typeName(ours.type)).toBe(theirType);
  if (theirs.type === 'OPT') return;
  expect((theirs as { ttl: number }).ttl).toBe(ours.ttl);
  const data = (theirs as { data: unknown }).data;
  const r = ours.rdata;
  if (r.kind === 'A') expect(data).toBe(r.address);
  if (r.kind === 'NS' || r.kind === 'CNAME' || r.kind === 'PTR') expect(data).toBe(r.name.labels.join('.') || '.');
  if (r.kind === 'MX') expect(data).toEqual({ preference: r.preference, exchange: r.exchange.labels.join('.') || '.' });
  if (r.kind === 'TXT') expect((data as Buffer[]).map((b) => b.toString('utf-8'))).toEqual(r.strings);
}

describe('dissectDns on random and mutated messages', () => {
  it('never throws or loops, and agrees with dns-packet on every message it decodes', () => {
    let decodedByLibrary = 0;
    fc.assert(
      fc.property(messages, (bytes) => {
        const started = performance.now();
        const d = dissectDns(bytes);
        expect(performance.now() - started).toBeLessThan(1000); // a loop would never return; GC pauses on a busy box can take tens of ms
        expect(d.violations.every((v) => v.code !== undefined)).toBe(true);
        let theirs: dnsPacket.DecodedPacket;
        try {
          theirs = dnsPacket.decode(Buffer.from(bytes));
        } catch {
          return;
        }
        decodedByLibrary++;
        expect(d.header!.id).toBe(theirs.id);
        expect(d.header!.rcode).toBe((theirs.flags ?? 0) & 0xf);
        // Everything read before the first violation must match what the library read.
        const firstViolation = Math.min(...d.violations.map((v) => v.offset), Infinity);
        d.questions.forEach((q, i) => {
          if (q.offset + q.length > firstViolation) return;
          expect(q.name.labels.length === 0 ? '.' : q.name.labels.join('.')).toBe(theirs.questions![i]!.name);
        });
        const sections: [DnsRecord[], dnsPacket.Answer[] | undefined][] = [
          [d.answers, theirs.answers],
          [d.authorities, theirs.authorities],
          [d.additionals, theirs.additionals],
        ];
        for (const [ours, lib] of sections) {
          ours.forEach((record, i) => {
            if (record.offset + record.length > firstViolation || record.class >= 0x8000) return;
            agree(record, lib![i]!);
          });
        }
      }),
      // A few seconds here; the 100,000-message sweep runs in `npm run bench` (BENCH_ONLY=dnsDissector).
      { numRuns: 10_000, seed: 15 },
    );
    expect(decodedByLibrary).toBeGreaterThan(100);
  }, 30_000);
});
