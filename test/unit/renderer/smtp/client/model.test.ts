import net from 'node:net';
import tls from 'node:tls';
import { makeSelfSignedCertificate } from '../../../../../electron/net/selfSignedCertificate';
import { afterEach, describe, expect, it } from 'vitest';
import { ConversationModel } from '../../../../../renderer/smtp/client/model';
import { SmtpLab } from '../../../../../renderer/smtp/smtpLab';
import { createClient } from '../../../../../shared/contract/client';
import { toVisibleString } from '../../../../../shared/bytes';
import { buildStep, parseCommandLine, type SmtpStep, unstuffData } from '../../../../../shared/smtp';
import { type App, startApp } from '../../../../support/appClient';
import { decode } from '../../../../support/bytes';
import { freeTcpPort } from '../../../../support/ports';
import { until } from '../../../../support/waits';

/**
 * The SMTP conversation builder's model: the textbook's steps, editing and
 * reordering, and against the real Node-side SMTP client over loopback, servers
 * written here that answer like the textbook's, refuse, go silent or hang up.
 */

const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const visible = (bytes: Uint8Array) => toVisibleString(bytes);

function offlineModel(): ConversationModel {
  // No link to a Node side: enough for everything that sends nothing.
  const model = new ConversationModel(createClient());
  closers.push(() => model.dispose());
  return model;
}

function stepBytes(step: SmtpStep | undefined): string {
  if (!step) throw new Error('no such step');
  const built = buildStep(step);
  if (!built.ok) throw new Error(built.message);
  return visible(built.bytes);
}

type Answer = string | null | 'silence' | 'hang-up';

interface Script {
  greeting?: string;
  /** Answers a command line; undefined: the textbook's answer. */
  answer?: (line: string, state: { mailFrom: boolean; rcpt: boolean }) => Answer | undefined;
  /** Answer to the message after DATA (default 250). */
  afterData?: Answer;
}

interface TestServer {
  port: number;
  messages: Uint8Array[];
  lines: string[];
}

/** A mail server on 127.0.0.1 that reads like a real one (commands, then the message to CRLF.CRLF). */
async function mailServer(script: Script = {}): Promise<TestServer> {
  const messages: Uint8Array[] = [];
  const lines: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    let buffer = Buffer.alloc(0);
    let inData = false;
    const state = { mailFrom: false, rcpt: false };
    const say = (answer: Answer) => {
      if (answer === null || answer === 'silence') return;
      if (answer === 'hang-up') socket.destroy();
      else {
        socket.write(answer);
        if (answer.startsWith('221')) socket.end();
      }
    };
    socket.write(script.greeting ?? '220 hamburger.edu\r\n');
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (inData) {
          const result = unstuffData(buffer);
          if (!result.complete) return;
          messages.push(result.body);
          buffer = buffer.subarray(result.consumed);
          inData = false;
          say(script.afterData ?? '250 Message accepted for delivery\r\n');
          continue;
        }
        const end = buffer.indexOf('\n');
        if (end < 0) return;
        const line = buffer.subarray(0, end).toString('utf8').replace(/\r$/, '');
        buffer = buffer.subarray(end + 1);
        lines.push(line);
        const custom = script.answer?.(line, state);
        const { verb, argument } = parseCommandLine(line);
        if (custom !== undefined) {
          say(custom);
          continue;
        }
        if (verb === 'HELO') say(`250 Hello ${argument}, pleased to meet you\r\n`);
        else if (verb === 'EHLO') say('250-hamburger.edu\r\n250-SIZE 1000000\r\n250-AUTH PLAIN LOGIN\r\n250 \r\n');
        else if (verb === 'MAIL') {
          state.mailFrom = true;
          say(`250 ${argument.slice(5)} ... Sender ok\r\n`);
        } else if (verb === 'RCPT') {
          if (!state.mailFrom) say('503 5.5.1 Error: need MAIL command\r\n');
          else {
            state.rcpt = true;
            say(`250 ${argument.slice(3)} ... Recipient ok\r\n`);
          }
        } else if (verb === 'DATA') {
          if (!state.rcpt) say('503 5.5.1 Error: need RCPT command\r\n');
          else {
            inData = true;
            say('354 Enter mail, end with "." on a line by itself\r\n');
          }
        } else if (verb === 'QUIT') say('221 hamburger.edu closing connection\r\n');
        else if (verb === 'NOOP' || verb === 'RSET') say('250 OK\r\n');
        else say('502 5.5.2 Command not implemented\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return { port: (server.address() as net.AddressInfo).port, messages, lines };
}

function connectedApp(): App {
  const app = startApp();
  closers.push(() => app.close());
  return app;
}

async function modelFor(server: TestServer): Promise<ConversationModel> {
  const app = connectedApp();
  const model = new ConversationModel(app.client);
  closers.push(() => model.dispose());
  model.setHost('127.0.0.1');
  model.setPort(String(server.port));
  model.setReplyDeadline('3');
  return model;
}

const kinds = (model: ConversationModel) => model.state.steps.map((step) => step.kind);
const stepOf = (model: ConversationModel, kind: SmtpStep['kind']) => model.state.steps.find((s) => s.kind === kind);

describe('the conversation builder, before anything is sent', () => {
  it('starts from the textbook: HELO, MAIL FROM, RCPT TO, DATA, the message, QUIT, with their exact bytes', () => {
    const model = offlineModel();
    expect(kinds(model)).toEqual(['helo', 'mail', 'rcpt', 'data', 'message', 'quit']);
    expect(model.state.steps.map(stepBytes)).toEqual([
      'HELO crepes.fr␍␊',
      'MAIL FROM:<alice@crepes.fr>␍␊',
      'RCPT TO:<bob@hamburger.edu>␍␊',
      'DATA␍␊',
      'Do you like ketchup?␍␊How about pickles?␍␊.␍␊',
      'QUIT␍␊',
    ]);
    expect(model.state.nextStepId).toBe(model.state.steps[0]?.id);
    // The message editor is filled in, ready to switch to composing.
    const draft = model.state.drafts[stepOf(model, 'message')?.id ?? ''];
    expect(draft).toMatchObject({ mode: 'raw', from: 'alice@crepes.fr', to: 'bob@hamburger.edu' });
    expect(draft?.date).toMatch(/^\w{3}, \d{1,2} \w{3} \d{4} \d\d:\d\d:\d\d \+0000$/);
    expect(draft?.messageId).toMatch(/^<[^@>]+@crepes\.fr>$/);
  });

  it('adds, edits, removes and reorders steps; a second RCPT TO goes where asked', () => {
    const model = offlineModel();
    const rcpt = stepOf(model, 'rcpt')?.id as string;
    const second = model.addStep('rcpt', rcpt);
    model.editStep(second, { text: 'carol@hamburger.edu' });
    expect(kinds(model)).toEqual(['helo', 'mail', 'rcpt', 'rcpt', 'data', 'message', 'quit']);
    expect(stepBytes(model.state.steps[3])).toBe('RCPT TO:<carol@hamburger.edu>␍␊');

    model.moveStep(second, -3);
    expect(kinds(model)).toEqual(['rcpt', 'helo', 'mail', 'rcpt', 'data', 'message', 'quit']);
    model.moveStep(second, -1); // already first: stays
    expect(model.state.steps[0]?.id).toBe(second);
    model.moveStep(second, 100);
    expect(model.state.steps.at(-1)?.id).toBe(second);

    model.removeStep(second);
    expect(kinds(model)).toEqual(['helo', 'mail', 'rcpt', 'data', 'message', 'quit']);
    const ehlo = model.addStep('ehlo');
    expect(stepBytes(model.state.steps.at(-1))).toBe('EHLO crepes.fr␍␊');
    model.removeStep(ehlo);

    // Removing the next step makes the one after it next.
    const first = model.state.steps[0]?.id as string;
    model.removeStep(first);
    expect(model.state.nextStepId).toBe(model.state.steps[0]?.id);
  });

  it('shows AUTH’s base64 decoded beside it, and a free line with escapes exactly', () => {
    const model = offlineModel();
    const plain = model.addStep('auth-plain');
    model.editStep(plain, { text: 'alice', password: 'wonderland' });
    const built = buildStep(model.state.steps.find((step) => step.id === plain) as SmtpStep);
    expect(built.ok && visible(built.bytes)).toBe('AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=␍␊');
    expect(built.ok && built.lines[0]?.decoded).toBe('␀alice␀wonderland');

    const login = model.addStep('auth-login');
    const loginBuilt = buildStep(model.state.steps.find((step) => step.id === login) as SmtpStep);
    expect(loginBuilt.ok && loginBuilt.lines.map((line) => [visible(line.bytes), line.decoded])).toEqual([
      ['AUTH LOGIN␍␊', undefined],
      ['YWxpY2U=␍␊', 'alice'],
      ['c2VjcmV0␍␊', 'secret'],
    ]);

    const free = model.addStep('free');
    model.editStep(free, { text: 'NOOP\\r\\nNOOP', inputMode: 'escapes' });
    expect(stepBytes(model.state.steps.find((step) => step.id === free))).toBe('NOOP␍␊NOOP␍␊');
  });

  it('shows dot-stuffing and the final CRLF.CRLF, and the linter flags what a server may refuse', () => {
    const model = offlineModel();
    const message = stepOf(model, 'message') as SmtpStep;
    model.editStep(message.id, { text: 'Subject: dots\n\n.hidden line\n.\nthé' });
    const step = stepOf(model, 'message') as SmtpStep;
    const built = buildStep(step);
    expect(built.ok && visible(built.bytes)).toBe('Subject: dots␍␊␍␊..hidden line␍␊..␍␊thé␍␊.␍␊');
    expect(built.ok && built.stuffing?.changes.join(' ')).toMatch(/lines 3 and 4 start with “\.”/);
    const kindsFound = model.lint(step).issues.map((issue) => issue.kind);
    expect(kindsFound).toContain('lone-dot');
    // No EHLO yet, so no 8BITMIME: "thé" is flagged.
    expect(kindsFound).toContain('eight-bit');

    model.editStep(step.id, { text: 'Subject: x\nno blank line', keepLineEndings: true });
    const lint = model.lint(stepOf(model, 'message') as SmtpStep).issues.map((issue) => issue.kind);
    expect(lint).toEqual(expect.arrayContaining(['bare-lf', 'missing-blank-line']));
  });

  it('adds a new step at the end while not connected', () => {
    const model = offlineModel();
    const id = model.addStepHere('noop');
    expect(model.state.steps.at(-1)?.id).toBe(id);
    expect(model.state.nextStepId).toBe(model.state.steps[0]?.id);
  });

  it('refuses to send without a connection, and says why beside Send', async () => {
    const model = offlineModel();
    expect(await model.sendStep()).toBe('failed');
    expect(model.state.errors.send?.message).toMatch(/Connect first/);
    model.setPort('70000x');
    expect(await model.connect()).toBe(false);
    expect(model.state.errors.port?.message).toMatch(/not a port number/);
    model.setPort('465');
    expect(model.state.security).toBe('implicit-tls');
    model.setPort('587');
    expect(model.state.security).toBe('plain');
  });
});

describe('the conversation builder against a mail server', () => {
  it('runs the textbook conversation with Send all steps: every reply explained, the message delivered intact', async () => {
    const server = await mailServer();
    const model = await modelFor(server);
    expect(await model.connect()).toBe(true);
    expect(model.state.connection?.greeting).toMatchObject({ code: 220 });
    expect(model.state.connection?.greeting.meaning).toMatch(/introduce yourself with HELO/);

    expect(await model.sendAll()).toBe('ok');
    const runs = model.state.steps.map((step) => model.state.runs[step.id]);
    expect(runs.map((run) => run?.replies[0]?.code)).toEqual([250, 250, 250, 354, 250, 221]);
    expect(runs.every((run) => run?.status === 'ok')).toBe(true);
    expect(runs[3]?.replies[0]?.meaning).toMatch(/^Go ahead with the message/);
    expect(runs[5]?.replies[0]?.meaning).toMatch(/^Goodbye/);
    expect(server.lines).toEqual([
      'HELO crepes.fr',
      'MAIL FROM:<alice@crepes.fr>',
      'RCPT TO:<bob@hamburger.edu>',
      'DATA',
      'QUIT',
    ]);
    expect(decode(server.messages[0] as Uint8Array)).toBe('Do you like ketchup?\r\nHow about pickles?\r\n');
    expect(model.state.session.messagesAccepted).toBe(1);

    await until(() => model.state.connection?.open === false, 'the server to close after 221');
    const text = model.transcript.toText();
    expect(text).toContain('client → server');
    expect(text).toContain('server → client');
    expect(text).toContain('HELO crepes.fr\\r\\n');
    expect(text).toContain('221 hamburger.edu closing connection\\r\\n');
    expect(text).toMatch(/after its 221/);

    // Who said what when: the 'connected' line comes before the greeting it made possible,
    // and no line's time goes back (the connect response arrives after the greeting).
    const rows = model.transcript.state.rows;
    const connectedRow = rows.findIndex((row) => row.note?.startsWith('connected:'));
    const greetingRow = rows.findIndex((row) => row.note?.includes('the greeting'));
    expect(connectedRow).toBeGreaterThan(0);
    expect(connectedRow).toBeLessThan(greetingRow);
    const elapsed = rows.map((row) => row.elapsedMs);
    expect(elapsed).toEqual([...elapsed].sort((a, b) => a - b));
    // The greeting answers nothing the client sent: its wait is said in words, not as an RTT.
    expect(rows[greetingRow]?.rttMs).toBeUndefined();
    expect(rows[greetingRow]?.note).toMatch(/^220 .*; the greeting; .*\d ms after connecting$/);
    expect(rows.find((row) => row.note?.startsWith('250 '))?.rttMs).toBeGreaterThanOrEqual(0);
  });

  it('stops Send all steps at the first 5xx, and says what the refusal means', async () => {
    const server = await mailServer({
      answer: (line) => (line.startsWith('RCPT') ? '550 5.1.1 <bob@hamburger.edu>: User unknown\r\n' : undefined),
    });
    const model = await modelFor(server);
    expect(await model.sendAll()).toBe('negative');
    const rcpt = stepOf(model, 'rcpt') as SmtpStep;
    const run = model.state.runs[rcpt.id];
    expect(run?.status).toBe('negative');
    expect(run?.replies[0]?.code).toBe(550);
    expect(run?.replies[0]?.enhanced).toMatch(/^5\.1\.1/);
    // DATA was never sent, and the server saw nothing after RCPT TO. Next is the first step
    // not yet sent successfully: the refused RCPT TO, to edit and send again.
    expect(model.state.nextStepId).toBe(rcpt.id);
    expect(model.state.runs[stepOf(model, 'data')?.id as string]).toBeUndefined();
    expect(server.lines.at(-1)).toBe('RCPT TO:<bob@hamburger.edu>');
  });

  it('sends a step out of order when asked, and explains the server’s 503', async () => {
    const server = await mailServer();
    const model = await modelFor(server);
    expect(await model.connect()).toBe(true);
    expect(await model.sendStep(stepOf(model, 'helo')?.id)).toBe('ok');
    const rcpt = stepOf(model, 'rcpt') as SmtpStep;
    expect(await model.sendStep(rcpt.id)).toBe('negative');
    const run = model.state.runs[rcpt.id];
    expect(run?.outOfOrder).toBe('You sent RCPT TO before MAIL FROM.');
    expect(run?.replies[0]?.code).toBe(503);
    expect(run?.replies[0]?.note).toMatch(/RCPT TO before MAIL FROM.*503/);
    expect(run?.replies[0]?.meaning).toMatch(/MAIL FROM/);
    // The conversation carries on: MAIL FROM, then RCPT TO again.
    expect(await model.sendStep(stepOf(model, 'mail')?.id)).toBe('ok');
    expect(await model.sendStep(rcpt.id)).toBe('ok');
    expect(model.state.runs[rcpt.id]?.replies[0]?.note).toBeNull();
  });

  it('lists EHLO capabilities explained, and a multi-line reply whose last line has no text', async () => {
    const server = await mailServer();
    const model = await modelFor(server);
    const ehlo = model.addStep('ehlo');
    model.moveStep(ehlo, -10);
    expect(await model.connect()).toBe(true);
    expect(await model.sendStep(ehlo)).toBe('ok');
    const reply = model.state.runs[ehlo]?.replies[0];
    expect(reply?.lines.map((line) => `${line.code}${line.separator}${line.text}`)).toEqual([
      '250-hamburger.edu',
      '250-SIZE 1000000',
      '250-AUTH PLAIN LOGIN',
      '250 ',
    ]);
    expect(reply?.capabilities.map((capability) => capability.keyword)).toEqual(['SIZE', 'AUTH']);
    expect(reply?.capabilities[1]?.explanation).toMatch(/base64 hides nothing/);
    expect(model.state.session.ehlo?.authMechanisms).toEqual(['PLAIN', 'LOGIN']);
  });

  it('logs in with AUTH LOGIN: each base64 line shown decoded, the server’s questions decoded too', async () => {
    const server = await mailServer({
      answer: (line) => {
        if (line === 'AUTH LOGIN') return '334 VXNlcm5hbWU6\r\n';
        if (line === 'YWxpY2U=') return '334 UGFzc3dvcmQ6\r\n';
        if (line === 'c2VjcmV0') return '235 2.7.0 Authentication successful\r\n';
        return undefined;
      },
    });
    const model = await modelFor(server);
    const login = model.addStep('auth-login', stepOf(model, 'helo')?.id);
    expect(await model.connect()).toBe(true);
    await model.sendStep(stepOf(model, 'helo')?.id);
    expect(await model.sendStep(login)).toBe('ok');
    const run = model.state.runs[login];
    expect(run?.lines.map((line) => line.decoded)).toEqual([undefined, 'alice', 'secret']);
    expect(run?.replies.map((reply) => [reply.code, reply.challenge])).toEqual([
      [334, 'Username:'],
      [334, 'Password:'],
      [235, null],
    ]);
    // The transcript names the user but hides the password.
    expect(model.transcript.toText()).toContain('base64 of alice');
    expect(model.transcript.toText()).not.toContain('base64 of secret');

    // AUTH PLAIN: one line, its NULs written out, the password hidden in the transcript.
    const plain = model.addStepHere('auth-plain');
    expect(model.state.nextStepId).toBe(plain);
    expect(await model.sendStep()).toBe('negative');
    expect(model.state.runs[plain]?.lines[0]?.decoded).toBe('␀alice␀secret');
    expect(model.transcript.toText()).toContain('base64 of \\0alice\\0••••••');
  });

  it('reports a server that goes silent after DATA at that step, and keeps everything typed', async () => {
    const server = await mailServer({ afterData: 'silence' });
    const model = await modelFor(server);
    const message = stepOf(model, 'message') as SmtpStep;
    // The message's own deadline; the other steps keep the common 3 s.
    model.setStepDeadline(message.id, '0.5');
    model.editStep(message.id, { text: 'Subject: hi\n\nstill here' });
    expect(await model.sendAll()).toBe('failed');
    const run = model.state.runs[message.id];
    expect(run?.status).toBe('failed');
    expect(run?.error?.code).toBe('E_TIMEOUT');
    expect(run?.error?.message).toMatch(/No reply to The message within 500 ms: the server went silent here/);
    expect(model.state.stepWait).toBeUndefined();
    // QUIT was not sent; the text is untouched; the connection is still open.
    expect(model.state.runs[stepOf(model, 'quit')?.id as string]).toBeUndefined();
    expect(stepOf(model, 'message')?.text).toBe('Subject: hi\n\nstill here');
    expect(model.state.connection?.open).toBe(true);
  });

  it('reports a server that hangs up at a step, and keeps the steps', async () => {
    const server = await mailServer({ answer: (line) => (line.startsWith('MAIL') ? 'hang-up' : undefined) });
    const model = await modelFor(server);
    expect(await model.sendAll()).toBe('failed');
    const mail = stepOf(model, 'mail') as SmtpStep;
    expect(model.state.runs[mail.id]?.error?.code).toBe('E_CLOSED');
    expect(model.state.runs[mail.id]?.error?.message).toMatch(
      /^127\.0\.0\.1:\d+ closed the connection at step #2 \(MAIL FROM\) before replying\..* Your steps are kept\.$/,
    );
    await until(() => model.state.connection?.open === false, 'the connection to be marked closed');
    expect(kinds(model)).toEqual(['helo', 'mail', 'rcpt', 'data', 'message', 'quit']);
    expect(await model.sendStep()).toBe('failed');
    expect(model.state.errors.send?.message).toMatch(/Connect first/);
  });

  it('lets the wait be cancelled, and Send all steps stops there', async () => {
    const server = await mailServer({ answer: (line) => (line.startsWith('HELO') ? 'silence' : undefined) });
    const model = await modelFor(server);
    model.setReplyDeadline('20');
    const all = model.sendAll();
    await until(() => model.state.stepWait !== undefined, 'the wait for the HELO reply');
    expect(model.state.stepWait?.timeoutMs).toBe(20_000);
    await model.cancelStep();
    expect(await all).toBe('failed');
    const helo = stepOf(model, 'helo') as SmtpStep;
    expect(model.state.runs[helo.id]?.status).toBe('cancelled');
    expect(model.state.runs[stepOf(model, 'mail')?.id as string]).toBeUndefined();
  });

  it('composes a MIME message on the Node side and sends it dot-stuffed', async () => {
    const server = await mailServer();
    const model = await modelFor(server);
    const message = stepOf(model, 'message') as SmtpStep;
    model.setMessageMode(message.id, 'compose');
    model.editDraft(message.id, 'subject', 'Pickles');
    model.editDraft(message.id, 'body', 'line one\n.starts with a dot\n');
    expect(
      model.attach(message.id, { name: 'hello.txt', type: 'text/plain', content: new Uint8Array([104, 105]) }),
    ).toBeUndefined();
    expect(await model.buildMessage(message.id)).toBe(true);
    const source = stepOf(model, 'message')?.text ?? '';
    expect(source).toMatch(/^From: alice@crepes\.fr\r?$/m);
    expect(source).toMatch(/^Subject: Pickles\r?$/m);
    expect(source).toMatch(/^Message-ID: <[^>]+@crepes\.fr>\r?$/m);
    expect(source).toContain('hello.txt');

    // A change makes the source stale: sending builds it again.
    model.editDraft(message.id, 'subject', 'Pickles again');
    expect(await model.sendAll()).toBe('ok');
    const received = decode(server.messages[0] as Uint8Array);
    expect(received).toMatch(/^Subject: Pickles again\r$/m);
    expect(received).toContain('\r\n.starts with a dot');
  });

  it('a build never loses what was typed in Raw: the replaced text is offered back, and sent if restored', async () => {
    const server = await mailServer();
    const model = await modelFor(server);
    const message = stepOf(model, 'message') as SmtpStep;
    const typed = 'Subject: my own\n\nTyped by hand';
    model.editStep(message.id, { text: typed });
    model.setMessageMode(message.id, 'compose');
    // Looking at Compose changes nothing yet.
    expect(stepOf(model, 'message')?.text).toBe(typed);
    expect(model.state.drafts[message.id]?.replacedText).toBeUndefined();

    expect(await model.buildMessage(message.id)).toBe(true);
    const source = stepOf(model, 'message')?.text ?? '';
    expect(source).toMatch(/^Subject: Ketchup and pickles\r?$/m);
    expect(model.state.drafts[message.id]?.replacedText).toBe(typed);
    // Building again from the fields keeps the typed text, not the first build's source.
    model.editDraft(message.id, 'subject', 'Second');
    expect(await model.buildMessage(message.id)).toBe(true);
    expect(model.state.drafts[message.id]?.replacedText).toBe(typed);

    // Source edited by hand in Raw, then a build: that edit is what is kept now.
    model.setMessageMode(message.id, 'raw');
    const edited = `${stepOf(model, 'message')?.text ?? ''}\nP.S. edited`;
    model.editStep(message.id, { text: edited });
    model.setMessageMode(message.id, 'compose');
    expect(await model.buildMessage(message.id)).toBe(true);
    expect(model.state.drafts[message.id]?.replacedText).toBe(edited);

    model.restoreTypedText(message.id);
    expect(stepOf(model, 'message')?.text).toBe(edited);
    expect(model.state.drafts[message.id]?.mode).toBe('raw');
    expect(model.state.drafts[message.id]?.replacedText).toBeUndefined();
    // In Raw, what is shown is what is sent.
    expect(await model.sendAll()).toBe('ok');
    expect(decode(server.messages[0] as Uint8Array)).toContain('P.S. edited\r\n');
  });

  it('upgrades with STARTTLS on the same connection: certificate shown, later steps marked inside TLS', async () => {
    const certificate = await makeSelfSignedCertificate('localhost');
    const seen: Array<{ line: string; tls: boolean }> = [];
    const sockets: net.Socket[] = [];
    const server = net.createServer((plain) => {
      sockets.push(plain);
      plain.on('error', () => {});
      let socket: net.Socket = plain;
      let buffer = '';
      const onData = (chunk: Buffer) => {
        buffer += chunk.toString('latin1');
        for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
          const line = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const secure = socket instanceof tls.TLSSocket;
          seen.push({ line, tls: secure });
          if (line.startsWith('EHLO')) {
            socket.write(secure ? '250-hamburger.edu\r\n250 AUTH PLAIN\r\n' : '250-hamburger.edu\r\n250 STARTTLS\r\n');
          } else if (line === 'STARTTLS') {
            socket.write('220 2.0.0 Ready to start TLS\r\n');
            plain.removeListener('data', onData);
            const upgraded = new tls.TLSSocket(plain, { isServer: true, key: certificate.key, cert: certificate.cert });
            upgraded.on('error', () => {});
            upgraded.on('data', onData);
            socket = upgraded;
          } else if (line === 'QUIT') socket.end('221 bye\r\n');
          else socket.write('250 OK\r\n');
        }
      };
      plain.on('data', onData);
      plain.write('220 hamburger.edu ESMTP\r\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          server.close(() => resolve());
        }),
    );
    const model = await modelFor({ port: (server.address() as net.AddressInfo).port, messages: [], lines: [] });
    // EHLO, STARTTLS, EHLO again (inside TLS), NOOP, QUIT.
    model.resetSteps();
    for (const id of model.state.steps.map((step) => step.id)) model.removeStep(id);
    const first = model.addStep('ehlo');
    const starttls = model.addStep('starttls');
    const again = model.addStep('ehlo');
    const noop = model.addStep('noop');
    model.addStep('quit');
    expect(await model.sendAll()).toBe('ok');

    const runs = model.state.runs;
    expect(runs[first]?.insideTls).toBe(false);
    expect(runs[first]?.replies[0]?.capabilities.map((capability) => capability.keyword)).toEqual(['STARTTLS']);
    expect(runs[starttls]?.replies[0]?.code).toBe(220);
    expect(runs[starttls]?.certificate).toMatchObject({ selfSigned: true, authorized: false });
    expect(runs[starttls]?.certificate?.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(runs[again]?.insideTls).toBe(true);
    expect(runs[again]?.replies[0]?.capabilities.map((capability) => capability.keyword)).toEqual(['AUTH']);
    expect(runs[noop]?.insideTls).toBe(true);
    expect(model.state.connection?.tls).toBe(true);
    expect(seen).toEqual([
      { line: 'EHLO crepes.fr', tls: false },
      { line: 'STARTTLS', tls: false },
      { line: 'EHLO crepes.fr', tls: true },
      { line: 'NOOP', tls: true },
      { line: 'QUIT', tls: true },
    ]);
    const text = model.transcript.toText();
    expect(text).toMatch(/TLS started on this connection/);
    expect(text).toMatch(/NOOP; inside TLS/);
  });

  it('connects with implicit TLS (465-style): the greeting arrives inside TLS and the certificate is shown', async () => {
    const certificate = await makeSelfSignedCertificate('localhost');
    const sockets: net.Socket[] = [];
    const server = tls.createServer({ key: certificate.key, cert: certificate.cert }, (socket) => {
      sockets.push(socket);
      socket.on('error', () => {});
      socket.write('220 hamburger.edu ESMTP over TLS\r\n');
      socket.on('data', () => socket.end('221 bye\r\n'));
    });
    // Raw connections too: one whose handshake fails never reaches the handler above.
    server.on('connection', (socket: net.Socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          server.close(() => resolve());
        }),
    );
    const model = await modelFor({ port: (server.address() as net.AddressInfo).port, messages: [], lines: [] });
    model.setSecurity('implicit-tls');
    expect(await model.connect()).toBe(true);
    expect(model.state.connection).toMatchObject({ tls: true, implicitTls: true, greeting: { code: 220 } });
    expect(model.state.connection?.certificate).toMatchObject({ selfSigned: true });
    expect(model.transcript.toText()).toMatch(/the greeting; inside TLS/);

    // Without accepting self-signed certificates the handshake is refused, and said so beside Connect.
    await model.disconnect();
    model.setAcceptSelfSigned(false);
    expect(await model.connect()).toBe(false);
    expect(model.state.errors.connect?.message).toMatch(/certificate|self-signed/i);
  });

  it('shows a 421 greeting and the server hanging up, and lints 8-bit text only when 8BITMIME was not offered', async () => {
    const busy = await mailServer({ greeting: '421 4.3.2 hamburger.edu too busy, try later\r\n' });
    const model = await modelFor(busy);
    expect(await model.connect()).toBe(true);
    expect(model.state.connection?.greeting.code).toBe(421);
    expect(model.state.connection?.greeting.title).toMatch(/not available/i);

    const server = await mailServer({
      answer: (line) => (line.startsWith('EHLO') ? '250-hamburger.edu\r\n250 8BITMIME\r\n' : undefined),
    });
    const other = await modelFor(server);
    const message = stepOf(other, 'message') as SmtpStep;
    other.editStep(message.id, { text: 'Subject: crêpes\n\nthé' });
    expect(other.lint(stepOf(other, 'message') as SmtpStep).issues.map((issue) => issue.kind)).toContain('eight-bit');
    const ehlo = other.addStep('ehlo');
    other.moveStep(ehlo, -10);
    expect(await other.connect()).toBe(true);
    expect(await other.sendStep(ehlo)).toBe('ok');
    expect(other.state.session.ehlo?.eightBitMime).toBe(true);
    expect(other.lint(stepOf(other, 'message') as SmtpStep).issues.map((issue) => issue.kind)).not.toContain(
      'eight-bit',
    );
  });

  it('shows a 421 the server sends on its own while no step waits, then the close', async () => {
    const server = await mailServer({
      answer: (line) =>
        line.startsWith('HELO') ? '250 Hello\r\n421 4.4.2 hamburger.edu idle too long, closing\r\n' : undefined,
    });
    const model = await modelFor(server);
    expect(await model.connect()).toBe(true);
    expect(await model.sendStep()).toBe('ok');
    await until(() => (model.state.connection?.unasked.length ?? 0) > 0, 'the unasked 421');
    const unasked = model.state.connection?.unasked[0];
    expect(unasked?.code).toBe(421);
    expect(unasked?.note).toMatch(/on its own/);
    expect(model.transcript.toText()).toContain('421 4.4.2 hamburger.edu idle too long');
  });

  it('talks to the built-in mail server of the same page: the textbook mail lands in its Inbox', async () => {
    const app = connectedApp();
    const lab = new SmtpLab(app.client);
    closers.push(() => lab.dispose());
    const port = await freeTcpPort();
    lab.mailServer.setPort(String(port));
    expect(await lab.mailServer.start()).toBe(true);
    const model = lab.conversation;
    model.useServer('127.0.0.1', port);
    expect(await model.sendAll()).toBe('ok');
    const runs = model.state.steps.map((step) => model.state.runs[step.id]?.replies.at(-1)?.code);
    expect(runs).toEqual([250, 250, 250, 354, 250, 221]);
    await until(() => lab.mailServer.inbox.state.messages.length === 1, 'the message in the Inbox');
    // The textbook message has no From header: the envelope's sender stands in.
    expect(lab.mailServer.inbox.state.messages[0]).toMatchObject({ from: 'alice@crepes.fr' });

    // Out of order against the real server: DATA before MAIL FROM gets 503, explained.
    await until(() => model.state.connection?.open === false, 'the server to close after QUIT');
    expect(await model.connect()).toBe(true);
    const data = stepOf(model, 'data') as SmtpStep;
    await model.sendStep(stepOf(model, 'helo')?.id);
    expect(await model.sendStep(data.id)).toBe('negative');
    expect(model.state.runs[data.id]?.replies[0]?.code).toBe(503);
    expect(model.state.runs[data.id]?.outOfOrder).toMatch(/DATA before MAIL FROM and RCPT TO/);
  });

  it('sends non-conforming bytes when asked, and the step and the transcript say so', async () => {
    const server = await mailServer();
    const model = await modelFor(server);
    const message = stepOf(model, 'message') as SmtpStep;
    model.editStep(message.id, { text: 'Subject: bare\n\nline one\nline two\n', keepLineEndings: true });
    expect(await model.sendAll()).toBe('ok');
    const run = model.state.runs[message.id];
    expect(run?.warnings.join(' ')).toMatch(/Sent anyway: line 1 ends with a bare LF/);
    expect(run?.warnings.join(' ')).toMatch(/bare LFs instead of CRLF/);
    const sent = model.transcript.state.rows.find((row) => row.note?.startsWith('The message'));
    expect(sent?.tone).toBe('warn');
    expect(sent?.note).toMatch(/Sent anyway/);
    // The server got exactly the bare LFs (and the final CRLF.CRLF the app adds).
    expect(decode(server.messages[0] as Uint8Array)).toBe('Subject: bare\n\nline one\nline two\n\r\n');
  });
});
