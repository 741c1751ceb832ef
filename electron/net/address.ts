import type { AddressInfo, Socket } from 'node:net';
import { isIP } from 'node:net';
import type { AddressFamily, SocketAddress } from '../../shared/net/contract';

/** What getsockname()/getpeername() say, in the contract's shape. */
export function toSocketAddress(info: { address: string; family: string | number; port: number }): SocketAddress {
  return { address: info.address, family: familyOf(info.family, info.address), port: info.port };
}

export function familyOf(family: string | number | undefined, address: string): AddressFamily {
  if (family === 'IPv6' || family === 6) return 'IPv6';
  if (family === 'IPv4' || family === 4) return 'IPv4';
  return isIP(address) === 6 ? 'IPv6' : 'IPv4';
}

export function ipFamily(address: string): AddressFamily | undefined {
  const version = isIP(address);
  if (version === 4) return 'IPv4';
  if (version === 6) return 'IPv6';
  return undefined;
}

/** `127.0.0.1:12000`, `[::1]:12000`: how people write an address with a port. */
export function formatAddress(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

export function formatSocketAddress(address: SocketAddress | AddressInfo): string {
  return formatAddress(address.address, address.port);
}

/** Binding these reaches every interface, so other machines can connect: worth a warning. */
export function isAllInterfaces(address: string): boolean {
  return address === '0.0.0.0' || address === '::' || address === '::0' || /^0*:(0*:)*0*$/.test(address);
}

export function allInterfacesWarning(address: string, port: number, protocol: 'UDP' | 'TCP'): string {
  return (
    `The ${protocol} server listens on all interfaces (${formatAddress(address, port)}): other machines on the ` +
    'network can reach it. Stop it when the lab is over, or bind to 127.0.0.1 to keep it on this machine.'
  );
}

/** A connected socket's own address (getsockname()). */
export function localAddressOf(socket: Socket): SocketAddress {
  return toSocketAddress({
    address: socket.localAddress ?? '',
    family: socket.localFamily ?? '',
    port: socket.localPort ?? 0,
  });
}

/** A connected socket's peer (getpeername()); `port` stands in when the socket no longer says. */
export function remoteAddressOf(socket: Socket, port = 0): SocketAddress {
  return toSocketAddress({
    address: socket.remoteAddress ?? '',
    family: socket.remoteFamily ?? '',
    port: socket.remotePort ?? port,
  });
}
