import type { Service } from '../host/serve';
import { notFound } from '../net/errors';
import { nextId } from '../net/ids';
import { type NetServiceOptions, resolveOptions } from '../net/options';
import { TcpClientSession } from './clientSession';
import { TcpUpperServer } from './server';

/** TCP client sessions (`tcp.*`) and the built-in uppercase server (`tcpServer.*`) of one renderer. */
export function createTcpService(serviceOptions: NetServiceOptions = {}): Service {
  const options = resolveOptions(serviceOptions);
  return (session) => {
    const clients = new Map<string, TcpClientSession>();
    const servers = new Map<string, TcpUpperServer>();
    const client = (id: string) => {
      const found = clients.get(id);
      if (!found) throw notFound('TCP session', id);
      return found;
    };
    const server = (id: string) => {
      const found = servers.get(id);
      if (!found) throw notFound('TCP server', id);
      return found;
    };

    return {
      'tcp.connect': async (request, { signal }) => {
        const { client: opened, result } = await TcpClientSession.connect(
          nextId('tcp'),
          request,
          session,
          options,
          signal,
        );
        clients.set(opened.id, opened);
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
        servers.set(started.id, started);
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
