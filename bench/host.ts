import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { appService } from '../electron/app/service';
import type { Service } from '../electron/service';
import type { NetServiceOptions } from '../electron/net/options';
import { services as defaultServices } from '../electron/services';
import { createTcpClientService } from '../electron/tcp/client/service';
import { createTcpServerService } from '../electron/tcp/server/service';
import { createUdpClientService } from '../electron/udp/client/service';
import { createUdpServerService } from '../electron/udp/server/service';
import { startWebHost } from '../electron/web/host';
import { answerParent } from './rpc';
import { MemorySampler, withTimeout } from './timing';

/**
 * The Node side of browser mode, alone in its process, so the memory it reports is
 * the host's and not the bench client's. It also hosts the raw Node stream reader,
 * so raw and app are measured in the same kind of process.
 *
 * BENCH_COALESCE_MS (diagnostics only) replaces the services' coalescing interval;
 * without it the host runs exactly the services the app ships.
 */

const sampler = new MemorySampler();
const rendererDir = mkdtempSync(join(tmpdir(), 'pp-bench-renderer-'));
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>bench</title>');

const coalesceMs = process.env.BENCH_COALESCE_MS;
let services: readonly Service[] = defaultServices;
if (coalesceMs !== undefined && coalesceMs !== '') {
  const options: NetServiceOptions = { coalescing: { intervalMs: Number(coalesceMs) } };
  services = [
    appService,
    createUdpClientService(options),
    createUdpServerService(options),
    createTcpClientService(options),
    createTcpServerService(options),
  ];
}

const host = await startWebHost({
  rendererDir,
  port: 0,
  services,
  log: (message) => console.error(`bench host: ${message}`),
});

/** Reads the sender's whole stream with a plain net.Socket: the baseline the app's TCP session is compared with. */
function rawRead(args: { port: number; bytes: number; timeoutMs: number }) {
  const started = performance.now();
  let received = 0;
  const socket = net.connect({ host: '127.0.0.1', port: args.port });
  const done = new Promise<{ bytes: number; ms: number }>((resolve, reject) => {
    socket.on('data', (chunk: Buffer) => {
      received += chunk.byteLength;
    });
    socket.once('end', () => resolve({ bytes: received, ms: performance.now() - started }));
    socket.once('error', reject);
  });
  return withTimeout(done, args.timeoutMs, `reading ${args.bytes} bytes with a raw socket`).finally(() =>
    socket.destroy(),
  );
}

const api = {
  memoryReset: () => sampler.reset(),
  memoryRead: () => sampler.read(),
  rawRead,
  close: async () => {
    await host.close();
    sampler.stop();
    rmSync(rendererDir, { recursive: true, force: true });
    return true;
  },
};

export type HostApi = typeof api;
export type HostReady = { port: number; origin: string; token: string; coalesceMs: string | undefined };

answerParent(api, { port: host.port, origin: host.origin, token: host.token, coalesceMs } satisfies HostReady);
