import type dgram from 'node:dgram';
import net from 'node:net';
import type { ResolvedAddress } from '../../shared/net/contract';
import { netError } from './errors';
import { resolveHost } from './resolve';

/** Where the user asked a built-in server to listen. */
export interface ListenAt {
  /** As typed: an IP address or a name such as `localhost`. */
  bindAddress: string;
  port: number;
}

/** The address a built-in server listens on: the user's bind address, resolved (5 s at most). */
export async function resolveBindAddress(
  protocol: 'TCP' | 'UDP',
  at: ListenAt,
  signal: AbortSignal,
): Promise<ResolvedAddress> {
  const [target] = await resolveHost(at.bindAddress, { protocol, timeoutMs: 5000, signal, port: at.port });
  if (!target) throw netError(new Error('no address'), { protocol, action: actionOf(protocol), host: at.bindAddress });
  return target;
}

/**
 * Opens a built-in server's listening socket (TCP) or bound socket (UDP). `exclusive` so
 * that two servers never share a port silently; an error names the address, the port and
 * what the OS said (e.g. "already in use").
 */
export function listenAt(
  socket: net.Server | dgram.Socket,
  protocol: 'TCP' | 'UDP',
  at: ListenAt,
  target: ResolvedAddress,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onError = (error: Error) =>
      reject(
        netError(error, {
          protocol,
          action: actionOf(protocol),
          host: at.bindAddress,
          address: target.address,
          port: at.port,
        }),
      );
    const onListening = () => {
      socket.off('error', onError);
      resolve();
    };
    socket.once('error', onError);
    if (socket instanceof net.Server) {
      socket.listen({ host: target.address, port: at.port, exclusive: true }, onListening);
    } else {
      socket.bind({ address: target.address, port: at.port, exclusive: true }, onListening);
    }
  });
}

function actionOf(protocol: 'TCP' | 'UDP'): 'listen' | 'bind' {
  return protocol === 'UDP' ? 'bind' : 'listen';
}
