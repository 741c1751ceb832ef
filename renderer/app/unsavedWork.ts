import { useEffect } from 'react';
import { hasUnsavedWork } from '../net/useLab';
import { useConnection } from './hooks';

/**
 * Asks before the page goes while any tool has unsaved work (a transcript with rows, a
 * request history, a running server): the browser's own "Leave site?" on reload or close
 * in browser mode; in the desktop app the window's close asks the same way (electron/main.ts
 * answers 'will-prevent-unload' with a dialog).
 */
export function useAskBeforeLeaving(): void {
  const manager = useConnection();
  useEffect(() => {
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (!hasUnsavedWork(manager)) return;
      event.preventDefault();
      // Older browsers show the question only when returnValue is set.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [manager]);
}
