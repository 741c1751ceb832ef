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
      'tcp.connect': async (request, { signal }) => {
        // A connection whose both directions are done is forgotten at once, not when the page closes it.
        const gone = (id: string) => clients.delete(id);
        const result = await clients.open((id) =>
          TcpClientSession.connect(id, request, session, options, signal, () => gone(id)),
        );
        if (!clients.get(result.sessionId).open) gone(result.sessionId);
        return result;
      },
      'tcp.send': (request) => client(request.sessionId).send(request),
      'tcp.shutdown': ({ sessionId }) => client(sessionId).shutdown(),
      'tcp.cancelIdle': ({ sessionId }) => client(sessionId).cancelIdle(),
      'tcp.cancelWait': ({ sessionId, seq }) => ({ sessionId, cancelled: client(sessionId).cancelWait(seq) }),
      'tcp.close': ({ sessionId }) => clients.remove(sessionId, (opened) => opened.close()),
    };
  };
}

export const tcpClientService = createTcpClientService();
