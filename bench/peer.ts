import dgram from 'node:dgram';
import net from 'node:net';
import { answerParent } from './rpc';

/**
 * The far end for every measurement, in its own process: the raw Node uppercase
 * servers the baseline round trips go to (TCP line by line, UDP per datagram), and
 * the stream sender both the raw reader and the app's TCP session read from.
 * Usage (by bench/run.ts only): peer.ts <stream bytes>
 */

const streamBytes = Number(process.argv[2]);
if (!Number.isSafeInteger(streamBytes) || streamBytes <= 0) throw new Error('peer.ts needs the stream size in bytes');

/** The sender writes in chunks of this size, as fast as the reader takes them. */
const streamChunkBytes = 64 * 1024;
const newline = 0x0a;

const sockets = new Set<net.Socket>();
function track(socket: net.Socket): void {
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
  // A reader that goes away mid-stream is the bench's business, not a crash here.
  socket.on('error', (error) => console.error(`bench peer: ${error.message}`));
}

/** Like the app's built-in server in 'lines' mode: one upper-cased reply per line, the connection stays. */
const tcpUpper = net.createServer({ noDelay: true }, (socket) => {
  track(socket);
  let pending = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    let buffer = pending.byteLength === 0 ? chunk : Buffer.concat([pending, chunk]);
    for (let end = buffer.indexOf(newline); end >= 0; end = buffer.indexOf(newline)) {
      socket.write(
        Buffer.from(
          buffer
            .subarray(0, end + 1)
            .toString('utf8')
            .toUpperCase(),
          'utf8',
        ),
      );
      buffer = buffer.subarray(end + 1);
    }
    pending = Buffer.from(buffer);
  });
  socket.on('end', () => socket.end());
});

/** The textbook UDPServer: reply upper() to the sender. */
const udpUpper = dgram.createSocket('udp4');
udpUpper.on('message', (message, from) => {
  udpUpper.send(Buffer.from(message.toString('utf8').toUpperCase(), 'utf8'), from.port, from.address);
});
udpUpper.on('error', (error) => console.error(`bench peer: UDP: ${error.message}`));

/** Writes `streamBytes` to each connection as fast as it is read, then ends it. */
const sender = net.createServer((socket) => {
  track(socket);
  const chunk = Buffer.alloc(streamChunkBytes, 0x61);
  let left = streamBytes;
  const pump = () => {
    while (left > 0 && !socket.destroyed) {
      const size = Math.min(left, streamChunkBytes);
      left -= size;
      if (!socket.write(size === streamChunkBytes ? chunk : chunk.subarray(0, size))) {
        socket.once('drain', pump);
        return;
      }
    }
    if (left === 0) socket.end();
  };
  pump();
});

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => resolve((server.address() as net.AddressInfo).port));
  });
}

const tcpPort = await listen(tcpUpper);
const streamPort = await listen(sender);
const udpPort = await new Promise<number>((resolve) =>
  udpUpper.bind({ address: '127.0.0.1', port: 0 }, () => resolve(udpUpper.address().port)),
);

const api = {
  close: async () => {
    for (const socket of sockets) socket.destroy();
    await Promise.all([
      new Promise((resolve) => tcpUpper.close(resolve)),
      new Promise((resolve) => sender.close(resolve)),
      new Promise<void>((resolve) => udpUpper.close(() => resolve())),
    ]);
    return true;
  },
};

export type PeerApi = typeof api;
export type PeerReady = { tcpPort: number; udpPort: number; streamPort: number; streamBytes: number };

answerParent(api, { tcpPort, udpPort, streamPort, streamBytes } satisfies PeerReady);
