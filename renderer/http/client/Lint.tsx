import type { RefObject } from 'react';
import type { LintDiagnostic } from '../../../shared/http/compose/lintRequest';
import type { RawRequestEditorHandle } from './editor/RawRequestEditor';

const severityLabels: Record<LintDiagnostic['severity'], string> = {
  error: 'Problem',
  warning: 'Warning',
  info: 'Note',
};

/**
 * The linter's findings under the editor, each with its line and column; choosing
 * one selects the place in the editor. They explain, they never block sending:
 * the playground sends broken requests on purpose.
 */
export function ComposerLint({
  diagnostics,
  stale,
  requests,
  editor,
  onFix,
}: {
  diagnostics: readonly LintDiagnostic[];
  /** The text changed since these were found (the linter waits for a pause in typing). */
  stale: boolean;
  requests: number;
  editor: RefObject<RawRequestEditorHandle | null>;
  /** Writes a finding's suggestion into the text (Host or the request target from the URL). */
  onFix?: ((finding: LintDiagnostic) => void) | undefined;
}) {
  const problems = diagnostics.filter((d) => d.severity === 'error').length;
  const summary =
    diagnostics.length === 0
      ? `No problems found${requests > 1 ? ` in the ${requests} requests` : ''}.`
      : `${diagnostics.length} finding${diagnostics.length === 1 ? '' : 's'}${problems > 0 ? `, ${problems} of them ${problems === 1 ? 'a problem' : 'problems'} a server may refuse` : ''}. Send is allowed anyway: the server’s answer shows what it made of it.`;
  return (
    <section className="composer-lint" aria-label="Linter findings" aria-busy={stale || undefined}>
      <p className={`composer-lint-summary ${diagnostics.length === 0 ? 'is-clean' : ''}`}>{summary}</p>
      {diagnostics.length > 0 && (
        <ol className="composer-lint-list">
          {diagnostics.map((d, index) => (
            <li key={`${d.offset}-${d.code}-${index}`} className={`lint-item is-${d.severity}`}>
              <button
                type="button"
                className="lint-place"
                onClick={() => editor.current?.select(d.offset, d.offset + d.length)}
                title="Show this place in the editor"
              >
                Line {d.line}, column {d.column}
              </button>
              <span className="lint-severity">{severityLabels[d.severity]}</span>
              {d.requestIndex !== undefined && requests > 1 && (
                <span className="lint-request">request {d.requestIndex + 1}</span>
              )}
              <span className="lint-message">{d.message}</span>
              {onFix && d.suggestion !== undefined && fixLabel(d) && (
                <button type="button" className="lint-fix" onClick={() => onFix(d)}>
                  {fixLabel(d)}
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** The one-click fix a finding offers, in words that say what it writes. */
function fixLabel(d: LintDiagnostic): string | undefined {
  if (d.code === 'host-differs-from-url') return `Write Host: ${d.suggestion ?? ''}`;
  if (d.code === 'target-differs-from-url') return `Write ${d.suggestion ?? ''} into the request line`;
  return undefined;
}
