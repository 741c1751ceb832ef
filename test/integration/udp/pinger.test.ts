// The textbook's Python UDP pinger client, run with the system's python3 against the app's
// built-in UDP server with a 30 % emulated loss: it sees the loss as timeouts.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../support/appClient';

const python = process.env.PYTHON_PATH ?? '/usr/bin/python3';
const run = promisify(execFile);

/** The assignment's UDPPingerClient, as students write it (the server's port from argv). */
const textbookPinger = `from socket import *
import sys
import time

serverName = '127.0.0.1'
serverPort = int(sys.argv[1])
clientSocket = socket(AF_INET, SOCK_DGRAM)
clientSocket.settimeout(1)

for seq in range(1, 11):
    sendTime = time.time()
    message = 'Ping %d %f' % (seq, sendTime)
    clientSocket.sendto(message.encode(), (serverName, serverPort))
    try:
        modifiedMessage, serverAddress = clientSocket.recvfrom(1024)
        rtt = time.time() - sendTime
        print('Reply from %s: %s RTT %.3f ms' % (serverAddress[0], modifiedMessage.decode(), rtt * 1000))
    except timeout:
        print('Request timed out')

clientSocket.close()
`;

let app: App | undefined;
let dir: string | undefined;

afterEach(() => {
  app?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!existsSync(python))("the textbook's Python UDP pinger against the app's server", () => {
  it('sees the emulated 30 % loss as "Request timed out" and the rest as uppercased replies', async () => {
    app = startApp();
    const server = await app.client.call('udpServer.start', {
      port: 0,
      link: { delayMs: 5, lossPercent: 30, seed: 1 },
    });
    dir = mkdtempSync(join(tmpdir(), 'pinger-'));
    const script = join(dir, 'UDPPingerClient.py');
    writeFileSync(script, textbookPinger);
    const { stdout } = await run(python, [script, String(server.local.port)], { timeout: 20_000 });
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(10);
    const timedOut = lines.filter((line) => line === 'Request timed out');
    const replies = lines.filter((line) => line.startsWith('Reply from 127.0.0.1: PING '));
    expect(timedOut.length + replies.length).toBe(10);
    expect(timedOut.length).toBeGreaterThan(0);
    for (const reply of replies) {
      const rtt = Number(/RTT ([\d.]+) ms$/.exec(reply)?.[1]);
      expect(rtt).toBeGreaterThanOrEqual(9);
    }
    const log = await app.waitFor(
      'udpServer.log',
      (e) => e.counters.datagramsReceived + e.counters.datagramsDropped === 10,
    );
    expect(log.counters.datagramsDropped).toBe(timedOut.length);
  });
});
