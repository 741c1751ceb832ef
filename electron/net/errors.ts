import { PlaygroundError } from '../../shared/contract/errors';
import { formatAddress } from './address';
import { formatSeconds } from './clock';

/** Where an OS error happened: named in the message so the user knows which host, which port. */
export interface NetContext {
  protocol: 'UDP' | 'TCP' | 'SMTP' | 'HTTP';
  action: 'lookup' | 'connect' | 'bind' | 'listen' | 'send' | 'receive';
  /** The host as the user typed it. */
  host?: string | undefined;
  /** The IP address actually used. */
  address?: string | undefined;
  port?: number | undefined;
  /** Size of the datagram, for EMSGSIZE. */
  bytes?: number | undefined;
}

interface SystemError {
  code?: unknown;
  syscall?: unknown;
  message?: unknown;
}

/** The OS error code (ECONNREFUSED, ENOTFOUND, ...) of a Node error, if it has one. */
export function osCode(error: unknown): string | undefined {
  const code = (error as SystemError | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function where(context: NetContext): string {
  const address = context.address ?? context.host;
  if (address === undefined) return context.port === undefined ? 'the socket' : `port ${context.port}`;
  const target = context.port === undefined ? address : formatAddress(address, context.port);
  return context.host && context.address && context.host !== context.address ? `${context.host} (${target})` : target;
}

function serverHint(context: NetContext): string {
  const port = context.port ?? 12000;
  if (context.protocol === 'HTTP') {
    return `Start the built-in web server on port ${port}, or check the host and port number (http is usually 80 or 8080, https 443).`;
  }
  if (context.protocol === 'SMTP') {
    return `Start the built-in mail server on port ${port}, or check the host and port number (mail servers listen on 25, 587 or 2525; 465 for implicit TLS).`;
  }
  return `Start the built-in ${context.protocol} server on port ${port}, or check the host and port number.`;
}

/**
 * Turns an error from dgram/net/dns into a PlaygroundError whose stable `code` programs
 * match on and whose message says which host and port, what the OS said and what to try.
 */
export function netError(error: unknown, context: NetContext): PlaygroundError {
  if (error instanceof PlaygroundError) return error;
  const code = osCode(error) ?? 'UNKNOWN';
  const syscall = (error as SystemError | null)?.syscall;
  const details: Record<string, unknown> = {
    osCode: code,
    protocol: context.protocol,
    action: context.action,
  };
  if (typeof syscall === 'string') details.syscall = syscall;
  if (context.host !== undefined) details.host = context.host;
  if (context.address !== undefined) details.address = context.address;
  if (context.port !== undefined) details.port = context.port;
  const make = (errorCode: string, message: string) => new PlaygroundError({ code: errorCode, message, details });
  const target = where(context);
  const bindTarget = formatAddress(context.address ?? context.host ?? '0.0.0.0', context.port ?? 0);

  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_NONAME':
    case 'EAI_FAIL':
      return make(
        'E_DNS',
        `could not find host '${context.host}' (${code}): check the spelling, or use an address such as 127.0.0.1 or ::1.`,
      );
    case 'EAI_AGAIN':
      return make(
        'E_DNS',
        `could not look up host '${context.host}' (${code}): the name server did not answer. Check the network, try again, or use an IP address.`,
      );
    case 'ENODATA':
    case 'EAI_NODATA':
    case 'EAI_ADDRFAMILY':
      return make(
        'E_DNS',
        `host '${context.host}' exists but has no address of the kind asked for (${code}): try the other address family (IPv4/IPv6), or an IP address.`,
      );
    case 'ECONNREFUSED':
      return context.protocol === 'UDP'
        ? make(
            'E_REFUSED',
            `${target} answered "port unreachable" (${code}): no program is listening on that UDP port. ${serverHint(context)}`,
          )
        : make(
            'E_REFUSED',
            `${target} refused the connection (${code}): is a server listening on that port? ${serverHint(context)}`,
          );
    case 'ETIMEDOUT':
      return make(
        'E_TIMEOUT',
        `${target} did not answer in time (${code}): the host may be down, or a firewall drops the packets. Check the address, or try again.`,
      );
    case 'ECONNRESET':
      return make(
        'E_RESET',
        `${target} reset the connection (${code}): the peer closed abruptly (it ended, or closed with data unread). Connect again if you want to go on.`,
      );
    case 'EPIPE':
      return make(
        'E_RESET',
        `${target} had already closed the connection when more data was written (${code}). Connect again if you want to go on.`,
      );
    case 'EADDRINUSE':
      return make(
        'E_ADDR_IN_USE',
        `${bindTarget} is already in use (${code}): another program, or another server in this app, is using that ${context.protocol} port. Stop it, or choose another port (e.g. ${nextPortHint(context.port)}).`,
      );
    case 'EACCES':
    case 'EPERM':
      return (context.port ?? 0) > 0 && (context.port ?? 0) < 1024
        ? make(
            'E_ACCESS',
            `binding ${bindTarget} was not allowed (${code}): ports below 1024 need administrator privileges. Use a port from 1024 up, such as 12000.`,
          )
        : make(
            'E_ACCESS',
            `${context.action} on ${context.action === 'bind' || context.action === 'listen' ? bindTarget : target} was not allowed (${code}): the operating system or a firewall forbids it. Try another port or address.`,
          );
    case 'EMSGSIZE':
      return make(
        'E_MSG_SIZE',
        `the datagram of ${context.bytes ?? 'so many'} bytes is too large for UDP (${code}): one datagram carries at most 65,507 bytes over IPv4 (65,527 over IPv6). Send less, or split it into several datagrams.`,
      );
    case 'EADDRNOTAVAIL':
      return make(
        'E_ADDR_NOT_AVAILABLE',
        `${context.address ?? context.host} is not an address of this machine (${code}): bind to 127.0.0.1 (this machine only), or leave the bind address empty.`,
      );
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return make(
        'E_UNREACHABLE',
        `${target} cannot be reached from here (${code}): there is no route to it. Check the address and your network connection.`,
      );
    case 'EAFNOSUPPORT':
      return make(
        'E_FAMILY',
        `${target}: this socket cannot use that address family (${code}). Open the session for IPv6 to reach an IPv6 address, or IPv4 for an IPv4 one.`,
      );
    default: {
      const said = (error as SystemError | null)?.message;
      return make(
        'E_NETWORK',
        `${context.protocol} ${context.action} on ${target} failed (${code}${typeof said === 'string' ? `: ${said}` : ''}).`,
      );
    }
  }
}

function nextPortHint(port: number | undefined): number {
  return port === undefined || port === 0 || port >= 65535 ? 12001 : port + 1;
}

export function notFound(kind: string, id: string): PlaygroundError {
  return new PlaygroundError({
    code: 'E_NOT_FOUND',
    message: `there is no ${kind} '${id}': it was closed, or was opened by another window. Open a new one.`,
    details: { id },
  });
}

export function timeoutError(what: string, ms: number, hint: string): PlaygroundError {
  return new PlaygroundError({
    code: 'E_TIMEOUT',
    message: `${what} did not finish within ${formatSeconds(ms)}: ${hint}`,
    details: { timeoutMs: ms },
  });
}

export function cancelledError(what: string): PlaygroundError {
  return new PlaygroundError({ code: 'E_CANCELLED', message: `${what} was cancelled` });
}
