import type { Client } from '../../contract/client';
import type { EventPayloadOf } from '../../contract/index';
import type { Reply } from '../checks';
import { maxReplyBytes } from './collector';
import type { Driver, ResolvedTarget } from './driver';

type ReplyInfo = EventPayloadOf<'smtp.reply'>;

/**
 * An SMTP conversation: smtp.connect (whose greeting is what the server says first),
 * then one smtp.send per step, which waits for the replies the server owes for it.
 */
export function smtpDriver(client: Client, target: ResolvedTarget, connectTimeoutMs: number): Driver {
  let sessionId: string | undefined;
  let greeting: ReplyInfo | undefined;
  let closed = false;
  let connectStartedAt = 0;
  const unsubscribe = [
    client.on('smtp.closed', (event) => {
      if (event.sessionId === sessionId) closed = true;
    }),
  ];
  const toReply = (replies: ReplyInfo[], firstByteMs: number | undefined): Reply => {
    const raw = replies.map((r) => r.reply.raw);
    const size = raw.reduce((sum, part) => sum + part.byteLength, 0);
    const bytes = new Uint8Array(Math.min(size, maxReplyBytes));
    let offset = 0;
    for (const part of raw) {
      const room = bytes.byteLength - offset;
      if (room <= 0) break;
      bytes.set(part.subarray(0, room), offset);
      offset += Math.min(room, part.byteLength);
    }
    return {
      bytes,
      droppedBytes: size - bytes.byteLength,
      firstByteMs: replies.length === 0 ? undefined : firstByteMs,
      closed,
      smtp: { codes: replies.map((r) => r.reply.code) },
    };
  };
  return {
    async open(signal) {
      connectStartedAt = Date.now();
      const result = await client.call(
        'smtp.connect',
        {
          host: target.host,
          port: target.port,
          security: target.tls ? 'implicit-tls' : 'plain',
          acceptSelfSigned: true,
          connectTimeoutMs,
        },
        { signal },
      );
      sessionId = result.sessionId;
      greeting = result.greeting;
    },
    async first() {
      return toReply(greeting ? [greeting] : [], Date.now() - connectStartedAt);
    },
    async exchange(bytes, plan, signal) {
      if (closed) return toReply([], undefined);
      const startedAt = Date.now();
      const result = await client.call(
        'smtp.send',
        { sessionId: sessionId as string, data: bytes, replyTimeoutMs: plan.timeoutMs },
        { signal },
      );
      if (result.outcome === 'closed') closed = true;
      const firstMs = result.replies[0]?.rttMs ?? Date.now() - startedAt;
      if (plan.waitForClose && !closed) {
        const deadline = startedAt + plan.timeoutMs;
        while (!closed && Date.now() < deadline && !signal?.aborted)
          await new Promise((r) => setTimeout(() => r(undefined), 10));
      }
      return toReply(result.replies, firstMs);
    },
    async close() {
      for (const off of unsubscribe) off();
      if (sessionId !== undefined && !closed) await client.call('smtp.close', { sessionId }).catch(() => undefined);
    },
  };
}
