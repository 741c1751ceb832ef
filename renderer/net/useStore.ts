import { useCallback, useSyncExternalStore } from 'react';
import type { Store } from './store';

export function useStore<S>(store: Store<S>): S {
  return useSyncExternalStore(store.subscribe, store.getState, store.getState);
}

/**
 * Like useStore, but re-renders at most once per animation frame however often the
 * store changes: a fast stream updates the transcript many times between two frames.
 */
export function useFrameStore<S>(store: Store<S>): S {
  const subscribe = useCallback(
    (notify: () => void) => {
      let frame = 0;
      const unsubscribe = store.subscribe(() => {
        if (frame !== 0) return;
        frame = requestAnimationFrame(() => {
          frame = 0;
          notify();
        });
      });
      return () => {
        unsubscribe();
        if (frame !== 0) cancelAnimationFrame(frame);
      };
    },
    [store],
  );
  return useSyncExternalStore(subscribe, store.getState, store.getState);
}
