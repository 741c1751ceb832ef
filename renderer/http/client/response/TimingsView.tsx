import { memo } from 'react';
import { formatDuration } from '../../../../shared/bytes';
import type { ExchangeTimings } from '../exchangeState';

/** Each phase with what it is, shown beside it (not in a tooltip). */
const phases = [
  [
    'lookupMs',
    'Name lookup',
    'DNS: the host name turned into an address (none for an address or a reused connection).',
  ],
  ['connectMs', 'Connect', 'The TCP three-way handshake: SYN sent until the connection was established.'],
  ['tlsMs', 'TLS', 'The TLS handshake (https only).'],
  [
    'firstByteMs',
    'Time to first byte',
    'Request written until the first byte of the response arrived: the server’s work plus one round trip.',
  ],
  ['transferMs', 'Transfer', 'First response byte until the last one.'],
] as const;

/**
 * Where the time of one request went, phase by phase, as a table with a bar per phase
 * laid out on the request's own timeline (a reused connection has no lookup or connect),
 * each phase explained in a word on its row, and what "Other" is said under the table.
 */
export const TimingsView = memo(function TimingsView({ timings }: { timings: ExchangeTimings }) {
  const rows = phases.filter(([key]) => timings[key] !== undefined);
  const total = timings.totalMs ?? rows.reduce((sum, [key]) => sum + (timings[key] ?? 0), 0);
  if (rows.length === 0 && timings.totalMs === undefined) return <p className="body-note">No timings yet.</p>;
  const phaseSum = rows.reduce((sum, [key]) => sum + (timings[key] ?? 0), 0);
  const other = total - phaseSum;
  let start = 0;
  return (
    <>
      <table className="timings-table">
        <caption>Timings</caption>
        <tbody>
          {rows.map(([key, label, help]) => {
            const ms = timings[key] ?? 0;
            const left = total > 0 ? (start / total) * 100 : 0;
            const width = total > 0 ? Math.max(0.5, (ms / total) * 100) : 0;
            start += ms;
            return (
              <tr key={key}>
                <th scope="row">{label}</th>
                <td className="timing-ms mono">{formatDuration(ms)}</td>
                <td className="timing-bar-cell" aria-hidden="true">
                  <span className={`timing-bar timing-${key}`} style={{ marginLeft: `${left}%`, width: `${width}%` }} />
                </td>
                <td className="timing-help">{help}</td>
              </tr>
            );
          })}
          {other > Math.max(1, total * 0.05) && (
            <tr>
              <th scope="row">Other</th>
              <td className="timing-ms mono">{formatDuration(other)}</td>
              <td className="timing-bar-cell" aria-hidden="true">
                <span
                  className="timing-bar timing-other"
                  style={{ marginLeft: `${(start / total) * 100}%`, width: `${(other / total) * 100}%` }}
                />
              </td>
              <td className="timing-help">In the total but in none of the phases above: the app’s own work (below).</td>
            </tr>
          )}
          <tr className="timing-total">
            <th scope="row">Total</th>
            <td className="timing-ms mono">{formatDuration(total)}</td>
            <td />
            <td className="timing-help">From the send reaching the app’s network side to the last byte.</td>
          </tr>
        </tbody>
      </table>
      <p className="timings-help">
        <strong>Other:</strong> whatever part of the total no phase covers: the app’s network side taking up the send
        and opening the socket before the handshake starts, and writing the request out. It is the app’s own time on
        this computer, not network time; on a fast local connection it can be most of the total.
      </p>
    </>
  );
});
