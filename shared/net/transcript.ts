import { z } from 'zod';
import type { EventName, EventPayloadOf, ResponseOf } from '../contract/index';
import { formatByteCount, formatDuration } from '../bytes';
import { bytes } from '../contract/schema';
import { errorInfo, socketAddress, stamp } from './contract';

/**
 * One line of a client session's transcript: what the UI lists, what a saved
 * conversation file holds, what a replay or an autograder compares. Built only from
 * call results and events (never from UI state), so any program driving the contract
 * gets the same transcript.
 */
export const transcriptEntry = stamp.extend({
  sessionId: z.string(),
  protocol: z.enum(['udp', 'tcp']),
  kind: z.enum([
    'open',
    'send',
    'receive',
    'noReply',
    'error',
    'dropped',
    'peerEnded',
    'shutdown',
    'close',
    /** Reading stopped because the page was behind (TCP flow control then slows the sender), or started again. */
    'paused',
    'resumed',
  ]),
  /** For bytes on the wire: which way they went. */
  direction: z.enum(['client-to-server', 'server-to-client']).optional(),
  /** The bytes as kept (may be shorter than `bytes` once the keep cap is reached or a datagram was cut). */
  data: bytes.optional(),
  /** Size on the wire. */
  bytes: z.number().int().nonnegative().optional(),
  /** The send this entry belongs to (send, its reply, its noReply). */
  seq: z.number().int().positive().optional(),
  /** Round trip from a send to its reply, on the Node side's monotonic clock. */
  rttMs: z.number().optional(),
  local: socketAddress.optional(),
  peer: socketAddress.optional(),
  /** A sentence for people: why it closed, what the deadline said, what was cut. */
  text: z.string().optional(),
  error: errorInfo.optional(),
});
export type TranscriptEntry = z.infer<typeof transcriptEntry>;

export const transcriptFile = z.object({
  format: z.literal('protocol-playground.transcript'),
  version: z.literal(1),
  entries: z.array(transcriptEntry),
});

type NetEvent =
  | 'udp.datagrams'
  | 'udp.noReply'
  | 'udp.error'
  | 'udp.closed'
  | 'tcp.data'
  | 'tcp.flow'
  | 'tcp.peerEnded'
  | 'tcp.noReply'
  | 'tcp.closed';

/**
 * Collects the transcript of client sessions. Feed it each call result and each event
 * as they arrive; `entries` is then in arrival order, ready to show or save.
 */
export class TranscriptBuilder {
  readonly entries: TranscriptEntry[] = [];
  private readonly dropped = new Map<string, number>();

  /**
   * Hands over the entries gathered so far and forgets them: a consumer that keeps its
   * own form (the page's transcript view) need not hold every kept byte twice. The
   * running totals ("not kept" so far) carry on.
   */
  take(): TranscriptEntry[] {
    return this.entries.splice(0);
  }

  opened(protocol: 'udp' | 'tcp', result: ResponseOf<'udp.open'> | ResponseOf<'tcp.connect'>): void {
    const entry: TranscriptEntry = {
      at: result.at,
      mono: result.mono,
      sessionId: result.sessionId,
      protocol,
      kind: 'open',
      local: result.local,
    };
    if (result.peer) entry.peer = result.peer;
    if ('connectMs' in result) {
      entry.rttMs = result.connectMs;
      entry.text = `connected in ${result.connectMs} ms (the handshake)`;
    }
    this.entries.push(entry);
  }

  sent(protocol: 'udp' | 'tcp', result: ResponseOf<'udp.send'> | ResponseOf<'tcp.send'>, data: Uint8Array): void {
    const entry: TranscriptEntry = {
      at: result.at,
      mono: result.mono,
      sessionId: result.sessionId,
      protocol,
      kind: 'send',
      direction: 'client-to-server',
      data,
      bytes: result.sentBytes,
      seq: result.seq,
    };
    if ('to' in result) {
      entry.peer = result.to;
      entry.local = result.local;
    }
    this.entries.push(entry);
  }

  shutdown(result: ResponseOf<'tcp.shutdown'>): void {
    this.entries.push({
      ...pickStamp(result),
      sessionId: result.sessionId,
      protocol: 'tcp',
      kind: 'shutdown',
      text: 'shut down the write side (FIN sent); can still receive',
    });
  }

  event<E extends EventName>(name: E, payload: EventPayloadOf<E>): void {
    const handler = this.handlers[name as NetEvent] as ((payload: EventPayloadOf<E>) => void) | undefined;
    handler?.(payload);
  }

  private readonly handlers: { [E in NetEvent]: (payload: EventPayloadOf<E>) => void } = {
    'udp.datagrams': (payload) => {
      for (const datagram of payload.datagrams) {
        const entry: TranscriptEntry = {
          at: datagram.at,
          mono: datagram.mono,
          sessionId: payload.sessionId,
          protocol: 'udp',
          kind: 'receive',
          direction: 'server-to-client',
          data: datagram.data,
          bytes: datagram.size,
          peer: datagram.from,
        };
        if (datagram.truncated) entry.text = `datagram cut to ${datagram.data.byteLength} of ${datagram.size} bytes`;
        if (datagram.reply) {
          entry.seq = datagram.reply.seq;
          entry.rttMs = datagram.reply.rttMs;
        }
        this.entries.push(entry);
      }
      this.droppedSince(payload.sessionId, 'udp', payload.droppedBytes, payload.keepLimit, payload);
    },
    'udp.noReply': (payload) =>
      this.entries.push({
        ...pickStamp(payload),
        sessionId: payload.sessionId,
        protocol: 'udp',
        kind: 'noReply',
        seq: payload.seq,
        peer: payload.to,
        text: payload.message,
      }),
    'udp.error': (payload) =>
      this.entries.push({
        ...pickStamp(payload),
        sessionId: payload.sessionId,
        protocol: 'udp',
        kind: 'error',
        error: payload.error,
        text: payload.error.message,
      }),
    'udp.closed': (payload) =>
      this.entries.push({
        ...pickStamp(payload),
        sessionId: payload.sessionId,
        protocol: 'udp',
        kind: 'close',
        text: payload.reason === 'local' ? 'closed the socket' : 'the socket closed after an error',
      }),
    'tcp.data': (payload) => {
      for (const chunk of payload.chunks) {
        const entry: TranscriptEntry = {
          at: chunk.at,
          mono: chunk.mono,
          sessionId: payload.sessionId,
          protocol: 'tcp',
          kind: 'receive',
          direction: 'server-to-client',
          data: chunk.data,
          bytes: chunk.bytes,
        };
        if (chunk.reply) {
          entry.seq = chunk.reply.seq;
          entry.rttMs = chunk.reply.rttMs;
        }
        this.entries.push(entry);
      }
      this.droppedSince(payload.sessionId, 'tcp', payload.droppedBytes, payload.keepLimit, payload);
    },
    'tcp.flow': (payload) =>
      this.entries.push({
        ...pickStamp(payload),
        sessionId: payload.sessionId,
        protocol: 'tcp',
        kind: payload.paused ? 'paused' : 'resumed',
        bytes: payload.queuedBytes,
        text: payload.paused
          ? `receiver paused: the page is behind (${formatByteCount(payload.queuedBytes)} of events waiting for it), so this socket stopped reading; TCP's flow control now slows the server`
          : `receiver resumed: the page caught up after ${formatDuration(payload.pausedMs)}; reading again`,
      }),
    'tcp.peerEnded': (payload) =>
      this.entries.push({
        ...pickStamp(payload),
        sessionId: payload.sessionId,
        protocol: 'tcp',
        kind: 'peerEnded',
        text: 'the server shut down its write side (FIN): it will send nothing more',
      }),
    'tcp.noReply': (payload) =>
      this.entries.push({
        ...pickStamp(payload),
        sessionId: payload.sessionId,
        protocol: 'tcp',
        kind: 'noReply',
        seq: payload.seq,
        text: payload.message,
      }),
    'tcp.closed': (payload) => {
      const entry: TranscriptEntry = {
        ...pickStamp(payload),
        sessionId: payload.sessionId,
        protocol: 'tcp',
        kind: 'close',
        text: closeTexts[payload.reason],
      };
      if (payload.error) entry.error = payload.error;
      this.entries.push(entry);
    },
  };

  /** One "truncated, N bytes not kept" line whenever the dropped total grows. */
  private droppedSince(
    sessionId: string,
    protocol: 'udp' | 'tcp',
    droppedBytes: number,
    keepLimit: number,
    when: { at: number; mono: number },
  ): void {
    const before = this.dropped.get(sessionId) ?? 0;
    if (droppedBytes <= before) return;
    this.dropped.set(sessionId, droppedBytes);
    this.entries.push({
      ...pickStamp(when),
      sessionId,
      protocol,
      kind: 'dropped',
      direction: 'server-to-client',
      bytes: droppedBytes - before,
      text: `truncated: ${droppedBytes} bytes received beyond the ${keepLimit}-byte keep limit were counted but not kept`,
    });
  }
}

const closeTexts = {
  local: 'closed the connection',
  peer: 'the connection closed (the server finished closing it)',
  reset: 'the server reset the connection (RST)',
  error: 'the connection failed',
  idle: 'closed the connection: nothing was sent or received within its idle deadline',
} as const;

function pickStamp(value: { at: number; mono: number }) {
  return { at: value.at, mono: value.mono };
}
