import { useCallback, useSyncExternalStore } from 'react';
import type { Store } from './store';

export function useStore<S>(store: Store<S>): S {
  return useSyncExternalStore(store.subscribe, store.getState, store.getState);
}

/**
 * Like useStore, but re-renders at most once per `intervalMs` however often the store
 * changes: the first change after a quiet spell shows on the next frame (a reply is
 * not delayed), a stream of changes then ~10 times a second. Each update of a busy
 * page costs style, layout and paint; at 60 a second they starve everything else.
 */
export function useFrameStore<S>(store: Store<S>, intervalMs = 100): S {
  const subscribe = useCallback(
    (notify: () => void) => {
      let frame = 0;
      let timer: ReturnType<typeof setTimeout> | undefined;
      let last = Number.NEGATIVE_INFINITY;
      const flush = () => {
        frame = 0;
        last = performance.now();
        notify();
      };
      const unsubscribe = store.subscribe(() => {
        if (frame !== 0 || timer !== undefined) return;
        const wait = last + intervalMs - performance.now();
        if (wait <= 0) {
          frame = requestAnimationFrame(flush);
          return;
        }
        timer = setTimeout(() => {
          timer = undefined;
          frame = requestAnimationFrame(flush);
        }, wait);
      });
      return () => {
        unsubscribe();
        if (frame !== 0) cancelAnimationFrame(frame);
        if (timer !== undefined) clearTimeout(timer);
      };
    },
    [store, intervalMs],
  );
  return useSyncExternalStore(subscribe, store.getState, store.getState);
}
