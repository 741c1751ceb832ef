import { type ReactNode, useEffect, useId, useRef } from 'react';
import { fieldValue } from '../../../../shared/http/parse/fields';
import { describeFraming } from '../../../../shared/http/parse/framing';
import { useFrameStore } from '../../../net/useStore';
import { BodyView } from './BodyView';
import { ChunkList } from './ChunkList';
import { ConnectionTranscript } from './ConnectionTranscript';
import { DiagnosticsList } from './DiagnosticsList';
import { ordinal } from '../../../../shared/http/parse/responseParser';
import type { ConnectionRecord, ExchangeRecord } from '../exchangeState';
import { connectionModeWords } from '../send';
import type { HttpExchanges } from '../exchanges';
import { HeadersTable } from './HeadersTable';
import { cutShort, StatusView } from './StatusView';
import { TimingsView } from './TimingsView';
import './responseViewer.css';

/**
 * The response to the request on screen, dissected: status and its meaning, what the
 * parser noticed, headers in order, the body in the view that suits it, where the
 * time went, and which connection carried it. Earlier requests stay one click away.
 * Re-renders at most ~10 times a second however fast a body arrives.
 */
/** What the viewer can ask the composer to do with a response. */
export interface ResponseActions {
  followRedirect(exchangeId: string): void;
  fetchObjects(exchangeId: string): void;
  /** The connection choice the objects would be fetched with, in words (kept up to date by the composer). */
  connectionChoice: ReactNode;
}

export function ResponseViewer({ store, actions }: { store: HttpExchanges; actions?: ResponseActions | undefined }) {
  const state = useFrameStore(store);
  const headingId = useId();
  const exchange = state.exchanges.find((e) => e.id === state.selectedId) ?? state.exchanges.at(-1);
  const head = useRef<HTMLDivElement>(null);
  const status = useRef<HTMLDivElement>(null);
  // After a send the newest request's status comes into view (at 1024×768 it sits far below Send).
  const newest = state.exchanges.at(-1)?.id;
  const seen = useRef(newest);
  useEffect(() => {
    if (newest === seen.current) return;
    seen.current = newest;
    if (newest !== undefined && head.current && status.current) bringIntoView(head.current, status.current);
  }, [newest]);
  return (
    <section className="panel response-viewer" aria-labelledby={headingId}>
      <div className="panel-head" ref={head}>
        <h2 id={headingId}>Response</h2>
        {exchange && (
          <span className="response-which">
            to request #{exchange.seq}: {exchange.method}
            {exchange.path ? ` ${exchange.path}` : ''} on {exchange.target}
          </span>
        )}
      </div>
      {state.exchanges.length > 0 && <ExchangeList store={store} exchanges={state.exchanges} shownId={exchange?.id} />}
      <div ref={status}>
        <StatusView
          exchange={exchange}
          onFollowRedirect={exchange && actions ? () => actions.followRedirect(exchange.id) : undefined}
        />
      </div>
      {exchange && <ExchangeDetails store={store} exchange={exchange} actions={actions} />}
      <ConnectionTranscript store={store} connections={state.connections} current={exchange?.connectionId} />
    </section>
  );
}

function ExchangeDetails({
  store,
  exchange,
  actions,
}: {
  store: HttpExchanges;
  exchange: ExchangeRecord;
  actions: ResponseActions | undefined;
}) {
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
            {exchange.onConnection !== undefined &&
              exchange.onConnection > 1 &&
              `, its ${ordinal(exchange.onConnection)} request`}
            {exchange.reused && reusedNote(connection)}
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
                {cutShort(exchange)?.afterwards ??
                  (response.persistent
                    ? 'the server keeps the connection open for another request'
                    : 'the server closes the connection')}
              </dd>
            </div>
          </>
        )}
      </dl>
      {actions && isHtmlPage(exchange) && (
        <p className="response-objects">
          <button type="button" onClick={() => actions.fetchObjects(exchange.id)}>
            Fetch the objects this page references
          </button>{' '}
          <span className="action-hint">
            its style sheets, images and scripts, a GET each: {actions.connectionChoice}
          </span>
        </p>
      )}
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

/**
 * Every request sent, newest last, each chip naming its path: a few rows high at most
 * (the list scrolls, keeping the one shown in sight), with Clear to start afresh.
 */
function ExchangeList({
  store,
  exchanges,
  shownId,
}: {
  store: HttpExchanges;
  exchanges: readonly ExchangeRecord[];
  shownId: string | undefined;
}) {
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    const ol = list.current;
    const shown = ol?.querySelector<HTMLElement>('[aria-current="true"]');
    if (!ol || !shown) return;
    // Only the list scrolls: the page stays where the user has it.
    const top = shown.offsetTop - ol.offsetTop;
    if (top < ol.scrollTop) ol.scrollTop = top;
    else if (top + shown.offsetHeight > ol.scrollTop + ol.clientHeight)
      ol.scrollTop = top + shown.offsetHeight - ol.clientHeight;
  }, [shownId, exchanges.length]);
  return (
    <div className="exchange-history">
      {exchanges.length > 1 && (
        <nav className="exchange-list" aria-label="Requests sent">
          <ol ref={list}>
            {exchanges.map((e) => (
              <li key={e.id}>
                <button
                  type="button"
                  aria-current={e.id === shownId ? 'true' : undefined}
                  onClick={() => store.select(e.id)}
                  title={`${e.method} ${e.path} on ${e.target}${e.localPort !== undefined ? ` from local port ${e.localPort}` : ''}`}
                >
                  #{e.seq} {e.method} {shortPath(e.path)} {chipOutcome(e)}
                  {e.localPort !== undefined && <span className="exchange-port"> :{e.localPort}</span>}
                </button>
              </li>
            ))}
          </ol>
        </nav>
      )}
      <p className="exchange-history-foot">
        <span>
          {exchanges.length} request{exchanges.length === 1 ? '' : 's'} in the list
        </span>{' '}
        <button type="button" className="link-button" onClick={() => store.clear()}>
          Clear list
        </button>
      </p>
    </div>
  );
}

/** A reused connection: what it was opened for (pipelining may go on a connection a persistent send opened). */
function reusedNote(connection: ConnectionRecord | undefined): string {
  const opened = connection?.openedFor;
  if (!opened) return ', reused';
  const mode = opened.mode ? ` in ${connectionModeWords[opened.mode]} mode` : '';
  return `, reused: opened${mode} for request #${opened.seq}`;
}

/** A whole HTML page from a server (what a browser would fetch the objects of). */
function isHtmlPage(exchange: ExchangeRecord): boolean {
  const response = exchange.response;
  if (!response || response.status !== 200 || exchange.outcome !== 'complete' || !exchange.origin) return false;
  return /^\s*text\/html\b/i.test(fieldValue(response.fields, 'Content-Type') ?? '');
}

/** Long paths shortened in the chip (the whole one is in the heading when it is shown). */
function shortPath(path: string): string {
  return path.length > 28 ? `${path.slice(0, 27)}…` : path;
}

function chipOutcome(e: ExchangeRecord): string {
  const cut = cutShort(e);
  if (e.response) return cut ? `${e.response.status} ${cut.label.toLowerCase()}` : String(e.response.status);
  return e.phase === 'failed' ? 'failed' : '…';
}

/**
 * Scrolls the viewer's head to the top of what the user sees unless the status is
 * already wholly in sight (in the viewer's own scrolling area, if it has one, and the page's).
 */
function bringIntoView(head: HTMLElement, status: HTMLElement): void {
  const box = status.getBoundingClientRect();
  for (let parent = status.parentElement; parent; parent = parent.parentElement) {
    if (!/(auto|scroll)/.test(getComputedStyle(parent).overflowY)) continue;
    const area = parent.getBoundingClientRect();
    if (box.top < area.top || box.bottom > area.bottom) {
      head.scrollIntoView({ block: 'start' });
      return;
    }
  }
  if (box.top < 0 || box.bottom > window.innerHeight) head.scrollIntoView({ block: 'start' });
}
