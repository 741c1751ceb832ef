import type { Service } from '../host/serve';
import { type NetServiceOptions, resolveOptions } from '../net/options';
import { Registry } from '../net/registry';
import { TcpClientSession } from './clientSession';
import { TcpUpperServer } from './server';

/** TCP client sessions (`tcp.*`) and the built-in uppercase server (`tcpServer.*`) of one renderer. */
export function createTcpService(serviceOptions: NetServiceOptions = {}): Service {
  const options = resolveOptions(serviceOptions);
  return (session) => {
    const clients = new Registry<TcpClientSession>('TCP session', 'tcp');
    const servers = new Registry<TcpUpperServer>('TCP server', 'tcpServer');
    const client = (id: string) => clients.get(id);

    return {
      'tcp.connect': (request, { signal }) =>
        clients.open((id) => TcpClientSession.connect(id, request, session, options, signal)),
      'tcp.send': (request) => client(request.sessionId).send(request),
      'tcp.shutdown': ({ sessionId }) => client(sessionId).shutdown(),
      'tcp.cancelWait': ({ sessionId, seq }) => ({ sessionId, cancelled: client(sessionId).cancelWait(seq) }),
      'tcp.close': ({ sessionId }) => clients.remove(sessionId, (opened) => opened.close()),
      'tcpServer.start': (request, { signal }) =>
        servers.open((id) => TcpUpperServer.start(id, request, session, options, signal)),
      'tcpServer.stop': ({ serverId }) => servers.removeOnceStopped(serverId, (server) => server.stop()),
    };
  };
}

export const tcpService = createTcpService();
