import { useSyncExternalStore } from 'react';

/** `#/udp` → 'udp'; anything else (no hash, `#/`, `#main`) → '' (the overview). */
export function routeFromHash(hash: string): string {
  const match = /^#\/([a-z0-9-]*)/i.exec(hash);
  return match?.[1]?.toLowerCase() ?? '';
}

export function hrefFor(route: string): string {
  return `#/${route}`;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** The selected tool from the address hash, so Back/Forward and bookmarks work. */
export function useRoute(): string {
  return useSyncExternalStore(
    subscribe,
    () => routeFromHash(window.location.hash),
    () => '',
  );
}
