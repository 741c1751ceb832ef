import { serve } from '../serve';
import type { Service } from '../service';
import { services as defaultServices } from '../services';
import { type Client, createClient } from '../../shared/contract/client';
import { createMemoryPortPair } from '../../shared/transport/memoryPort';

export interface NodeSide {
  client: Client;
  /** Closes the port: every session and server the services opened is closed with it. */
  close(): void;
}

/**
 * The app's Node side in this process: the very services Electron and browser mode
 * run, served over an in-memory port pair and driven through the typed client. The
 * command line replays conversations through this, not through sockets of its own.
 */
export function startNodeSide(services: readonly Service[] = defaultServices): NodeSide {
  const [renderer, node] = createMemoryPortPair();
  serve(node, { transport: 'memory', services, log: () => {} });
  const client = createClient();
  client.connect(renderer);
  return { client, close: () => renderer.close() };
}
