import type { Client } from '../../shared/contract/client';
import { SessionRouter } from '../net/lab';
import type { ModelOptions } from '../net/session';
import { TabsModel } from '../net/tabs';
import { UdpClientModel } from './udpClientModel';
import { UdpServerModel } from './udpServerModel';

/** Everything on the UDP page: client tabs and the built-in server, fed by the `udp.*` and `udpServer.*` events. */
export class UdpLab {
  readonly clients: TabsModel<UdpClientModel>;
  readonly server: UdpServerModel;
  private readonly router: SessionRouter<UdpClientModel>;
  private readonly unsubscribeServer: () => void;

  constructor(client: Client, options: ModelOptions = {}) {
    let router: SessionRouter<UdpClientModel> | undefined;
    const created: UdpClientModel[] = [];
    this.clients = new TabsModel((tabId, label) => {
      const model = new UdpClientModel(client, tabId, label, options);
      if (router) router.watch(model);
      else created.push(model);
      return model;
    });
    router = new SessionRouter(client, this.clients);
    for (const model of created) router.watch(model);
    this.router = router;
    router.route('udp.datagrams', (tab, payload) => tab.handleEvent('udp.datagrams', payload));
    router.route('udp.noReply', (tab, payload) => tab.handleEvent('udp.noReply', payload));
    router.route('udp.error', (tab, payload) => tab.handleEvent('udp.error', payload));
    router.route('udp.closed', (tab, payload) => tab.handleEvent('udp.closed', payload));
    this.server = new UdpServerModel(client, options.transcript);
    this.unsubscribeServer = client.on('udpServer.log', (payload) => this.server.handleLog(payload));
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
