import { PlaygroundError } from '../../../shared/contract/errors';
import type { Service } from '../../service';
import { stamp } from '../../net/clock';
import { type NetServiceOptions, resolveOptions } from '../../net/options';
import { Registry } from '../../net/registry';
import { DnsHierarchy } from './hierarchy';
import { DnsServer } from './session';

/** The built-in DNS servers (`dnsServer.*`) and the hierarchy (`dnsHierarchy.*`) of one renderer. */
export function createDnsServerService(serviceOptions: NetServiceOptions = {}): Service {
  const options = resolveOptions(serviceOptions);
  return (session) => {
    const servers = new Registry<DnsServer>('DNS server', 'dnsServer');
    let hierarchy: DnsHierarchy | undefined;

    return {
      'dnsServer.start': (request, { signal }) =>
        servers.open((id) => DnsServer.start(request, { id, session, options, signal })),
      'dnsServer.stop': ({ serverId }) => servers.remove(serverId, (server) => server.stop()),
      'dnsHierarchy.start': async ({ port }, { signal }) => {
        if (hierarchy) {
          throw new PlaygroundError({
            code: 'E_RUNNING',
            message: 'the DNS hierarchy is already running: stop it first',
          });
        }
        const started = await DnsHierarchy.start(port, { session, options, signal });
        hierarchy = started.hierarchy;
        return started.result;
      },
      'dnsHierarchy.stop': async () => {
        const running = hierarchy;
        hierarchy = undefined;
        await running?.stop();
        return stamp();
      },
    };
  };
}

export const dnsServerService = createDnsServerService();
