import type { FolderChooser } from './folderChooser';
import { useStore } from './useStore';

/**
 * "Choose folder…" beside a folder field: the desktop app's native dialog. Disabled
 * with its field, and while a dialog is open.
 */
export function ChooseFolderButton(props: { chooser: FolderChooser; onChoose: () => void; disabled?: boolean }) {
  const { open } = useStore(props.chooser);
  return (
    <button type="button" className="choose-folder" disabled={props.disabled || open} onClick={props.onChoose}>
      Choose folder…
    </button>
  );
}
