import type { Client } from '../../../shared/contract/client';
import type { EmulatedLink } from '../../../shared/net/link';
import type { TcpServerCounters, TcpServerLogEntry, TcpServerMode } from '../../../shared/tcp/server/contract';
import { formatSocketAddress } from '../../net/format';
import { listeningLines, stoppedLine, unchangedBytesNote } from '../../net/serverLog';
import { delayedNote, withDelay } from '../../net/linkModel';
import { ServerModel, type StartedServer } from '../../net/serverModel';
import type { TranscriptInput, TranscriptOptions } from '../../transcript/model';

export const tcpModeLabels: Record<TcpServerMode, string> = {
  classic: 'Classic (textbook): recv(1024), reply, close',
  lines: 'Line by line: reply to each line, stay open',
  echo: 'Echo: send back what arrives',
};

const closedBy: Record<Extract<TcpServerLogEntry, { kind: 'closed' }>['by'], string> = {
  server: 'the server closed this connection socket (the welcoming socket stays open)',
  client: 'the client closed the connection',
  reset: 'the client reset the connection (RST)',
  error: 'the connection failed',
  idle: 'closed after no traffic for the idle time',
};

/** The built-in TCP uppercase server: a welcoming socket, and one connection socket per accepted client. */
export class TcpServerModel extends ServerModel<TcpServerMode, TcpServerCounters, TcpServerLogEntry> {
  protected readonly protocol = 'TCP';

  constructor(
    private readonly client: Client,
    options?: TranscriptOptions,
  ) {
    super({ mode: 'classic', protocol: 'TCP' }, options);
  }

  protected startServer(
    port: number,
    bindAddress: string,
    mode: TcpServerMode,
    link: EmulatedLink | null,
  ): Promise<StartedServer> {
    return this.client.call(
      'tcpServer.start',
      { port, bindAddress, mode, ...(link ? { link } : {}) },
      { timeoutMs: 15_000 },
    );
  }

  protected override setServerLink(serverId: string, link: EmulatedLink | null): Promise<unknown> {
    return this.client.call('tcpServer.setLink', { serverId, link }, { timeoutMs: 15_000 });
  }

  protected stopServer(serverId: string): Promise<unknown> {
    return this.client.call('tcpServer.stop', { serverId }, { timeoutMs: 15_000 });
  }

  protected logInputs(entry: TcpServerLogEntry): TranscriptInput[] {
    const base = { at: entry.at, mono: entry.mono };
    switch (entry.kind) {
      case 'listening':
        return listeningLines(base, `${this.listeningNote(entry.local)} (${this.state.mode} mode)`, entry.warning);
      case 'accepted':
        return [
          this.acceptedLine(
            base,
            entry,
            `accept() returned a new connection socket ${formatSocketAddress(entry.local)} for client ${formatSocketAddress(entry.client)}`,
          ),
        ];
      case 'received':
        return [
          {
            ...base,
            direction: 'client-to-server',
            party: this.party(entry.connectionId),
            data: entry.data,
            size: entry.bytes,
            stream: this.streamKey(entry.connectionId, 'in'),
            note: delayedNote(entry.linkDelayMs),
          },
        ];
      case 'replied':
        return [
          {
            ...base,
            direction: 'server-to-client',
            party: this.party(entry.connectionId),
            data: entry.data,
            size: entry.bytes,
            stream: this.streamKey(entry.connectionId, 'out'),
            ...withDelay(unchangedBytesNote(entry.invalidUtf8Bytes), entry.linkDelayMs),
          },
        ];
      case 'link':
        return [this.link.logLine(base, entry)];
      case 'discarded':
        return [
          {
            ...base,
            direction: 'system',
            tone: 'warn',
            party: this.party(entry.connectionId),
            size: entry.bytes,
            note: `not read: ${entry.reason}`,
          },
        ];
      case 'peerEnded':
        return [
          {
            ...base,
            direction: 'system',
            party: this.party(entry.connectionId),
            note: 'the client shut down its write side (FIN): it sends nothing more',
          },
        ];
      case 'closed':
        return [this.closedLine(base, entry, closedBy[entry.by])];
      case 'error':
        return [this.connectionErrorLine(base, entry)];
      case 'stopped':
        return [
          stoppedLine(base, entry.reason, 'stopped: the welcoming socket and every connection socket are closed'),
        ];
    }
  }
}
