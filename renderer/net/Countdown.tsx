import { useEffect, useReducer } from 'react';
import { formatDuration } from '../../shared/bytes';
import type { Wait } from './session';

/**
 * A network wait the user can see and stop: what is awaited, a bar that empties, the
 * time left, and Cancel. The bar is a <progress> (no inline styles under the CSP).
 */
export function Countdown({
  label,
  wait,
  onCancel,
  cancelLabel = 'Cancel',
}: {
  label: string;
  wait: Wait;
  onCancel: () => void;
  cancelLabel?: string;
}) {
  const [, tick] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const timer = setInterval(tick, 100);
    return () => clearInterval(timer);
  }, []);
  const left = Math.max(0, wait.startedAt + wait.timeoutMs - Date.now());
  return (
    <div className="countdown">
      <span role="status" className="countdown-label">
        {label}
      </span>
      <progress max={wait.timeoutMs} value={left} aria-hidden="true" />
      <span className="countdown-left" aria-hidden="true">
        {left > 0 ? `${(left / 1000).toFixed(1)} s left` : 'any moment now'}
      </span>
      <span className="visually-hidden">deadline {formatDuration(wait.timeoutMs)}</span>
      <button type="button" onClick={onCancel}>
        {cancelLabel}
      </button>
    </div>
  );
}
