import { describe, expect, it } from 'vitest';
import { findServices, parseServicesFile, wellKnownServices } from '../../../../shared/dns/services';
import { parseZone, sampleZone } from '../../../../shared/dns/zone';

describe('parseZone', () => {
  it('reads the sample zone: $ORIGIN, $TTL, @, relative names, SOA across lines', () => {
    const zone = parseZone(sampleZone);
    expect(zone.errors).toEqual([]);
    expect(zone.origin).toBe('example.lab.');
    expect(zone.records.find((r) => r.type === 'SOA')).toMatchObject({
      name: 'example.lab.',
      mname: 'ns1.example.lab.',
      serial: 2026010101,
      minimum: 300,
    });
    expect(zone.records.find((r) => r.type === 'CNAME')).toMatchObject({
      name: 'www.example.lab.',
      target: 'example.lab.',
    });
    expect(zone.records.find((r) => r.type === 'MX')).toMatchObject({
      preference: 10,
      exchange: 'mail.example.lab.',
      ttl: 3600,
    });
    expect(zone.records.find((r) => r.type === 'TXT')).toMatchObject({ strings: ['v=spf1 mx -all'] });
  });

  it('names line and column of each error', () => {
    const zone = parseZone('$ORIGIN lab.\n$TTL 60\nwww IN A 300.1.1.1\nmail IN MX ten mail\n  IN BOGUS x\n');
    expect(zone.errors).toEqual([
      { line: 3, column: 10, message: "'300.1.1.1' is not an IPv4 address (four numbers 0–255 with dots)" },
      { line: 4, column: 12, message: 'preference must be a number from 0 to 65535' },
      { line: 5, column: 6, message: 'type BOGUS: this server serves A, AAAA, NS, CNAME, MX, TXT and SOA' },
    ]);
    expect(parseZone('www A 1.2.3.4').errors[0]!.message).toMatch(/no TTL/);
  });
});

describe('services', () => {
  it('finds smtp → 25/tcp and domain → 53 udp and tcp, and 80 → http', () => {
    const file = parseServicesFile(
      'smtp\t\t25/tcp\t\tmail\n# comment\ndomain 53/tcp\ndomain 53/udp\nhttp 80/tcp www # WWW\n',
    );
    expect(findServices(file, 'smtp')).toEqual([{ name: 'smtp', port: 25, protocol: 'tcp', aliases: ['mail'] }]);
    expect(findServices(file, 'domain').map((e) => e.protocol)).toEqual(['tcp', 'udp']);
    expect(findServices(file, '80')[0]!.name).toBe('http');
    expect(findServices(wellKnownServices, 'www')[0]!.port).toBe(80);
  });
});
