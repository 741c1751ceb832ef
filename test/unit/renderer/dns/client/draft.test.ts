import { describe, expect, it } from 'vitest';
import { dissectDns } from '../../../../../shared/dns/dissect';
import { buildDraft, initialDraft, sendable } from '../../../../../renderer/dns/client/draft';

/** The query builder's fields as typed → the bytes they make, or a message beside the wrong field. */
describe('the DNS query draft', () => {
  const draft = { ...initialDraft('127.0.0.1'), id: '4660' };

  it('puts Opcode, RCODE and class into the header and question as named or numbered', () => {
    const built = buildDraft({ ...draft, opcode: 'STATUS', rcode: '3', qclass: 'CH', type: 'TXT' });
    expect(sendable(built)).toBe(true);
    const bytes = built.bytes!;
    expect((bytes[2]! >> 3) & 0xf).toBe(2);
    expect(bytes[3]! & 0xf).toBe(3);
    const d = dissectDns(bytes);
    expect(d.questions[0]?.class).toBe(3);
    expect(d.header?.opcode).toBe(2);
    expect(d.header?.rcode).toBe(3);
    for (const [qclass, value] of [
      ['in', 1],
      ['HS', 4],
      ['ANY', 255],
      ['CLASS254', 254],
      ['42', 42],
    ] as const) {
      expect(dissectDns(buildDraft({ ...draft, qclass }).bytes!).questions[0]?.class).toBe(value);
    }
    expect(buildDraft({ ...draft, opcode: 'notify' }).bytes![2]! >> 3).toBe(4);
    expect(buildDraft({ ...draft, rcode: 'nxdomain' }).bytes![3]! & 0xf).toBe(3);
  });

  it('says what is wrong beside Opcode, RCODE and class, and keeps every other field', () => {
    const built = buildDraft({ ...draft, opcode: '16', rcode: 'LOST', qclass: '0' });
    expect(sendable(built)).toBe(false);
    expect(built.errors.opcode).toMatch(/Opcode is 4 bits: a number 0–15/);
    expect(built.errors.rcode).toMatch(/RCODE is 4 bits/);
    expect(built.errors.qclass).toMatch(/class 0 is out of range/);
    expect(buildDraft({ ...draft, qclass: 'XX' }).errors.qclass).toMatch(/unknown class 'XX'/);
    expect(buildDraft({ ...draft, qclass: '70000' }).errors.qclass).toMatch(/out of range/);
    expect(built.errors.name).toBeUndefined();
  });
});
