import { createHash, X509Certificate } from 'node:crypto';
import net from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { makeSelfSignedCertificate } from '../../../electron/net/selfSignedCertificate';
import { stuffMessage } from '../../../shared/smtp/message/dotStuffing';
import { conversation, inbox, logEntries, RawSmtp, startMailServer, transport } from './serverHarness';
import { type App, startApp } from '../../support/appClient';
import { tcpPortFreed } from '../../support/ports';
import { until } from '../../support/waits';

let app: App;
afterEach(() => app?.close());

const textbook = [
  ['HELO crepes.fr', 250],
  ['MAIL FROM: <alice@crepes.fr>', 250],
  ['RCPT TO: <bob@hamburger.edu>', 250],
  ['DATA', 354],
  ['Do you like ketchup?\r\nHow about pickles?\r\n.', 250],
  ['QUIT', 221],
] as const;

describe('the textbook conversation', () => {
  test('gets 220/250/250/250/354/250/221, the log shows every line both ways, the message lands in the inbox', async () => {
    app = startApp();
    const started = await startMailServer(app);
    expect(started.hostname).toBe('hamburger.edu');
    expect(started.local.address).toBe('127.0.0.1');
    const client = await RawSmtp.connect(started.local.port);
    const greeting = await client.reply();
    expect(greeting.text).toBe('220 hamburger.edu ESMTP\r\n');
    for (const [line, code] of textbook) expect((await client.send(line)).code).toBe(code);
    await until(() => client.closed, 'the server to close after 221');

    const [summary] = await until2(() => inbox(app, started.serverId));
    expect(summary?.envelope).toMatchObject({
      mailFrom: 'alice@crepes.fr',
      rcptTo: ['bob@hamburger.edu'],
      heloName: 'crepes.fr',
      client: { address: '127.0.0.1', port: client.localPort },
      secure: false,
    });
    expect(summary?.size).toBe('Do you like ketchup?\r\nHow about pickles?\r\n'.length);

    await until(() => logEntries(app, started.serverId).some((entry) => entry.kind === 'closed'), 'closed');
    expect(conversation(app, started.serverId)).toEqual([
      'S: 220 hamburger.edu ESMTP\r\n',
      'C: HELO crepes.fr\r\n',
      'S: 250 hamburger.edu Hello [127.0.0.1], pleased to meet you\r\n',
      'C: MAIL FROM: <alice@crepes.fr>\r\n',
      'S: 250 Accepted\r\n',
      'C: RCPT TO: <bob@hamburger.edu>\r\n',
      'S: 250 Accepted\r\n',
      'C: DATA\r\n',
      'S: 354 End data with <CR><LF>.<CR><LF>\r\n',
      // The message's lines arrived in one read: one entry, CR LF and all; the final dot apart.
      'C: Do you like ketchup?\r\nHow about pickles?\r\n',
      'C: .\r\n',
      'S: 250 Message accepted for delivery\r\n',
      'C: QUIT\r\n',
      'S: 221 Bye\r\n',
    ]);
    const entries = logEntries(app, started.serverId);
    const accepted = entries.find((entry) => entry.kind === 'accepted');
    expect(accepted).toMatchObject({ client: { address: '127.0.0.1', port: client.localPort } });
    const messageLines = entries.filter((entry) => entry.kind === 'received' && entry.message);
    expect(messageLines).toHaveLength(2);
    expect(entries.find((entry) => entry.kind === 'message')).toMatchObject({ messageId: summary?.messageId });
    expect(entries.at(-1)).toMatchObject({ kind: 'closed', by: 'server' });

    // No headers: shown as body text, with why.
    const message = await app.client.call('mailServer.message', {
      serverId: started.serverId,
      messageId: summary?.messageId ?? '',
    });
    expect(message.headers).toEqual([]);
    expect(message.text).toBe('Do you like ketchup?\r\nHow about pickles?\r\n');
    expect(message.parseError).toMatch(/No header section/);
    expect(Buffer.from(message.raw).toString()).toBe('Do you like ketchup?\r\nHow about pickles?\r\n');
    await app.client.call('mailServer.stop', { serverId: started.serverId });
  });

  test('a MIME message from nodemailer: headers in order, text, HTML, attachments, raw source', async () => {
    app = startApp();
    const started = await startMailServer(app);
    const info = await transport(started.local.port).sendMail({
      from: 'Alice <alice@crepes.fr>',
      to: 'bob@hamburger.edu',
      cc: 'carol@hamburger.edu',
      replyTo: 'Renée <renee@crepes.fr>',
      subject: 'Ketchup? — ça va',
      text: 'Do you like ketchup?\nHow about pickles?',
      html: '<p>Do you like <b>ketchup</b>?</p><script>alert(1)</script>',
      attachments: [{ filename: 'menu.txt', content: 'fries\n' }],
    });
    expect(info.accepted).toEqual(['bob@hamburger.edu', 'carol@hamburger.edu']);
    const [summary] = await until2(() => inbox(app, started.serverId));
    expect(summary).toMatchObject({
      from: '"Alice" <alice@crepes.fr>',
      to: 'bob@hamburger.edu',
      subject: 'Ketchup? — ça va',
      attachments: 1,
      envelope: { mailFrom: 'alice@crepes.fr', rcptTo: ['bob@hamburger.edu', 'carol@hamburger.edu'] },
    });
    const message = await app.client.call('mailServer.message', {
      serverId: started.serverId,
      messageId: summary?.messageId ?? '',
    });
    const names = message.headers.map((header) => header.name.toLowerCase());
    expect(names.slice(0, 5)).toEqual(['from', 'to', 'cc', 'reply-to', 'subject']);
    expect(names).toContain('message-id');
    const header = (name: string) => message.headers.find((h) => h.name === name);
    // Encoded-words as written, and decoded beside them; plain headers need no decoding.
    expect(header('Subject')?.value).toMatch(/^=\?UTF-8\?/);
    expect(header('Subject')?.decoded).toBe('Ketchup? — ça va');
    expect(header('Reply-To')?.value).toMatch(/^=\?UTF-8\?Q\?Ren=C3=A9e\?= <renee@crepes\.fr>$/);
    expect(header('Reply-To')?.decoded).toMatch(/^"?Renée"? <renee@crepes\.fr>$/);
    expect(header('To')).toEqual({ name: 'To', value: 'bob@hamburger.edu' });
    expect(message.text?.trim()).toBe('Do you like ketchup?\nHow about pickles?');
    expect(message.html).toContain('<script>alert(1)</script>');
    expect(message.attachments).toHaveLength(1);
    expect(message.attachments[0]).toMatchObject({ filename: 'menu.txt', contentType: 'text/plain', size: 6 });
    expect(Buffer.from(message.attachments[0]?.data ?? []).toString()).toBe('fries\n');
    expect(Buffer.from(message.raw).toString()).toContain('Subject: =?UTF-8?');
    expect(message.raw.byteLength).toBe(summary?.size);
  });

  test('dot-stuffing round trip: lines starting with "." arrive intact', async () => {
    app = startApp();
    const started = await startMailServer(app);
    const body = 'Subject: dots\r\n\r\n.\r\n..two\r\n.leading\r\nend.\r\n. \r\n';
    const client = await RawSmtp.connect(started.local.port);
    await client.reply();
    await client.send('EHLO crepes.fr');
    await client.send('MAIL FROM:<alice@crepes.fr>');
    await client.send('RCPT TO:<bob@hamburger.edu>');
    expect((await client.send('DATA')).code).toBe(354);
    client.write(stuffMessage(body).bytes);
    expect((await client.reply()).code).toBe(250);
    const [summary] = await until2(() => inbox(app, started.serverId));
    const message = await app.client.call('mailServer.message', {
      serverId: started.serverId,
      messageId: summary?.messageId ?? '',
    });
    expect(Buffer.from(message.raw).toString()).toBe(body);
    expect(message.text).toBe('.\n..two\n.leading\nend.\n. \n');
    // The log shows the stuffed bytes as they crossed the wire.
    await until(
      () => conversation(app, started.serverId).some((line) => line.includes('\r\n...two\r\n')),
      'the stuffed line in the log',
    );

    // nodemailer stuffs too.
    const text = '.\n.hidden\n..\nlast';
    await transport(started.local.port).sendMail({ from: 'a@crepes.fr', to: 'b@hamburger.edu', subject: 'x', text });
    const second = await until2(() => inbox(app, started.serverId).slice(1));
    const again = await app.client.call('mailServer.message', {
      serverId: started.serverId,
      messageId: second[0]?.messageId ?? '',
    });
    expect(again.text?.replace(/\r\n/g, '\n').trimEnd()).toBe(text);
  });
});

describe('teacher options', () => {
  test('STARTTLS with a certificate made on the spot: the client trusts exactly it, and the log says what went inside TLS', async () => {
    app = startApp();
    const started = await startMailServer(app, { startTls: true });
    const certificate = started.certificate;
    expect(certificate?.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(new X509Certificate(certificate?.pem ?? '').fingerprint256).toBe(certificate?.fingerprint256);

    const client = await RawSmtp.connect(started.local.port);
    await client.reply();
    const ehlo = await client.send('EHLO crepes.fr');
    expect(ehlo.text).toContain('250-STARTTLS');
    const secure = await client.startTls(certificate?.pem ?? '');
    expect(secure.getPeerCertificate().fingerprint256).toBe(certificate?.fingerprint256);
    expect(secure.authorized).toBe(true);
    expect((await client.send('EHLO crepes.fr')).text).not.toContain('STARTTLS');
    await client.send('MAIL FROM:<alice@crepes.fr>');
    await client.send('RCPT TO:<bob@hamburger.edu>');
    await client.send('DATA');
    expect((await client.send('Subject: secret\r\n\r\nin TLS\r\n.')).code).toBe(250);
    await client.quit();

    const [summary] = await until2(() => inbox(app, started.serverId));
    expect(summary?.envelope.secure).toBe(true);
    await until(() => logEntries(app, started.serverId).some((entry) => entry.kind === 'closed'), 'closed');
    const entries = logEntries(app, started.serverId);
    const tlsAt = entries.findIndex((entry) => entry.kind === 'tls');
    expect(entries[tlsAt]).toMatchObject({ protocol: expect.stringMatching(/^TLSv1\.[23]$/) });
    const before = entries.slice(0, tlsAt).filter((entry) => entry.kind === 'received' || entry.kind === 'replied');
    const after = entries.slice(tlsAt).filter((entry) => entry.kind === 'received' || entry.kind === 'replied');
    expect(before.every((entry) => !entry.tls)).toBe(true);
    expect(after.every((entry) => entry.tls)).toBe(true);
    expect(conversation(app, started.serverId)).toContain('C: Subject: secret\r\n\r\nin TLS\r\n');
    expect(entries.at(-1)).toMatchObject({ kind: 'closed', by: 'server' });

    // nodemailer requiring TLS and trusting the returned certificate.
    await transport(started.local.port, {
      ignoreTLS: false,
      requireTLS: true,
      tls: { ca: certificate?.pem, servername: 'localhost' },
    }).sendMail({ from: 'a@crepes.fr', to: 'b@hamburger.edu', subject: 'tls', text: 'hi' });
    await until2(() => inbox(app, started.serverId).slice(1));
  });

  test('a client that does not trust the certificate gives up; the log says why', async () => {
    app = startApp();
    const started = await startMailServer(app, { startTls: true });
    const other = await makeSelfSignedCertificate('elsewhere.example');
    const client = await RawSmtp.connect(started.local.port);
    await client.reply();
    await client.send('EHLO crepes.fr');
    await expect(client.startTls(other.cert)).rejects.toThrow(/self-signed|certificate/);
    client.destroy();
    await until(() => logEntries(app, started.serverId).some((entry) => entry.kind === 'closed'), 'closed');
    const error = logEntries(app, started.serverId).find((entry) => entry.kind === 'error');
    expect(error).toMatchObject({ connectionId: 'c1', error: { code: 'E_TLS' } });
    expect(error?.kind === 'error' && error.error.message).toMatch(/did not complete.*self-signed certificate/);
  });

  test('AUTH required: 530 without it, 535 with a wrong password, 235 and mail accepted with the right one', async () => {
    app = startApp();
    const started = await startMailServer(app, { requireAuth: { user: 'alice', password: 'ketchup' } });
    const client = await RawSmtp.connect(started.local.port);
    await client.reply();
    const ehlo = await client.send('EHLO crepes.fr');
    expect(ehlo.text).toMatch(/250-AUTH (PLAIN LOGIN|LOGIN PLAIN)/);
    expect((await client.send('MAIL FROM:<alice@crepes.fr>')).code).toBe(530);
    const wrong = Buffer.from('\0alice\0pickles').toString('base64');
    expect((await client.send(`AUTH PLAIN ${wrong}`)).code).toBe(535);
    expect((await client.send('AUTH LOGIN')).code).toBe(334);
    expect((await client.send(Buffer.from('alice').toString('base64'))).code).toBe(334);
    expect((await client.send(Buffer.from('ketchup').toString('base64'))).code).toBe(235);
    expect((await client.send('MAIL FROM:<alice@crepes.fr>')).code).toBe(250);
    await client.quit();
    await until(() => logEntries(app, started.serverId).some((entry) => entry.kind === 'closed'), 'closed');
    const auths = logEntries(app, started.serverId).filter((entry) => entry.kind === 'auth');
    expect(auths).toMatchObject([
      { method: 'PLAIN', user: 'alice', ok: false },
      { method: 'LOGIN', user: 'alice', ok: true },
    ]);
    // The log keeps what was typed, base64 included: the lab is about seeing it.
    expect(conversation(app, started.serverId)).toContain(`C: AUTH PLAIN ${wrong}\r\n`);

    await transport(started.local.port, { auth: { user: 'alice', pass: 'ketchup' } }).sendMail({
      from: 'alice@crepes.fr',
      to: 'bob@hamburger.edu',
      text: 'authenticated',
    });
    const [summary] = await until2(() => inbox(app, started.serverId));
    expect(summary?.envelope.user).toBe('alice');
    await expect(
      transport(started.local.port, { auth: { user: 'alice', pass: 'nope' } }).sendMail({
        from: 'alice@crepes.fr',
        to: 'bob@hamburger.edu',
        text: 'x',
      }),
    ).rejects.toMatchObject({ responseCode: 535 });
  });

  test('a recipient on the reject list gets 550; the others still get the message', async () => {
    app = startApp();
    const started = await startMailServer(app, { rejectRecipients: ['Bob@Hamburger.edu'] });
    const client = await RawSmtp.connect(started.local.port);
    await client.reply();
    await client.send('HELO crepes.fr');
    await client.send('MAIL FROM:<alice@crepes.fr>');
    const refused = await client.send('RCPT TO:<bob@hamburger.edu>');
    expect(refused.code).toBe(550);
    expect(refused.text).toContain('bob@hamburger.edu');
    expect((await client.send('RCPT TO:<carol@hamburger.edu>')).code).toBe(250);
    await client.send('DATA');
    expect((await client.send('Subject: hi\r\n\r\nhello\r\n.')).code).toBe(250);
    await client.quit();
    await until(() => logEntries(app, started.serverId).some((entry) => entry.kind === 'closed'), 'closed');
    const [summary] = await until2(() => inbox(app, started.serverId));
    expect(summary?.envelope.rcptTo).toEqual(['carol@hamburger.edu']);
    expect(logEntries(app, started.serverId).find((entry) => entry.kind === 'rejected')).toMatchObject({
      code: 550,
    });
  });

  test('size limit: SIZE advertised, a larger message gets 552 and is not kept, the connection goes on', async () => {
    app = startApp();
    const started = await startMailServer(app, { maxMessageBytes: 1000 });
    expect(started.maxMessageBytes).toBe(1000);
    const client = await RawSmtp.connect(started.local.port);
    await client.reply();
    expect((await client.send('EHLO crepes.fr')).text).toMatch(/^250[- ]SIZE 1000\r$/m);
    await client.send('MAIL FROM:<alice@crepes.fr>');
    await client.send('RCPT TO:<bob@hamburger.edu>');
    await client.send('DATA');
    const big = `Subject: big\r\n\r\n${'x'.repeat(70)}\r\n`.repeat(40);
    expect((await client.send(`${big}.`)).code).toBe(552);
    await client.send('MAIL FROM:<alice@crepes.fr>');
    await client.send('RCPT TO:<bob@hamburger.edu>');
    await client.send('DATA');
    expect((await client.send('Subject: small\r\n\r\nok\r\n.')).code).toBe(250);
    await client.quit();
    const messages = await until2(() => inbox(app, started.serverId));
    expect(messages.map((summary) => summary.subject)).toEqual(['small']);
    const log = await app.waitFor('mailServer.log', (event) => event.counters.messagesAccepted === 1);
    expect(log.counters.messagesRejected).toBe(1);
    expect(logEntries(app, started.serverId).find((entry) => entry.kind === 'rejected')).toMatchObject({
      code: 552,
    });
  });

  test('DATA delay: the 250 comes only after the chosen wait', async () => {
    app = startApp();
    const started = await startMailServer(app, { dataReplyDelayMs: 400 });
    const client = await RawSmtp.connect(started.local.port);
    await client.reply();
    await client.send('HELO crepes.fr');
    await client.send('MAIL FROM:<alice@crepes.fr>');
    await client.send('RCPT TO:<bob@hamburger.edu>');
    await client.send('DATA');
    const sent = performance.now();
    expect((await client.send('slow\r\n.')).code).toBe(250);
    expect(performance.now() - sent).toBeGreaterThanOrEqual(390);
    await client.quit();
  });

  test('a 10 MB attachment arrives whole', async () => {
    app = startApp();
    const started = await startMailServer(app);
    const content = Buffer.alloc(10 * 1024 * 1024);
    for (let i = 0; i < content.length; i += 4) content.writeUInt32LE((i * 2654435761) >>> 0, i);
    await transport(started.local.port).sendMail({
      from: 'alice@crepes.fr',
      to: 'bob@hamburger.edu',
      subject: 'big',
      text: 'see attachment',
      attachments: [{ filename: 'big.bin', content, contentType: 'application/octet-stream' }],
    });
    const [summary] = await until2(() => inbox(app, started.serverId), 15_000);
    expect(summary?.attachments).toBe(1);
    expect(summary?.size).toBeGreaterThan(13 * 1024 * 1024);
    const message = await app.client.call('mailServer.message', {
      serverId: started.serverId,
      messageId: summary?.messageId ?? '',
    });
    const attachment = message.attachments[0];
    expect(attachment?.size).toBe(content.length);
    const digest = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
    expect(digest(attachment?.data ?? new Uint8Array())).toBe(digest(content));
    // The log gathered the big reads instead of one entry per base64 line.
    const received = logEntries(app, started.serverId).filter((entry) => entry.kind === 'received');
    expect(received.length).toBeLessThan(2000);
    expect(received.reduce((sum, entry) => sum + entry.bytes, 0)).toBeGreaterThan(summary?.size ?? 0);
  }, 30_000);
});

describe('the inbox and the server', () => {
  test('the inbox keeps the newest messages within its bound and says which went', async () => {
    app = startApp();
    const started = await startMailServer(app, { inboxLimit: { messages: 2, bytes: 1024 * 1024 } });
    const mail = transport(started.local.port, { pool: false });
    for (const subject of ['one', 'two', 'three']) {
      await mail.sendMail({ from: 'a@crepes.fr', to: 'b@hamburger.edu', subject, text: subject });
    }
    await until(() => inbox(app, started.serverId).some((summary) => summary.subject === 'three'), 'three');
    expect(inbox(app, started.serverId).map((summary) => summary.subject)).toEqual(['two', 'three']);
    const error = await app.failure(
      app.client.call('mailServer.message', { serverId: started.serverId, messageId: 'm1' }),
    );
    expect(error.code).toBe('E_NOT_FOUND');
    expect(error.message).toMatch(/newest|within 2 messages/);
    const log = await app.waitFor('mailServer.log', (event) => event.counters.inboxEvicted === 1);
    expect(log.counters.inboxMessages).toBe(2);

    const cleared = await app.client.call('mailServer.clearInbox', { serverId: started.serverId });
    expect(cleared.removed).toBe(2);
    await until(() => inbox(app, started.serverId).length === 0, 'the inbox to be empty');
  });

  test('the chosen port in use is a clear error; stop frees the port and closes connections', async () => {
    app = startApp();
    const started = await startMailServer(app);
    const error = await app.failure(startMailServer(app, { port: started.local.port }));
    expect(error.code).toBe('E_ADDR_IN_USE');
    expect(error.message).toContain(String(started.local.port));

    const client = await RawSmtp.connect(started.local.port);
    await client.reply();
    await app.client.call('mailServer.stop', { serverId: started.serverId });
    await until(() => client.closed, 'the connection to close on stop');
    const again = net.createServer();
    await new Promise<void>((resolve) => again.listen(started.local.port, '127.0.0.1', resolve));
    await new Promise((resolve) => again.close(resolve));
    const unknown = await app.failure(app.client.call('mailServer.stop', { serverId: started.serverId }));
    expect(unknown.code).toBe('E_NOT_FOUND');
  });

  test('bad options are refused with the field named', async () => {
    app = startApp();
    const bad = await app.failure(startMailServer(app, { maxMessageBytes: 0 }));
    expect(bad).toMatchObject({ code: 'E_BAD_REQUEST', field: 'payload.maxMessageBytes' });
    const recipient = await app.failure(startMailServer(app, { rejectRecipients: ['<bob@x>'] }));
    expect(recipient.field).toBe('payload.rejectRecipients.0');
    const auth = await app.failure(startMailServer(app, { requireAuth: { user: 'a', password: '' } }));
    expect(auth.message).toMatch(/password is empty/);
  });

  test('closing the app link stops the server', async () => {
    app = startApp();
    const started = await startMailServer(app);
    app.close();
    await expect(tcpPortFreed(started.local.port)).resolves.toBe(true);
  });
});

/** Polls until `read` returns a non-empty list (the inbox event may trail the 250 a little). */
async function until2<T>(read: () => T[], timeoutMs = 5000): Promise<T[]> {
  let found: T[] = [];
  await until(
    () => {
      found = read();
      return found.length > 0;
    },
    'a message in the inbox',
    timeoutMs,
  );
  return found;
}
