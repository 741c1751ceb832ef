// Ports on this machine's loopback that nothing listens on, and whether IPv6 loopback works.
import dgram from 'node:dgram';
import net from 'node:net';

/**
 * A TCP port on `host` that nothing listens on (bound for a moment, then released). On
 * loopback nothing listens on the same UDP port either, in practice.
 */
export async function freeTcpPort(host = '127.0.0.1'): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as net.AddressInfo;
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
