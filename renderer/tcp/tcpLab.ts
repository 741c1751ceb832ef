import type { Client } from '../../shared/contract/client';
import { SessionRouter } from '../net/lab';
import type { ModelOptions } from '../net/session';
import { TabsModel } from '../net/tabs';
import { TcpClientModel } from './tcpClientModel';
import { TcpServerModel } from './tcpServerModel';

/** Everything on the TCP page: client tabs and the built-in server, fed by the `tcp.*` and `tcpServer.*` events. */
export class TcpLab {
  readonly clients: TabsModel<TcpClientModel>;
  readonly server: TcpServerModel;
  private readonly router: SessionRouter<TcpClientModel>;
  private readonly unsubscribeServer: () => void;

  constructor(client: Client, options: ModelOptions = {}) {
    let router: SessionRouter<TcpClientModel> | undefined;
    const created: TcpClientModel[] = [];
    this.clients = new TabsModel((tabId, label) => {
      const model = new TcpClientModel(client, tabId, label, options);
      if (router) router.watch(model);
      else created.push(model);
      return model;
    });
    router = new SessionRouter(client, this.clients);
    for (const model of created) router.watch(model);
    this.router = router;
    router.route('tcp.data', (tab, payload) => tab.handleEvent('tcp.data', payload));
    router.route('tcp.peerEnded', (tab, payload) => tab.handleEvent('tcp.peerEnded', payload));
    router.route('tcp.noReply', (tab, payload) => tab.handleEvent('tcp.noReply', payload));
    router.route('tcp.closed', (tab, payload) => tab.handleEvent('tcp.closed', payload));
    this.server = new TcpServerModel(client, options.transcript);
    this.unsubscribeServer = client.on('tcpServer.log', (payload) => this.server.handleLog(payload));
  }

  connectionLost(): void {
    this.router.connectionLost();
    this.server.connectionLost();
  }

  dispose(): void {
    for (const tab of this.clients.state.tabs) tab.dispose();
    this.server.dispose();
    this.router.dispose();
    this.unsubscribeServer();
  }
}
