import type { Service } from '../../service';
import { type NetServiceOptions, resolveOptions } from '../../net/options';
import { Registry } from '../../net/registry';
import { WebServer } from './session';

/** The built-in web servers (`webServer.*`) of one renderer. */
export function createWebServerService(serviceOptions: NetServiceOptions = {}): Service {
  const options = resolveOptions(serviceOptions);
  return (session) => {
    const servers = new Registry<WebServer>('web server', 'webServer');
    return {
      'webServer.start': (request, { signal }) =>
        servers.open((id) => WebServer.start(request, { id, session, options, signal })),
      'webServer.stop': ({ serverId }) => servers.removeOnceStopped(serverId, (server) => server.stop()),
      'webServer.setLink': ({ serverId, link }) => servers.get(serverId).setLink(link),
    };
  };
}

export const webServerService = createWebServerService();
