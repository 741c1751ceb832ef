import { memo } from 'react';
import type { HttpField } from '../../../../shared/http/parse/fields';

/**
 * Header (or trailer) fields exactly in the order received, repeats kept as separate
 * rows; a line that is not a usable field is shown and marked, never dropped.
 */
export const HeadersTable = memo(function HeadersTable({
  fields,
  caption = 'Headers',
}: {
  fields: readonly HttpField[];
  caption?: string;
}) {
  if (fields.length === 0) return <p className="body-note">No {caption.toLowerCase()}.</p>;
  const counts = new Map<string, number>();
  for (const field of fields) counts.set(field.name.toLowerCase(), (counts.get(field.name.toLowerCase()) ?? 0) + 1);
  return (
    <table className="headers-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Name</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {fields.map((field, index) => (
          <tr key={field.offset} className={field.malformed ? 'is-malformed' : undefined}>
            <td className="header-index">{index + 1}</td>
            <th scope="row" className="header-name">
              {field.name || <em>(no name)</em>}
              {(counts.get(field.name.toLowerCase()) ?? 0) > 1 && !field.malformed && (
                <span className="header-tag" title="This header appears more than once; each line is kept">
                  repeated
                </span>
              )}
            </th>
            <td className="header-value">
              {field.value}
              {field.malformed && <span className="header-tag is-bad">not a valid header line</span>}
              {field.folded && <span className="header-tag is-warn">folded over several lines</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
});
