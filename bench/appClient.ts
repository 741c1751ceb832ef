import { WebSocket } from 'ws';
import type { Service } from '../electron/service';
import { serve } from '../electron/serve';
import { WebSocketPort } from '../electron/web/websocketPort';
import { handshakeProtocols } from '../shared/app/browserAccess';
import { type Client, createClient } from '../shared/contract/client';
import { createMemoryPortPair } from '../shared/transport/memoryPort';
import type { Port } from '../shared/transport/port';
import { withTimeout } from './timing';

export interface AppClient {
  client: Client;
  /** Which transport carries the frames, for the table. */
  transport: string;
  /** Rejects when the transport closes, so a wait on it fails at once instead of at its deadline. */
  lost: Promise<never>;
  close(): void;
}

/** The shared client over a real loopback WebSocket to the browser-mode host, signed in as the page would be. */
export async function connectOverWebSocket(
  host: { port: number; origin: string; token: string },
  timeoutMs: number,
): Promise<AppClient> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, handshakeProtocols(host.token), {
    origin: host.origin,
  });
  try {
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      }),
      timeoutMs,
      `opening the WebSocket to 127.0.0.1:${host.port}`,
    );
  } catch (error) {
    ws.terminate();
    throw error;
  }
  const port = new WebSocketPort(ws, { heartbeatMs: 0, log: (message) => console.error(`bench client: ${message}`) });
  const client = createClient();
  client.connect(port);
  return { client, transport: 'WebSocket', lost: lost(port, 'the WebSocket to the host'), close: () => port.close() };
}

/** The same services in this process behind the in-memory port pair (structured clone, no socket in between). */
export function connectInMemory(services: readonly Service[]): AppClient {
  const [nodeSide, pageSide] = createMemoryPortPair();
  serve(nodeSide, { transport: 'memory', services, log: (message) => console.error(`bench in-memory: ${message}`) });
  const client = createClient();
  client.connect(pageSide);
  return { client, transport: 'in-memory', lost: lost(pageSide, 'the in-memory port'), close: () => pageSide.close() };
}

function lost(port: Port, what: string): Promise<never> {
  const closed = new Promise<never>((_, reject) => port.onClose(() => reject(new Error(`${what} closed`))));
  closed.catch(() => {}); // only matters to whoever races it
  return closed;
}
