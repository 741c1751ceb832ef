import type { Service } from '../../service';
import { type NetServiceOptions, resolveOptions } from '../../net/options';
import { Registry } from '../../net/registry';
import { TcpClientSession } from './session';

/** TCP client sessions (`tcp.*`) of one renderer. */
export function createTcpClientService(serviceOptions: NetServiceOptions = {}): Service {
  const options = resolveOptions(serviceOptions);
  return (session) => {
    const clients = new Registry<TcpClientSession>('TCP session', 'tcp');
    const client = (id: string) => clients.get(id);

    return {
      'tcp.connect': (request, { signal }) =>
        clients.open((id) => TcpClientSession.connect(id, request, session, options, signal)),
      'tcp.send': (request) => client(request.sessionId).send(request),
      'tcp.shutdown': ({ sessionId }) => client(sessionId).shutdown(),
      'tcp.cancelWait': ({ sessionId, seq }) => ({ sessionId, cancelled: client(sessionId).cancelWait(seq) }),
      'tcp.close': ({ sessionId }) => clients.remove(sessionId, (opened) => opened.close()),
    };
  };
}

export const tcpClientService = createTcpClientService();
