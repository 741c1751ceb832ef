import type { Service } from '../host/serve';
import { nextId } from '../net/ids';
import { type NetServiceOptions, resolveOptions } from '../net/options';
import { Registry } from '../net/registry';
import { WebServer } from './webServer';

/** The built-in web servers (`webServer.*`) of one renderer. */
export function createWebServerService(serviceOptions: NetServiceOptions = {}): Service {
  const options = resolveOptions(serviceOptions);
  return (session) => {
    const servers = new Registry<WebServer>('web server');
    return {
      'webServer.start': async (request, { signal }) => {
        const { server, result } = await WebServer.start(nextId('webServer'), request, session, options, signal);
        servers.add(server);
        return result;
      },
      'webServer.stop': async ({ serverId }) => {
        const result = await servers.get(serverId).stop();
        servers.delete(serverId);
        return result;
      },
    };
  };
}

export const webServerService = createWebServerService();
