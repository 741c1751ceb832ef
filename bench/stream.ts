import { performance } from 'node:perf_hooks';
import type { EventPayloadOf } from '../shared/contract/index';
import type { AppClient } from './appClient';
import type { HostApi } from './host';
import type { Child } from './rpc';
import { type MemoryPeak, withTimeout } from './timing';

export interface StreamResult {
  bytes: number;
  ms: number;
  /** The host process's memory just before the run (after a GC) and its peak during it. */
  memory: { before: MemoryPeak; peak: MemoryPeak };
}

export interface AppStreamResult extends StreamResult {
  keepLimit: number;
  events: number;
  /** Bytes that reached the client inside events (the rest was counted on the Node side only). */
  deliveredBytes: number;
  droppedBytes: number;
}

const callMs = 10_000;

/** The raw baseline: a plain net.Socket in the host process reads the whole stream. */
export async function rawStream(
  host: Child<HostApi>,
  stream: { port: number; bytes: number },
  timeoutMs: number,
): Promise<StreamResult> {
  const before = await host.call('memoryReset', undefined, callMs);
  const read = await host.call('rawRead', { ...stream, timeoutMs }, timeoutMs + callMs);
  const { peak } = await host.call('memoryRead', undefined, callMs);
  if (read.bytes !== stream.bytes) throw new Error(`the raw reader got ${read.bytes} of ${stream.bytes} bytes`);
  return { bytes: read.bytes, ms: read.ms, memory: { before, peak } };
}

/**
 * The app path: `tcp.connect` to the sender, then every byte is counted by the host's
 * TCP session and the first `keepLimit` of them travel to this client as coalesced
 * `tcp.data` events over the transport. Done when `tcp.peerEnded` arrives (the
 * session flushes its data before it) with all bytes counted.
 */
export async function appStream(
  { client, lost }: Pick<AppClient, 'client' | 'lost'>,
  host: Child<HostApi>,
  stream: { port: number; bytes: number },
  { timeoutMs, keepBytes }: { timeoutMs: number; keepBytes?: number | undefined },
): Promise<AppStreamResult> {
  const before = await host.call('memoryReset', undefined, callMs);
  let events = 0;
  let deliveredBytes = 0;
  let last: EventPayloadOf<'tcp.data'> | undefined;
  const offData = client.on('tcp.data', (event) => {
    events++;
    for (const chunk of event.chunks) deliveredBytes += chunk.data.byteLength;
    last = event;
  });
  let offEnd = () => {};
  const ended = new Promise<number>((resolve, reject) => {
    const offPeerEnded = client.on('tcp.peerEnded', () => resolve(performance.now()));
    const offClosed = client.on('tcp.closed', (event) =>
      reject(new Error(`the app's TCP session closed before the stream ended (${event.reason})`)),
    );
    offEnd = () => {
      offPeerEnded();
      offClosed();
    };
  });
  ended.catch(() => {}); // awaited below, after the connect call that may fail first
  const started = performance.now();
  try {
    const session = await client.call(
      'tcp.connect',
      { host: '127.0.0.1', port: stream.port, timeoutMs: callMs, ...(keepBytes !== undefined && { keepBytes }) },
      { timeoutMs: callMs },
    );
    const endedAt = await withTimeout(
      Promise.race([ended, lost]),
      timeoutMs,
      `receiving ${stream.bytes} bytes through the app`,
    );
    await client.call('tcp.close', { sessionId: session.sessionId }, { timeoutMs: callMs });
    const { peak } = await host.call('memoryRead', undefined, callMs);
    const totals = last;
    if (totals?.sessionId !== session.sessionId || totals.receivedBytes !== stream.bytes) {
      throw new Error(`the app counted ${totals?.receivedBytes ?? 0} of ${stream.bytes} bytes`);
    }
    return {
      bytes: totals.receivedBytes,
      ms: endedAt - started,
      memory: { before, peak },
      keepLimit: session.keepLimit,
      events,
      deliveredBytes,
      droppedBytes: totals.droppedBytes,
    };
  } finally {
    offData();
    offEnd();
  }
}
