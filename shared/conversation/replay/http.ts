import type { Client } from '../../contract/client';
import { PlaygroundError } from '../../contract/errors';
import type { EventPayloadOf } from '../../contract/index';
import type { Reply } from '../checks';
import type { WaitPlan } from './collector';
import type { Driver, ResolvedTarget } from './driver';

/** Body bytes read back for the checks (and kept on the Node side); the rest is counted. */
export const maxHttpCheckedBody = 16 * 1024 * 1024;
const bodySlice = 4 * 1024 * 1024;

type Head = EventPayloadOf<'http.progress'>['heads'][number];
interface ExchangeState {
  heads: Head[];
  firstAt: number | undefined;
  end: EventPayloadOf<'http.exchangeEnd'> | undefined;
}

/**
 * An HTTP conversation: each step is one http.send of the raw bytes on a kept
 * connection (several requests in a send are pipelined); the reply is the last
 * response of the send.
 */
export function httpDriver(client: Client, target: ResolvedTarget, connectTimeoutMs: number): Driver {
  const exchanges = new Map<string, ExchangeState>();
  const closedConnections = new Set<string>();
  const usedConnections = new Set<string>();
  let wake: (() => void) | undefined;
  const state = (id: string): ExchangeState => {
    let found = exchanges.get(id);
    if (!found) {
      found = { heads: [], firstAt: undefined, end: undefined };
      exchanges.set(id, found);
    }
    return found;
  };
  const unsubscribe = [
    client.on('http.progress', (event) => {
      const exchange = state(event.exchangeId);
      exchange.firstAt ??= Date.now();
      exchange.heads.push(...event.heads);
      wake?.();
    }),
    client.on('http.exchangeEnd', (event) => {
      state(event.exchangeId).end = event;
      wake?.();
    }),
    client.on('http.connectionClosed', (event) => {
      closedConnections.add(event.connectionId);
      wake?.();
    }),
  ];

  /** Resolves once `ready()` holds or the deadline passes. */
  const until = (ready: () => boolean, deadline: number, signal?: AbortSignal) =>
    new Promise<void>((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = () => {
        wake = undefined;
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      wake = () => {
        if (ready()) done();
      };
      signal?.addEventListener('abort', done, { once: true });
      timer = setTimeout(done, Math.max(0, deadline - Date.now()));
      if (ready() || signal?.aborted) done();
    });

  return {
    async open() {},
    async first(): Promise<Reply> {
      throw new PlaygroundError({ code: 'E_BAD_REQUEST', message: 'an HTTP server never speaks first' });
    },
    async exchange(bytes, plan: WaitPlan, signal): Promise<Reply> {
      const startedAt = Date.now();
      const deadline = startedAt + plan.timeoutMs;
      const sent = await client.call(
        'http.send',
        {
          target: { host: target.host, port: target.port, tls: target.tls, acceptSelfSigned: true },
          raw: bytes,
          connection: 'keep',
          connectTimeoutMs,
          responseTimeoutMs: plan.timeoutMs,
          maxBodyBytes: maxHttpCheckedBody,
        },
        { signal },
      );
      usedConnections.add(sent.connectionId);
      const last = sent.exchanges[sent.exchanges.length - 1];
      const id = last?.exchangeId as string;
      const exchange = state(id);
      await until(() => exchange.end !== undefined, deadline + 1000, signal);
      if (plan.waitForClose) await until(() => closedConnections.has(sent.connectionId), deadline, signal);
      const end = exchange.end;
      if (end?.outcome === 'failed' && end.error && end.error.code !== 'E_TIMEOUT' && exchange.heads.length === 0) {
        throw new PlaygroundError(end.error);
      }
      const head = [...exchange.heads].reverse().find((h) => !h.interim) ?? exchange.heads[exchange.heads.length - 1];
      const reply: Reply = {
        bytes: new Uint8Array(0),
        droppedBytes: 0,
        firstByteMs: exchange.firstAt === undefined ? undefined : exchange.firstAt - startedAt,
        closed: closedConnections.has(sent.connectionId),
      };
      if (head) {
        const body = await readBody(client, id, end?.body.keptBytes ?? 0);
        reply.droppedBytes = Math.max(0, (end?.body.receivedBytes ?? 0) - body.byteLength);
        reply.http = {
          status: head.status,
          statusLine: head.startLine,
          headers: head.fields.map((field) => [field.name, field.value]),
          body,
          complete: end?.outcome === 'complete',
        };
        const joined = new Uint8Array(head.raw.byteLength + body.byteLength);
        joined.set(head.raw, 0);
        joined.set(body, head.raw.byteLength);
        reply.bytes = joined;
      }
      for (const exchangeInfo of sent.exchanges) {
        exchanges.delete(exchangeInfo.exchangeId);
        await client.call('http.forget', { exchangeId: exchangeInfo.exchangeId }).catch(() => undefined);
      }
      return reply;
    },
    async close() {
      for (const off of unsubscribe) off();
      for (const connectionId of usedConnections) {
        if (!closedConnections.has(connectionId)) {
          await client.call('http.close', { connectionId }).catch(() => undefined);
        }
      }
    },
  };
}

async function readBody(client: Client, exchangeId: string, kept: number): Promise<Uint8Array> {
  const total = Math.min(kept, maxHttpCheckedBody);
  const body = new Uint8Array(total);
  let offset = 0;
  while (offset < total) {
    const slice = await client.call('http.body', {
      exchangeId,
      offset,
      length: Math.min(bodySlice, total - offset),
    });
    if (slice.data.byteLength === 0) break;
    body.set(slice.data.subarray(0, total - offset), offset);
    offset += slice.data.byteLength;
  }
  return body.subarray(0, offset);
}
