import { useId, useMemo, useState } from 'react';
import { clockTime } from '../../../app/format';
import { SequenceSection } from '../../../sequence/SequenceDiagram';
import { TranscriptView } from '../../../transcript/TranscriptView';
import type { ConnectionRecord } from '../exchangeState';
import type { HttpExchanges } from '../exchanges';

/**
 * Which connection carried which request: one row per connection (local port, requests,
 * who closed it and when), and the transcript of the chosen one (the exact request
 * bytes that went out, the response heads that came back, open and close).
 */
export function ConnectionTranscript({
  store,
  connections,
  current,
}: {
  store: HttpExchanges;
  connections: readonly ConnectionRecord[];
  /** The connection of the exchange on screen. */
  current: string | undefined;
}) {
  const id = useId();
  const [picked, setPicked] = useState<string | undefined>();
  const shownId = picked && connections.some((c) => c.id === picked) ? picked : (current ?? connections.at(-1)?.id);
  // One lane per connection, so a new connection per object, a kept one and pipelining look different.
  const sequenceInputs = useMemo(
    () =>
      connections.map((c) => ({
        label: `Connection ${c.seq}${c.localPort === undefined ? '' : ` (port ${c.localPort})`}`,
        model: store.transcriptOf(c.id),
      })),
    [connections, store],
  );
  if (connections.length === 0) return null;
  const seqOf = (exchangeId: string) => store.find(exchangeId)?.seq;
  return (
    <section className="connections" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Connections</h3>
      <table className="connections-table">
        <thead>
          <tr>
            <th scope="col">Connection</th>
            <th scope="col">Local port</th>
            <th scope="col">Requests</th>
            <th scope="col">Opened</th>
            <th scope="col">Closed</th>
          </tr>
        </thead>
        <tbody>
          {connections.map((c) => (
            <tr key={c.id} className={c.id === shownId ? 'is-shown' : undefined}>
              <th scope="row">
                <button
                  type="button"
                  className="link-button"
                  onClick={() => setPicked(c.id)}
                  aria-pressed={c.id === shownId}
                >
                  {c.seq}
                </button>
              </th>
              <td className="mono nowrap">{c.localPort ?? '—'}</td>
              <td>
                {c.exchangeIds
                  .map(seqOf)
                  .filter((seq) => seq !== undefined)
                  .map((seq) => `#${seq}`)
                  .join(', ') || '—'}
              </td>
              <td className="mono nowrap">{clockTime(c.openedAt, { milliseconds: true })}</td>
              <td>
                {c.closedAt === undefined ? (
                  <span className="pill is-running">open</span>
                ) : (
                  <>
                    <span className="mono nowrap">{clockTime(c.closedAt, { milliseconds: true })}</span>{' '}
                    <span className="connection-close-note">{c.closeNote}</span>
                  </>
                )}
                {c.strayBytes > 0 && <span className="header-tag is-warn">{c.strayBytes} stray bytes</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {shownId !== undefined && (
        <TranscriptView
          key={shownId}
          model={store.transcriptOf(shownId)}
          label={transcriptLabel(store.connection(shownId))}
        />
      )}
      <SequenceSection inputs={sequenceInputs} />
    </section>
  );
}

function transcriptLabel(connection: ConnectionRecord | undefined): string {
  if (!connection) return 'Connection transcript';
  const port = connection.localPort === undefined ? '' : ` (local port ${connection.localPort})`;
  return `Connection ${connection.seq}${port} transcript`;
}
