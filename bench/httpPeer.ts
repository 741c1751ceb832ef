import http from 'node:http';
import type net from 'node:net';
import { answerParent } from './rpc';

/**
 * The far end of the HTTP benchmark, in its own process so that serving does not take
 * CPU from the client being measured: a Node `http` server answering every GET with
 * the same large body (Content-Length framing), written in 64 KiB pieces as fast as the
 * reader takes them. Usage (by bench/http.ts only): httpPeer.ts <body bytes>
 */

const bodyBytes = Number(process.argv[2]);
if (!Number.isSafeInteger(bodyBytes) || bodyBytes <= 0) throw new Error('httpPeer.ts needs the body size in bytes');

const piece = Buffer.alloc(64 * 1024, 0x61);
const sockets = new Set<net.Socket>();

const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': bodyBytes });
  let left = bodyBytes;
  const pump = (): void => {
    while (left > 0) {
      const n = Math.min(left, piece.length);
      left -= n;
      if (!res.write(n === piece.length ? piece : piece.subarray(0, n))) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  pump();
});
server.on('connection', (socket: net.Socket) => {
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as net.AddressInfo;
  answerParent(
    {
      close: () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          server.close(() => resolve());
        }),
    },
    { port },
  );
});
