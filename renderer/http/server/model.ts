import { formatByteCount } from '../../../shared/bytes';
import type { Client } from '../../../shared/contract/client';
import { isPlaygroundError } from '../../../shared/contract/errors';
import {
  defaultWebServerPort,
  defaultWebServerTimeouts,
  type WebServerCounters,
  type WebServerLogEntry,
  type WebServerTimeouts,
} from '../../../shared/http/server/contract';
import type { EmulatedLink } from '../../../shared/net/link';
import type { ControlError } from '../../net/errors';
import type { FolderChooser } from '../../net/folderChooser';
import { sentence } from '../../net/format';
import { ServerModel, type StartedServer } from '../../net/serverModel';
import { Store } from '../../net/store';
import type { TranscriptInput, TranscriptOptions } from '../../transcript/model';
import { type ConnectionLines, webServerLogLines } from './logLines';

/** The web server has one way of working; the shared server model wants a mode. */
export type WebServerMode = 'files';

export interface WebServerSettings {
  /** As typed; empty means the bundled sample site. */
  readonly folder: string;
  readonly folderError: ControlError | undefined;
  /** What the running server serves: absolute, symbolic links resolved. */
  readonly served: { readonly folder: string; readonly sampleSite: boolean } | undefined;
  /** The time limits: the running server's as it reported them, else the defaults it will start with. */
  readonly timeouts: Readonly<WebServerTimeouts>;
}

/** Folder field, its error and what is served: beside the shared server state, which has no folder. */
export class WebServerSettingsStore extends Store<WebServerSettings> {
  update(next: Partial<WebServerSettings>): void {
    this.set({ ...this.state, ...next });
  }
}

/**
 * The built-in web server's panel: folder (empty = sample site), port, the Set-Cookie
 * demo switch, Start/Stop, counters, and the log, where each request appears with its
 * raw bytes and its number on its connection, followed by the response head as sent
 * (worded in logLines.ts).
 */
export class WebServerModel extends ServerModel<WebServerMode, WebServerCounters, WebServerLogEntry> {
  protected readonly protocol = 'TCP';
  readonly settings = new WebServerSettingsStore({
    folder: '',
    folderError: undefined,
    served: undefined,
    timeouts: defaultWebServerTimeouts,
  });
  /** The shared model's connection-naming lines, lent to the log's wording in logLines.ts. */
  private readonly lines: ConnectionLines = {
    listeningNote: (local) => this.listeningNote(local),
    party: (connectionId) => this.party(connectionId),
    acceptedLine: (base, entry, note) => this.acceptedLine(base, entry, note),
    closedLine: (base, entry, how) => this.closedLine(base, entry, how),
    connectionErrorLine: (base, entry) => this.connectionErrorLine(base, entry),
    linkLine: (base, entry) => this.link.logLine(base, entry),
  };

  /**
   * @param folders the desktop app's folder dialog, behind "Choose folder…" beside
   *   Folder; undefined in browser mode (no button: the folder is typed).
   */
  constructor(
    private readonly client: Client,
    options?: TranscriptOptions,
    readonly folders?: FolderChooser,
  ) {
    super({ mode: 'files', port: String(defaultWebServerPort), flags: { cookieDemo: true, checkHost: true } }, options);
  }

  /** Feeds this panel the `webServer.log` events; returns the unsubscribe (the page calls it on dispose). */
  watch(): () => void {
    return this.client.on('webServer.log', (payload) => this.handleLog(payload));
  }

  setFolder(folder: string): void {
    this.settings.update({ folder, folderError: undefined });
  }

  /** "Choose folder…": the folder chosen in the dialog replaces the typed one; Cancel leaves the text as it is. */
  async chooseFolder(): Promise<void> {
    if (!this.folders || this.state.phase !== 'stopped') return;
    const chosen = await this.folders.choose('Folder to serve', this.settings.state.folder);
    if ('error' in chosen) this.settings.update({ folderError: chosen.error });
    else if (chosen.path !== null) this.setFolder(chosen.path);
  }

  setCookieDemo(on: boolean): void {
    this.setFlag('cookieDemo', on);
  }

  /** The DNS-rebinding defence: answer only IP addresses, localhost and this machine's own name in Host. */
  setCheckHost(on: boolean): void {
    this.setFlag('checkHost', on);
  }

  protected override beforeStart(): boolean {
    this.settings.update({ folderError: undefined });
    return true;
  }

  /** A folder problem belongs under the Folder field, not under Start. */
  protected override placeStartError(error: unknown): boolean {
    if (!isPlaygroundError(error) || error.field !== 'payload.folder') return false;
    const message = error.message.replace(/^[\w.]+: payload\.folder: /, '');
    this.settings.update({ folderError: { code: String(error.code), message: sentence(message) } });
    return true;
  }

  protected async startServer(
    port: number,
    bindAddress: string,
    _mode: WebServerMode,
    link: EmulatedLink | null,
  ): Promise<StartedServer> {
    const folder = this.settings.state.folder.trim();
    const started = await this.client.call(
      'webServer.start',
      {
        port,
        bindAddress,
        cookieDemo: this.state.flags.cookieDemo ?? true,
        checkHost: this.state.flags.checkHost ?? true,
        ...(folder === '' ? {} : { folder }),
        ...(link ? { link } : {}),
      },
      { timeoutMs: 15_000 },
    );
    this.settings.update({
      served: { folder: started.folder, sampleSite: started.sampleSite },
      timeouts: started.timeouts,
    });
    return started;
  }

  protected override setServerLink(serverId: string, link: EmulatedLink | null): Promise<unknown> {
    return this.client.call('webServer.setLink', { serverId, link }, { timeoutMs: 15_000 });
  }

  protected stopServer(serverId: string): Promise<unknown> {
    return this.client.call('webServer.stop', { serverId }, { timeoutMs: 15_000 });
  }

  protected logInputs(entry: WebServerLogEntry): TranscriptInput[] {
    return webServerLogLines(entry, this.lines);
  }
}

/** The counters as the panel lists them. */
export function webServerCounterRows(counters: WebServerCounters): [string, string][] {
  return [
    ['Connections', `${counters.connectionsAccepted} (${counters.connectionsOpen} open)`],
    ['Refused', String(counters.connectionsRefused)],
    ['Closed to make room', String(counters.connectionsEvicted)],
    ['Requests', String(counters.requests)],
    ['2xx / 3xx', `${counters.responses2xx} / ${counters.responses3xx}`],
    ['4xx / 5xx', `${counters.responses4xx} / ${counters.responses5xx}`],
    ['Received', formatByteCount(counters.bytesReceived)],
    ['Sent', formatByteCount(counters.bytesSent)],
  ];
}
