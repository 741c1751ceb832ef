import { describe, expect, it } from 'vitest';
import type { RequestOf } from '../../../shared/contract/index';
import { buildStep } from '../../../shared/smtp/buildStep';
import { createStep, type SmtpStep, type SmtpStepKind, textbookSteps } from '../../../shared/smtp/steps';
import { type App, appPerTest } from '../../support/appClient';
import { decode } from '../../support/bytes';

/**
 * The conversation builder's Node side against the built-in mail server: the steps are
 * built by the same shared code the builder uses, sent line by line (AUTH LOGIN waits
 * for each 334), and the server's inbox shows what arrived.
 */

const app = appPerTest();

async function mailServer(a: App, options: Omit<RequestOf<'mailServer.start'>, 'port'> = {}) {
  return a.client.call('mailServer.start', { port: 0, ...options });
}

function step(kind: SmtpStepKind, fields: Partial<Omit<SmtpStep, 'id' | 'kind'>> = {}): SmtpStep {
  return createStep(kind, [], fields);
}

/** Sends a step's lines as the builder does; returns the code of the last reply. */
async function send(a: App, sessionId: string, built: SmtpStep): Promise<number[]> {
  const result = buildStep(built);
  if (!result.ok) throw new Error(result.message);
  const codes: number[] = [];
  for (const line of result.lines) {
    const sent = await a.client.call('smtp.send', {
      sessionId,
      data: line.bytes,
      label: built.kind,
      replyTimeoutMs: 5000,
    });
    expect(sent.outcome).toBe('replied');
    const code = sent.reply?.reply.code ?? 0;
    codes.push(code);
    if (line.expect !== undefined && code !== line.expect) break;
  }
  return codes;
}

describe('the SMTP client against the built-in mail server', () => {
  it('holds the textbook conversation in plain text; the message lands in the inbox', async () => {
    const a = app();
    const server = await mailServer(a);
    const connected = await a.client.call('smtp.connect', { host: '127.0.0.1', port: server.local.port });
    expect(connected.greeting.reply.code).toBe(220);
    expect(connected.greeting.reply.text).toContain('hamburger.edu');
    const codes: number[] = [];
    for (const s of textbookSteps()) codes.push(...(await send(a, connected.sessionId, s)));
    expect(codes).toEqual([250, 250, 250, 354, 250, 221]);
    const closed = await a.waitFor('smtp.closed', (e) => e.sessionId === connected.sessionId);
    expect(closed.afterQuit).toBe(true);
    const inbox = await a.waitFor('mailServer.inbox', (e) => e.added.length > 0);
    expect(inbox.added[0]?.envelope).toMatchObject({
      mailFrom: 'alice@crepes.fr',
      rcptTo: ['bob@hamburger.edu'],
      heloName: 'crepes.fr',
      secure: false,
    });
    const message = await a.client.call('mailServer.message', {
      serverId: server.serverId,
      messageId: inbox.added[0]?.messageId ?? '',
    });
    expect(decode(message.raw)).toContain('Do you like ketchup?\r\nHow about pickles?');
  });

  it('upgrades with STARTTLS to the certificate the server made, then sends inside TLS', async () => {
    const a = app();
    const server = await mailServer(a, { startTls: true });
    const { sessionId } = await a.client.call('smtp.connect', { host: 'localhost', port: server.local.port });
    const ehlo = await a.client.call('smtp.send', { sessionId, data: buildStepBytes(step('ehlo')) });
    expect(ehlo.reply?.reply.lines.map((l) => l.text)).toContain('STARTTLS');
    expect(await send(a, sessionId, step('starttls'))).toEqual([220]);
    const upgraded = await a.client.call('smtp.startTls', { sessionId, acceptSelfSigned: true });
    expect(upgraded.certificate.fingerprint256).toBe(server.certificate?.fingerprint256);
    const again = await a.client.call('smtp.send', { sessionId, data: buildStepBytes(step('ehlo')) });
    expect(again.tls).toBe(true);
    expect(again.reply?.reply.lines.map((l) => l.text)).not.toContain('STARTTLS');
    const codes: number[] = [];
    for (const kind of ['mail', 'rcpt', 'data', 'message', 'quit'] as const)
      codes.push(...(await send(a, sessionId, step(kind))));
    expect(codes).toEqual([250, 250, 354, 250, 221]);
    const inbox = await a.waitFor('mailServer.inbox', (e) => e.added.length > 0);
    expect(inbox.added[0]?.envelope.secure).toBe(true);
  });

  it('logs in with AUTH PLAIN and AUTH LOGIN (530 before, 535 with a wrong password)', async () => {
    const a = app();
    const server = await mailServer(a, { requireAuth: { user: 'alice', password: 'secret' } });
    const open = async () => {
      const { sessionId } = await a.client.call('smtp.connect', { host: '127.0.0.1', port: server.local.port });
      expect(await send(a, sessionId, step('ehlo'))).toEqual([250]);
      return sessionId;
    };

    const plain = await open();
    expect(await send(a, plain, step('mail'))).toEqual([530]);
    expect(await send(a, plain, step('auth-plain', { text: 'alice', password: 'wrong' }))).toEqual([535]);
    expect(await send(a, plain, step('auth-plain', { text: 'alice', password: 'secret' }))).toEqual([235]);
    expect(await send(a, plain, step('mail'))).toEqual([250]);

    const login = await open();
    const codes = await send(a, login, step('auth-login', { text: 'alice', password: 'secret' }));
    expect(codes).toEqual([334, 334, 235]);
    const challenges = a.events['smtp.reply'].filter((r) => r.reply.code === 334 && r.sessionId === login);
    expect(challenges.map((r) => r.explanation.challenge?.decoded)).toEqual(['Username:', 'Password:']);
    expect(challenges[1]?.answers).toMatchObject({ kind: 'auth-response' });
    expect(await send(a, login, step('mail'))).toEqual([250]);
  });

  it('shows a rejected recipient (550) and a message over the size limit (552)', async () => {
    const a = app();
    const server = await mailServer(a, { rejectRecipients: ['nobody@hamburger.edu'], maxMessageBytes: 1000 });
    const { sessionId } = await a.client.call('smtp.connect', { host: '127.0.0.1', port: server.local.port });
    await send(a, sessionId, step('ehlo'));
    await send(a, sessionId, step('mail'));
    const rejected = await a.client.call('smtp.send', {
      sessionId,
      data: buildStepBytes(step('rcpt', { text: 'nobody@hamburger.edu' })),
    });
    expect(rejected.reply?.reply.code).toBe(550);
    expect(rejected.reply?.explanation.replyClass).toBe('permanent-negative');
    expect(rejected.reply?.explanation.forCommand ?? '').not.toBe('');
    expect(await send(a, sessionId, step('rcpt'))).toEqual([250]);
    expect(await send(a, sessionId, step('data'))).toEqual([354]);
    const tooBig = await a.client.call('smtp.send', {
      sessionId,
      data: buildStepBytes(step('message', { text: 'x'.repeat(70).concat('\n').repeat(40) })),
    });
    expect(tooBig.reply?.reply.code).toBe(552);
    expect(tooBig.reply?.answers).toMatchObject({ kind: 'message' });
    expect(await send(a, sessionId, step('quit'))).toEqual([221]);
  });
});

function buildStepBytes(built: SmtpStep): Uint8Array {
  const result = buildStep(built);
  if (!result.ok) throw new Error(result.message);
  return result.bytes;
}
