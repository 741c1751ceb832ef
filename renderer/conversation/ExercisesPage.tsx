import { useEffect, useState } from 'react';
import type { ResponseOf } from '../../shared/contract/index';
import { useClient } from '../app/hooks';
import { type OpenOutcome, openInTool, openText, toolLabels } from './model';
import './conversation.css';

type Listing = {
  folder: string | null;
  files: { name: string; outcome: OpenOutcome }[];
  skipped: ResponseOf<'app.exercises'>['skipped'];
};

/**
 * The exercises a lab ships (exercises/, or the folder PLAYGROUND_EXERCISES names):
 * each with its title and description; Open sets up its tool with its steps.
 */
export function ExercisesPage() {
  const client = useClient();
  const [listing, setListing] = useState<Listing | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);

  useEffect(() => {
    let live = true;
    client.call('app.exercises', {}).then(
      (result) => {
        if (!live) return;
        setListing({
          folder: result.folder,
          files: result.files.map((file) => ({ name: file.name, outcome: openText(file.name, file.text) })),
          skipped: result.skipped,
        });
      },
      (cause: unknown) => live && setError(cause instanceof Error ? cause.message : String(cause)),
    );
    return () => {
      live = false;
    };
  }, [client]);

  return (
    <article className="page">
      <h1 tabIndex={-1}>Exercises</h1>
      <p className="lead">
        Conversation files your lab ships: open one to set up its tool with its steps, point the target at your own
        server, and Replay to see every check pass or fail.
      </p>
      {error && (
        <p className="error" role="alert">
          The exercises could not be listed: {error}
        </p>
      )}
      {!listing && !error && <p role="status">Listing the exercises…</p>}
      {listing && (
        <>
          <p className="hint">
            {listing.folder
              ? `From ${listing.folder} (set PLAYGROUND_EXERCISES to list another folder).`
              : 'No exercises folder: set PLAYGROUND_EXERCISES to a folder of .conv files.'}
          </p>
          <ul className="exercise-list">
            {listing.files.map(({ name, outcome }) => (
              <li key={name}>
                {outcome.ok ? (
                  <Exercise name={name} outcome={outcome} />
                ) : (
                  <>
                    <h2>{name}</h2>
                    <pre className="error">{outcome.message}</pre>
                  </>
                )}
              </li>
            ))}
            {listing.skipped.map((skip) => (
              <li key={skip.name}>
                <h2>{skip.name}</h2>
                <p className="error">Left out: {skip.reason}</p>
              </li>
            ))}
          </ul>
        </>
      )}
    </article>
  );
}

function Exercise({ name, outcome }: { name: string; outcome: Extract<OpenOutcome, { ok: true }> }) {
  const first = outcome.opened.file.conversations[0];
  const title = first?.title || name;
  const tool = first?.tool ?? 'tcp';
  return (
    <>
      <h2>{title}</h2>
      <p>
        <span className="mono">{name}</span> · {toolLabels[tool]}
        {outcome.opened.file.conversations.length > 1
          ? ` · ${outcome.opened.file.conversations.length} conversations`
          : ''}
      </p>
      {first?.description && <p>{first.description}</p>}
      <button
        type="button"
        onClick={() => openInTool(outcome.opened)}
        aria-label={`Open ${title} in the ${toolLabels[tool]} tool`}
      >
        Open in the {toolLabels[tool]} tool
      </button>
    </>
  );
}
