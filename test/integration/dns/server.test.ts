import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import dnsPacket from 'dns-packet';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dissectDns } from '../../../shared/dns/dissect';
import { buildQuery, queryFlags } from '../../../shared/dns/query';
import { recordTypes } from '../../../shared/dns/types';
import { sampleZone } from '../../../shared/dns/zone';
import { type App, startApp } from '../../support/appClient';

let app: App;
beforeEach(() => {
  app = startApp();
});
afterEach(() => app.close());

function query(name: string, type = 'A', rd = true): Uint8Array {
  const built = buildQuery({ id: 0x4242, flags: { ...queryFlags, rd }, name, type: recordTypes[type]!, class: 1 });
  if (!built.ok) throw new Error(built.message);
  return built.bytes;
}

async function ask(
  port: number,
  name: string,
  type = 'A',
  transport: 'udp' | 'tcp' = 'udp',
  host = '127.0.0.1',
  rd = true,
) {
  const result = await app.client.call('dns.query', {
    host,
    port,
    transport,
    data: query(name, type, rd),
    timeoutMs: 2000,
  });
  expect(result.noReply).toBeUndefined();
  const d = dissectDns(result.reply!.data);
  expect(d.violations).toEqual([]);
  return { result, d };
}

const bigZone =
  sampleZone + Array.from({ length: 20 }, (_, i) => `big IN TXT "${'x'.repeat(60)}${i}"`).join('\n') + '\n';

describe('the built-in authoritative DNS server', () => {
  it('answers with AA over UDP and TCP, follows CNAMEs, NXDOMAIN and REFUSED, and logs who asked', async () => {
    const server = await app.client.call('dnsServer.start', { port: 0, zone: sampleZone });
    expect(server).toMatchObject({ origin: 'example.lab.', local: { address: '127.0.0.1' } });
    const port = server.local.port;

    const a = await ask(port, 'example.lab');
    expect(a.d.header).toMatchObject({ id: 0x4242, qr: true, aa: true, rcode: 0 });
    expect(a.d.answers[0]!.rdata).toEqual({ kind: 'A', address: '127.0.0.1' });

    const www = await ask(port, 'www.example.lab', 'A', 'tcp');
    expect(www.d.answers.map((r) => r.rdata.kind)).toEqual(['CNAME', 'A']);
    expect(www.result.reply!.transport).toBe('tcp');

    const missing = await ask(port, 'nope.example.lab');
    expect(missing.d.header!.rcode).toBe(3);
    expect(missing.d.authorities[0]!.rdata.kind).toBe('SOA');

    const outside = await ask(port, 'example.com');
    expect(outside.d.header!.rcode).toBe(5);

    const log = await app.waitFor('dnsServer.log', (e) =>
      e.entries.some((x) => x.kind === 'reply' && x.summary.startsWith('REFUSED')),
    );
    expect(log.counters.queries).toBeGreaterThanOrEqual(1);
    const entries = app.events['dnsServer.log'].flatMap((e) => e.entries);
    expect(entries.find((e) => e.kind === 'query')).toMatchObject({
      client: { address: '127.0.0.1' },
      transport: 'udp',
    });
  });

  it('answers a repeated query (kept by its bytes after the ID) exactly as the first time, its own ID echoed', async () => {
    const server = await app.client.call('dnsServer.start', { port: 0, zone: sampleZone });
    const send = async (id: number, name: string) => {
      const data = query(name);
      data[0] = id >> 8;
      data[1] = id & 0xff;
      const result = await app.client.call('dns.query', {
        host: '127.0.0.1',
        port: server.local.port,
        transport: 'udp',
        data,
        timeoutMs: 2000,
      });
      return result.reply!.data;
    };
    const first = await send(0x0101, 'www.example.lab');
    const again = await send(0x0202, 'www.example.lab');
    const other = await send(0x0303, 'WWW.example.lab');
    expect([...again.subarray(0, 2)]).toEqual([0x02, 0x02]);
    expect(again.subarray(2)).toEqual(first.subarray(2));
    // The name as asked (its case kept) is another query, with its own reply.
    expect(dissectDns(other).questions[0]?.name.text).toBe('WWW.example.lab.');
    await app.waitFor('dnsServer.log', (e) => e.counters.replies === 3);
    const entries = app.events['dnsServer.log'].flatMap((e) => e.entries);
    expect(entries.filter((e) => e.kind === 'query').map((e) => e.summary)).toEqual([
      'ID 257: www.example.lab. A',
      'ID 514: www.example.lab. A',
      'ID 771: WWW.example.lab. A',
    ]);
    const replies = entries.filter((e) => e.kind === 'reply');
    expect(replies.map((e) => e.summary)).toEqual(Array(3).fill(replies[0]?.summary));
    expect(replies[1]?.data).toEqual(again);
  });

  it('cuts a reply too big for UDP with TC=1, and the client retries over TCP', async () => {
    const server = await app.client.call('dnsServer.start', { port: 0, zone: bigZone });
    const result = await app.client.call('dns.query', {
      host: '127.0.0.1',
      port: server.local.port,
      data: query('big.example.lab', 'TXT'),
      retryTcp: true,
    });
    expect(result.attempts.map((x) => [x.transport, x.truncated])).toEqual([
      ['udp', true],
      ['tcp', false],
    ]);
    expect(dissectDns(result.reply!.data).answers).toHaveLength(20);
  });

  it('refuses a zone with errors (line and column), and a second server on the same port', async () => {
    const bad = await app.failure(app.client.call('dnsServer.start', { port: 0, zone: '$TTL 60\nwww IN A 1.2.3\n' }));
    expect(bad.message).toMatch(/line 2, column 10/);
    const first = await app.client.call('dnsServer.start', { port: 0, zone: sampleZone });
    const second = await app.failure(app.client.call('dnsServer.start', { port: first.local.port, zone: sampleZone }));
    expect(second.message).toMatch(/in use/);
  });

  it('says so when nobody answers, and flags a reply with another ID', async () => {
    const dgram = await import('node:dgram');
    const liar = dgram.createSocket('udp4');
    liar.on('message', (msg, info) => {
      const reply = dnsPacket.encode({ id: 1, type: 'response', questions: [] });
      liar.send(reply, info.port, info.address);
      void msg;
    });
    await new Promise<void>((resolve) => liar.bind(0, '127.0.0.1', resolve));
    const port = liar.address().port;
    const flagged = await app.client.call('dns.query', { host: '127.0.0.1', port, data: query('x.lab') });
    expect(flagged.reply!.otherId).toEqual({ expected: 0x4242, got: 1 });
    liar.close();
    const silent = await app.client.call('dns.query', {
      host: '127.0.0.1',
      port,
      data: query('x.lab'),
      timeoutMs: 200,
    });
    expect(silent.noReply).toMatch(/no reply within 200 ms — nobody may be listening/);
  });

  it('looks names up as the system does, finds service ports, and names the system resolvers', async () => {
    const lookup = await app.client.call('dns.lookup', { host: 'localhost' });
    expect(lookup.addresses.length).toBeGreaterThan(0);
    const smtp = await app.client.call('dns.service', { service: 'smtp' });
    expect(smtp.entries[0]).toMatchObject({ port: 25, protocol: 'tcp' });
    expect((await app.client.call('dns.servers', {})).servers).toBeInstanceOf(Array);
  });

  it.skipIf(!existsSync('/usr/bin/dig'))('dig gets the zone’s answers', async () => {
    const server = await app.client.call('dnsServer.start', { port: 0, zone: sampleZone });
    const run = promisify(execFile);
    const { stdout } = await run('dig', ['@127.0.0.1', '-p', String(server.local.port), '+short', 'example.lab', 'MX']);
    expect(stdout.trim()).toBe('10 mail.example.lab.');
    const tcp = await run('dig', ['@127.0.0.1', '-p', String(server.local.port), '+tcp', 'www.example.lab', 'A']);
    expect(tcp.stdout).toMatch(/flags: qr aa rd;/);
    expect(tcp.stdout).toMatch(/www\.example\.lab\.\s+3600\s+IN\s+CNAME\s+example\.lab\./);
  });
});

describe('the DNS hierarchy', () => {
  it('root → lab. → example.lab. by referrals with glue, and a resolver that walks and caches', async () => {
    const started = await app.client.call('dnsHierarchy.start', {});
    const [root, tld] = started.servers;
    const port = root!.local.port;
    const referral = await ask(port, 'www.example.lab', 'A', 'udp', '127.0.0.1', false);
    expect(referral.d.header!.aa).toBe(false);
    expect(referral.d.authorities[0]!.rdata).toMatchObject({ kind: 'NS' });
    expect(referral.d.additionals[0]!.rdata).toEqual({ kind: 'A', address: tld!.local.address });

    const resolved = await ask(started.resolver.local.port, 'www.example.lab');
    expect(resolved.d.header).toMatchObject({ ra: true, rcode: 0 });
    expect(resolved.d.answers.map((r) => r.rdata.kind)).toEqual(['CNAME', 'A']);
    const again = await ask(started.resolver.local.port, 'www.example.lab');
    expect(again.d.answers).toHaveLength(2);
    await app.waitFor('dnsServer.log', (e) => e.entries.some((x) => x.kind === 'cache'));
    const entries = app.events['dnsServer.log'].flatMap((e) => e.entries);
    expect(entries.filter((e) => e.kind === 'hop').length).toBeGreaterThanOrEqual(3);
    expect(app.events['dnsResolver.cache'].at(-1)!.entries.length).toBeGreaterThan(0);
    await app.client.call('dnsHierarchy.stop', {});
  });
});
