import type { Client } from '../../contract/client';
import type { Reply } from '../checks';
import { ReplyCollector, type WaitPlan } from './collector';
import type { Driver, ResolvedTarget } from './driver';

/** A TCP conversation: one tcp.connect, a tcp.send per step. */
export function tcpDriver(client: Client, target: ResolvedTarget, connectTimeoutMs: number): Driver {
  const collector = new ReplyCollector();
  let sessionId: string | undefined;
  const unsubscribe = [
    client.on('tcp.data', (event) => {
      if (event.sessionId !== sessionId) return;
      for (const chunk of event.chunks) collector.add(chunk.data, chunk.bytes);
    }),
    client.on('tcp.peerEnded', (event) => {
      if (event.sessionId === sessionId) collector.markClosed();
    }),
    client.on('tcp.closed', (event) => {
      if (event.sessionId === sessionId) collector.markClosed();
    }),
  ];
  return {
    async open(signal) {
      collector.reset();
      const result = await client.call(
        'tcp.connect',
        { host: target.host, port: target.port, timeoutMs: connectTimeoutMs },
        { signal },
      );
      sessionId = result.sessionId;
    },
    first(plan: WaitPlan, signal) {
      return collector.wait(plan, signal);
    },
    async exchange(bytes, plan, signal): Promise<Reply> {
      collector.reset();
      if (!collector.closed) {
        // replyTimeoutMs marks the reply as awaited, so the Node side sends it at once
        // rather than with the next coalesced batch (up to 25 ms later).
        await client.call(
          'tcp.send',
          { sessionId: sessionId as string, data: bytes, replyTimeoutMs: plan.timeoutMs },
          { signal },
        );
      }
      return collector.wait(plan, signal);
    },
    async close() {
      for (const off of unsubscribe) off();
      if (sessionId !== undefined) await client.call('tcp.close', { sessionId }).catch(() => undefined);
    },
  };
}
