import { memo } from 'react';
import type { HttpDiagnostic } from '../../../../shared/http/compose/diagnostics';

const severityLabel = { error: 'Error', warning: 'Warning', info: 'Note' } as const;

/** Everything the parser tolerated or refused, with where it is in the connection's bytes. */
export const DiagnosticsList = memo(function DiagnosticsList({
  diagnostics,
  label = 'Problems found',
}: {
  diagnostics: readonly HttpDiagnostic[];
  label?: string;
}) {
  if (diagnostics.length === 0) return null;
  return (
    <section className="diagnostics" aria-label={label}>
      <h3>{label}</h3>
      <ul>
        {diagnostics.map((d, index) => (
          <li key={`${d.code}-${d.offset}-${index}`} className={`diagnostic is-${d.severity}`}>
            <span className="diagnostic-severity">{severityLabel[d.severity]}</span>{' '}
            <span className="diagnostic-message">{d.message}</span>{' '}
            <span className="diagnostic-where mono" title="Offset in the bytes the server sent on this connection">
              at byte {d.offset.toLocaleString('en')}
              {d.length > 1 ? `–${(d.offset + d.length - 1).toLocaleString('en')}` : ''} ({d.code})
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
});
