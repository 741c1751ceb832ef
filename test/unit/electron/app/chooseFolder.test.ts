/**
 * `app.chooseFolder`: the contract's checks, the Node side's answer through an injected
 * folder dialog (the desktop app's) and without one (browser mode), and the plain
 * decisions electron/main.ts hands to Electron's dialog.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { dialogStartFolder, type FolderChooser, type FolderDialogRequest } from '../../../../electron/app/chooseFolder';
import { chosenFolder, folderDialogOptions } from '../../../../electron/desktop/folderDialog';
import { serve } from '../../../../electron/serve';
import { services, servicesWith } from '../../../../electron/services';
import { commands } from '../../../../shared/contract';
import { createMemoryPortPair } from '../../../../shared/transport/memoryPort';
import { connectApp } from '../../../support/appClient';

const request = commands['app.chooseFolder'].request;

function connect(chooseFolder?: FolderChooser) {
  return connectApp({
    transport: chooseFolder ? 'electron' : 'browser',
    services: chooseFolder ? servicesWith({ chooseFolder }) : services,
  });
}

/** A stand-in dialog: records what it was asked and answers what the test says. */
function standInDialog(answer: (request: FolderDialogRequest) => Promise<string | null>) {
  const asked: FolderDialogRequest[] = [];
  const chooser: FolderChooser = (dialogRequest) => {
    asked.push(dialogRequest);
    return answer(dialogRequest);
  };
  return { asked, chooser };
}

describe('the app.chooseFolder contract', () => {
  it('takes a title and, optionally, the folder typed so far', () => {
    expect(request.safeParse({ title: 'Folder to serve' }).success).toBe(true);
    expect(request.safeParse({ title: 'Folder to serve', defaultPath: '' }).success).toBe(true);
    expect(request.safeParse({ title: 'Folder to serve', defaultPath: '/home/me/site' }).data).toEqual({
      title: 'Folder to serve',
      defaultPath: '/home/me/site',
    });
  });

  it.each([
    ['no title', {}, 'title'],
    ['an empty title', { title: '  ' }, 'title'],
    ['a title with a new line', { title: 'a\nb' }, 'title'],
    ['a title over 200 characters', { title: 'x'.repeat(201) }, 'title'],
    ['a path with a NUL', { title: 'x', defaultPath: '/tmp/\0' }, 'defaultPath'],
    ['a path over 4096 characters', { title: 'x', defaultPath: `/${'a'.repeat(4096)}` }, 'defaultPath'],
    ['a path that is not text', { title: 'x', defaultPath: 42 }, 'defaultPath'],
    ['an unknown key', { title: 'x', properties: ['openFile'] }, ''],
  ])('refuses %s', (_name, payload, field) => {
    const result = request.safeParse(payload);
    expect(result.success).toBe(false);
    if (field) expect(result.error?.issues[0]?.path).toEqual([field]);
  });

  it('answers a path or null (cancelled), never an empty path', () => {
    const response = commands['app.chooseFolder'].response;
    expect(response.safeParse({ path: '/home/me/site' }).success).toBe(true);
    expect(response.safeParse({ path: null }).success).toBe(true);
    expect(response.safeParse({ path: '' }).success).toBe(false);
  });
});

describe('app.chooseFolder on the Node side', () => {
  it('answers the folder the desktop dialog chose, opening it where the field points', async () => {
    const dialog = standInDialog(() => Promise.resolve('/home/me/site'));
    const { client, close } = connect(dialog.chooser);
    expect(await client.call('app.chooseFolder', { title: 'Folder to serve', defaultPath: ' /srv/www ' })).toEqual({
      path: '/home/me/site',
    });
    expect(dialog.asked).toEqual([{ title: 'Folder to serve', defaultPath: '/srv/www' }]);
    close();
  });

  it('answers null when the user cancels (or the dialog gives no folder)', async () => {
    const answers: Array<string | null> = [null, ''];
    const dialog = standInDialog(() => Promise.resolve(answers.shift() ?? null));
    const { client, close } = connect(dialog.chooser);
    expect(await client.call('app.chooseFolder', { title: 'Folder for .eml files' })).toEqual({ path: null });
    expect(await client.call('app.chooseFolder', { title: 'Folder for .eml files' })).toEqual({ path: null });
    expect(dialog.asked).toEqual([
      { title: 'Folder for .eml files', defaultPath: undefined },
      { title: 'Folder for .eml files', defaultPath: undefined },
    ]);
    close();
  });

  it('validates at the boundary: a bad payload never reaches the dialog', async () => {
    const dialog = standInDialog(() => Promise.resolve('/x'));
    const { client, close } = connect(dialog.chooser);
    // The client checks too; send past it to see the Node side's own check.
    const [rendererEnd, nodeEnd] = createMemoryPortPair();
    serve(nodeEnd, { transport: 'electron', services: servicesWith({ chooseFolder: dialog.chooser }), log: () => {} });
    const reply = new Promise((resolve) => rendererEnd.onFrame(resolve));
    rendererEnd.send({ kind: 'request', id: 3, method: 'app.chooseFolder', payload: { title: 'x', defaultPath: 7 } });
    expect(await reply).toMatchObject({
      id: 3,
      ok: false,
      error: { code: 'E_BAD_REQUEST', field: 'payload.defaultPath' },
    });
    await expect(client.call('app.chooseFolder', { title: '' })).rejects.toMatchObject({ code: 'E_BAD_REQUEST' });
    expect(dialog.asked).toEqual([]);
    rendererEnd.close();
    close();
  });

  it('opens one dialog at a time', async () => {
    let finish: (path: string | null) => void = () => {};
    const dialog = standInDialog(() => new Promise((resolve) => (finish = resolve)));
    const { client, close } = connect(dialog.chooser);
    const first = client.call('app.chooseFolder', { title: 'Folder to serve' });
    await vi.waitFor(() => expect(dialog.asked).toHaveLength(1));
    await expect(client.call('app.chooseFolder', { title: 'Folder to serve' })).rejects.toMatchObject({
      code: 'E_BUSY',
    });
    finish('/a');
    expect(await first).toEqual({ path: '/a' });
    const dialogAgain = client.call('app.chooseFolder', { title: 'Folder to serve' });
    await vi.waitFor(() => expect(dialog.asked).toHaveLength(2));
    finish(null);
    expect(await dialogAgain).toEqual({ path: null });
    expect(dialog.asked).toHaveLength(2);
    close();
  });

  it('passes a dialog failure on as an error, and the next call opens again', async () => {
    const answers = [Promise.reject(new Error('no display')), Promise.resolve('/b')];
    const dialog = standInDialog(() => answers.shift() ?? Promise.resolve(null));
    const { client, close } = connect(dialog.chooser);
    await expect(client.call('app.chooseFolder', { title: 'x' })).rejects.toMatchObject({ code: 'E_INTERNAL' });
    expect(await client.call('app.chooseFolder', { title: 'x' })).toEqual({ path: '/b' });
    close();
  });

  it('refuses with E_UNSUPPORTED and says what to do when there is no dialog (browser mode)', async () => {
    const { client, close } = connect();
    await expect(client.call('app.chooseFolder', { title: 'Folder to serve', defaultPath: '/srv' })).rejects.toEqual(
      expect.objectContaining({
        code: 'E_UNSUPPORTED',
        message: 'choosing a folder needs the desktop app; type the path instead',
      }),
    );
    close();
  });
});

describe('where the dialog opens', () => {
  it('at a full path as typed, or in the home folder for ~ and ~/...', () => {
    expect(dialogStartFolder('/srv/www')).toBe('/srv/www');
    expect(dialogStartFolder('  /srv/www  ')).toBe('/srv/www');
    expect(dialogStartFolder('~')).toBe(homedir());
    expect(dialogStartFolder('~/mail')).toBe(join(homedir(), 'mail'));
    expect(dialogStartFolder('~/mail', '/home/pat')).toBe(join('/home/pat', 'mail'));
  });

  it("lets the system choose for nothing, a relative path or someone else's ~", () => {
    for (const typed of [undefined, '', '   ', 'site', './site', '~bob/mail']) {
      expect(dialogStartFolder(typed), String(typed)).toBeUndefined();
    }
  });
});

describe("Electron's open dialog, as main.ts asks for it", () => {
  it('asks for one folder, allowed to be new, with the title and start folder', () => {
    expect(folderDialogOptions({ title: 'Folder to serve', defaultPath: '/srv/www' })).toEqual({
      title: 'Folder to serve',
      defaultPath: '/srv/www',
      properties: ['openDirectory', 'createDirectory'],
    });
    expect(folderDialogOptions({ title: 'Folder to serve', defaultPath: undefined })).toEqual({
      title: 'Folder to serve',
      properties: ['openDirectory', 'createDirectory'],
    });
  });

  it('reads the answer: the first folder, or null when cancelled or empty', () => {
    expect(chosenFolder({ canceled: false, filePaths: ['/srv/www'] })).toBe('/srv/www');
    expect(chosenFolder({ canceled: true, filePaths: ['/srv/www'] })).toBeNull();
    expect(chosenFolder({ canceled: false, filePaths: [] })).toBeNull();
  });
});
