import { memo } from 'react';
import { formatDuration } from '../../../../shared/bytes';
import type { ExchangeTimings } from '../exchangeState';

const phases = [
  [
    'lookupMs',
    'Name lookup',
    'Turning the host name into an address (DNS); none for an address or a reused connection.',
  ],
  ['connectMs', 'Connect', 'The TCP three-way handshake: SYN sent until the connection was established.'],
  ['tlsMs', 'TLS', 'The TLS handshake (https only).'],
  [
    'firstByteMs',
    'Time to first byte',
    'Request sent until the first byte of the response arrived: the server’s think time plus one round trip.',
  ],
  ['transferMs', 'Transfer', 'First response byte until the last one.'],
] as const;

/**
 * Where the time of one request went, phase by phase, as a table with a bar per phase
 * laid out on the request's own timeline (a reused connection has no lookup or connect).
 */
export const TimingsView = memo(function TimingsView({ timings }: { timings: ExchangeTimings }) {
  const rows = phases.filter(([key]) => timings[key] !== undefined);
  const total = timings.totalMs ?? rows.reduce((sum, [key]) => sum + (timings[key] ?? 0), 0);
  if (rows.length === 0 && timings.totalMs === undefined) return <p className="body-note">No timings yet.</p>;
  const phaseSum = rows.reduce((sum, [key]) => sum + (timings[key] ?? 0), 0);
  const other = total - phaseSum;
  let start = 0;
  return (
    <table className="timings-table">
      <caption>Timings</caption>
      <tbody>
        {rows.map(([key, label, help]) => {
          const ms = timings[key] ?? 0;
          const left = total > 0 ? (start / total) * 100 : 0;
          const width = total > 0 ? Math.max(0.5, (ms / total) * 100) : 0;
          start += ms;
          return (
            <tr key={key} title={help}>
              <th scope="row">{label}</th>
              <td className="timing-ms mono">{formatDuration(ms)}</td>
              <td className="timing-bar-cell" aria-hidden="true">
                <span className={`timing-bar timing-${key}`} style={{ marginLeft: `${left}%`, width: `${width}%` }} />
              </td>
            </tr>
          );
        })}
        {other > Math.max(1, total * 0.05) && (
          <tr title="The total runs from the start of the send to the last byte; this is the part outside the phases above (setting up the send, writing the request, the app's own work).">
            <th scope="row">Other</th>
            <td className="timing-ms mono">{formatDuration(other)}</td>
            <td className="timing-bar-cell" aria-hidden="true">
              <span
                className="timing-bar timing-other"
                style={{ marginLeft: `${(start / total) * 100}%`, width: `${(other / total) * 100}%` }}
              />
            </td>
          </tr>
        )}
        <tr className="timing-total">
          <th scope="row">Total</th>
          <td className="timing-ms mono">{formatDuration(total)}</td>
          <td />
        </tr>
      </tbody>
    </table>
  );
});
