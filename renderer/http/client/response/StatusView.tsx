import { describeStatus } from '../../../../shared/http/statusCodes';
import { fieldValue } from '../../../../shared/http/parse/fields';
import type { ExchangeRecord } from '../exchangeState';

/**
 * The response status in an element named "Status": code, reason as sent, and what
 * the code means in plain words (with where Location points for a redirect). Before
 * the response, the exchange's phase; after a failure, what went wrong.
 */
export function StatusView({ exchange }: { exchange: ExchangeRecord | undefined }) {
  const response = exchange?.response;
  const info = response ? describeStatus(response.status, exchange?.method) : undefined;
  const location = response ? fieldValue(response.fields, 'Location') : undefined;
  const className = `status-line is-${info?.class ?? (exchange?.phase === 'failed' ? 'failed' : 'pending')}`;
  return (
    <div className={className}>
      <output aria-label="Status" className="status-code">
        {response ? (
          <>
            <strong className="mono">{response.status}</strong> <span>{response.reason || info?.reason}</span>
          </>
        ) : (
          pendingText(exchange)
        )}
      </output>
      {response && info && (
        <p className="status-meaning">
          {info.meaning}
          {info.reason && response.reason && info.reason.toLowerCase() !== response.reason.toLowerCase() && (
            <>
              {' '}
              The standard reason phrase is “{info.reason}”; the server wrote “{response.reason}”.
            </>
          )}
          {location !== undefined && (
            <>
              {' '}
              Location: <code className="status-location">{location}</code>
            </>
          )}
        </p>
      )}
      {exchange?.phase === 'failed' && exchange.failure && (
        <p className="status-meaning is-error" role="alert">
          {exchange.failure.message}
        </p>
      )}
    </div>
  );
}

function pendingText(exchange: ExchangeRecord | undefined): string {
  if (!exchange) return 'No request sent yet';
  switch (exchange.phase) {
    case 'sending':
      return 'Sending…';
    case 'waiting':
      return 'Waiting for the response…';
    case 'receiving':
      return 'Receiving…';
    case 'failed':
      return exchange.failure ? `Failed (${exchange.failure.code})` : 'Failed';
    case 'done':
      return 'No response';
  }
}
