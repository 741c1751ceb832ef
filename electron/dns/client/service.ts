import { readFile } from 'node:fs/promises';
import { getServers, lookup } from 'node:dns/promises';
import { findServices, parseServicesFile, wellKnownServices } from '../../../shared/dns/services';
import type { Service } from '../../service';
import { familyOf } from '../../net/address';
import { monoNow, roundMs, stamp } from '../../net/clock';
import { netError } from '../../net/errors';
import { withDeadline } from '../../net/deadline';
import { exchange } from './exchange';

/** Where the system keeps its services file. */
export function servicesFilePath(): string {
  return process.platform === 'win32'
    ? `${process.env.SystemRoot ?? 'C:\\Windows'}\\System32\\drivers\\etc\\services`
    : '/etc/services';
}

/** The DNS client (`dns.*`): queries by hand, getaddrinfo, getservbyname, the system's resolvers. */
export function createDnsClientService(servicesFile = servicesFilePath()): Service {
  return () => ({
    'dns.query': async ({ host, port, transport, data, timeoutMs, retryTcp }, { signal }) => {
      const first = await exchange(host, port, transport, data, timeoutMs, signal);
      const attempts = [first.attempt];
      let last = first;
      if (retryTcp && transport === 'udp' && first.attempt.truncated && !signal.aborted) {
        last = await exchange(host, port, 'tcp', data, timeoutMs, signal);
        attempts.push(last.attempt);
      }
      return {
        ...stamp(),
        attempts,
        ...(last.reply ? { reply: last.reply } : {}),
        ...(last.noReply ? { noReply: last.noReply } : {}),
      };
    },
    'dns.lookup': async ({ host, timeoutMs }, { signal }) => {
      const started = monoNow();
      const found = await withDeadline(
        async () => {
          try {
            return await lookup(host, { all: true, verbatim: true });
          } catch (error) {
            throw netError(error, { protocol: 'UDP', action: 'lookup', host });
          }
        },
        {
          timeoutMs,
          signal,
          onTimeout: () =>
            netError(Object.assign(new Error('timeout'), { code: 'EAI_AGAIN' }), {
              protocol: 'UDP',
              action: 'lookup',
              host,
            }),
        },
      );
      return {
        ...stamp(),
        host,
        addresses: found.map((a) => ({ address: a.address, family: familyOf(a.family, a.address) })),
        ms: roundMs(monoNow() - started),
      };
    },
    'dns.service': async ({ service, protocol }) => {
      let text: string | undefined;
      try {
        text = await readFile(servicesFile, 'utf8');
      } catch {
        text = undefined;
      }
      const table = text === undefined ? wellKnownServices : parseServicesFile(text);
      const entries = findServices(table, service, protocol);
      return {
        entries,
        source:
          text === undefined
            ? `the app's built-in table of well-known ports (${servicesFile} could not be read)`
            : servicesFile,
        fromBuiltInTable: text === undefined,
      };
    },
    'dns.servers': () => ({ servers: getServers() }),
  });
}

export const dnsClientService = createDnsClientService();
