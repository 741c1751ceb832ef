import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, test } from 'vitest';
import { MailServerPanel } from '../../../../../renderer/smtp/server/View';
import { MailServerModel } from '../../../../../renderer/smtp/server/model';
import { parseRecipientList } from '../../../../../renderer/smtp/server/options';
import { RawSmtp, transport } from '../../../../integration/smtp/serverHarness';
import { type App, startApp } from '../../../../support/appClient';
import { freeTcpPort } from '../../../../support/ports';
import { until } from '../../../../support/waits';

/** The mail server panel's model against the real Node-side service, through the typed client. */

let app: App;
let model: MailServerModel;
const folders: string[] = [];
afterEach(async () => {
  model?.dispose();
  app?.close();
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

function newModel(): MailServerModel {
  app = startApp();
  model = new MailServerModel(app.client);
  return model;
}

async function textbook(port: number): Promise<void> {
  const client = await RawSmtp.connect(port);
  await client.reply();
  await client.send('HELO crepes.fr');
  await client.send('MAIL FROM: <alice@crepes.fr>');
  await client.send('RCPT TO: <bob@hamburger.edu>');
  await client.send('DATA');
  await client.send('Do you like ketchup?\r\nHow about pickles?\r\n.');
  await client.quit();
}

describe('MailServerModel', () => {
  test('starts on the typed port, logs the session from the server side, fills the inbox, opens a message', async () => {
    const model = newModel();
    expect(model.state.port).toBe('2525');
    const port = await freeTcpPort();
    model.setPort(String(port));
    expect(await model.start()).toBe(true);
    expect(model.state.phase).toBe('running');
    await textbook(port);
    await until(() => model.inbox.state.messages.length === 1, 'the message in the inbox');
    const [summary] = model.inbox.state.messages;
    expect(summary?.envelope.rcptTo).toEqual(['bob@hamburger.edu']);

    await until(() => model.log.toText().includes('closed'), 'the connection to close in the log');
    const text = model.log.toText();
    expect(text).toContain('mail server listening on 127.0.0.1:');
    expect(text).toContain('connection from 127.0.0.1:');
    expect(text).toMatch(/HELO crepes\.fr/);
    expect(text).toMatch(/250 Message accepted for delivery/);
    expect(text).toMatch(/message m1 accepted from <alice@crepes\.fr>/);
    const rows = model.log.state.rows;
    expect(rows.some((row) => row.direction === 'client-to-server')).toBe(true);
    // Each reply is named by its code's meaning.
    expect(rows.some((row) => row.direction === 'server-to-client' && /^221 \w/.test(row.note ?? ''))).toBe(true);

    await model.inbox.open(summary?.messageId ?? '');
    const open = model.inbox.state.open;
    expect(open.phase).toBe('open');
    if (open.phase === 'open') expect(open.message.text).toBe('Do you like ketchup?\r\nHow about pickles?\r\n');

    await model.stop();
    expect(model.state.phase).toBe('stopped');
    // The inbox stays readable until the next start.
    expect(model.inbox.state.messages).toHaveLength(1);
    model.inbox.close();
    await model.inbox.open('m1');
    expect(model.inbox.state.open.phase).toBe('open');
    expect(await model.start()).toBe(true);
    expect(model.inbox.state.messages).toHaveLength(0);
  });

  test('teacher options reach the server: STARTTLS certificate, AUTH, rejected recipients, size, delay', async () => {
    const model = newModel();
    model.setPort(String(await freeTcpPort()));
    model.options.update({
      startTls: true,
      requireAuth: true,
      authUser: 'alice',
      authPassword: 'ketchup',
      rejectRecipients: '<bob@hamburger.edu>, carol@hamburger.edu',
      limitSize: true,
      maxMessageBytes: '5000',
      dataDelay: '0.1',
      idleTimeout: '1',
    });
    expect(await model.start()).toBe(true);
    const run = model.run.state;
    expect(run.certificate?.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(run.maxMessageBytes).toBe(5000);
    expect(run.authRequired).toBe(true);
    const port = model.state.local?.port ?? 0;
    const client = await RawSmtp.connect(port);
    await client.reply();
    const ehlo = await client.send('EHLO crepes.fr');
    expect(ehlo.text).toContain('STARTTLS');
    expect(ehlo.text).toContain('SIZE 5000');
    await client.send('AUTH PLAIN AGFsaWNlAGtldGNodXA=');
    await client.send('MAIL FROM:<alice@crepes.fr>');
    expect((await client.send('RCPT TO:<carol@hamburger.edu>')).code).toBe(550);
    await client.quit();
    await until(() => model.log.toText().includes('refused with 550'), 'the 550 in the log');
    // A client that says nothing for the idle time (1 s here) gets 421 and is disconnected.
    const silent = await RawSmtp.connect(port);
    await silent.reply();
    const timeout = await silent.reply(5000);
    expect(timeout.code).toBe(421);
    await until(() => model.log.toText().includes('closed after no traffic'), 'the idle close in the log');
    expect(model.log.toText()).toContain('AUTH PLAIN as “alice”: accepted (235)');
  });

  test('option errors are shown beside their field and nothing starts', async () => {
    const model = newModel();
    model.options.update({
      limitSize: true,
      maxMessageBytes: 'big',
      dataDelay: 'soon',
      requireAuth: true,
      authPassword: '',
      idleTimeout: '0',
    });
    expect(await model.start()).toBe(false);
    expect(model.state.phase).toBe('stopped');
    const { errors } = model.options.state;
    expect(errors.idleTimeout?.message).toMatch(/from 1 to 600 seconds/);
    expect(errors.maxMessageBytes?.message).toMatch(/“big” is not a size/);
    expect(errors.dataDelay?.message).toMatch(/“soon” is not a number of seconds/);
    expect(errors.authPassword?.message).toMatch(/password/);
  });

  test('a save folder that does not exist is reported beside the folder field', async () => {
    const model = newModel();
    model.setPort(String(await freeTcpPort()));
    model.options.update({ saveToFolder: true, saveFolder: path.join(tmpdir(), 'pp-no-such-folder-xyz') });
    expect(await model.start()).toBe(false);
    expect(model.options.state.errors.saveFolder?.code).toBe('E_FOLDER_NOT_FOUND');
    expect(model.state.errors.start).toBeUndefined();
  });

  test('port in use is reported beside the port', async () => {
    const model = newModel();
    const port = await freeTcpPort();
    model.setPort(String(port));
    expect(await model.start()).toBe(true);
    const second = new MailServerModel(app.client);
    second.setPort(String(port));
    expect(await second.start()).toBe(false);
    expect(second.state.errors.port?.code).toBe('E_ADDR_IN_USE');
    second.dispose();
  });

  test('saving the open message as .eml, clearing the inbox', async () => {
    const model = newModel();
    const folder = await mkdtemp(path.join(tmpdir(), 'pp-mail-model-'));
    folders.push(folder);
    model.setPort(String(await freeTcpPort()));
    expect(await model.start()).toBe(true);
    const port = model.state.local?.port ?? 0;
    await transport(port).sendMail({ from: 'a@crepes.fr', to: 'b@hamburger.edu', subject: 'keep', html: '<b>hi</b>' });
    await until(() => model.inbox.state.messages.length === 1, 'the message');
    await model.inbox.open('m1');
    const open = model.inbox.state.open;
    expect(open.phase === 'open' && open.message.html).toContain('<b>hi</b>');
    expect(await model.inbox.save()).toBe(false);
    expect(model.inbox.state.errors.save?.message).toMatch(/full path of a folder/);
    model.inbox.setSaveFolder(folder);
    expect(await model.inbox.save()).toBe(true);
    expect(await readdir(folder)).toHaveLength(1);
    expect(model.inbox.state.saved?.path.startsWith(folder)).toBe(true);
    await model.inbox.clear();
    await until(() => model.inbox.state.messages.length === 0, 'the inbox to be empty');
    expect(model.inbox.state.open.phase).toBe('closed');
  });

  test('the reject list accepts commas, spaces, new lines and <brackets>', () => {
    expect(parseRecipientList(' <bob@hamburger.edu>,carol@x.org;\n dave@y.org  ')).toEqual([
      'bob@hamburger.edu',
      'carol@x.org',
      'dave@y.org',
    ]);
    expect(parseRecipientList('')).toEqual([]);
  });

  test('the panel: a region named Mail server with Port, Start, the Server log, the Inbox list and the opened message', async () => {
    const model = newModel();
    const empty = renderToStaticMarkup(createElement(MailServerPanel, { model }));
    expect(empty).toMatch(/<section[^>]*aria-labelledby="([^"]+)"[^>]*>.*<h2 id="\1">Mail server<\/h2>/s);
    expect(empty).toMatch(/<label for="[^"]+">Port<\/label>/);
    expect(empty).toContain('>Start</button>');
    expect(empty).toContain('<ul aria-label="Inbox"');

    model.setPort(String(await freeTcpPort()));
    expect(await model.start()).toBe(true);
    await textbook(model.state.local?.port ?? 0);
    await until(() => model.inbox.state.messages.length === 1, 'the message');
    await model.inbox.open('m1');
    const html = renderToStaticMarkup(createElement(MailServerPanel, { model }));
    expect(html).toContain('>Stop</button>');
    expect(html).toMatch(/role="log"/);
    expect(html).toContain('Server log');
    expect(html).toMatch(/<ul aria-label="Inbox"[^>]*><li[^>]*><button[^>]*aria-current="true"/);
    expect(html).toContain('alice@crepes.fr');
    expect(html).toContain('Message m1');
    expect(html).toContain('&lt;bob@hamburger.edu&gt;');
    // CR and LF drawn in the raw source.
    expect(html).toMatch(/aria-label="Raw source".*CR.*LF/s);
  });
});
