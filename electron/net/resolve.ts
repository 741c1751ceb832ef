import { lookup } from 'node:dns/promises';
import { PlaygroundError } from '../../shared/contract/errors';
import type { AddressFamily, ResolvedAddress } from '../../shared/net/contract';
import { familyOf, ipFamily } from './address';
import { formatSeconds } from './clock';
import { withDeadline } from './deadline';
import { type NetContext, netError } from './errors';

export interface ResolveOptions {
  protocol: NetContext['protocol'];
  family?: AddressFamily | undefined;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  port?: number | undefined;
}

/**
 * Every address `host` stands for, in the order the system resolver gives them
 * (getaddrinfo, like the textbook's socket calls: /etc/hosts, then DNS). An IP address
 * is returned as is. The lookup cannot be stopped, but the wait for it can: by the
 * deadline or the caller's signal.
 */
export async function resolveHost(host: string, options: ResolveOptions): Promise<ResolvedAddress[]> {
  const { protocol, family, timeoutMs, signal, port } = options;
  const literal = ipFamily(host);
  if (literal) {
    if (family && literal !== family) {
      throw new PlaygroundError({
        code: 'E_FAMILY',
        message: `${host} is an ${literal} address, but this ${protocol} socket uses ${family}: open the session for ${literal}, or use an ${family} address.`,
        details: { host, family },
      });
    }
    return [{ address: host, family: literal }];
  }
  const found = await withDeadline(
    async () => {
      try {
        return await lookup(host, { all: true, family: family === 'IPv6' ? 6 : family === 'IPv4' ? 4 : 0 });
      } catch (error) {
        throw netError(error, { protocol, action: 'lookup', host, port });
      }
    },
    {
      timeoutMs,
      signal,
      onTimeout: () =>
        new PlaygroundError({
          code: 'E_DNS',
          message: `looking up host '${host}' took longer than ${formatSeconds(timeoutMs)}: the name server is slow or unreachable. Try again, or use an IP address such as 127.0.0.1.`,
          details: { host, osCode: 'ETIMEOUT', timeoutMs },
        }),
    },
  );
  const addresses = found.map((entry) => ({ address: entry.address, family: familyOf(entry.family, entry.address) }));
  if (addresses.length === 0) {
    throw new PlaygroundError({
      code: 'E_DNS',
      message: `host '${host}' has no ${family ?? 'IP'} address: try the other address family, or an IP address.`,
      details: { host },
    });
  }
  return addresses;
}
