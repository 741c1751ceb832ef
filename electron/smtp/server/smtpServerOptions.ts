import type { SMTPServerOptions } from 'smtp-server';
import type { ParsedRequestOf } from '../../../shared/contract/index';

/** The textbook's replies where smtp-server lets us choose the words. */
export const replies = {
  helo: '%s Hello %s, pleased to meet you',
  accepted: 'Message accepted for delivery',
  authRequired: 'Authentication required: send AUTH PLAIN or AUTH LOGIN first',
  authFailed: 'Authentication credentials invalid',
};

/** Commands an unauthenticated client may send while AUTH is required (smtp-server's 10 is tight for typing). */
const maxUnauthenticatedCommands = 50;
const maxClients = 100;
const maxRecipients = 100;

/** An error smtp-server answers with this reply code and text. */
export function replyError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

/**
 * smtp-server's settings for the teacher's choices in the start request (STARTTLS, AUTH,
 * size limit, idle timeout). The hooks that see each step (onConnect, onData, ...) are the
 * mail server's own and are added by it.
 */
export function smtpServerOptions(
  request: ParsedRequestOf<'mailServer.start'>,
  certificate: { key: string; cert: string } | undefined,
): SMTPServerOptions {
  return {
    name: request.hostname,
    heloResponse: replies.helo,
    size: request.maxMessageBytes,
    rejectOversized: true,
    authMethods: ['PLAIN', 'LOGIN'],
    authOptional: request.requireAuth === undefined,
    // Students see AUTH on loopback without TLS; the panel says the password crosses in clear.
    allowInsecureAuth: true,
    authRequiredMessage: replies.authRequired,
    disabledCommands: [...(request.startTls ? [] : ['STARTTLS']), ...(request.requireAuth ? [] : ['AUTH'])],
    hideSTARTTLS: !request.startTls,
    ...(certificate ? { key: certificate.key, cert: certificate.cert } : {}),
    // The log is our own transcript of the socket; smtp-server's would go to the console.
    logger: false,
    // A reverse lookup of 127.0.0.1 is useless here and would delay every greeting.
    disableReverseLookup: true,
    maxClients,
    maxRecipients,
    maxAllowedUnauthenticatedCommands: maxUnauthenticatedCommands,
    socketTimeout: request.idleTimeoutMs,
    closeTimeout: 1000,
  };
}
