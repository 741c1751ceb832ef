import { connectionDetail } from './format';
import { useConnection, useConnectionState } from './hooks';

export const unreachableMessage =
  'Cannot reach the Playground host. If you opened this page by hand, use the full URL printed in the terminal (it carries the access token).';

export const restartedHostMessage =
  'If the host was restarted, open the new URL it printed in the terminal: every launch has a new access token.';
const restartHintAfter = 4;

/**
 * Says, above the tool, that the connection is gone and that the page reconnects by
 * itself. The page and whatever was typed in it stay as they are meanwhile.
 */
export function ConnectionBanner() {
  const manager = useConnection();
  const state = useConnectionState();
  if (state.status === 'connected' || state.status === 'connecting') return null;

  const headline =
    state.status === 'reconnecting'
      ? 'Lost the connection to the Playground host. It reconnects by itself; what you typed stays here.'
      : state.status === 'unreachable'
        ? unreachableMessage
        : 'Disconnected from the Playground host.';
  const detail = connectionDetail(state);
  // A restarted host has a new access token, and browsers report its 401 like any failure.
  const mayNeedNewUrl = state.status === 'reconnecting' && state.attempt > restartHintAfter;
  return (
    <section className={`banner is-${state.status}`} aria-label="Connection">
      <p role="alert" className="banner-headline">
        {headline}
      </p>
      {state.status !== 'stopped' && (
        <p className="banner-detail">
          {state.status === 'unreachable' ? 'Still trying every few seconds' : 'Trying again'}
          {detail && <> ({detail})</>}.{' '}
          <button type="button" onClick={() => manager.retryNow()}>
            Retry now
          </button>
        </p>
      )}
      {mayNeedNewUrl && <p className="banner-detail">{restartedHostMessage}</p>}
    </section>
  );
}
