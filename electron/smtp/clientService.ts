import type { Service } from '../host/serve';
import { nextId } from '../net/ids';
import { type NetServiceOptions, resolveOptions } from '../net/options';
import { Registry } from '../net/registry';
import { openSmtpConnection } from './clientConnect';
import type { SmtpClientSession } from './clientSession';
import { composeMessage } from './composeMessage';

/** The SMTP conversation builder's client (`smtp.*`) for one renderer. */
export function createSmtpClientService(serviceOptions: NetServiceOptions = {}): Service {
  const options = resolveOptions(serviceOptions);
  return (session) => {
    const clients = new Registry<SmtpClientSession>('SMTP session');
    const client = (id: string) => clients.get(id);

    return {
      'smtp.connect': async (request, { signal }) => {
        const { client: opened, result } = await openSmtpConnection(nextId('smtp'), request, session, options, signal);
        clients.add(opened);
        return result;
      },
      'smtp.send': (request, { signal }) => client(request.sessionId).send(request, signal),
      'smtp.cancelWait': ({ sessionId, seq }) => ({ sessionId, cancelled: client(sessionId).cancelWait(seq) }),
      'smtp.startTls': (request, { signal }) => client(request.sessionId).startTls(request, signal),
      'smtp.close': ({ sessionId }) => {
        const result = client(sessionId).close();
        clients.delete(sessionId);
        return result;
      },
      'smtp.composeMessage': (request) => composeMessage(request),
    };
  };
}

export const smtpClientService = createSmtpClientService();
