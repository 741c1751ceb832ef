import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { DnsLab } from '../../../../../renderer/dns/dnsLab';
import { connectedClient } from '../../../../support/appClient';
import { until } from '../../../../support/waits';

/**
 * The DNS page's lab against the real Node-side services over loopback: a pending query
 * cancelled, a reply from another address flagged, and the local resolver's walk and
 * cache shown for an RD=1 ask (the hierarchy needs 127.0.0.2 and .3, as Linux has).
 */

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

function newLab(): DnsLab {
  const lab = new DnsLab(connectedClient(closers));
  closers.push(() => lab.dispose());
  return lab;
}

async function udpSocket(): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  closers.push(() => socket.close());
  return socket;
}

describe('the DNS query model', () => {
  it('cancels a pending query at once: the wait ends, nothing typed is lost', async () => {
    const lab = newLab();
    const silent = await udpSocket();
    let heard = 0;
    silent.on('message', () => heard++);
    lab.query.target('127.0.0.1', silent.address().port);
    lab.query.edit({ name: 'www.example.lab', timeoutSeconds: '20' });
    const draft = lab.query.state.draft;
    const sent = lab.query.send();
    expect(lab.query.state.waiting?.timeoutMs).toBe(20_000);
    await until(() => heard === 1, 'the query to arrive');
    const started = Date.now();
    lab.query.cancel();
    await sent;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(lab.query.state.waiting).toBeUndefined();
    expect(lab.query.state.cancelled).toBe(true);
    expect(lab.query.state.result).toBeUndefined();
    expect(lab.query.state.error).toBeUndefined();
    expect(lab.query.state.draft).toBe(draft);
    // The next send works as before.
    lab.query.edit({ timeoutSeconds: '0.2' });
    await lab.query.send();
    expect(lab.query.state.cancelled).toBe(false);
    expect(lab.query.state.result?.noReply).toMatch(/no reply within 200 ms/);
  });

  it('flags a reply that comes from another address than the server asked', async () => {
    const lab = newLab();
    const asked = await udpSocket();
    const other = await udpSocket();
    asked.on('message', (query, from) => {
      const reply = Buffer.from(query);
      reply[2] = 0x81; // QR, RD
      other.send(reply, from.port, from.address);
    });
    lab.query.target('127.0.0.1', asked.address().port);
    await lab.query.send();
    const reply = lab.query.state.result?.reply;
    expect(reply?.otherAddress?.expected.port).toBe(asked.address().port);
    expect(reply?.otherAddress?.got.port).toBe(other.address().port);
    expect(reply?.otherId).toBeUndefined();
  });

  it("shows the local resolver's hops with their RTTs, then its cache on the second ask", async () => {
    const lab = newLab();
    await lab.server.hierarchy.start();
    const started = lab.server.hierarchy.state.started;
    expect(started).toBeDefined();
    const resolver = started!.resolver.local;
    lab.query.target(resolver.address, resolver.port);
    lab.query.edit({ name: 'www.example.lab', type: 'A' });
    lab.query.setFlag('rd', true);
    await lab.query.send();
    expect(lab.query.state.result?.reply).toBeDefined();
    await until(() => lab.query.state.walk !== undefined, 'the walk behind the reply');
    const walk = lab.query.state.walk!;
    expect(walk.fromCache).toBe(false);
    expect(walk.hops.map((h) => h.server.address)).toEqual(['127.0.0.1', '127.0.0.2', '127.0.0.3']);
    for (const hop of walk.hops) expect(hop.rttMs).toBeGreaterThanOrEqual(0);
    expect(walk.hops[0]!.outcome).toMatch(/referral to lab\./);

    await until(() => lab.server.hierarchy.state.cache.length > 0, 'the cache event');
    const cached = lab.server.hierarchy.state.cache.find((c) => c.key === 'www.example.lab A');
    expect(cached).toBeDefined();
    const left = lab.server.hierarchy.secondsLeft(cached!);
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(cached!.ttl);

    await lab.query.send();
    await until(() => lab.query.state.walk !== undefined, 'the second walk');
    expect(lab.query.state.walk).toEqual({ hops: [], fromCache: true });
    expect(lab.server.log.toText()).toMatch(/resolver .*cache: www\.example\.lab A: answered from the cache/);
  });
});
