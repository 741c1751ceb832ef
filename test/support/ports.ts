// Ports on this machine's loopback: free ones to use, and whether one is taken.
import dgram from 'node:dgram';
import net from 'node:net';
import { until } from './waits';

/** Listens on a port the system picks (on `host`) and resolves with that port. */
export async function listenOnFreePort(server: net.Server, host = '127.0.0.1'): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  return (server.address() as net.AddressInfo).port;
}

/**
 * A TCP port on `host` that nothing listens on (bound for a moment, then released). On
 * loopback nothing listens on the same UDP port either, in practice.
 */
export async function freeTcpPort(host = '127.0.0.1'): Promise<number> {
  const server = net.createServer();
  const port = await listenOnFreePort(server, host);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function freeUdpPort(type: 'udp4' | 'udp6' = 'udp4'): Promise<number> {
  const socket = dgram.createSocket(type);
  await new Promise<void>((resolve) => socket.bind(0, type === 'udp4' ? '127.0.0.1' : '::1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}

/** Whether a TCP server could listen on `port` of 127.0.0.1 right now (it closes again at once). */
export async function canListen(port: number): Promise<boolean> {
  const server = net.createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, host: '127.0.0.1', exclusive: true }, resolve);
    });
    await new Promise((resolve) => server.close(resolve));
    return true;
  } catch {
    return false;
  }
}

/** Whether a UDP socket could bind `port` of 127.0.0.1 right now (it closes again at once). */
export async function canBindUdp(port: number): Promise<boolean> {
  const socket = dgram.createSocket('udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind({ port, address: '127.0.0.1', exclusive: true }, resolve);
    });
    await new Promise<void>((resolve) => socket.close(resolve));
    return true;
  } catch {
    socket.close();
    return false;
  }
}

/** Whether a TCP port of 127.0.0.1 is free again within `timeoutMs` (a closed server releases it a moment later). */
export async function tcpPortFreed(port: number, timeoutMs = 5000): Promise<boolean> {
  try {
    await until(() => canListen(port), `port ${port} to be free`, timeoutMs);
    return true;
  } catch {
    return false;
  }
}

/** Whether this machine has a usable IPv6 loopback. */
export async function hasIPv6Loopback(): Promise<boolean> {
  const server = net.createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '::1', resolve);
    });
    return true;
  } catch {
    return false;
  } finally {
    server.close();
  }
}
