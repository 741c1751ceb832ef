import dgram from 'node:dgram';
import net from 'node:net';
import type { DnsReply, DnsTransport } from '../../../shared/dns/client/contract';
import type { SocketAddress } from '../../../shared/net/contract';
import { formatAddress, toSocketAddress } from '../../net/address';
import { formatSeconds, monoNow, roundMs } from '../../net/clock';
import { netError } from '../../net/errors';
import { resolveHost } from '../../net/resolve';

/**
 * One DNS query on the wire and its reply: UDP (one datagram each way) or TCP (each
 * message after a 2-byte length, RFC 1035 §4.2.2). The wait ends at the deadline or when
 * the caller cancels. A UDP reply from another address or with another ID is still shown,
 * flagged: a real resolver would drop it, a student should see it.
 */

export interface ExchangeResult {
  attempt: {
    transport: DnsTransport;
    to: SocketAddress;
    local?: SocketAddress;
    sentBytes: number;
    truncated: boolean;
    rttMs?: number;
  };
  reply?: DnsReply;
  noReply?: string;
}

export async function exchange(
  host: string,
  port: number,
  transport: DnsTransport,
  data: Uint8Array,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<ExchangeResult> {
  const protocol = transport === 'udp' ? 'UDP' : 'TCP';
  const [target] = await resolveHost(host, { protocol, timeoutMs: Math.min(timeoutMs, 5000), signal, port });
  const to: SocketAddress = { address: target!.address, family: target!.family, port };
  const expectedId = (data[0]! << 8) | data[1]!;
  const started = monoNow();
  const flag = (reply: Uint8Array, from: SocketAddress): DnsReply => {
    const got = reply.length >= 2 ? (reply[0]! << 8) | reply[1]! : -1;
    const result: DnsReply = { data: reply, from, transport, rttMs: roundMs(monoNow() - started) };
    if (got !== expectedId) result.otherId = { expected: expectedId, got };
    if (from.address !== to.address || from.port !== to.port) result.otherAddress = { expected: to, got: from };
    return result;
  };
  const noReply =
    transport === 'udp'
      ? `no reply within ${formatSeconds(timeoutMs)} — nobody may be listening on ${formatAddress(to.address, port)} (UDP does not report that), or the reply was lost`
      : `no reply within ${formatSeconds(timeoutMs)} from ${formatAddress(to.address, port)} over TCP`;

  return new Promise<ExchangeResult>((resolve, reject) => {
    let settled = false;
    const attempt: ExchangeResult['attempt'] = { transport, to, sentBytes: data.byteLength, truncated: false };
    let cleanup = () => {};
    const finish = (result: Partial<ExchangeResult>, error?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      cleanup();
      if (error) reject(error);
      else resolve({ attempt, ...result });
    };
    const timer = setTimeout(() => finish({ noReply }), timeoutMs);
    const onAbort = () => finish({ noReply: 'cancelled: the wait for the reply was stopped' });
    signal.addEventListener('abort', onAbort, { once: true });
    const done = (reply: DnsReply) => {
      attempt.rttMs = reply.rttMs;
      attempt.truncated = reply.data.length > 2 && (reply.data[2]! & 0x02) !== 0;
      finish({ reply });
    };

    if (transport === 'udp') {
      const socket = dgram.createSocket(to.family === 'IPv6' ? 'udp6' : 'udp4');
      cleanup = () => socket.close();
      socket.on('error', (error) =>
        finish({}, netError(error, { protocol, action: 'send', host, address: to.address, port })),
      );
      socket.on('message', (message, info) => done(flag(new Uint8Array(message), toSocketAddress(info))));
      socket.bind(0, to.family === 'IPv6' ? '::' : '0.0.0.0', () => {
        attempt.local = toSocketAddress(socket.address());
        socket.send(data, port, to.address, (error) => {
          if (error) finish({}, netError(error, { protocol, action: 'send', host, address: to.address, port }));
        });
      });
      return;
    }
    const socket = net.connect({ host: to.address, port });
    cleanup = () => socket.destroy();
    let pending = Buffer.alloc(0);
    socket.on('connect', () => {
      attempt.local = toSocketAddress({
        address: socket.localAddress ?? '',
        family: socket.localFamily ?? 'IPv4',
        port: socket.localPort ?? 0,
      });
      const prefix = Buffer.alloc(2);
      prefix.writeUInt16BE(data.byteLength);
      socket.write(Buffer.concat([prefix, data]));
    });
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      if (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        done(flag(new Uint8Array(pending.subarray(2, 2 + pending.readUInt16BE(0))), to));
      }
    });
    socket.on('error', (error) =>
      finish({}, netError(error, { protocol, action: 'connect', host, address: to.address, port })),
    );
    socket.on('close', () =>
      finish({ noReply: `the server at ${formatAddress(to.address, port)} closed the TCP connection without a reply` }),
    );
  });
}
