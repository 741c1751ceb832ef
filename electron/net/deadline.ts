import { PlaygroundError } from '../../shared/contract/errors';

/**
 * Runs `work` until it settles, the deadline passes or `signal` aborts, whichever is
 * first; `work` gets a signal that aborts in the last two cases so it can release
 * what it holds (a half-open socket, say).
 */
export async function withDeadline<T>(
  work: (signal: AbortSignal) => Promise<T>,
  options: { timeoutMs: number; signal?: AbortSignal | undefined; onTimeout: () => PlaygroundError },
): Promise<T> {
  const { timeoutMs, signal, onTimeout } = options;
  if (signal?.aborted) throw abortReason(signal);
  const inner = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = onTimeout();
      inner.abort(error);
      reject(error);
    }, timeoutMs);
    onAbort = () => {
      const error = abortReason(signal);
      inner.abort(error);
      reject(error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work(inner.signal), stopped]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

export function abortReason(signal: AbortSignal | undefined): PlaygroundError {
  const reason: unknown = signal?.reason;
  return reason instanceof PlaygroundError
    ? reason
    : new PlaygroundError({ code: 'E_CANCELLED', message: 'cancelled by the user' });
}
