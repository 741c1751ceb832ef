import type { SocketAddress } from '../../shared/net/contract';

/** `127.0.0.1:12000`, `[::1]:12000`: how people write an address with a port. */
export function formatAddress(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

export function formatSocketAddress(address: SocketAddress): string {
  return formatAddress(address.address, address.port);
}

/** Node's messages start in lower case because they are also used mid-sentence; a line on its own does not. */
export function sentence(text: string): string {
  return text.length > 0 ? text[0]?.toUpperCase() + text.slice(1) : text;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
