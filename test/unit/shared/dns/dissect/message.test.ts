import { describe, expect, it } from 'vitest';
import { dissectDns } from '../../../../../shared/dns/dissect';
import { compressedReply, libraryReplies } from '../dnsSamples';

describe('dissectDns', () => {
  it('gives every field of a compressed reply its offset, and draws each pointer', () => {
    const d = dissectDns(compressedReply());
    expect(d.violations).toEqual([]);
    expect(d.header).toMatchObject({ id: 0x1234, qr: true, rd: true, ra: true, rcode: 0, ancount: 2 });
    expect(d.questions[0]!.name.text).toBe('www.example.com.');
    expect(d.answers.map((a) => a.rdata)).toMatchObject([{ kind: 'CNAME' }, { kind: 'A', address: '93.184.216.34' }]);
    expect(d.pointers[0]).toEqual({ at: 33, target: 12, name: 'www.example.com.' });
    expect(d.pointers.some((p) => p.target === 16 && p.name === 'example.com.')).toBe(true);
    const ttl = d.fields.find((f) => f.id === 'answer.0.ttl')!;
    expect(ttl).toMatchObject({ offset: 39, length: 4, value: '300 (5m)' });
    expect(d.additionals[0]!.rdata).toMatchObject({ kind: 'OPT', udpPayloadSize: 1232 });
    // fields tile the message: no byte is claimed twice
    let at = 0;
    for (const f of d.fields) {
      expect(f.offset).toBeGreaterThanOrEqual(at);
      at = f.offset + f.length;
    }
    expect(at).toBe(d.size);
  });

  it('decodes every type dns-packet encodes', () => {
    for (const bytes of libraryReplies()) {
      const d = dissectDns(bytes);
      expect(d.violations).toEqual([]);
      expect([...d.answers, ...d.authorities].every((r) => r.rdata.kind !== 'hex')).toBe(true);
    }
  });

  const violation = (bytes: number[]) => dissectDns(new Uint8Array(bytes)).violations.map((v) => v.code);
  const header = (an = 0) => [0, 1, 0x81, 0x80, 0, 0, 0, an, 0, 0, 0, 0];

  it('reports a message shorter than the header', () => {
    expect(dissectDns(new Uint8Array(5)).violations[0]!.message).toMatch(/5 bytes; the header alone is 12/);
  });

  it('reports pointer loops, forward and out-of-range pointers', () => {
    expect(violation([...header(1), 0xc0, 0x0c])).toEqual(['pointer-loop']);
    expect(violation([...header(1), 3, 97, 98, 99, 0xc0, 0x0c])).toEqual(['pointer-loop']);
    expect(violation([...header(1), 0xc0, 0x0e, 0, 0])).toEqual(['pointer-forward']);
    expect(violation([...header(1), 0xc0, 0xff])).toEqual(['pointer-out-of-range']);
  });

  it('reports counts larger than the records, trailing bytes, labels over 63 and names over 255', () => {
    expect(violation(header(2))).toEqual(['count-larger-than-records']);
    expect(violation([...header(0), 1, 2, 3])).toEqual(['trailing-bytes']);
    expect(violation([...header(1), 0x41, 0])).toEqual(['label-too-long']);
    const long = Array.from({ length: 5 }, () => [63, ...new Array<number>(63).fill(97)]).flat();
    expect(violation([...header(1), ...long, 0])).toEqual(['name-too-long']);
    expect(violation([...header(1), 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 9, 1, 2])).toEqual(['truncated']);
  });

  it('flags RDATA that does not fit its type', () => {
    const d = dissectDns(new Uint8Array([...header(1), 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 3, 1, 2, 3]));
    expect(d.violations[0]!.message).toMatch(/must be 4 bytes, not 3/);
    expect(d.answers[0]!.rdata).toEqual({ kind: 'hex', hex: '01 02 03' });
  });
});
