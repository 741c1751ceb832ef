import type { Client } from '../../shared/contract/client';
import { type ComposerOptions, ComposerModel } from './composerModel';
import { HttpExchanges } from './exchanges';

/**
 * Everything on the HTTP page, kept across navigation by useLab: the composer, the
 * exchanges it sent (what the response viewer shows) and the built-in web server.
 */
export class HttpLab {
  readonly exchanges: HttpExchanges;
  readonly composer: ComposerModel;
  // WEB SERVER SLOT: the built-in web server's model (renderer/http/webServerModel.ts) joins here.

  constructor(client: Client, options: ComposerOptions = {}) {
    this.exchanges = new HttpExchanges(client, options.now);
    this.composer = new ComposerModel(client, this.exchanges, options);
  }

  connectionLost(): void {
    this.composer.connectionLost();
  }

  dispose(): void {
    this.composer.dispose();
    this.exchanges.dispose();
  }
}
