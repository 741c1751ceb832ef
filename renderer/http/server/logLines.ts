import { encodeUtf8, formatByteCount } from '../../../shared/bytes';
import type { SocketAddress } from '../../../shared/net/contract';
import type { WebServerLogEntry } from '../../../shared/http/server/contract';
import { formatSocketAddress, plural } from '../../net/format';
import { type AcceptedEntry, type ErrorEntry, type LogStamp, listeningLines, stoppedLine } from '../../net/serverLog';
import type { LinkEntry } from '../../../shared/net/link';
import { delayedNote, joinNotes } from '../../net/linkModel';
import type { TranscriptInput, TranscriptTone } from '../../transcript/model';

/**
 * The web server's log lines, as its panel's "Server log" shows them: each connection,
 * each request's raw bytes with its number on its connection, and the response head
 * that answered it. Beside the view, not in WebServerModel, which only feeds them in.
 */

/** The shared server model's lines that name a connection (it remembers each client's address). */
export interface ConnectionLines {
  listeningNote(local: SocketAddress): string;
  party(connectionId: string): string;
  acceptedLine(base: LogStamp, entry: Pick<AcceptedEntry, 'connectionId' | 'client'>, note: string): TranscriptInput;
  closedLine(
    base: LogStamp,
    entry: { readonly connectionId: string; readonly by: string; readonly error?: { message: string } | undefined },
    how: string,
  ): TranscriptInput;
  connectionErrorLine(base: LogStamp, entry: Pick<ErrorEntry, 'connectionId' | 'error'>): TranscriptInput;
  linkLine(base: LogStamp, entry: LinkEntry): TranscriptInput;
}

const closedBy: Record<Extract<WebServerLogEntry, { kind: 'closed' }>['by'], string> = {
  server: 'the server closed the connection',
  client: 'the client closed the connection',
  reset: 'the client reset the connection (RST)',
  error: 'the connection failed',
  idle: 'the server closed the idle connection (keep-alive timeout)',
  stopped: 'closed because the server stopped',
  room: 'the server closed the connection to make room for a new one',
};

export function webServerLogLines(entry: WebServerLogEntry, server: ConnectionLines): TranscriptInput[] {
  const base = { at: entry.at, mono: entry.mono };
  switch (entry.kind) {
    case 'listening': {
      const what = entry.sampleSite ? 'the sample site' : entry.folder;
      return listeningLines(base, `${server.listeningNote(entry.local)}, serving ${what}`, entry.warning);
    }
    case 'accepted':
      return [server.acceptedLine(base, entry, `new TCP connection from ${formatSocketAddress(entry.client)}`)];
    case 'refused':
      return [
        {
          ...base,
          direction: 'system',
          tone: 'warn',
          note: `refused ${formatSocketAddress(entry.client)}: ${entry.reason}`,
        },
      ];
    case 'evicted':
      return [
        {
          ...base,
          direction: 'system',
          party: server.party(entry.connectionId),
          tone: 'warn',
          note:
            `closed the oldest unfinished connection (${server.party(entry.connectionId)}, ` +
            `${formatSeconds(entry.waitedMs)} without a complete request head) to make room for ` +
            `${formatSocketAddress(entry.client)}: all ${entry.maxConnections} connection slots were taken`,
        },
      ];
    case 'request':
      return [
        {
          ...base,
          direction: 'client-to-server',
          party: server.party(entry.connectionId),
          seq: entry.requestNumber,
          data: entry.raw,
          size: entry.rawBytes,
          tone: entry.problem ? 'warn' : undefined,
          note: joinNotes(delayedNote(entry.linkDelayMs), requestNote(entry)),
        },
      ];
    case 'response':
      return [
        {
          ...base,
          direction: 'server-to-client',
          party: server.party(entry.connectionId),
          seq: entry.requestNumber,
          data: responseHead(entry),
          tone: statusTone(entry.status),
          note: joinNotes(delayedNote(entry.linkDelayMs), responseNote(entry)),
        },
      ];
    case 'ignored':
      return [
        {
          ...base,
          direction: 'client-to-server',
          party: server.party(entry.connectionId),
          data: entry.raw,
          size: entry.rawBytes,
          tone: 'warn',
          note: `not read: ${entry.reason}`,
        },
      ];
    case 'closed': {
      const served = `after ${plural(entry.requestsServed, 'request')}`;
      return [server.closedLine(base, entry, `${closedBy[entry.by]} ${served}`)];
    }
    case 'link':
      return [server.linkLine(base, entry)];
    case 'error':
      return [server.connectionErrorLine(base, entry)];
    case 'stopped':
      return [stoppedLine(base, entry.reason, 'stopped: the listening socket and every connection are closed')];
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

/** A wait in whole seconds, or tenths below 10 s. */
function formatSeconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}
