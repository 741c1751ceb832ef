import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdtemp, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { PlaygroundError } from '../../../shared/contract/errors';
import { expandHome } from '../../app/homeFolder';
import { osCode } from '../../net/errors';

/**
 * .eml files: one message per file, its bytes exactly as received (RFC 5322, CRLF line
 * ends), which mail programs open as they are.
 */

/** `~/mail` → the home folder's `mail`; anything else must be a full path. */
export function resolveFolder(folder: string, field = 'saveFolder'): string {
  const expanded = expandHome(folder);
  if (!path.isAbsolute(expanded)) {
    throw new PlaygroundError({
      code: 'E_BAD_REQUEST',
      field: `payload.${field}`,
      message: `the save folder '${folder}' is not a full path: type one such as ${path.join(homedir(), 'mail')} (or ~/mail)`,
    });
  }
  return path.normalize(expanded);
}

/** Fails with a clear error unless `folder` exists, is a folder and this app may write files in it. */
export async function checkFolderWritable(folder: string): Promise<void> {
  try {
    const info = await stat(folder);
    if (!info.isDirectory()) {
      throw new PlaygroundError({
        code: 'E_NOT_A_FOLDER',
        message: `${folder} is a file, not a folder: choose a folder to save the .eml files in`,
        details: { folder },
      });
    }
    await access(folder, constants.W_OK);
    // access() trusts the permission bits; a read-only mount or an ACL only shows on a real write.
    const probe = await mkdtemp(path.join(folder, '.protocol-playground-probe-'));
    await rm(probe, { recursive: true, force: true });
  } catch (error) {
    throw folderError(error, folder);
  }
}

export function folderError(error: unknown, folder: string): PlaygroundError {
  if (error instanceof PlaygroundError) return error;
  const code = osCode(error) ?? 'UNKNOWN';
  const details = { folder, osCode: code };
  switch (code) {
    case 'ENOENT':
      return new PlaygroundError({
        code: 'E_FOLDER_NOT_FOUND',
        message: `the folder ${folder} does not exist (${code}): create it first, or choose another`,
        details,
      });
    case 'ENOTDIR':
      return new PlaygroundError({
        code: 'E_NOT_A_FOLDER',
        message: `part of ${folder} is a file, not a folder (${code}): check the path`,
        details,
      });
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new PlaygroundError({
        code: 'E_FOLDER_NOT_WRITABLE',
        message: `this app may not write in ${folder} (${code}${code === 'EROFS' ? ': the disk is read-only' : ''}): choose a folder of your own, such as ${path.join(homedir(), 'mail')}`,
        details,
      });
    case 'ENOSPC':
    case 'EDQUOT':
      return new PlaygroundError({
        code: 'E_DISK_FULL',
        message: `the disk holding ${folder} is full (${code}): free some space or choose another folder`,
        details,
      });
    default: {
      const said = error instanceof Error ? `: ${error.message}` : '';
      return new PlaygroundError({
        code: 'E_FILE',
        message: `writing in ${folder} failed (${code}${said})`,
        details,
      });
    }
  }
}

/** `2026-11-22T06-43-20.123Z-m3-9f2c.eml`: sorts by arrival, never clashes, safe on every file system. */
export function emlFileName(receivedAt: number, messageId: string): string {
  const time = new Date(receivedAt).toISOString().replace(/:/g, '-');
  const safeId = messageId.replace(/[^A-Za-z0-9_-]/g, '_');
  return `${time}-${safeId}-${randomBytes(2).toString('hex')}.eml`;
}

/**
 * Writes the message whole or not at all: into a hidden temporary file in the same folder,
 * flushed to disk, then renamed to its name (a rename within a folder is atomic). A
 * reader never sees half a message, and a crash leaves at most a hidden `.partial` file.
 */
export async function saveEml(folder: string, fileName: string, raw: Uint8Array): Promise<string> {
  const finalPath = path.join(folder, fileName);
  const tempPath = path.join(folder, `.${fileName}.partial`);
  let written = false;
  try {
    const file = await open(tempPath, 'wx', 0o644);
    try {
      await file.writeFile(raw);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tempPath, finalPath);
    written = true;
    return finalPath;
  } catch (error) {
    throw folderError(error, folder);
  } finally {
    if (!written) await unlink(tempPath).catch(() => {});
  }
}

const partialName = /^\..+\.eml\.partial$/;
/** A temporary file older than this belongs to no save in progress (a save takes well under a second). */
const stalePartialMs = 60_000;

/**
 * Removes what saves cut off by a crash or power loss left behind: hidden `.partial`
 * files, never a message anyone could open. Returns how many went.
 */
export async function removeStalePartials(folder: string, now = Date.now()): Promise<number> {
  let removed = 0;
  for (const name of await readdir(folder).catch(() => [] as string[])) {
    if (!partialName.test(name)) continue;
    const file = path.join(folder, name);
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile() || now - info.mtimeMs < stalePartialMs) continue;
    await unlink(file).then(
      () => removed++,
      () => {},
    );
  }
  return removed;
}
