import { serve } from '../serve';
import type { Service } from '../service';
import { httpClientService } from '../http/client/service';
import { smtpClientService } from '../smtp/client/service';
import { tcpClientService } from '../tcp/client/service';
import { udpClientService } from '../udp/client/service';
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
/**
 * The client services a replay drives: the same ones the app lists in services.ts,
 * without the built-in servers (whose libraries, smtp-server, mailparser and send,
 * a command line that only talks to servers would load for nothing).
 */
export const replayServices: readonly Service[] = [
  udpClientService,
  tcpClientService,
  httpClientService,
  smtpClientService,
];

export function startNodeSide(services: readonly Service[] = replayServices): NodeSide {
  const [renderer, node] = createMemoryPortPair();
  serve(node, { transport: 'memory', services, log: () => {} });
  // Same process, same build: serve validates every request once; nothing crosses a boundary back.
  const client = createClient({ inProcess: true });
  client.connect(renderer);
  return { client, close: () => renderer.close() };
}
