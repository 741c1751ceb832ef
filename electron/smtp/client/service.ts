import type { Service } from '../../service';
import { type NetServiceOptions, resolveOptions } from '../../net/options';
import { Registry } from '../../net/registry';
import { openSmtpConnection } from './connect';
import type { SmtpClientSession } from './session';

/** The SMTP conversation builder's client (`smtp.*`) for one renderer. */
export function createSmtpClientService(serviceOptions: NetServiceOptions = {}): Service {
  const options = resolveOptions(serviceOptions);
  return (session) => {
    const clients = new Registry<SmtpClientSession>('SMTP session', 'smtp');
    const client = (id: string) => clients.get(id);

    return {
      'smtp.connect': (request, { signal }) =>
        clients.open((id) => openSmtpConnection(id, request, session, options, signal)),
      'smtp.send': (request, { signal }) => client(request.sessionId).send(request, signal),
      'smtp.cancelWait': ({ sessionId, seq }) => ({ sessionId, cancelled: client(sessionId).cancelWait(seq) }),
      'smtp.startTls': (request, { signal }) => client(request.sessionId).startTls(request, signal),
      'smtp.close': ({ sessionId }) => clients.remove(sessionId, (opened) => opened.close()),
      // nodemailer's composer loads on first use: a replay that never composes skips ~20 ms of start-up.
      'smtp.composeMessage': async (request) => (await import('./composeMessage')).composeMessage(request),
    };
  };
}

export const smtpClientService = createSmtpClientService();
