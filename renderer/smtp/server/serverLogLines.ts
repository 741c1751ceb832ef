import { formatByteCount } from '../../../shared/bytes';
import type { LinkEntry } from '../../../shared/net/link';
import { delayedNote, joinNotes } from '../../net/linkModel';
import { replyCodeInfo } from '../../../shared/smtp/reply/replyCodes';
import type { MailServerLogEntry } from '../../../shared/smtp/server/contract';
import { formatSocketAddress } from '../../net/format';
import { type AcceptedEntry, type ErrorEntry, listeningLines, type LogStamp, stoppedLine } from '../../net/serverLog';
import type { TranscriptInput } from '../../transcript/model';

/**
 * What the wording needs from the server's log: who a connection is, which stream its
 * bytes belong to, and the lines every built-in server words alike (they also keep
 * the log's books: the client's address, the end of a connection's streams).
 */
export interface MailLogHelpers {
  party(connectionId: string, tls?: boolean): string;
  streamKey(connectionId: string, way: 'in' | 'out'): string;
  acceptedLine(base: LogStamp, entry: Pick<AcceptedEntry, 'connectionId' | 'client'>, note: string): TranscriptInput;
  closedLine(base: LogStamp, entry: Extract<MailServerLogEntry, { kind: 'closed' }>, how: string): TranscriptInput;
  connectionErrorLine(base: LogStamp, entry: Pick<ErrorEntry, 'connectionId' | 'error'>): TranscriptInput;
  linkLine(base: LogStamp, entry: LinkEntry): TranscriptInput;
}

const closedBy: Record<Extract<MailServerLogEntry, { kind: 'closed' }>['by'], string> = {
  server: 'the server closed the connection',
  client: 'the client closed the connection',
  reset: 'the client reset the connection (RST)',
  error: 'the connection failed',
  idle: 'closed after no traffic for the idle time (421)',
};

/**
 * The lines the mail server's "Server log" shows for one entry of the Node side's: a
 * connection, a line received, a reply with its code's meaning, TLS, AUTH, a message
 * kept, refused or cut off, each in words. Kept beside the view that shows them
 * (View.tsx), so the model only hands the entries over.
 */
export function mailLogLines(entry: MailServerLogEntry, log: MailLogHelpers): TranscriptInput[] {
  const base = { at: entry.at, mono: entry.mono };
  switch (entry.kind) {
    case 'listening': {
      const features = [
        `greets as ${entry.hostname}`,
        entry.startTls ? 'offers STARTTLS (certificate made on the spot)' : undefined,
        entry.authRequired ? 'requires AUTH' : undefined,
        `SIZE ${formatByteCount(entry.maxMessageBytes)}`,
      ].filter(Boolean);
      return listeningLines(
        base,
        `mail server listening on ${formatSocketAddress(entry.local)}: ${features.join(', ')}; it keeps what it receives and never relays it`,
        entry.warning,
      );
    }
    case 'accepted':
      return [log.acceptedLine(base, entry, `connection from ${formatSocketAddress(entry.client)}`)];
    case 'received':
      return [
        {
          ...base,
          direction: 'client-to-server',
          party: log.party(entry.connectionId, entry.tls),
          data: entry.data,
          size: entry.bytes,
          stream: log.streamKey(entry.connectionId, 'in'),
          note: delayedNote(entry.linkDelayMs),
        },
      ];
    case 'replied': {
      const info = entry.code === undefined ? undefined : replyCodeInfo(entry.code);
      return [
        {
          ...base,
          direction: 'server-to-client',
          party: log.party(entry.connectionId, entry.tls),
          data: entry.data,
          size: entry.bytes,
          stream: log.streamKey(entry.connectionId, 'out'),
          note: joinNotes(delayedNote(entry.linkDelayMs), info ? `${entry.code} ${info.title}` : undefined),
          tone: entry.code !== undefined && entry.code >= 400 ? 'warn' : undefined,
        },
      ];
    }
    case 'tls':
      return [
        {
          ...base,
          direction: 'system',
          tone: 'ok',
          party: log.party(entry.connectionId, true),
          note: `TLS handshake done${entry.protocol ? ` (${entry.protocol}${entry.cipher ? `, ${entry.cipher}` : ''})` : ''}: from here on the bytes are encrypted on the wire; the log shows them as the server decrypted them`,
        },
      ];
    case 'auth':
      return [
        {
          ...base,
          direction: 'system',
          tone: entry.ok ? 'ok' : 'warn',
          party: log.party(entry.connectionId),
          note: entry.ok
            ? `AUTH ${entry.method} as “${entry.user}”: accepted (235)`
            : `AUTH ${entry.method} as “${entry.user}”: wrong user name or password (535)`,
        },
      ];
    case 'message':
      return [
        {
          ...base,
          direction: 'system',
          tone: 'ok',
          party: log.party(entry.connectionId),
          size: entry.size,
          note: `message ${entry.messageId} accepted from <${entry.mailFrom}> for ${entry.rcptTo.map((to) => `<${to}>`).join(', ')}: in the Inbox`,
        },
      ];
    case 'rejected':
      return [
        {
          ...base,
          direction: 'system',
          tone: 'warn',
          party: log.party(entry.connectionId),
          note: `refused with ${entry.code}: ${entry.reason}`,
        },
      ];
    case 'abandoned':
      return [
        {
          ...base,
          direction: 'system',
          tone: 'warn',
          party: log.party(entry.connectionId),
          note: `the client went away before the message was accepted (${formatByteCount(entry.bytes)} received): the partial message was discarded, not kept or saved`,
        },
      ];
    case 'saved':
      return [
        { ...base, direction: 'system', tone: 'info', note: `message ${entry.messageId} saved as ${entry.path}` },
      ];
    case 'saveFailed':
      return [
        {
          ...base,
          direction: 'system',
          tone: 'error',
          note: `message ${entry.messageId} could not be saved (it stays in the Inbox): ${entry.error.message}`,
        },
      ];
    case 'closed':
      return [log.closedLine(base, entry, closedBy[entry.by])];
    case 'link':
      return [log.linkLine(base, entry)];
    case 'error':
      return [log.connectionErrorLine(base, entry)];
    case 'stopped':
      return [
        stoppedLine(
          base,
          entry.reason,
          'stopped: the port is closed and every connection with it (the Inbox stays until the next start)',
          'the mail server stopped after an error',
        ),
      ];
  }
}
