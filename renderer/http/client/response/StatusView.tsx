import { describeStatus } from '../../../../shared/http/statusCodes';
import { fieldValue } from '../../../../shared/http/parse/fields';
import type { ExchangeRecord } from '../exchangeState';

/**
 * The response status in an element named "Status": code, reason as sent, and what
 * the code means in plain words (with where Location points for a redirect). Before
 * the response, the exchange's phase; after a failure, what went wrong. A response
 * cancelled or cut off on the way says so first, with how much of the body arrived:
 * its status line alone would read as a success.
 */
export function StatusView({
  exchange,
  onFollowRedirect,
}: {
  exchange: ExchangeRecord | undefined;
  /** Sends the request again to where a 3xx's Location points. */
  onFollowRedirect?: (() => void) | undefined;
}) {
  const response = exchange?.response;
  const info = response ? describeStatus(response.status, exchange?.method) : undefined;
  const location = response ? fieldValue(response.fields, 'Location') : undefined;
  const cut = exchange && response ? cutShort(exchange) : undefined;
  const className = `status-line is-${cut ? 'failed' : (info?.class ?? (exchange?.phase === 'failed' ? 'failed' : 'pending'))}`;
  return (
    <div className={className}>
      <output aria-label="Status" className="status-code">
        {response && cut ? (
          <>
            <strong>{cut.label}</strong>{' '}
            <span className="status-cut-detail">
              after {cut.bytes} — the server had begun{' '}
              <span className="mono">
                {response.status} {response.reason || info?.reason}
              </span>
            </span>
          </>
        ) : response ? (
          <>
            <strong className="mono">{response.status}</strong> <span>{response.reason || info?.reason}</span>
          </>
        ) : (
          pendingText(exchange)
        )}
      </output>
      {cut && <p className="status-meaning status-cut">{cut.meaning}</p>}
      {response && info && (
        <p className="status-meaning">
          {cut && `Its status line, ${response.status}, said: `}
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
              {onFollowRedirect && response.status >= 300 && response.status < 400 && response.status !== 304 && (
                <>
                  {' '}
                  <button type="button" className="status-follow" onClick={onFollowRedirect}>
                    Follow redirect
                  </button>
                </>
              )}
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

/** A response that began but did not end: what stopped it and how much of its body came. */
export function cutShort(
  exchange: ExchangeRecord,
): { label: string; bytes: string; meaning: string; afterwards: string } | undefined {
  const { outcome, response, body } = exchange;
  if (!response || outcome === undefined || outcome === 'complete') return undefined;
  const declared = response.framing.kind === 'length' ? response.framing.length : undefined;
  const received = body.received.toLocaleString('en');
  const bytes =
    declared === undefined
      ? `${received} bytes of the body (its length was not declared)`
      : `${received} of ${declared.toLocaleString('en')} bytes of the body`;
  const part = 'the body below is only the part that arrived.';
  switch (outcome) {
    case 'cancelled':
      return {
        label: 'Cancelled',
        bytes,
        meaning: `You stopped waiting, so the app closed the connection (HTTP/1.1 has no other way to stop a response): ${part}`,
        afterwards: 'the app closed the connection when you stopped waiting',
      };
    case 'incomplete':
      return {
        label: 'Cut off',
        bytes,
        meaning: `The connection closed before the end of the response: ${part}`,
        afterwards: 'the connection closed in the middle of the response',
      };
    case 'failed':
      return {
        label: 'Failed',
        bytes,
        meaning: `The response stopped on the way (${exchange.failure?.code ?? 'an error'}): ${part}`,
        afterwards: 'the connection was closed in the middle of the response',
      };
  }
}
