import type { Service } from '../../service';
import { type NetServiceOptions, resolveOptions } from '../../net/options';
import { Registry } from '../../net/registry';
import { PlaygroundError } from '../../../shared/contract/errors';
import { MailServer } from './session';

/** The built-in mail servers (`mailServer.*`) of one renderer. */
export function createMailServerService(serviceOptions: NetServiceOptions = {}): Service {
  const options = resolveOptions(serviceOptions);
  return (session) => {
    const servers = new Registry<MailServer>('mail server', 'mailServer');
    const server = (id: string) => servers.get(id);
    // A stopped server's inbox can still be read and saved, until the next start lets it go.
    let stopped: string[] = [];
    return {
      'mailServer.start': (request, { signal }) => {
        for (const id of stopped) servers.delete(id);
        stopped = [];
        return servers.open((id) => MailServer.start(request, { id, session, options, signal }));
      },
      'mailServer.stop': async ({ serverId }) => {
        const running = server(serverId);
        if (!running.running) throw notRunning(serverId);
        const result = await running.stop();
        stopped.push(serverId);
        return result;
      },
      'mailServer.setLink': ({ serverId, link }) => server(serverId).setLink(link),
      'mailServer.message': ({ serverId, messageId }) => server(serverId).message(messageId),
      'mailServer.saveMessage': ({ serverId, messageId, folder }) => server(serverId).saveMessage(messageId, folder),
      'mailServer.clearInbox': ({ serverId }) => server(serverId).clearInbox(),
    };
  };
}

export const mailServerService = createMailServerService();

function notRunning(serverId: string): PlaygroundError {
  return new PlaygroundError({
    code: 'E_NOT_FOUND',
    message: `the mail server '${serverId}' is already stopped: start a new one`,
    details: { id: serverId },
  });
}
