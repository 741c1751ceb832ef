import type { Client } from '../../shared/contract/client';
import { SocketLab } from '../net/lab';
import type { ModelOptions } from '../net/session';
import { UdpClientModel } from './client/model';
import { UdpServerModel } from './server/model';

/** Everything on the UDP page: client tabs and the built-in server, fed by the `udp.*` and `udpServer.*` events. */
export class UdpLab extends SocketLab<UdpClientModel, UdpServerModel> {
  constructor(client: Client, options: ModelOptions = {}) {
    super(client, {
      createTab: (tabId, label) => new UdpClientModel(client, tabId, label, options),
      server: new UdpServerModel(client, options.transcript),
      routeEvents: (router) => {
        router.route('udp.datagrams', (tab, payload) => tab.handleEvent('udp.datagrams', payload));
        router.route('udp.noReply', (tab, payload) => tab.handleEvent('udp.noReply', payload));
        router.route('udp.error', (tab, payload) => tab.handleEvent('udp.error', payload));
        router.route('udp.closed', (tab, payload) => tab.handleEvent('udp.closed', payload));
      },
      watchServerLog: (server) => client.on('udpServer.log', (payload) => server.handleLog(payload)),
    });
  }
}
