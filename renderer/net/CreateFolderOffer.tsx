import { useState } from 'react';
import { useClient } from '../app/hooks';
import type { ControlError } from './errors';

/**
 * Beside a folder field whose folder does not exist (E_FOLDER_NOT_FOUND): "Create folder"
 * asks the Node side to make it (`app.createFolder`, which checks the path), then `onCreated`
 * retries what failed (the start, the save).
 */
export function CreateFolderOffer({
  error,
  folder,
  onCreated,
}: {
  error: ControlError | undefined;
  folder: string;
  onCreated: () => void;
}) {
  // Only a missing folder needs the client: nothing else is drawn, or asked of the connection.
  if (error?.code !== 'E_FOLDER_NOT_FOUND') return null;
  return <CreateFolderButton folder={folder} onCreated={onCreated} />;
}

function CreateFolderButton({ folder, onCreated }: { folder: string; onCreated: () => void }) {
  const client = useClient();
  const [failure, setFailure] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const create = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      await client.call('app.createFolder', { path: folder }, { timeoutMs: 15_000 });
      onCreated();
    } catch (caught) {
      setFailure(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <p className="create-folder">
      <button type="button" onClick={() => void create()} disabled={busy}>
        Create folder
      </button>{' '}
      <span className="action-hint">makes {folder.trim()} (and any missing folders above it), then tries again</span>
      {failure && (
        <span className="error" role="alert">
          {' '}
          Could not create it: {failure}
        </span>
      )}
    </p>
  );
}
