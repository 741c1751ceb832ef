import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFolder } from '../../../../electron/app/createFolder';

describe('app.createFolder', () => {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const base = () => {
    const dir = mkdtempSync(join(tmpdir(), 'pp-create-'));
    made.push(dir);
    return dir;
  };

  it('creates the folder and its missing parents; an existing one is fine', async () => {
    const folder = join(base(), 'a', 'b', 'mail');
    expect(await createFolder({ path: folder })).toEqual({ path: folder });
    expect(existsSync(folder)).toBe(true);
    expect(await createFolder({ path: folder })).toEqual({ path: folder });
  });

  it('reads ~/ as the home folder', async () => {
    const home = base();
    expect(await createFolder({ path: '~/ux-mail-test' }, home)).toEqual({ path: join(home, 'ux-mail-test') });
    expect(existsSync(join(home, 'ux-mail-test'))).toBe(true);
  });

  it('refuses a relative or empty path, and says when part of the path is a file', async () => {
    await expect(createFolder({ path: 'mail' })).rejects.toMatchObject({ code: 'E_INVALID' });
    await expect(createFolder({ path: '  ' })).rejects.toMatchObject({ code: 'E_INVALID' });
    const file = join(base(), 'file');
    writeFileSync(file, 'x');
    await expect(createFolder({ path: join(file, 'mail') })).rejects.toMatchObject({ code: 'E_NOT_A_FOLDER' });
  });
});
