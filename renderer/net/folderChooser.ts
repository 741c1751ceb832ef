import { typedFolderPath } from '../../shared/app/contract';
import type { Client } from '../../shared/contract/client';
import type { TransportLabel } from '../transport/connection';
import { type ControlError, placeError } from './errors';
import { Store } from './store';

export interface FolderChooserState {
  /** A dialog is open: every "Choose folder…" button waits for it. */
  readonly open: boolean;
}

export type FolderChoice = { readonly path: string | null } | { readonly error: ControlError };

/**
 * The desktop app's native folder dialog behind a folder field's "Choose folder…"
 * button (`app.chooseFolder`). Browser mode has none: folderChooserFor gives undefined,
 * no button is shown, and the path is typed as before.
 */
export class FolderChooser extends Store<FolderChooserState> {
  constructor(private readonly client: Client) {
    super({ open: false });
  }

  /**
   * Opens the dialog where the field points (`typed`, when it is a path the dialog can
   * start at). The chosen folder; null when the user cancelled (the field keeps its text)
   * or a dialog is already open; or the error to show beside the field.
   */
  async choose(title: string, typed: string): Promise<FolderChoice> {
    if (this.state.open) return { path: null };
    this.set({ open: true });
    try {
      const start = typed.trim();
      // A start the contract would refuse is left to the system: the dialog still opens.
      const usable = start !== '' && typedFolderPath.safeParse(start).success;
      const { path } = await this.client.call('app.chooseFolder', { title, ...(usable ? { defaultPath: start } : {}) });
      return { path };
    } catch (error) {
      return { error: placeError(error, 'folder').error };
    } finally {
      this.set({ open: false });
    }
  }
}

/** A chooser where the transport has a folder dialog (Electron); undefined in browser mode. */
export function folderChooserFor(client: Client, transport: TransportLabel): FolderChooser | undefined {
  return transport === 'electron' ? new FolderChooser(client) : undefined;
}
