import { X509Certificate } from 'node:crypto';
import type net from 'node:net';
import type tls from 'node:tls';
import {
  SMTPServer,
  type SMTPServerAddress,
  type SMTPServerAuthentication,
  type SMTPServerAuthenticationResponse,
  type SMTPServerDataStream,
  type SMTPServerSession,
} from 'smtp-server';
import { isPlaygroundError } from '../../../shared/contract/errors';
import type { ParsedRequestOf, ResponseOf } from '../../../shared/contract/index';
import type { SocketAddress } from '../../../shared/net/contract';
import type {
  MailMessage,
  MailServerCertificate,
  MailServerCounters,
  MailSummary,
} from '../../../shared/smtp/server/contract';
import { formatAddress, localAddressOf, remoteAddressOf } from '../../net/address';
import { BuiltInServer, closeListening, failedBy, tcpServerError, type StartContext } from '../../net/builtInServer';
import { stamp } from '../../net/clock';
import { LinkedSocket, linkAccepted } from '../../net/link';
import { Coalescer } from '../../net/coalescer';
import type { Opened } from '../../net/registry';
import { makeSelfSignedCertificate } from '../../net/selfSignedCertificate';
import { MailConnection } from './connection';
import { checkFolderWritable, emlFileName, removeStalePartials, resolveFolder, saveEml } from './eml';
import { MailInbox } from './inbox';
import { parseMail } from './parse';
import { replies, replyError, smtpServerOptions } from './smtpServerOptions';

type StartRequest = ParsedRequestOf<'mailServer.start'>;

/**
 * The built-in mail server: a sink. smtp-server (nodemailer's SMTP server library) speaks
 * the protocol (EHLO, SIZE, STARTTLS, AUTH PLAIN/LOGIN, pipelining, dot-unstuffing); this
 * class chooses the teacher's options, logs every line both ways, and keeps each accepted
 * message in a bounded inbox (optionally an .eml file). Nothing is ever relayed.
 */
export class MailServer extends BuiltInServer<'mailServer.log'> {
  private nextConnection = 1;
  private nextMessage = 1;
  private readonly connections = new Set<MailConnection>();
  private readonly bySession = new Map<string, MailConnection>();
  private readonly sockets = new Set<net.Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly rejected: Set<string>;
  private readonly counters = {
    connectionsAccepted: 0,
    connectionsOpen: 0,
    messagesAccepted: 0,
    messagesRejected: 0,
    messagesAbandoned: 0,
    messagesSaved: 0,
    bytesReceived: 0,
    bytesReplied: 0,
  };
  private readonly inbox: MailInbox;
  private readonly inboxEvents: Coalescer<true>;
  private readonly smtp: SMTPServer;

  private constructor(
    context: StartContext,
    private readonly request: StartRequest,
    private readonly saveFolder: string | undefined,
    private readonly certificate: { key: string; cert: string } | undefined,
  ) {
    super(context, { event: 'mailServer.log', link: request.link });
    const { id, session, options } = context;
    this.rejected = new Set(request.rejectRecipients.map((address) => address.toLowerCase()));
    this.inbox = new MailInbox(request.inboxLimit);
    this.inboxEvents = new Coalescer<true>({
      ...options.coalescing,
      flush: () => {
        if (!this.inbox.changed) return;
        const { added, removed } = this.inbox.takeChange();
        session.emit('mailServer.inbox', {
          serverId: id,
          added,
          removed,
          inboxMessages: this.inbox.count,
          inboxBytes: this.inbox.bytes,
        });
      },
    });
    this.smtp = new SMTPServer({
      ...smtpServerOptions(request, certificate),
      onConnect: (session, callback) => {
        this.connected(session);
        callback();
      },
      onSecure: (socket, session, callback) => {
        this.secured(socket, session);
        callback();
      },
      onAuth: (auth, session, callback) => this.authenticate(auth, session, callback),
      onRcptTo: (address, session, callback) => this.recipient(address, session, callback),
      onData: (stream, session, callback) => this.data(stream, session, callback),
      onClose: (session) => {
        const connection = this.bySession.get(session.id);
        if (connection) this.closed(connection);
      },
    });
    this.smtp.on('error', (error: Error) => this.serverError(error));
    // Ahead of smtp-server's own listener, so the transcript sees the greeting too.
    this.smtp.server.prependListener('connection', (socket: net.Socket) => this.accept(socket));
    // Last: smtp-server and the transcript read and write each connection accepted while a link is on through it.
    linkAccepted(this.smtp.server, this.link);
  }

  static async start(
    request: StartRequest,
    context: StartContext,
  ): Promise<Opened<MailServer, ResponseOf<'mailServer.start'>>> {
    return BuiltInServer.startListening(request, context, {
      protocol: 'TCP',
      create: async () => {
        const saveFolder = request.saveFolder === undefined ? undefined : resolveFolder(request.saveFolder);
        if (saveFolder !== undefined) {
          await checkFolderWritable(saveFolder);
          await removeStalePartials(saveFolder);
        }
        const made = request.startTls ? await makeSelfSignedCertificate(request.hostname) : undefined;
        const server = new MailServer(context, request, saveFolder, made);
        return { server, socket: server.smtp.server };
      },
      listening: ({ saveFolder, certificate }) => ({
        warning: (at) => allInterfacesWarning(at, request),
        logged: {
          hostname: request.hostname,
          startTls: request.startTls,
          authRequired: request.requireAuth !== undefined,
          maxMessageBytes: request.maxMessageBytes,
        },
        answered: {
          hostname: request.hostname,
          maxMessageBytes: request.maxMessageBytes,
          inboxLimit: request.inboxLimit,
          ...(certificate ? { certificate: describeCertificate(certificate.cert) } : {}),
          ...(saveFolder !== undefined ? { saveFolder } : {}),
        },
      }),
    });
  }

  get running(): boolean {
    return !this.stopped;
  }

  async message(messageId: string): Promise<MailMessage> {
    const { summary, raw } = this.inbox.get(messageId);
    const content = await parseMail(raw);
    const message: MailMessage = {
      ...summary,
      serverId: this.id,
      headers: content.headers,
      attachments: content.attachments,
      raw: raw.slice(),
    };
    if (content.text !== undefined) message.text = content.text;
    if (content.html !== undefined) message.html = content.html;
    if (content.parseError !== undefined) message.parseError = content.parseError;
    return message;
  }

  async saveMessage(messageId: string, folder: string): Promise<ResponseOf<'mailServer.saveMessage'>> {
    const target = resolveFolder(folder, 'folder');
    const { summary, raw } = this.inbox.get(messageId);
    await checkFolderWritable(target);
    const path = await saveEml(target, emlFileName(summary.received.at, messageId), raw);
    this.inbox.saved(messageId, path);
    this.log.add({ ...stamp(), kind: 'saved', messageId, path });
    return { ...stamp(), messageId, path };
  }

  clearInbox(): ResponseOf<'mailServer.clearInbox'> {
    const removed = this.inbox.clear();
    this.inboxEvents.touch();
    this.log.countersChanged();
    return { ...stamp(), serverId: this.id, removed };
  }

  protected snapshot(): MailServerCounters {
    return {
      ...this.counters,
      inboxMessages: this.inbox.count,
      inboxBytes: this.inbox.bytes,
      inboxEvicted: this.inbox.evicted,
    };
  }

  private accept(socket: net.Socket): void {
    if (this.stopped) {
      socket.destroy();
      return;
    }
    const client = remoteAddressOf(socket);
    const local = localAddressOf(socket);
    const connection = new MailConnection(`c${this.nextConnection++}`, client, this.log, this.counters);
    if (socket instanceof LinkedSocket) connection.linked = socket;
    this.connections.add(connection);
    this.counters.connectionsAccepted++;
    this.counters.connectionsOpen++;
    this.log.add({ ...stamp(), kind: 'accepted', connectionId: connection.id, client, local });
    this.watch(connection, socket);
    connection.transcript.attach(socket);
  }

  /** Follows one socket of a connection (the plain one, then the TLS one after STARTTLS). */
  private watch(connection: MailConnection, socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('error', (error) => {
      connection.error ??= tcpServerError(error, connection.client);
      connection.closedBy ??= failedBy(connection.error);
    });
    socket.on('close', () => {
      this.sockets.delete(socket);
      // After STARTTLS the TLS socket carries on over the same connection.
      if (connection.tls && !('encrypted' in socket)) return;
      this.closed(connection);
    });
  }

  private connected(session: SMTPServerSession): void {
    for (const connection of this.connections) {
      if (connection.sessionId === undefined && connection.client.port === session.remotePort) {
        connection.sessionId = session.id;
        this.bySession.set(session.id, connection);
        return;
      }
    }
  }

  private secured(socket: net.Socket | tls.TLSSocket, session: SMTPServerSession): void {
    const connection = this.bySession.get(session.id);
    if (!connection || connection.tls) return;
    connection.secured(socket as tls.TLSSocket);
    this.watch(connection, socket);
    connection.transcript.attach(socket);
  }

  private authenticate(
    auth: SMTPServerAuthentication,
    session: SMTPServerSession,
    callback: (error: Error | null | undefined, response?: SMTPServerAuthenticationResponse) => void,
  ): void {
    const expected = this.request.requireAuth;
    const user = auth.username ?? '';
    const ok = expected !== undefined && user === expected.user && auth.password === expected.password;
    const connection = this.bySession.get(session.id);
    if (connection)
      this.log.add({ ...stamp(), kind: 'auth', connectionId: connection.id, method: auth.method, user, ok });
    if (ok) callback(null, { user });
    else callback(replyError(535, replies.authFailed));
  }

  private recipient(address: SMTPServerAddress, session: SMTPServerSession, callback: (error?: Error | null) => void) {
    if (!this.rejected.has(address.address.toLowerCase())) {
      callback();
      return;
    }
    this.counters.messagesRejected++;
    const connection = this.bySession.get(session.id);
    if (connection) {
      this.log.add({
        ...stamp(),
        kind: 'rejected',
        connectionId: connection.id,
        code: 550,
        reason: `RCPT TO <${address.address}>: on this server's list of recipients to refuse`,
      });
    }
    callback(replyError(550, `<${address.address}>: Recipient address rejected: no such user here`));
  }

  /**
   * Collects the message (already dot-unstuffed by smtp-server) up to the size limit; a
   * larger one is drained and refused with 552. Only a message received in full, with the
   * connection still there after the DATA delay, is kept: a partial one is discarded.
   */
  private data(
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
    callback: (error?: Error | null, message?: string) => void,
  ): void {
    const connection = this.bySession.get(session.id);
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= this.request.maxMessageBytes) chunks.push(chunk);
      else chunks.length = 0;
    });
    stream.on('error', () => {
      failed = true;
      this.abandoned(connection, size);
    });
    stream.on('end', () => {
      if (failed) return;
      if (stream.sizeExceeded || size > this.request.maxMessageBytes) {
        this.counters.messagesRejected++;
        if (connection) {
          this.log.add({
            ...stamp(),
            kind: 'rejected',
            connectionId: connection.id,
            code: 552,
            reason: `the message has ${size} bytes, over this server's limit of ${this.request.maxMessageBytes}`,
          });
        }
        callback(replyError(552, 'Message exceeds fixed maximum message size'));
        return;
      }
      const raw = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
      const received = stamp();
      const finish = () => {
        if (this.stopped || connection?.closed) {
          this.abandoned(connection, size);
          return;
        }
        const stored = this.accepted(raw, received, session, connection);
        if (this.saveFolder === undefined) {
          // In memory the message is safe once received in full; reading its MIME
          // structure for the Inbox need not delay the 250.
          callback(null, replies.accepted);
          stored.catch((error: unknown) => this.serverError(error as Error));
          return;
        }
        stored.then(
          () => callback(null, replies.accepted),
          (error: unknown) => callback(replyError(451, `Local error in processing: ${String(error)}`)),
        );
      };
      if (this.request.dataReplyDelayMs === 0) finish();
      else this.later(finish, this.request.dataReplyDelayMs);
    });
  }

  private abandoned(connection: MailConnection | undefined, bytes: number): void {
    this.counters.messagesAbandoned++;
    if (connection) this.log.add({ ...stamp(), kind: 'abandoned', connectionId: connection.id, bytes });
    else this.log.countersChanged();
  }

  private async accepted(
    raw: Buffer,
    received: ReturnType<typeof stamp>,
    session: SMTPServerSession,
    connection: MailConnection | undefined,
  ): Promise<void> {
    const messageId = `m${this.nextMessage++}`;
    // Read before anything waits: smtp-server starts a new envelope once the reply is sent.
    const envelope = session.envelope;
    const mailFrom = envelope.mailFrom === false ? '' : envelope.mailFrom.address;
    const rcptTo = envelope.rcptTo.map((address) => address.address);
    const user = typeof session.user === 'string' ? session.user : undefined;
    const heloName = session.hostNameAppearsAs || '';
    const secure = session.secure;
    const { headline } = await parseMail(raw);
    const summary: MailSummary = {
      messageId,
      received,
      from: headline.from ?? mailFrom,
      to: headline.to ?? rcptTo.join(', '),
      subject: headline.subject,
      ...(headline.date === undefined ? {} : { date: headline.date }),
      size: raw.byteLength,
      attachments: headline.attachments,
      envelope: {
        mailFrom,
        rcptTo,
        heloName,
        client: connection?.client ?? { address: session.remoteAddress, family: 'IPv4', port: session.remotePort },
        secure,
        ...(user === undefined ? {} : { user }),
      },
    };
    // Saved before it counts as received: the 250 then means the file is there too.
    const savedAs = this.saveFolder === undefined ? undefined : await this.autoSave(messageId, received.at, raw);
    if (savedAs !== undefined) summary.savedAs = savedAs;
    this.inbox.add(summary, new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength));
    this.counters.messagesAccepted++;
    this.log.add({
      ...stamp(),
      kind: 'message',
      connectionId: connection?.id ?? '',
      messageId,
      mailFrom,
      rcptTo,
      size: raw.byteLength,
    });
    if (savedAs !== undefined) this.log.add({ ...stamp(), kind: 'saved', messageId, path: savedAs });
    this.inboxEvents.push(true);
  }

  /** A message that could not be saved stays in the inbox; the log says why. */
  private async autoSave(messageId: string, at: number, raw: Uint8Array): Promise<string | undefined> {
    try {
      const path = await saveEml(this.saveFolder as string, emlFileName(at, messageId), raw);
      this.counters.messagesSaved++;
      return path;
    } catch (error) {
      this.log.add({
        ...stamp(),
        kind: 'saveFailed',
        messageId,
        error: isPlaygroundError(error) ? error.toInfo() : { code: 'E_FILE', message: String(error) },
      });
      return undefined;
    }
  }

  private later(run: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }

  private closed(connection: MailConnection): void {
    if (connection.closed) return;
    connection.closed = true;
    connection.transcript.flush();
    this.connections.delete(connection);
    if (connection.sessionId !== undefined) this.bySession.delete(connection.sessionId);
    this.counters.connectionsOpen--;
    if (this.stopped) return;
    connection.logClosed();
  }

  private serverError(error: Error): void {
    if (this.stopped) return;
    const address = (error as { remoteAddress?: unknown }).remoteAddress;
    const info = tcpServerError(error, { address: typeof address === 'string' ? address : undefined });
    this.log.add({ ...stamp(), kind: 'error', error: info });
  }

  protected shutDown(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    return closeListening(this.smtp.server, this.sockets);
  }

  /** The inbox's last event goes out after the log's. */
  protected override async dispose(reason: 'local' | 'error', announce = true): Promise<void> {
    const stopping = super.dispose(reason, announce);
    this.inboxEvents.close();
    await stopping;
  }
}

function describeCertificate(pem: string): MailServerCertificate {
  const certificate = new X509Certificate(pem);
  return {
    subject: certificate.subject.replace(/\n/g, ', '),
    fingerprint256: certificate.fingerprint256,
    validFrom: certificate.validFrom,
    validTo: certificate.validTo,
    pem,
  };
}

function allInterfacesWarning(local: SocketAddress, request: StartRequest): string {
  return (
    `The mail server listens on all interfaces (${formatAddress(local.address, local.port)}): other machines on the ` +
    `network can send it mail${request.requireAuth ? ', and AUTH passwords cross the network readable unless STARTTLS is used first' : ''}. ` +
    'Stop it when the lab is over, or bind to 127.0.0.1 to keep it on this machine.'
  );
}
