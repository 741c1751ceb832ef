import type { ResponseOf } from '../../../shared/contract/index';
import { sampleZone } from '../../../shared/dns/zone';
import type { StartContext } from '../../net/builtInServer';
import { stamp } from '../../net/clock';
import { nextId } from '../../net/ids';
import { answerQuery } from './answer';
import { Resolver } from './resolver';
import { DnsServer, zoneOrError } from './session';

/**
 * The hierarchy of the course's figure on loopback: the root (.) on 127.0.0.1, the TLD
 * (lab.) on 127.0.0.2 and the authoritative server for example.lab. on 127.0.0.3, all on
 * one port as real servers all use 53, so the glue addresses in each referral are the
 * real next hop. Then a local resolver on 127.0.0.1 at its own port walks them.
 */

export const rootZone = `$ORIGIN .
$TTL 86400
@                  IN SOA a.root-servers.lab. hostmaster.lab. 1 7200 900 1209600 300
@                  IN NS  a.root-servers.lab.
lab.               IN NS  ns.lab.
ns.lab.            IN A   127.0.0.2
`;

export const tldZone = `$ORIGIN lab.
$TTL 86400
@                  IN SOA ns hostmaster 1 7200 900 1209600 300
@                  IN NS  ns
ns                 IN A   127.0.0.2
example            IN NS  ns1.example
ns1.example        IN A   127.0.0.3
`;

export const authoritativeZone = sampleZone.replace('ns1     IN A    127.0.0.1', 'ns1     IN A    127.0.0.3');

export class DnsHierarchy {
  readonly id = nextId('dnsHierarchy');
  private constructor(readonly servers: DnsServer[]) {}

  static async start(
    port: number,
    { session, options, signal }: Omit<StartContext, 'id'>,
  ): Promise<{ hierarchy: DnsHierarchy; result: ResponseOf<'dnsHierarchy.start'> }> {
    const servers: DnsServer[] = [];
    const described: ResponseOf<'dnsHierarchy.start'>['servers'] = [];
    const contextOf = (): StartContext => ({ id: nextId('dnsServer'), session, options, signal });
    try {
      let shared = port;
      for (const [role, zoneText, address] of [
        ['root', rootZone, '127.0.0.1'],
        ['TLD', tldZone, '127.0.0.2'],
        ['authoritative', authoritativeZone, '127.0.0.3'],
      ] as const) {
        const zone = zoneOrError(zoneText);
        const { opened, result } = await DnsServer.listenWith(contextOf(), {
          at: { bindAddress: address, port: shared },
          role: `${role} (${zone.origin})`,
          respond: (q) => answerQuery(zone, q),
          repeatable: true,
          answered: {},
        });
        servers.push(opened);
        shared = result.local.port;
        described.push({ role, zone: zone.origin, serverId: opened.id, local: result.local });
      }
      const root = described[0]!.local;
      let resolverServer: DnsServer | undefined;
      const resolver = new Resolver(
        root,
        (entry) => resolverServer?.note(entry),
        (entries) => session.emit('dnsResolver.cache', { ...stamp(), serverId: resolverServer!.id, entries }),
      );
      const { opened, result } = await DnsServer.listenWith(contextOf(), {
        at: { bindAddress: '127.0.0.1', port: 0 },
        role: 'local resolver (recursive, caching)',
        respond: (q) => resolver.respond(q),
        answered: {},
      });
      resolverServer = opened;
      servers.push(opened);
      return {
        hierarchy: new DnsHierarchy(servers),
        result: {
          ...stamp(),
          servers: described,
          resolver: { role: 'resolver', zone: '.', serverId: opened.id, local: result.local },
        },
      };
    } catch (error) {
      await Promise.all(servers.map((s) => s.stop().catch(() => undefined)));
      throw error;
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.servers.map((s) => s.stop()));
  }
}
