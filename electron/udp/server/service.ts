import type { Service } from '../../service';
import { type NetServiceOptions, resolveOptions } from '../../net/options';
import { Registry } from '../../net/registry';
import { UdpUpperServer } from './session';

/** The built-in uppercase UDP servers (`udpServer.*`) of one renderer. */
export function createUdpServerService(serviceOptions: NetServiceOptions = {}): Service {
  const options = resolveOptions(serviceOptions);
  return (session) => {
    const servers = new Registry<UdpUpperServer>('UDP server', 'udpServer');

    return {
      'udpServer.start': (request, { signal }) =>
        servers.open((id) => UdpUpperServer.start(request, { id, session, options, signal })),
      'udpServer.stop': ({ serverId }) => servers.remove(serverId, (server) => server.stop()),
      'udpServer.setLink': ({ serverId, link }) => servers.get(serverId).setLink(link),
    };
  };
}

export const udpServerService = createUdpServerService();
