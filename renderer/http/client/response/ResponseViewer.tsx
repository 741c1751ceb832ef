import { useId } from 'react';
import { describeFraming } from '../../../../shared/http/parse/framing';
import { useFrameStore } from '../../../net/useStore';
import { BodyView } from './BodyView';
import { ChunkList } from './ChunkList';
import { ConnectionTranscript } from './ConnectionTranscript';
import { DiagnosticsList } from './DiagnosticsList';
import type { ExchangeRecord } from '../exchangeState';
import type { HttpExchanges } from '../exchanges';
import { HeadersTable } from './HeadersTable';
import { StatusView } from './StatusView';
import { TimingsView } from './TimingsView';
import './responseViewer.css';

/**
 * The response to the request on screen, dissected: status and its meaning, what the
 * parser noticed, headers in order, the body in the view that suits it, where the
 * time went, and which connection carried it. Earlier requests stay one click away.
 * Re-renders at most ~10 times a second however fast a body arrives.
 */
export function ResponseViewer({ store }: { store: HttpExchanges }) {
  const state = useFrameStore(store);
  const headingId = useId();
  const exchange = state.exchanges.find((e) => e.id === state.selectedId) ?? state.exchanges.at(-1);
  return (
    <section className="panel response-viewer" aria-labelledby={headingId}>
      <div className="panel-head">
        <h2 id={headingId}>Response</h2>
        {exchange && (
          <span className="response-which">
            to request #{exchange.seq}: {exchange.method}
            {exchange.path ? ` ${exchange.path}` : ''} on {exchange.target}
          </span>
        )}
      </div>
      {state.exchanges.length > 1 && <ExchangeList store={store} exchanges={state.exchanges} shownId={exchange?.id} />}
      <StatusView exchange={exchange} />
      {exchange && <ExchangeDetails store={store} exchange={exchange} />}
      <ConnectionTranscript store={store} connections={state.connections} current={exchange?.connectionId} />
    </section>
  );
}

function ExchangeDetails({ store, exchange }: { store: HttpExchanges; exchange: ExchangeRecord }) {
  const connection = store.connection(exchange.connectionId);
  const response = exchange.response;
  return (
    <>
      <dl className="facts response-facts">
        <div>
          <dt>Connection</dt>
          <dd>
            {connection ? `${connection.seq}` : '—'}
            {exchange.localPort !== undefined && (
              <>
                {' '}
                (local port <span className="mono">{exchange.localPort}</span>)
              </>
            )}
            {exchange.reused && ' reused'}
          </dd>
        </div>
        {response && (
          <>
            <div>
              <dt>Body framing</dt>
              <dd>{describeFraming(response.framing)}</dd>
            </div>
            <div>
              <dt>Afterwards</dt>
              <dd>
                {response.persistent
                  ? 'the server keeps the connection open for another request'
                  : 'the server closes the connection'}
              </dd>
            </div>
          </>
        )}
      </dl>
      <DiagnosticsList
        diagnostics={exchange.diagnostics}
        label={exchange.diagnostics.some((d) => d.severity !== 'info') ? 'Problems found' : 'Notes from the parser'}
      />
      {exchange.interim.map((head, index) => (
        <details key={head.at + index} className="interim">
          <summary>
            Interim response: <span className="mono">{head.startLine}</span>
          </summary>
          <HeadersTable fields={head.fields} caption="Interim headers" />
        </details>
      ))}
      {response && <HeadersTable fields={response.fields} />}
      <ChunkList chunks={exchange.chunks} total={exchange.body.chunks} />
      {exchange.trailers.length > 0 && <HeadersTable fields={exchange.trailers} caption="Trailers" />}
      {response && (
        <BodyView
          key={exchange.id}
          exchange={exchange}
          read={(offset, length, decoded) => store.readBody(exchange.id, offset, length, decoded)}
        />
      )}
      <TimingsView timings={exchange.timings} />
    </>
  );
}

function ExchangeList({
  store,
  exchanges,
  shownId,
}: {
  store: HttpExchanges;
  exchanges: readonly ExchangeRecord[];
  shownId: string | undefined;
}) {
  return (
    <nav className="exchange-list" aria-label="Requests sent">
      <ol>
        {exchanges.map((e) => (
          <li key={e.id}>
            <button
              type="button"
              aria-current={e.id === shownId ? 'true' : undefined}
              onClick={() => store.select(e.id)}
              title={`${e.method} ${e.target}${e.localPort !== undefined ? ` from local port ${e.localPort}` : ''}`}
            >
              #{e.seq} {e.method} {e.response ? e.response.status : e.phase === 'failed' ? 'failed' : '…'}
              {e.localPort !== undefined && <span className="exchange-port"> :{e.localPort}</span>}
            </button>
          </li>
        ))}
      </ol>
    </nav>
  );
}
