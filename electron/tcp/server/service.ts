import type { Service } from '../../service';
import { type NetServiceOptions, resolveOptions } from '../../net/options';
import { Registry } from '../../net/registry';
import { TcpUpperServer } from './session';

/** The built-in uppercase TCP servers (`tcpServer.*`) of one renderer. */
export function createTcpServerService(serviceOptions: NetServiceOptions = {}): Service {
  const options = resolveOptions(serviceOptions);
  return (session) => {
    const servers = new Registry<TcpUpperServer>('TCP server', 'tcpServer');

    return {
      'tcpServer.start': (request, { signal }) =>
        servers.open((id) => TcpUpperServer.start(request, { id, session, options, signal })),
      'tcpServer.stop': ({ serverId }) => servers.removeOnceStopped(serverId, (server) => server.stop()),
      'tcpServer.setLink': ({ serverId, link }) => servers.get(serverId).setLink(link),
    };
  };
}

export const tcpServerService = createTcpServerService();
