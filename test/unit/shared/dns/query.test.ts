import dnsPacket from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { dissectDns } from '../../../../shared/dns/dissect';
import { toAsciiName, toUnicodeName } from '../../../../shared/dns/idna';
import { buildQuery, encodeName, queryFlags } from '../../../../shared/dns/query';

describe('buildQuery', () => {
  it('writes the header, the question and EDNS as dns-packet reads them', () => {
    const built = buildQuery({
      id: 0xbeef,
      flags: queryFlags,
      name: 'www.example.lab',
      type: 15,
      class: 1,
      edns: { udpPayloadSize: 1232, dnssecOk: true },
    });
    if (!built.ok) throw new Error(built.message);
    const packet = dnsPacket.decode(Buffer.from(built.bytes));
    expect(packet).toMatchObject({
      id: 0xbeef,
      type: 'query',
      flag_rd: true,
      questions: [{ name: 'www.example.lab', type: 'MX', class: 'IN' }],
    });
    expect(packet.additionals![0]).toMatchObject({ type: 'OPT', udpPayloadSize: 1232, flag_do: true });
    expect(dissectDns(built.bytes).violations).toEqual([]);
  });

  it('refuses empty labels, labels over 63, names over 255 and bad types with what to do', () => {
    expect(encodeName('a..b')).toMatchObject({ ok: false, message: expect.stringMatching(/empty label after 'a'/) });
    expect(encodeName('x'.repeat(64) + '.lab')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/64 bytes; a label may have at most 63/),
    });
    expect(encodeName(Array(60).fill('abcd').join('.'))).toMatchObject({
      ok: false,
      message: expect.stringMatching(/at most 255/),
    });
    expect(buildQuery({ id: 1, flags: queryFlags, name: 'a', type: 70000, class: 1 })).toMatchObject({
      ok: false,
      field: 'type',
    });
  });

  it('converts non-ASCII names with IDNA, both ways', () => {
    expect(toAsciiName('bücher.example')).toEqual({
      ok: true,
      ascii: 'xn--bcher-kva.example',
      unicode: 'bücher.example',
    });
    expect(toUnicodeName('xn--bcher-kva.example')).toBe('bücher.example');
    expect(toUnicodeName('xn--mnchen-3ya.de')).toBe('münchen.de');
    const encoded = encodeName('bücher.example');
    expect(encoded.ok && encoded.bytes[0]).toBe('xn--bcher-kva'.length);
  });
});
