import net from 'node:net';
import type tls from 'node:tls';
import { PlaygroundError } from '../../shared/contract/errors';
import type { AddressFamily, ResolvedAddress, SocketAddress, TlsCertificate } from '../../shared/net/contract';
import type { Closable } from '../service';
import { formatAddress, ipFamily, localAddressOf, remoteAddressOf } from './address';
import { formatSeconds, monoNow, roundMs } from './clock';
import { abortReason, withDeadline } from './deadline';
import { type NetContext, netError } from './errors';
import { resolveHost } from './resolve';
import { upgradeToTls } from './startTls';

/** One address tried, with why it failed (no error: the one that answered). */
export interface ConnectAttempt {
  address: string;
  family: AddressFamily;
  ms: number;
  error?: ReturnType<PlaygroundError['toInfo']>;
}

export interface TlsOnConnect {
  /** SNI name and the name the certificate must cover; defaults to the host. Never sent for an IP address. */
  servername?: string | undefined;
  /** Accept a certificate no trusted authority signed (it must still name the host). */
  acceptSelfSigned: boolean;
  /** Extra trusted certificates (PEM), for tests. */
  ca?: string | undefined;
}

export interface ConnectOptions {
  /** Named in messages and hints. */
  protocol: Exclude<NetContext['protocol'], 'UDP'>;
  /** As the user typed it: a name or an IP address. */
  host: string;
  port: number;
  /** One deadline for everything: lookup, each address in turn, the TLS handshake. */
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  family?: AddressFamily | undefined;
  bindAddress?: string | undefined;
  /** TLS right after the TCP handshake (https, SMTP on 465). */
  tls?: TlsOnConnect | undefined;
  /**
   * Keeps a half-open socket closable with the window while the connect is under way
   * (the session's own/release).
   */
  owner?: { own(resource: Closable): unknown; release(resource: Closable): void } | undefined;
  /** Keep "the peer sent FIN" apart from "closed" (default true). */
  allowHalfOpen?: boolean | undefined;
  /**
   * Plain TCP only (ignored with `tls`, whose socket reads for itself): incoming bytes go
   * to this callback instead of 'data' events (see ReusedReadBuffer).
   */
  onread?: net.OnReadOpts | undefined;
}

export interface Connected {
  /** A TLSSocket when `tls` was asked for. Listeners are the caller's to add. */
  socket: net.Socket | tls.TLSSocket;
  local: SocketAddress;
  peer: SocketAddress;
  resolved: ResolvedAddress[];
  /** Every address tried, in order; the last one answered. */
  attempts: ConnectAttempt[];
  /** Name lookup; absent when the host was an IP address. */
  lookupMs?: number | undefined;
  /** The TCP handshake of the address that answered. */
  connectMs: number;
  tlsMs?: number | undefined;
  certificate?: TlsCertificate | undefined;
}

/** These say "not this address": the next resolved address is tried. */
const tryNextAddress = new Set(['ECONNREFUSED', 'ENETUNREACH', 'EHOSTUNREACH', 'EADDRNOTAVAIL', 'EAFNOSUPPORT']);

/**
 * The one connector for TCP-based clients (the TCP lab, HTTP, SMTP): resolve the host,
 * try its addresses in order, then (optionally) TLS, all within one deadline that the
 * caller's signal can cut short. Errors name the host, the port, what the OS said and
 * what to try; a refused certificate says why and carries it in `details.certificate`.
 */
export async function connect(options: ConnectOptions): Promise<Connected> {
  const { protocol, host, port, timeoutMs, signal } = options;
  const started = monoNow();
  let stage: 'lookup' | 'connect' | 'tls' = 'lookup';
  const attempts: ConnectAttempt[] = [];
  let resolved: ResolvedAddress[] = [];
  let lookupMs: number | undefined;
  let open: net.Socket | undefined;
  const tcp = await withDeadline(
    async (deadline) => {
      const lookupStart = monoNow();
      resolved = await resolveHost(host, {
        protocol,
        family: options.family,
        timeoutMs,
        signal: deadline,
        port,
      });
      if (!ipFamily(host)) lookupMs = roundMs(monoNow() - lookupStart);
      stage = 'connect';
      let lastError: PlaygroundError | undefined;
      for (const target of resolved) {
        const attemptStart = monoNow();
        try {
          const done = await connectOnce(options, target, deadline);
          open = done.socket;
          return done;
        } catch (error) {
          if (deadline.aborted) throw abortReason(deadline);
          const failure =
            error instanceof PlaygroundError
              ? error
              : netError(error, { protocol, action: 'connect', host, address: target.address, port });
          attempts.push({
            address: target.address,
            family: target.family,
            ms: roundMs(monoNow() - attemptStart),
            error: failure.toInfo(),
          });
          lastError = failure;
          if (!tryNextAddress.has(String(failure.details?.osCode))) throw failure;
        }
      }
      throw withAttempts(lastError, attempts);
    },
    {
      timeoutMs,
      signal,
      onTimeout: () =>
        new PlaygroundError({
          code: 'E_TIMEOUT',
          message:
            stage === 'lookup'
              ? `looking up host '${host}' did not finish within ${formatSeconds(timeoutMs)}: the name server is slow or unreachable. Try again, or use an IP address.`
              : `could not connect to ${describeTarget(host, resolved, port)} within ${formatSeconds(timeoutMs)}: nothing answered the connection request (SYN). The host may be down, a firewall may drop the packets, or the server is too busy to accept. Check the address and port, or allow more time.`,
          details: { host, port, timeoutMs, stage, elapsedMs: roundMs(monoNow() - started) },
        }),
    },
  ).catch((error: unknown) => {
    // A connect that won the race against the deadline by a hair must not stay open.
    open?.destroy();
    throw error;
  });
  const { connectMs } = tcp;
  let socket: net.Socket | tls.TLSSocket = tcp.socket;
  attempts.push({
    address: socket.remoteAddress ?? '',
    family: socket.remoteFamily === 'IPv6' ? 'IPv6' : 'IPv4',
    ms: connectMs,
  });
  const peer = remoteAddressOf(socket, port);
  const local = localAddressOf(socket);
  let tlsMs: number | undefined;
  let certificate: TlsCertificate | undefined;
  if (options.tls) {
    stage = 'tls';
    const tlsOptions = options.tls;
    const remaining = Math.max(1, Math.round(timeoutMs - (monoNow() - started)));
    const guard = { close: () => void tcp.socket.destroy() };
    options.owner?.own(guard);
    try {
      // The handshake gets what is left of the one deadline; the message names the whole of it.
      const upgraded = await withDeadline(
        (deadline) =>
          upgradeToTls(tcp.socket, {
            host,
            port,
            servername: tlsOptions.servername,
            acceptSelfSigned: tlsOptions.acceptSelfSigned,
            ca: tlsOptions.ca,
            protocol,
            timeoutMs,
            signal: deadline,
          }),
        {
          timeoutMs: remaining,
          signal,
          onTimeout: () =>
            new PlaygroundError({
              code: 'E_TIMEOUT',
              message: `the TLS handshake with ${formatAddress(host, port)} did not finish within the ${formatSeconds(timeoutMs)} allowed for connecting: the server accepted the TCP connection but does not answer the TLS hello. Does it speak TLS on this port? Untick TLS for plain ${protocol}, or allow more time.`,
              details: { host, port, timeoutMs, stage: 'tls', elapsedMs: roundMs(monoNow() - started) },
            }),
        },
      );
      socket = upgraded.socket;
      tlsMs = upgraded.handshakeMs;
      certificate = upgraded.certificate;
    } finally {
      options.owner?.release(guard);
    }
  }
  return { socket, local, peer, resolved, attempts, lookupMs, connectMs, tlsMs, certificate };
}

function connectOnce(
  options: ConnectOptions,
  target: ResolvedAddress,
  signal: AbortSignal,
): Promise<{ socket: net.Socket; connectMs: number }> {
  const { protocol, host, port, owner } = options;
  return new Promise((resolve, reject) => {
    // Node takes onread in the Socket constructor, though its types list it for connect() only.
    const socketOptions: net.SocketConstructorOpts & net.ConnectOpts = { allowHalfOpen: options.allowHalfOpen ?? true };
    if (options.onread && !options.tls) socketOptions.onread = options.onread;
    const socket = new net.Socket(socketOptions);
    // Until the caller owns it, a socket left half-open by a cancel must still close with the window.
    const owned = { close: () => void socket.destroy() };
    owner?.own(owned);
    const cleanup = () => {
      owner?.release(owned);
      signal.removeEventListener('abort', onAbort);
      socket.off('error', onError);
      socket.off('connect', onConnect);
    };
    const onAbort = () => {
      cleanup();
      socket.destroy();
      reject(abortReason(signal));
    };
    const onError = (error: Error) => {
      cleanup();
      socket.destroy();
      reject(netError(error, { protocol, action: 'connect', host, address: target.address, port }));
    };
    const started = monoNow();
    const onConnect = () => {
      const connectMs = roundMs(monoNow() - started);
      cleanup();
      socket.setNoDelay(true);
      resolve({ socket, connectMs });
    };
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('error', onError);
    socket.once('connect', onConnect);
    socket.connect({
      host: target.address,
      port,
      family: target.family === 'IPv6' ? 6 : 4,
      ...(options.bindAddress !== undefined ? { localAddress: options.bindAddress } : {}),
    });
  });
}

function describeTarget(host: string, resolved: ResolvedAddress[], port: number): string {
  const first = resolved[0]?.address;
  if (!first || first === host) return formatAddress(host, port);
  return `${host} (${formatAddress(first, port)})`;
}

function withAttempts(error: PlaygroundError | undefined, attempts: ConnectAttempt[]): PlaygroundError {
  if (!error) return new PlaygroundError({ code: 'E_DNS', message: 'the host has no address to connect to' });
  if (attempts.length < 2) return error;
  const tried = attempts.map((attempt) => `${attempt.address} (${attempt.error?.details?.osCode ?? '?'})`).join(', ');
  return new PlaygroundError({
    code: error.code,
    message: `tried ${attempts.length} addresses: ${tried}. Last: ${error.message}`,
    details: { ...error.details, attempts },
  });
}
