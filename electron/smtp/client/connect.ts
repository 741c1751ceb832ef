import type { ParsedRequestOf, ResponseOf } from '../../../shared/contract/index';
import type { Session } from '../../service';
import { monoNow, roundMs, stamp } from '../../net/clock';
import { connect } from '../../net/connect';
import type { ResolvedNetOptions } from '../../net/options';
import type { Opened } from '../../net/registry';
import { SmtpClientSession } from './session';

type ConnectRequest = ParsedRequestOf<'smtp.connect'>;
type ConnectResult = ResponseOf<'smtp.connect'>;

/**
 * `smtp.connect`: the shared connector opens the connection (plain, or TLS from the
 * first byte for port 465), then the session waits for the greeting.
 */
export async function openSmtpConnection(
  id: string,
  request: ConnectRequest,
  session: Session,
  options: ResolvedNetOptions,
  signal: AbortSignal,
): Promise<Opened<SmtpClientSession, ConnectResult>> {
  const started = monoNow();
  const connection = await connect({
    protocol: 'SMTP',
    host: request.host,
    port: request.port,
    timeoutMs: request.connectTimeoutMs,
    signal,
    owner: session,
    // SMTP has no half-close: when the server is done, so is the conversation.
    allowHalfOpen: false,
    ...(request.security === 'implicit-tls'
      ? { tls: { servername: request.servername, acceptSelfSigned: request.acceptSelfSigned } }
      : {}),
  });
  const keepLimit = request.keepBytes ?? options.keepBytes;
  const { client, greeting, greetingMs } = await SmtpClientSession.open(
    id,
    {
      socket: connection.socket,
      host: request.host,
      port: request.port,
      tls: request.security === 'implicit-tls',
    },
    session,
    { ...options, keepBytes: keepLimit },
    request.greetingTimeoutMs,
    signal,
  );
  return {
    opened: client,
    result: {
      ...stamp(),
      sessionId: id,
      local: client.local(),
      peer: client.peer,
      resolved: connection.resolved,
      attempts: connection.attempts,
      timings: {
        ...(connection.lookupMs !== undefined ? { lookupMs: connection.lookupMs } : {}),
        connectMs: connection.connectMs,
        ...(connection.tlsMs !== undefined ? { tlsMs: connection.tlsMs } : {}),
        greetingMs,
        totalMs: roundMs(monoNow() - started),
      },
      security: request.security,
      ...(connection.certificate ? { certificate: connection.certificate } : {}),
      greeting,
      keepLimit,
    },
  };
}
