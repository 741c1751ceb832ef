import type { Service } from '../host/serve';
import { nextId } from '../net/ids';
import { type NetServiceOptions, resolveOptions } from '../net/options';
import { Registry } from '../net/registry';
import { MailServer } from './mailServer';

/** The built-in mail servers (`mailServer.*`) of one renderer. */
export function createMailServerService(serviceOptions: NetServiceOptions = {}): Service {
  const options = resolveOptions(serviceOptions);
  return (session) => {
    const servers = new Registry<MailServer>('mail server');
    const server = (id: string) => servers.get(id);
    return {
      'mailServer.start': async (request, { signal }) => {
        const { server: started, result } = await MailServer.start(
          nextId('mailServer'),
          request,
          session,
          options,
          signal,
        );
        servers.add(started);
        return result;
      },
      'mailServer.stop': async ({ serverId }) => {
        const result = await server(serverId).stop();
        servers.delete(serverId);
        return result;
      },
      'mailServer.message': ({ serverId, messageId }) => server(serverId).message(messageId),
      'mailServer.saveMessage': ({ serverId, messageId, folder }) => server(serverId).saveMessage(messageId, folder),
      'mailServer.clearInbox': ({ serverId }) => server(serverId).clearInbox(),
    };
  };
}

export const mailServerService = createMailServerService();
