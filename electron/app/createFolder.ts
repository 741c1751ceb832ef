import { mkdir } from 'node:fs/promises';
import { isAbsolute, normalize } from 'node:path';
import { PlaygroundError } from '../../shared/contract/errors';
import { folderError } from '../smtp/server/eml';
import { expandHome } from './homeFolder';

/**
 * `app.createFolder`: the "Create folder" offered when a folder typed for saving mail does
 * not exist. The path is checked here, at the boundary, as the mail server reads it: `~` and
 * `~/...` are the home folder, anything else must be a full path (no folder relative to
 * wherever the app happened to start). Creates the missing parents too; an existing folder is fine.
 */
export async function createFolder({ path: typed }: { path: string }, home?: string): Promise<{ path: string }> {
  const expanded = expandHome(typed.trim(), home);
  if (expanded === '' || !isAbsolute(expanded)) {
    throw new PlaygroundError({
      code: 'E_INVALID',
      message: `${typed.trim() || 'an empty path'} is not a full path: start it with / (or a drive on Windows) or ~/`,
      details: { folder: typed },
    });
  }
  const folder = normalize(expanded);
  try {
    await mkdir(folder, { recursive: true });
  } catch (error) {
    throw folderError(error, folder);
  }
  return { path: folder };
}
