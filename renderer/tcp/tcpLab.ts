import type { Client } from '../../shared/contract/client';
import { SocketLab } from '../net/lab';
import type { ModelOptions } from '../net/session';
import { TcpClientModel } from './client/model';
import { TcpServerModel } from './server/model';

/** Everything on the TCP page: client tabs and the built-in server, fed by the `tcp.*` and `tcpServer.*` events. */
export class TcpLab extends SocketLab<TcpClientModel, TcpServerModel> {
  constructor(client: Client, options: ModelOptions = {}) {
    super(client, {
      createTab: (tabId, label) => new TcpClientModel(client, tabId, label, options),
      server: new TcpServerModel(client, options.transcript),
      routeEvents: (router) => {
        router.route('tcp.data', (tab, payload) => tab.handleEvent('tcp.data', payload));
        router.route('tcp.flow', (tab, payload) => tab.handleEvent('tcp.flow', payload));
        router.route('tcp.peerEnded', (tab, payload) => tab.handleEvent('tcp.peerEnded', payload));
        router.route('tcp.noReply', (tab, payload) => tab.handleEvent('tcp.noReply', payload));
        router.route('tcp.closed', (tab, payload) => tab.handleEvent('tcp.closed', payload));
      },
      watchServerLog: (server) => client.on('tcpServer.log', (payload) => server.handleLog(payload)),
    });
  }
}
