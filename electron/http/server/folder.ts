import { access as accessCallback, constants, realpath as realpathCallback, stat as statCallback } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { promisify } from 'node:util';
import { PlaygroundError } from '../../../shared/contract/errors';
import { expandHome } from '../../app/homeFolder';
import { osCode } from '../../net/errors';
import { findSampleSite, sampleSiteCandidates } from './sampleSite';

const realpath = promisify(realpathCallback);
const stat = promisify(statCallback);
const access = promisify(accessCallback);

export interface ServedFolder {
  /** Absolute, symbolic links resolved: every served file must lie below it. */
  root: string;
  sampleSite: boolean;
}

function folderError(code: string, message: string, folder: string, os?: string): PlaygroundError {
  return new PlaygroundError({
    code,
    message,
    field: 'payload.folder',
    details: { folder, ...(os ? { osCode: os } : {}) },
  });
}

/** The folder to serve, checked before the port is opened: it exists, is a folder and can be read. */
export async function resolveServedFolder(folder: string | undefined): Promise<ServedFolder> {
  if (folder === undefined) {
    const site = findSampleSite();
    if (!site) {
      throw new PlaygroundError({
        code: 'E_NOT_FOUND',
        message: `the bundled sample site is missing (looked in ${sampleSiteCandidates().join(', ')}): type a folder to serve instead.`,
      });
    }
    return { root: await realpath(site), sampleSite: true };
  }
  const typed = expandHome(folder);
  if (!isAbsolute(typed)) {
    throw folderError(
      'E_BAD_REQUEST',
      `"${folder}" is not a full path: type the whole path of the folder (e.g. ${join(homedir(), 'site')}), or leave Folder empty for the sample site.`,
      folder,
    );
  }
  let root: string;
  try {
    root = await realpath(typed);
    if (!(await stat(root)).isDirectory()) {
      throw folderError(
        'E_NOT_A_FOLDER',
        `${typed} is a file, not a folder: type the folder that holds the pages (e.g. the one with index.html).`,
        folder,
      );
    }
    await access(root, constants.R_OK | constants.X_OK);
  } catch (error) {
    if (error instanceof PlaygroundError) throw error;
    const code = osCode(error) ?? 'UNKNOWN';
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw folderError(
        'E_NOT_FOUND',
        `the folder ${typed} does not exist (${code}): check the path, or leave Folder empty for the sample site.`,
        folder,
        code,
      );
    }
    if (code === 'EACCES' || code === 'EPERM') {
      throw folderError(
        'E_ACCESS',
        `the folder ${typed} cannot be read (${code}): the operating system does not allow this user to list it. Choose a folder you own, or change its permissions.`,
        folder,
        code,
      );
    }
    throw folderError('E_NOT_FOUND', `the folder ${typed} cannot be used (${code}).`, folder, code);
  }
  return { root, sampleSite: false };
}
