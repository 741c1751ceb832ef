import { formatByteCount } from '../../shared/bytes';
import type { Client } from '../../shared/contract/client';
import type { SocketAddress } from '../../shared/net/contract';
import type { TcpServerCounters, TcpServerLogEntry, TcpServerMode } from '../../shared/tcp/contract';
import { formatSocketAddress } from '../net/format';
import { ServerModel, type StartedServer } from '../net/serverModel';
import type { TranscriptInput, TranscriptOptions } from '../transcript/model';

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
  /** connectionId → the client's address, so every line names the connection it belongs to. */
  private readonly clients = new Map<string, SocketAddress>();

  constructor(
    private readonly client: Client,
    options?: TranscriptOptions,
  ) {
    super({ mode: 'classic' }, options);
  }

  protected async startServer(port: number, bindAddress: string, mode: TcpServerMode): Promise<StartedServer> {
    this.clients.clear();
    return this.client.call('tcpServer.start', { port, bindAddress, mode }, { timeoutMs: 15_000 });
  }

  protected stopServer(serverId: string): Promise<unknown> {
    return this.client.call('tcpServer.stop', { serverId }, { timeoutMs: 15_000 });
  }

  protected logInputs(entry: TcpServerLogEntry): TranscriptInput[] {
    const base = { at: entry.at, mono: entry.mono };
    switch (entry.kind) {
      case 'listening': {
        const lines: TranscriptInput[] = [
          {
            ...base,
            direction: 'system',
            tone: 'ok',
            note: `${this.listeningNote(entry.local)} (${this.state.mode} mode)`,
          },
        ];
        if (entry.warning) lines.push({ ...base, direction: 'system', tone: 'warn', note: entry.warning });
        return lines;
      }
      case 'accepted':
        this.clients.set(entry.connectionId, entry.client);
        return [
          {
            ...base,
            direction: 'system',
            tone: 'ok',
            party: this.party(entry.connectionId),
            note: `accept() returned a new connection socket ${formatSocketAddress(entry.local)} for client ${formatSocketAddress(entry.client)}`,
          },
        ];
      case 'received':
        return [
          {
            ...base,
            direction: 'client-to-server',
            party: this.party(entry.connectionId),
            data: entry.data,
            size: entry.bytes,
            stream: `${entry.connectionId}:in`,
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
            stream: `${entry.connectionId}:out`,
            note: entry.invalidUtf8Bytes
              ? `${formatByteCount(entry.invalidUtf8Bytes)} that were not valid UTF-8 went back unchanged`
              : undefined,
            tone: entry.invalidUtf8Bytes ? 'warn' : undefined,
          },
        ];
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
      case 'closed': {
        this.log.endStream(`${entry.connectionId}:in`);
        this.log.endStream(`${entry.connectionId}:out`);
        const failed = entry.by === 'reset' || entry.by === 'error';
        return [
          {
            ...base,
            direction: 'system',
            tone: failed ? 'error' : 'info',
            party: this.party(entry.connectionId),
            note: entry.error ? `${closedBy[entry.by]}: ${entry.error.message}` : closedBy[entry.by],
          },
        ];
      }
      case 'error':
        return [
          {
            ...base,
            direction: 'system',
            tone: 'error',
            party: entry.connectionId ? this.party(entry.connectionId) : undefined,
            note: entry.error.message,
          },
        ];
      case 'stopped':
        return [
          {
            ...base,
            direction: 'system',
            tone: entry.reason === 'error' ? 'error' : 'info',
            note:
              entry.reason === 'error'
                ? 'the server stopped after an error'
                : 'stopped: the welcoming socket and every connection socket are closed',
          },
        ];
    }
  }

  private party(connectionId: string): string {
    const client = this.clients.get(connectionId);
    return client ? `${connectionId} ${formatSocketAddress(client)}` : connectionId;
  }
}
