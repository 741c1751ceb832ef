import type { Service } from '../host/serve';
import { nextId } from '../net/ids';
import { type NetServiceOptions, resolveOptions } from '../net/options';
import { Registry } from '../net/registry';
import { TcpClientSession } from './clientSession';
import { TcpUpperServer } from './server';

/** TCP client sessions (`tcp.*`) and the built-in uppercase server (`tcpServer.*`) of one renderer. */
export function createTcpService(serviceOptions: NetServiceOptions = {}): Service {
  const options = resolveOptions(serviceOptions);
  return (session) => {
    const clients = new Registry<TcpClientSession>('TCP session');
    const servers = new Registry<TcpUpperServer>('TCP server');
    const client = (id: string) => clients.get(id);
    const server = (id: string) => servers.get(id);

    return {
      'tcp.connect': async (request, { signal }) => {
        const { client: opened, result } = await TcpClientSession.connect(
          nextId('tcp'),
          request,
          session,
          options,
          signal,
        );
        clients.add(opened);
        return result;
      },
      'tcp.send': (request) => client(request.sessionId).send(request),
      'tcp.shutdown': ({ sessionId }) => client(sessionId).shutdown(),
      'tcp.cancelWait': ({ sessionId, seq }) => ({ sessionId, cancelled: client(sessionId).cancelWait(seq) }),
      'tcp.close': ({ sessionId }) => {
        const result = client(sessionId).close();
        clients.delete(sessionId);
        return result;
      },
      'tcpServer.start': async (request, { signal }) => {
        const { server: started, result } = await TcpUpperServer.start(
          nextId('tcpServer'),
          request,
          session,
          options,
          signal,
        );
        servers.add(started);
        return result;
      },
      'tcpServer.stop': async ({ serverId }) => {
        const result = await server(serverId).stop();
        servers.delete(serverId);
        return result;
      },
    };
  };
}

export const tcpService = createTcpService();
