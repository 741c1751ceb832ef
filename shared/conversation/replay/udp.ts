import type { Client } from '../../contract/client';
import { ReplyCollector } from './collector';
import type { Driver, ResolvedTarget } from './driver';

/** A UDP conversation: one socket (udp.open, unconnected, as the textbook's), a datagram per step. */
export function udpDriver(client: Client, target: ResolvedTarget): Driver {
  const collector = new ReplyCollector();
  let sessionId: string | undefined;
  const unsubscribe = [
    client.on('udp.datagrams', (event) => {
      if (event.sessionId !== sessionId) return;
      for (const datagram of event.datagrams) collector.add(datagram.data, datagram.size);
    }),
  ];
  return {
    async open(signal) {
      const family = target.host.includes(':') ? 'IPv6' : undefined;
      const result = await client.call('udp.open', family ? { family } : {}, { signal });
      sessionId = result.sessionId;
    },
    first(plan, signal) {
      collector.reset();
      return collector.wait(plan, signal);
    },
    async exchange(bytes, plan, signal) {
      collector.reset();
      await client.call(
        'udp.send',
        {
          sessionId: sessionId as string,
          host: target.host,
          port: target.port,
          data: bytes,
          replyTimeoutMs: plan.timeoutMs,
        },
        { signal },
      );
      return collector.wait(plan, signal);
    },
    async close() {
      for (const off of unsubscribe) off();
      if (sessionId !== undefined) await client.call('udp.close', { sessionId }).catch(() => undefined);
    },
  };
}
