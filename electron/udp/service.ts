import type { Service } from '../host/serve';
import { type NetServiceOptions, resolveOptions } from '../net/options';
import { Registry } from '../net/registry';
import { UdpClientSession } from './clientSession';
import { UdpUpperServer } from './server';

/** UDP client sessions (`udp.*`) and the built-in uppercase server (`udpServer.*`) of one renderer. */
export function createUdpService(serviceOptions: NetServiceOptions = {}): Service {
  const options = resolveOptions(serviceOptions);
  return (session) => {
    const clients = new Registry<UdpClientSession>('UDP session', 'udp');
    const servers = new Registry<UdpUpperServer>('UDP server', 'udpServer');
    const client = (id: string) => clients.get(id);

    return {
      'udp.open': (request, { signal }) =>
        clients.open((id) => UdpClientSession.open(id, request, session, options, signal)),
      'udp.send': (request, { signal }) => client(request.sessionId).send(request, signal),
      'udp.cancelWait': ({ sessionId, seq }) => ({ sessionId, cancelled: client(sessionId).cancelWait(seq) }),
      'udp.close': ({ sessionId }) => clients.remove(sessionId, (opened) => opened.close()),
      'udpServer.start': (request, { signal }) =>
        servers.open((id) => UdpUpperServer.start(id, request, session, options, signal)),
      'udpServer.stop': ({ serverId }) => servers.remove(serverId, (server) => server.stop()),
    };
  };
}

export const udpService = createUdpService();
