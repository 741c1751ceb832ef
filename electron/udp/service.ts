import type { Service } from '../host/serve';
import { nextId } from '../net/ids';
import { type NetServiceOptions, resolveOptions } from '../net/options';
import { Registry } from '../net/registry';
import { UdpClientSession } from './clientSession';
import { UdpUpperServer } from './server';

/** UDP client sessions (`udp.*`) and the built-in uppercase server (`udpServer.*`) of one renderer. */
export function createUdpService(serviceOptions: NetServiceOptions = {}): Service {
  const options = resolveOptions(serviceOptions);
  return (session) => {
    const clients = new Registry<UdpClientSession>('UDP session');
    const servers = new Registry<UdpUpperServer>('UDP server');
    const client = (id: string) => clients.get(id);
    const server = (id: string) => servers.get(id);

    return {
      'udp.open': async (request, { signal }) => {
        const { client: opened, result } = await UdpClientSession.open(
          nextId('udp'),
          request,
          session,
          options,
          signal,
        );
        clients.add(opened);
        return result;
      },
      'udp.send': (request, { signal }) => client(request.sessionId).send(request, signal),
      'udp.cancelWait': ({ sessionId, seq }) => ({ sessionId, cancelled: client(sessionId).cancelWait(seq) }),
      'udp.close': ({ sessionId }) => {
        const result = client(sessionId).close();
        clients.delete(sessionId);
        return result;
      },
      'udpServer.start': async (request, { signal }) => {
        const { server: started, result } = await UdpUpperServer.start(
          nextId('udpServer'),
          request,
          session,
          options,
          signal,
        );
        servers.add(started);
        return result;
      },
      'udpServer.stop': ({ serverId }) => {
        const result = server(serverId).stop();
        servers.delete(serverId);
        return result;
      },
    };
  };
}

export const udpService = createUdpService();
