import { encodeUtf8, formatByteCount } from '../../../shared/bytes';
import type { Client } from '../../../shared/contract/client';
import { isPlaygroundError } from '../../../shared/contract/errors';
import {
  defaultWebServerPort,
  type WebServerCounters,
  type WebServerLogEntry,
} from '../../../shared/http/server/contract';
import type { ControlError } from '../../net/errors';
import type { FolderChooser } from '../../net/folderChooser';
import { formatSocketAddress, plural, sentence } from '../../net/format';
import { listeningLines, stoppedLine } from '../../net/serverLog';
import { ServerModel, type StartedServer } from '../../net/serverModel';
import { Store } from '../../net/store';
import type { TranscriptInput, TranscriptOptions, TranscriptTone } from '../../transcript/model';

/** The web server has one way of working; the shared server model wants a mode. */
export type WebServerMode = 'files';

export interface WebServerSettings {
  /** As typed; empty means the bundled sample site. */
  readonly folder: string;
  readonly folderError: ControlError | undefined;
  /** What the running server serves: absolute, symbolic links resolved. */
  readonly served: { readonly folder: string; readonly sampleSite: boolean } | undefined;
}

/** Folder field, its error and what is served: beside the shared server state, which has no folder. */
export class WebServerSettingsStore extends Store<WebServerSettings> {
  update(next: Partial<WebServerSettings>): void {
    this.set({ ...this.state, ...next });
  }
}

const closedBy: Record<Extract<WebServerLogEntry, { kind: 'closed' }>['by'], string> = {
  server: 'the server closed the connection',
  client: 'the client closed the connection',
  reset: 'the client reset the connection (RST)',
  error: 'the connection failed',
  idle: 'the server closed the idle connection (keep-alive timeout)',
  stopped: 'closed because the server stopped',
};

/**
 * The built-in web server's panel: folder (empty = sample site), port, the Set-Cookie
 * demo switch, Start/Stop, counters, and the log, where each request appears with its
 * raw bytes and its number on its connection, followed by the response head as sent.
 */
export class WebServerModel extends ServerModel<WebServerMode, WebServerCounters, WebServerLogEntry> {
  protected readonly protocol = 'TCP';
  readonly settings = new WebServerSettingsStore({ folder: '', folderError: undefined, served: undefined });

  /**
   * @param folders the desktop app's folder dialog, behind "Choose folder…" beside
   *   Folder; undefined in browser mode (no button: the folder is typed).
   */
  constructor(
    private readonly client: Client,
    options?: TranscriptOptions,
    readonly folders?: FolderChooser,
  ) {
    super({ mode: 'files', port: String(defaultWebServerPort), flags: { cookieDemo: true } }, options);
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

  protected async startServer(port: number, bindAddress: string): Promise<StartedServer> {
    const folder = this.settings.state.folder.trim();
    const started = await this.client.call(
      'webServer.start',
      {
        port,
        bindAddress,
        cookieDemo: this.state.flags.cookieDemo ?? true,
        ...(folder === '' ? {} : { folder }),
      },
      { timeoutMs: 15_000 },
    );
    this.settings.update({ served: { folder: started.folder, sampleSite: started.sampleSite } });
    return started;
  }

  protected stopServer(serverId: string): Promise<unknown> {
    return this.client.call('webServer.stop', { serverId }, { timeoutMs: 15_000 });
  }

  protected logInputs(entry: WebServerLogEntry): TranscriptInput[] {
    const base = { at: entry.at, mono: entry.mono };
    switch (entry.kind) {
      case 'listening': {
        const what = entry.sampleSite ? 'the sample site' : entry.folder;
        return listeningLines(base, `${this.listeningNote(entry.local)}, serving ${what}`, entry.warning);
      }
      case 'accepted':
        return [this.acceptedLine(base, entry, `new TCP connection from ${formatSocketAddress(entry.client)}`)];
      case 'refused':
        return [
          {
            ...base,
            direction: 'system',
            tone: 'warn',
            note: `refused ${formatSocketAddress(entry.client)}: ${entry.reason}`,
          },
        ];
      case 'request':
        return [
          {
            ...base,
            direction: 'client-to-server',
            party: this.party(entry.connectionId),
            seq: entry.requestNumber,
            data: entry.raw,
            size: entry.rawBytes,
            tone: entry.problem ? 'warn' : undefined,
            note: requestNote(entry),
          },
        ];
      case 'response':
        return [
          {
            ...base,
            direction: 'server-to-client',
            party: this.party(entry.connectionId),
            seq: entry.requestNumber,
            data: responseHead(entry),
            tone: statusTone(entry.status),
            note: responseNote(entry),
          },
        ];
      case 'ignored':
        return [
          {
            ...base,
            direction: 'client-to-server',
            party: this.party(entry.connectionId),
            data: entry.raw,
            size: entry.rawBytes,
            tone: 'warn',
            note: `not read: ${entry.reason}`,
          },
        ];
      case 'closed': {
        const served = `after ${plural(entry.requestsServed, 'request')}`;
        return [this.closedLine(base, entry, `${closedBy[entry.by]} ${served}`)];
      }
      case 'error':
        return [this.connectionErrorLine(base, entry)];
      case 'stopped':
        return [stoppedLine(base, entry.reason, 'stopped: the listening socket and every connection are closed')];
    }
  }
}

type RequestEntry = Extract<WebServerLogEntry, { kind: 'request' }>;
type ResponseEntry = Extract<WebServerLogEntry, { kind: 'response' }>;

function requestNote(entry: RequestEntry): string {
  const which = `request ${entry.requestNumber} on this connection`;
  if (entry.problem) return `${which}, could not be parsed: ${entry.problem}`;
  return `${which}: ${entry.method ?? '?'} ${entry.target ?? '?'} ${entry.version ?? ''}`.trimEnd();
}

/** The response's status line and headers as they went out, so CR/LF show like the request's. */
export function responseHead(entry: ResponseEntry): Uint8Array {
  const lines = [entry.statusLine, ...entry.headers.map((h) => `${h.name}: ${h.value}`)];
  return encodeUtf8(`${lines.join('\r\n')}\r\n\r\n`);
}

export function responseNote(entry: ResponseEntry): string {
  const parts = [entry.statusLine.replace(/^HTTP\/\d\.\d /, '')];
  if (entry.file) parts.push(entry.file);
  if (entry.reason) parts.push(entry.reason);
  parts.push(entry.bodyBytes > 0 ? `body ${formatByteCount(entry.bodyBytes)} (not shown)` : 'no body');
  parts.push(entry.keepAlive ? 'connection stays open' : 'server closes the connection');
  return parts.join(' · ');
}

function statusTone(status: number): TranscriptTone {
  if (status >= 500) return 'error';
  if (status >= 400) return 'warn';
  return 'ok';
}

/** The counters as the panel lists them. */
export function webServerCounterRows(counters: WebServerCounters): [string, string][] {
  return [
    ['Connections', `${counters.connectionsAccepted} (${counters.connectionsOpen} open)`],
    ['Refused', String(counters.connectionsRefused)],
    ['Requests', String(counters.requests)],
    ['2xx / 3xx', `${counters.responses2xx} / ${counters.responses3xx}`],
    ['4xx / 5xx', `${counters.responses4xx} / ${counters.responses5xx}`],
    ['Received', formatByteCount(counters.bytesReceived)],
    ['Sent', formatByteCount(counters.bytesSent)],
  ];
}
