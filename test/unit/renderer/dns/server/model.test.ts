import { afterEach, describe, expect, it } from 'vitest';
import { DnsLab } from '../../../../../renderer/dns/dnsLab';
import { connectedClient } from '../../../../support/appClient';
import { until } from '../../../../support/waits';

/** The DNS server panel's model against the real Node side: the zone checked, the server started and logged. */

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

function newLab(): DnsLab {
  const lab = new DnsLab(connectedClient(closers));
  closers.push(() => lab.dispose());
  return lab;
}

describe('the DNS server model', () => {
  it('refuses to start a zone with errors and shows them at line and column', async () => {
    const lab = newLab();
    lab.server.setZone('$TTL 60\nwww IN A 1.2.3\n');
    expect(lab.server.zone.state.errors[0]).toMatchObject({ line: 2, column: 10 });
    expect(await lab.server.start()).toBe(false);
    expect(lab.server.state.phase).toBe('stopped');
  });

  it('a zone without SOA is refused by the Node side, the message under Zone', async () => {
    const lab = newLab();
    lab.server.setZone('$ORIGIN example.lab.\n$TTL 60\nwww IN A 127.0.0.1\n');
    expect(lab.server.zone.state.errors).toEqual([]);
    lab.server.setPort('0');
    expect(await lab.server.start()).toBe(false);
    expect(lab.server.zone.state.startError).toMatch(/no SOA record/);
    expect(lab.server.state.errors).toEqual({});
  });

  it('starts on port 0, points the query at itself, and logs the query and reply with their bytes', async () => {
    const lab = newLab();
    lab.server.setPort('0');
    expect(await lab.server.start()).toBe(true);
    const port = lab.server.state.local!.port;
    expect(lab.query.state.draft.server).toBe('127.0.0.1');
    expect(lab.query.state.draft.port).toBe(String(port));
    lab.query.edit({ name: 'www.example.lab' });
    await lab.query.send();
    expect(lab.query.state.result?.reply).toBeDefined();
    await until(() => /reply: NOERROR, AA/.test(lab.server.log.toText()), 'the reply in the log');
    expect(lab.server.log.toText()).toMatch(/UDP query: ID \d+: www\.example\.lab\. A/);
    expect(lab.server.state.counters?.queries).toBe(1);
    await lab.server.stop();
    expect(lab.server.state.phase).toBe('stopped');
  });
});
