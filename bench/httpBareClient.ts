import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { answerParent } from './rpc';
import { withTimeout } from './timing';

/**
 * Node's own floor for the HTTP benchmark: a bare net.Socket reading the response, no
 * parsing, keeping the first `keepBytes` of what arrives in Node's own socket buffers.
 * In its own process, like curl, so that what it leaves for the GC (up to 100 MB of
 * buffers a run) is not collected during the app's runs. Usage (by bench/http.ts only):
 * httpBareClient.ts
 */

export type BareClientApi = {
  read(args: { port: number; keepBytes: number; timeoutMs: number }): Promise<number>;
};

function read({ port, keepBytes, timeoutMs }: { port: number; keepBytes: number; timeoutMs: number }) {
  return withTimeout(
    new Promise<number>((resolve, reject) => {
      const started = performance.now();
      const socket = net.connect({ host: '127.0.0.1', port }, () =>
        socket.write('GET /big HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'),
      );
      const kept: Buffer[] = [];
      let received = 0;
      socket.on('data', (chunk: Buffer) => {
        if (received < keepBytes) kept.push(chunk);
        received += chunk.length;
      });
      socket.on('error', reject);
      socket.on('close', () => resolve(performance.now() - started));
    }),
    timeoutMs,
    'a bare Node socket reading the response',
  );
}

answerParent({ read } satisfies BareClientApi, {});
