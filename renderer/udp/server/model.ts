import { formatByteCount } from '../../../shared/bytes';
import type { Client } from '../../../shared/contract/client';
import type { EmulatedLink } from '../../../shared/net/link';
import {
  textbookRecvBufferBytes,
  type UdpServerCounters,
  type UdpServerLogEntry,
  type udpServerModes,
} from '../../../shared/udp/server/contract';
import { formatSocketAddress } from '../../net/format';
import { errorLine, listeningLines, stoppedLine, unchangedBytesNote } from '../../net/serverLog';
import { delayedNote, joinNotes, withDelay } from '../../net/linkModel';
import { ServerModel, type StartedServer } from '../../net/serverModel';
import type { TranscriptInput, TranscriptOptions } from '../../transcript/model';

export type UdpServerMode = (typeof udpServerModes)[number];

export const udpModeLabels: Record<UdpServerMode, string> = {
  upper: 'Uppercase (textbook): reply in capitals',
  echo: 'Echo: send the datagram back unchanged',
};

/** The flag for reading like the textbook's recvfrom(2048). */
export const recvBufferFlag = 'recvBuffer';

/** The built-in UDP uppercase server: one socket, each datagram answered to its sender's address. */
export class UdpServerModel extends ServerModel<UdpServerMode, UdpServerCounters, UdpServerLogEntry> {
  protected readonly protocol = 'UDP';

  constructor(
    private readonly client: Client,
    options?: TranscriptOptions,
  ) {
    super({ mode: 'upper', flags: { [recvBufferFlag]: true }, protocol: 'UDP' }, options);
  }

  protected startServer(
    port: number,
    bindAddress: string,
    mode: UdpServerMode,
    link: EmulatedLink | null,
  ): Promise<StartedServer> {
    const recvBufferBytes = this.state.flags[recvBufferFlag] ? textbookRecvBufferBytes : null;
    return this.client.call(
      'udpServer.start',
      { port, bindAddress, mode, recvBufferBytes, ...(link ? { link } : {}) },
      { timeoutMs: 15_000 },
    );
  }

  protected override setServerLink(serverId: string, link: EmulatedLink | null): Promise<unknown> {
    return this.client.call('udpServer.setLink', { serverId, link }, { timeoutMs: 15_000 });
  }

  protected stopServer(serverId: string): Promise<unknown> {
    return this.client.call('udpServer.stop', { serverId }, { timeoutMs: 15_000 });
  }

  protected logInputs(entry: UdpServerLogEntry): TranscriptInput[] {
    const base = { at: entry.at, mono: entry.mono };
    switch (entry.kind) {
      case 'listening': {
        const reads = this.state.flags[recvBufferFlag]
          ? `reads each datagram like recvfrom(${textbookRecvBufferBytes})`
          : 'reads whole datagrams';
        return listeningLines(base, `${this.listeningNote(entry.local)}; ${reads}`, entry.warning);
      }
      case 'received':
        return [
          {
            ...base,
            direction: 'client-to-server',
            party: formatSocketAddress(entry.client),
            data: entry.data,
            size: entry.bytes,
            note: joinNotes(
              delayedNote(entry.linkDelayMs),
              entry.cutTo !== undefined
                ? `recvfrom(${entry.cutTo}) cut the datagram: only ${formatByteCount(entry.cutTo)} of ${formatByteCount(entry.bytes)} were read, the rest is lost`
                : undefined,
            ),
            tone: entry.cutTo !== undefined ? 'warn' : undefined,
          },
        ];
      case 'replied':
        return [
          {
            ...base,
            direction: 'server-to-client',
            party: formatSocketAddress(entry.client),
            data: entry.data,
            size: entry.bytes,
            ...withDelay(unchangedBytesNote(entry.invalidUtf8Bytes), entry.linkDelayMs),
          },
        ];
      case 'dropped':
        return [
          {
            ...base,
            direction: 'client-to-server',
            party: formatSocketAddress(entry.client),
            data: entry.data,
            size: entry.bytes,
            tone: 'warn',
            note: 'dropped (emulated link): the server never read it and sends no reply',
          },
        ];
      case 'link':
        return [this.link.logLine(base, entry)];
      case 'error':
        return [errorLine(base, entry.client ? formatSocketAddress(entry.client) : undefined, entry.error)];
      case 'stopped':
        return [stoppedLine(base, entry.reason, 'stopped: the socket is closed')];
    }
  }
}
