import type { Client } from '../../shared/contract/client';
import type { FolderChooser } from '../net/folderChooser';
import { type ComposerOptions, ComposerModel } from './client/model';
import { HttpExchanges } from './client/exchanges';
import { ExperimentModel } from './experiment/model';
import { WebServerModel } from './server/model';

/**
 * Everything on the HTTP page, kept across navigation by useLab: the composer, the
 * exchanges it sent (what the response viewer shows) and the built-in web server.
 */
export class HttpLab {
  readonly exchanges: HttpExchanges;
  readonly composer: ComposerModel;
  readonly webServer: WebServerModel;
  /** The persistent vs non-persistent experiment, with its own web server while it runs. */
  readonly experiment: ExperimentModel;
  private readonly stopServerLog: () => void;

  /** `folders`: the desktop app's folder dialog for the web server's Folder (none in browser mode). */
  constructor(client: Client, options: ComposerOptions & { folders?: FolderChooser | undefined } = {}) {
    this.exchanges = new HttpExchanges(client, options.now);
    this.composer = new ComposerModel(client, this.exchanges, options);
    this.webServer = new WebServerModel(client, undefined, options.folders);
    this.stopServerLog = this.webServer.watch();
    this.experiment = new ExperimentModel(client);
  }

  /** A request in the history, or the web server running or with a log. */
  hasUnsavedWork(): boolean {
    return this.exchanges.state.exchanges.length > 0 || this.webServer.hasUnsavedWork();
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
    this.experiment.dispose();
  }
}
