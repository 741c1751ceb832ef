import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { emlFileName, folderError, removeStalePartials, saveEml } from '../../../electron/smtp/server/eml';
import { inbox, logEntries, RawSmtp, startMailServer, transport } from './serverHarness';
import { type App, startApp } from '../../support/appClient';
import { sleep, until } from '../../support/waits';

let app: App;
let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'pp-mail-'));
});
afterEach(async () => {
  app?.close();
  await rm(folder, { recursive: true, force: true });
});

async function beginData(port: number): Promise<RawSmtp> {
  const client = await RawSmtp.connect(port);
  await client.reply();
  await client.send('HELO crepes.fr');
  await client.send('MAIL FROM:<alice@crepes.fr>');
  await client.send('RCPT TO:<bob@hamburger.edu>');
  expect((await client.send('DATA')).code).toBe(354);
  return client;
}

describe('.eml files', () => {
  test('every accepted message is saved whole before the 250; nothing half-written stays behind', async () => {
    app = startApp();
    const started = await startMailServer(app, { saveFolder: folder });
    expect(started.saveFolder).toBe(folder);
    const body = 'From: alice@crepes.fr\r\nSubject: saved\r\n\r\nDo you like ketchup?\r\n';
    const client = await beginData(started.local.port);
    expect((await client.send(`${body}.`)).code).toBe(250);
    // The 250 means the file is there.
    const files = await readdir(folder);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z-m1-[0-9a-f]{4}\.eml$/);
    expect(await readFile(path.join(folder, files[0] ?? ''), 'latin1')).toBe(body);
    await client.quit();
    const [summary] = inbox(app, started.serverId);
    expect(summary?.savedAs).toBe(path.join(folder, files[0] ?? ''));
    const log = await app.waitFor('mailServer.log', (event) => event.counters.messagesSaved === 1);
    expect(log.counters.messagesSaved).toBe(1);
    expect(logEntries(app, started.serverId).find((entry) => entry.kind === 'saved')).toMatchObject({
      messageId: 'm1',
      path: path.join(folder, files[0] ?? ''),
    });
  });

  test('a connection dropped in the middle of DATA leaves no file and no message', async () => {
    app = startApp();
    const started = await startMailServer(app, { saveFolder: folder });
    const client = await beginData(started.local.port);
    client.write(`Subject: cut\r\n\r\n${'half a message\r\n'.repeat(1000)}`);
    await sleep(100);
    client.destroy();
    await until(
      () => logEntries(app, started.serverId).some((entry) => entry.kind === 'abandoned'),
      'the partial message to be discarded',
    );
    const closed = logEntries(app, started.serverId).find((entry) => entry.kind === 'closed');
    expect(closed).toBeDefined();
    expect(await readdir(folder)).toEqual([]);
    expect(inbox(app, started.serverId)).toEqual([]);
    const log = await app.waitFor('mailServer.log', (event) => event.counters.messagesAbandoned === 1);
    expect(log.counters.messagesAccepted).toBe(0);
  });

  test('stopping the server while a message arrives (or waits for its reply) saves nothing', async () => {
    app = startApp();
    const started = await startMailServer(app, { saveFolder: folder, dataReplyDelayMs: 2000 });
    const client = await beginData(started.local.port);
    client.write('Subject: late\r\n\r\nalmost there\r\n.\r\n');
    await until(
      () => logEntries(app, started.serverId).some((entry) => entry.kind === 'received' && entry.bytes === 3),
      'the final dot',
    );
    await app.client.call('mailServer.stop', { serverId: started.serverId });
    await until(() => client.closed, 'the connection to close');
    await sleep(50);
    expect(await readdir(folder)).toEqual([]);
    expect(inbox(app, started.serverId)).toEqual([]);
  });

  test('mailServer.saveMessage saves one message on demand', async () => {
    app = startApp();
    const started = await startMailServer(app);
    await transport(started.local.port).sendMail({ from: 'a@crepes.fr', to: 'b@hamburger.edu', text: 'keep me' });
    await until(() => inbox(app, started.serverId).length === 1, 'the message');
    const saved = await app.client.call('mailServer.saveMessage', {
      serverId: started.serverId,
      messageId: 'm1',
      folder,
    });
    expect(path.dirname(saved.path)).toBe(folder);
    const message = await app.client.call('mailServer.message', { serverId: started.serverId, messageId: 'm1' });
    expect(new Uint8Array(await readFile(saved.path))).toEqual(message.raw);
    expect(message.savedAs).toBe(saved.path);
    const missing = await app.failure(
      app.client.call('mailServer.saveMessage', {
        serverId: started.serverId,
        messageId: 'm1',
        folder: path.join(folder, 'nope'),
      }),
    );
    expect(missing.code).toBe('E_FOLDER_NOT_FOUND');
  });

  test('a failed write leaves neither the file nor its temporary', async () => {
    const name = emlFileName(Date.now(), 'm1');
    // A folder in the way of the final name: the rename fails after the temporary was written.
    await mkdir(path.join(folder, name));
    await writeFile(path.join(folder, name, 'x'), 'x');
    await expect(saveEml(folder, name, new TextEncoder().encode('Subject: x\r\n\r\nx\r\n'))).rejects.toMatchObject({
      message: expect.stringContaining(folder),
    });
    expect(await readdir(folder)).toEqual([name]);
  });

  test('leftovers of a save cut off by a crash (hidden .partial files) are removed at the next start; fresh ones stay', async () => {
    const stale = path.join(folder, '.2026-11-22T06-00-00.000Z-m1-abcd.eml.partial');
    const fresh = path.join(folder, '.2026-11-22T06-00-01.000Z-m2-abcd.eml.partial');
    const mail = path.join(folder, 'kept.eml');
    for (const file of [stale, fresh, mail]) await writeFile(file, 'Subject: half\r\n');
    const old = new Date(Date.now() - 10 * 60_000);
    await utimes(stale, old, old);
    await utimes(mail, old, old);
    app = startApp();
    await startMailServer(app, { saveFolder: folder });
    expect((await readdir(folder)).sort()).toEqual([path.basename(fresh), 'kept.eml'].sort());
    expect(await removeStalePartials(path.join(folder, 'missing'))).toBe(0);
  });
});

describe('save folder errors are clear', () => {
  test('missing folder, a file instead of a folder, a relative path', async () => {
    app = startApp();
    const missing = await app.failure(startMailServer(app, { saveFolder: path.join(folder, 'missing') }));
    expect(missing.code).toBe('E_FOLDER_NOT_FOUND');
    expect(missing.message).toContain(path.join(folder, 'missing'));
    const file = path.join(folder, 'file.txt');
    await writeFile(file, 'x');
    const notFolder = await app.failure(startMailServer(app, { saveFolder: file }));
    expect(notFolder.code).toBe('E_NOT_A_FOLDER');
    const relative = await app.failure(startMailServer(app, { saveFolder: 'mail' }));
    expect(relative).toMatchObject({ code: 'E_BAD_REQUEST', field: 'payload.saveFolder' });
    expect(relative.message).toMatch(/full path/);
  });

  test('no permission and a read-only disk say what to do', () => {
    const denied = folderError(Object.assign(new Error('denied'), { code: 'EACCES' }), '/srv/mail');
    expect(denied.code).toBe('E_FOLDER_NOT_WRITABLE');
    expect(denied.message).toMatch(/may not write in \/srv\/mail \(EACCES\).*choose a folder of your own/);
    const readOnly = folderError(Object.assign(new Error('ro'), { code: 'EROFS' }), '/media/cd');
    expect(readOnly.message).toContain('read-only');
  });
});
