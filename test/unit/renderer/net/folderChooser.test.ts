/**
 * "Choose folder…" beside the folder fields (web server Folder, mail server Save folder,
 * the Inbox's "Save as .eml in folder"): only where the transport has a folder dialog,
 * filling the field with the chosen folder and leaving typed text alone on Cancel.
 * The Node side is the real one (serve + services), with a stand-in desktop dialog.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, test } from 'vitest';
import type { FolderDialogRequest } from '../../../../electron/app/chooseFolder';
import { servicesWith } from '../../../../electron/services';
import { createClient } from '../../../../shared/contract/client';
import { WebServerPanel } from '../../../../renderer/http/server/View';
import { WebServerModel } from '../../../../renderer/http/server/model';
import { FolderChooser, folderChooserFor } from '../../../../renderer/net/folderChooser';
import { MailServerPanel } from '../../../../renderer/smtp/server/View';
import { MailServerModel } from '../../../../renderer/smtp/server/model';
import { transport } from '../../../integration/smtp/serverHarness';
import { connectedClient } from '../../../support/appClient';
import { freeTcpPort } from '../../../support/ports';
import { until } from '../../../support/waits';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * The Node side as the desktop app runs it, its folder dialog a stand-in answering
 * from `answers` (a folder, null for Cancel, or an Error for a failing dialog).
 */
function desktop(answers: Array<string | null | Error> = []) {
  const asked: FolderDialogRequest[] = [];
  const client = connectedClient(cleanups, {
    transport: 'electron',
    services: servicesWith({
      chooseFolder: (request) => {
        asked.push(request);
        const answer = answers.shift() ?? null;
        return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
      },
    }),
  });
  return { client, asked, folders: new FolderChooser(client) };
}

const chooseButtons = (html: string) =>
  html.match(/<button[^>]*class="choose-folder"[^>]*>Choose folder…<\/button>/g) ?? [];

describe('FolderChooser', () => {
  test('exists only where the transport has a folder dialog', () => {
    const client = createClient();
    expect(folderChooserFor(client, 'electron')).toBeInstanceOf(FolderChooser);
    expect(folderChooserFor(client, 'browser')).toBeUndefined();
  });

  test('opens the dialog where the field points; a folder, null on Cancel, the error to show on failure', async () => {
    const { folders, asked } = desktop(['/home/me/site', null]);
    expect(await folders.choose('Folder to serve', '  ~/site ')).toEqual({ path: '/home/me/site' });
    expect(await folders.choose('Folder to serve', '')).toEqual({ path: null });
    expect(asked).toEqual([
      { title: 'Folder to serve', defaultPath: path.join(homedir(), 'site') },
      { title: 'Folder to serve', defaultPath: undefined },
    ]);
    expect(folders.state.open).toBe(false);
  });

  test('tells the open state while the dialog is up, and asks once however often it is pressed', async () => {
    const { folders, asked } = desktop(['/a']);
    const first = folders.choose('x', '');
    expect(folders.state.open).toBe(true);
    expect(await folders.choose('x', '')).toEqual({ path: null });
    expect(await first).toEqual({ path: '/a' });
    expect(asked).toHaveLength(1);
    expect(folders.state.open).toBe(false);
  });

  test('text the dialog cannot start at (a tab, too long) is left out rather than refused', async () => {
    const { folders, asked } = desktop([null, null]);
    expect(await folders.choose('x', '/a\tb')).toEqual({ path: null });
    expect(await folders.choose('x', `/${'a'.repeat(5000)}`)).toEqual({ path: null });
    expect(asked.map((request) => request.defaultPath)).toEqual([undefined, undefined]);
  });

  test("browser mode's refusal comes back as an error for beside the field", async () => {
    const client = connectedClient(cleanups, { transport: 'browser', services: servicesWith() });
    expect(await new FolderChooser(client).choose('x', '')).toEqual({
      error: { code: 'E_UNSUPPORTED', message: 'Choosing a folder needs the desktop app; type the path instead' },
    });
  });
});

describe('the web server Folder', () => {
  function webServer(answers: Array<string | null | Error>) {
    const app = desktop(answers);
    const model = new WebServerModel(app.client, undefined, app.folders);
    const unwatch = model.watch();
    cleanups.push(async () => {
      unwatch();
      if (model.running) await model.stop();
      model.dispose();
    });
    model.setPort('0');
    return { model, asked: app.asked };
  }

  test('fills Folder with the chosen folder; Cancel keeps what was typed; a failure shows under Folder', async () => {
    const { model, asked } = webServer(['/srv/www', null, new Error('no display')]);
    model.setFolder('/typed/first');
    await model.chooseFolder();
    expect(model.settings.state.folder).toBe('/srv/www');
    expect(asked[0]).toEqual({ title: 'Folder to serve', defaultPath: '/typed/first' });
    model.setFolder('/typed/again');
    await model.chooseFolder();
    expect(model.settings.state.folder).toBe('/typed/again');
    expect(model.settings.state.folderError).toBeUndefined();
    await model.chooseFolder();
    expect(model.settings.state.folder).toBe('/typed/again');
    expect(model.settings.state.folderError?.code).toBe('E_INTERNAL');
    model.setFolder('/typed/again/');
    expect(model.settings.state.folderError).toBeUndefined();
  });

  test('serves the chosen folder; while the server runs the button is disabled and asks nothing', async () => {
    const site = await mkdtemp(path.join(tmpdir(), 'pp-choose-site-'));
    cleanups.push(() => rm(site, { recursive: true, force: true }));
    const { model, asked } = webServer([site]);
    const idle = renderToStaticMarkup(createElement(WebServerPanel, { model }));
    expect(chooseButtons(idle)).toEqual(['<button type="button" class="choose-folder">Choose folder…</button>']);
    // On the Folder input's line, after it.
    expect(idle).toMatch(
      /<label for="[^"]+">Folder<\/label><div class="field-with-action"><input[^>]*><button type="button" class="choose-folder">/,
    );
    await model.chooseFolder();
    expect(await model.start()).toBe(true);
    expect(model.settings.state.served).toEqual({ folder: site, sampleSite: false });
    const running = renderToStaticMarkup(createElement(WebServerPanel, { model }));
    expect(chooseButtons(running)).toEqual([
      '<button type="button" class="choose-folder" disabled="">Choose folder…</button>',
    ]);
    await model.chooseFolder();
    expect(asked).toHaveLength(1);
  });

  test('browser mode: no button, the field as before', () => {
    const model = new WebServerModel(createClient());
    const html = renderToStaticMarkup(createElement(WebServerPanel, { model }));
    expect(chooseButtons(html)).toEqual([]);
    expect(html).not.toContain('field-with-action');
  });
});

describe('the mail server .eml folders', () => {
  function mailServer(answers: Array<string | null | Error>) {
    const app = desktop(answers);
    const model = new MailServerModel(app.client, undefined, app.folders);
    cleanups.push(() => model.dispose());
    return { model, asked: app.asked };
  }

  test('Save folder: the chosen folder fills it, Cancel keeps the typed text, locked while running', async () => {
    const eml = await mkdtemp(path.join(tmpdir(), 'pp-choose-eml-'));
    cleanups.push(() => rm(eml, { recursive: true, force: true }));
    const { model, asked } = mailServer([null, eml]);
    model.options.update({ saveToFolder: true, saveFolder: '~/typed' });
    await model.chooseSaveFolder();
    expect(model.options.state.saveFolder).toBe('~/typed');
    await model.chooseSaveFolder();
    expect(model.options.state.saveFolder).toBe(eml);
    expect(asked.map((request) => request.title)).toEqual(['Folder for the .eml files', 'Folder for the .eml files']);

    const idle = renderToStaticMarkup(createElement(MailServerPanel, { model }));
    expect(idle).toMatch(/>Save folder<\/label><div class="field-with-action"><input[^>]*>.{0,60}Choose folder…/);
    expect(chooseButtons(idle)).toHaveLength(1);

    model.setPort(String(await freeTcpPort()));
    expect(await model.start()).toBe(true);
    cleanups.push(() => model.stop());
    expect(model.run.state.saveFolder).toBe(eml);
    const running = renderToStaticMarkup(createElement(MailServerPanel, { model }));
    expect(chooseButtons(running)).toEqual([
      '<button type="button" class="choose-folder" disabled="">Choose folder…</button>',
    ]);
    await model.chooseSaveFolder();
    expect(asked).toHaveLength(2);
  });

  test("the Inbox's Save as .eml in folder: chosen, cancelled, failed; and the message saves there", async () => {
    const eml = await mkdtemp(path.join(tmpdir(), 'pp-choose-inbox-'));
    cleanups.push(() => rm(eml, { recursive: true, force: true }));
    const { model, asked } = mailServer([eml, null, new Error('no display')]);
    model.setPort(String(await freeTcpPort()));
    expect(await model.start()).toBe(true);
    cleanups.push(() => model.stop());
    await transport(model.state.local?.port ?? 0).sendMail({ from: 'a@crepes.fr', to: 'b@hamburger.edu', text: 'hi' });
    await until(() => model.inbox.state.messages.length === 1, 'the message');
    await model.inbox.open('m1');
    const html = renderToStaticMarkup(createElement(MailServerPanel, { model }));
    // Options closed (Save folder hidden) and the server running: the Inbox's button, enabled.
    expect(html).toMatch(
      />Save as \.eml in folder<\/label><div class="field-with-action"><input[^>]*><button type="button" class="choose-folder">Choose folder…<\/button><\/div>/,
    );

    model.inbox.setSaveFolder('/typed');
    await model.inbox.chooseFolder();
    expect(model.inbox.state.saveFolder).toBe(eml);
    expect(asked[0]).toEqual({ title: 'Folder to save the .eml file in', defaultPath: '/typed' });
    expect(await model.inbox.save()).toBe(true);
    expect(model.inbox.state.saved?.path.startsWith(eml)).toBe(true);
    await model.inbox.chooseFolder();
    expect(model.inbox.state.saveFolder).toBe(eml);
    await model.inbox.chooseFolder();
    expect(model.inbox.state.saveFolder).toBe(eml);
    expect(model.inbox.state.errors.save?.code).toBe('E_INTERNAL');
  });

  test('browser mode: no button beside either folder', async () => {
    const model = new MailServerModel(createClient());
    cleanups.push(() => model.dispose());
    model.options.update({ saveToFolder: true });
    const html = renderToStaticMarkup(createElement(MailServerPanel, { model }));
    expect(html).toContain('>Save folder</label>');
    expect(chooseButtons(html)).toEqual([]);
    expect(html).not.toContain('field-with-action');
  });
});
