import { formatDuration } from '../../shared/bytes';
import { TranscriptBuilder, type TranscriptEntry } from '../../shared/net/transcript';
import { type TranscriptInput, TranscriptModel, type TranscriptOptions } from '../transcript/model';
import { formatSocketAddress } from './format';

/**
 * A client session's transcript: the shared TranscriptBuilder turns the session's
 * results and events into serialisable entries (what a saved conversation, a replay or
 * the autograder use), and the view's rows are derived from exactly those entries as
 * they arrive. The page keeps only the rows: each sync takes the new entries out of the
 * builder, which would otherwise hold all 64 MiB a session may keep (and make every
 * garbage collection during a flood walk them) for nothing on screen.
 */
export class SessionTranscript {
  readonly builder = new TranscriptBuilder();
  readonly view: TranscriptModel;
  /**
   * The last connection's entries (from its open), for "Save conversation": bounded, since a
   * flood must not pin what the view lets go of; past the bound the rest is left out.
   */
  private readonly lastConnection: TranscriptEntry[] = [];
  private lastConnectionBytes = 0;

  constructor(options?: TranscriptOptions) {
    this.view = new TranscriptModel(options);
  }

  /** Shows the entries the builder gained since the last call. */
  sync(): void {
    const fresh = this.builder.take();
    this.keepForSaving(fresh);
    this.view.append(...fresh.map(toTranscriptInput));
    for (const entry of fresh) {
      if (entry.kind === 'close' && entry.protocol === 'tcp') {
        this.view.endStream(streamKey('client-to-server'));
        this.view.endStream(streamKey('server-to-client'));
      }
    }
  }

  /** The last connection's entries, as far as they are kept (see `lastConnection`). */
  get entries(): readonly TranscriptEntry[] {
    return this.lastConnection;
  }

  private keepForSaving(fresh: readonly TranscriptEntry[]): void {
    for (const entry of fresh) {
      if (entry.kind === 'open') {
        this.lastConnection.length = 0;
        this.lastConnectionBytes = 0;
      }
      const bytes = entry.data?.byteLength ?? 0;
      if (this.lastConnectionBytes + bytes > savedConversationBytes) continue;
      this.lastConnectionBytes += bytes;
      this.lastConnection.push(entry);
    }
  }

  /** A line that is not part of the conversation itself, such as a connect that failed. */
  note(input: TranscriptInput): void {
    this.view.append(input);
  }
}

/** Bytes of the last connection kept for saving it as a conversation file. */
const savedConversationBytes = 1024 * 1024;

function streamKey(direction: 'client-to-server' | 'server-to-client'): string {
  return direction;
}

/** One shared transcript entry as a view row: words for system lines, a stream key for TCP bytes. */
export function toTranscriptInput(entry: TranscriptEntry): TranscriptInput {
  const base: TranscriptInput = {
    direction: entry.direction ?? 'system',
    at: entry.at,
    mono: entry.mono,
    seq: entry.seq,
    rttMs: entry.rttMs,
  };
  switch (entry.kind) {
    case 'open': {
      const local = entry.local ? formatSocketAddress(entry.local) : '?';
      const peer = entry.peer ? formatSocketAddress(entry.peer) : undefined;
      const note =
        entry.protocol === 'tcp'
          ? `connected: this socket ${local} → server ${peer ?? '?'}${entry.rttMs === undefined ? '' : ` (the RTT is the handshake: ${formatDuration(entry.rttMs)})`}`
          : peer
            ? `opened a connected UDP socket ${local} → ${peer} (it talks only to that peer)`
            : `opened a UDP socket on ${local}`;
      return { ...base, direction: 'system', tone: 'ok', note };
    }
    case 'send':
    case 'receive': {
      const input: TranscriptInput = { ...base, data: entry.data, size: entry.bytes };
      if (entry.protocol === 'tcp') input.stream = streamKey(entry.direction ?? 'client-to-server');
      else if (entry.peer) input.note = `${entry.kind === 'send' ? 'to' : 'from'} ${formatSocketAddress(entry.peer)}`;
      if (entry.text) {
        input.note = input.note ? `${input.note}; ${entry.text}` : entry.text;
        input.tone = 'warn';
      }
      return input;
    }
    case 'paused':
    case 'noReply':
      return { ...base, direction: 'system', tone: 'warn', note: entry.text, size: undefined };
    case 'dropped':
      // A running total: while nothing else comes between, the newest replaces the line before.
      return {
        ...base,
        direction: 'system',
        tone: 'warn',
        note: entry.text,
        size: undefined,
        updates: `dropped ${entry.sessionId}`,
      };
    case 'error':
      return { ...base, direction: 'system', tone: 'error', note: entry.text ?? entry.error?.message };
    case 'close': {
      const failed = entry.error !== undefined;
      const note = failed && entry.error ? `${entry.text}: ${entry.error.message}` : entry.text;
      return { ...base, direction: 'system', tone: failed ? 'error' : 'info', note };
    }
    default:
      return { ...base, direction: 'system', note: entry.text };
  }
}
