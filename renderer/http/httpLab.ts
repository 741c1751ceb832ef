import type { Client } from '../../shared/contract/client';
import { type ComposerOptions, ComposerModel } from './composerModel';
import { HttpExchanges } from './exchanges';
import { WebServerModel } from './webServerModel';

/**
 * Everything on the HTTP page, kept across navigation by useLab: the composer, the
 * exchanges it sent (what the response viewer shows) and the built-in web server.
 */
export class HttpLab {
  readonly exchanges: HttpExchanges;
  readonly composer: ComposerModel;
  readonly webServer: WebServerModel;
  private readonly stopServerLog: () => void;

  constructor(client: Client, options: ComposerOptions = {}) {
    this.exchanges = new HttpExchanges(client, options.now);
    this.composer = new ComposerModel(client, this.exchanges, options);
    this.webServer = new WebServerModel(client);
    this.stopServerLog = this.webServer.watch();
  }

  connectionLost(): void {
    this.composer.connectionLost();
    this.webServer.connectionLost();
  }

  dispose(): void {
    this.stopServerLog();
    this.composer.dispose();
    this.exchanges.dispose();
    this.webServer.dispose();
  }
}
