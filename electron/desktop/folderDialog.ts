/**
 * The native folder dialog behind `app.chooseFolder`, as plain data: the options
 * electron/main.ts hands to `dialog.showOpenDialog` and how its answer is read.
 * No Electron import here (see test/unit/electron/onlyShellImportsElectron.test.ts).
 */
import type { FolderDialogRequest } from '../app/chooseFolder';

/** The few OpenDialogOptions members used here; Electron's type accepts these. */
export interface FolderDialogOptions {
  title: string;
  defaultPath?: string;
  properties: Array<'openDirectory' | 'createDirectory'>;
}

/** One folder (macOS may make a new one in the dialog), opening where the field points. */
export function folderDialogOptions(request: FolderDialogRequest): FolderDialogOptions {
  return {
    title: request.title,
    ...(request.defaultPath === undefined ? {} : { defaultPath: request.defaultPath }),
    properties: ['openDirectory', 'createDirectory'],
  };
}

/** The chosen folder, or null when the user cancelled (or chose nothing). */
export function chosenFolder(answer: { canceled: boolean; filePaths: readonly string[] }): string | null {
  if (answer.canceled) return null;
  return answer.filePaths[0] || null;
}
