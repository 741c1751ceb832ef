import type { Service } from '../../service';
import { type NetServiceOptions, resolveOptions } from '../../net/options';
import { Registry } from '../../net/registry';
import { UdpClientSession } from './session';

/** UDP client sessions (`udp.*`) of one renderer. */
export function createUdpClientService(serviceOptions: NetServiceOptions = {}): Service {
  const options = resolveOptions(serviceOptions);
  return (session) => {
    const clients = new Registry<UdpClientSession>('UDP session', 'udp');
    const client = (id: string) => clients.get(id);

    return {
      'udp.open': (request, { signal }) =>
        clients.open((id) => UdpClientSession.open(id, request, session, options, signal)),
      'udp.send': (request, { signal }) => client(request.sessionId).send(request, signal),
      'udp.cancelWait': ({ sessionId, seq }) => ({ sessionId, cancelled: client(sessionId).cancelWait(seq) }),
      'udp.close': ({ sessionId }) => clients.remove(sessionId, (opened) => opened.close()),
    };
  };
}

export const udpClientService = createUdpClientService();
