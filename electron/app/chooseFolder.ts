import { isAbsolute } from 'node:path';
import { PlaygroundError } from '../../shared/contract/errors';
import { expandHome } from './homeFolder';

/**
 * A native folder dialog: resolves to the folder the user chose, or null when they
 * cancelled. The desktop app passes one built on Electron's dialog (electron/main.ts);
 * browser mode has none, because a page cannot show the Node side's file system.
 */
export type FolderChooser = (request: FolderDialogRequest) => Promise<string | null>;

export interface FolderDialogRequest {
  readonly title: string;
  /** A full path to open at; undefined lets the system choose. */
  readonly defaultPath: string | undefined;
}

/**
 * Where the dialog opens: the folder typed in the field when it is a full path
 * (`~` and `~/...` are the home folder, as the web and mail servers read them);
 * anything else, or nothing, lets the system choose.
 */
export function dialogStartFolder(typed: string | undefined, home?: string): string | undefined {
  const text = expandHome(typed?.trim() ?? '', home);
  return text !== '' && isAbsolute(text) ? text : undefined;
}

/**
 * `app.chooseFolder` for one session: through the injected chooser, one dialog at a
 * time; without a chooser (browser mode) a clear E_UNSUPPORTED.
 */
export function folderChoosing(
  chooser: FolderChooser | undefined,
): (request: { title: string; defaultPath?: string | undefined }) => Promise<{ path: string | null }> {
  let open = false;
  return async ({ title, defaultPath }) => {
    if (!chooser) {
      throw new PlaygroundError({
        code: 'E_UNSUPPORTED',
        message: 'choosing a folder needs the desktop app; type the path instead',
      });
    }
    if (open) {
      throw new PlaygroundError({
        code: 'E_BUSY',
        message: 'a folder dialog is already open: choose a folder there or cancel it first',
      });
    }
    open = true;
    try {
      const path = await chooser({ title, defaultPath: dialogStartFolder(defaultPath) });
      return { path: path === null || path === '' ? null : path };
    } finally {
      open = false;
    }
  };
}
