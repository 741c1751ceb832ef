import { TOKEN_FRAGMENT_KEY } from '../../shared/app/browserAccess';

/** Where the page keeps the token for its tab: sessionStorage is per origin (port included) and per tab. */
export const TOKEN_STORAGE_KEY = 'protocol-playground.token';

/** The parts of `window` the token needs, so tests can pass their own. */
export interface TokenPage {
  readonly location: { readonly hash: string; readonly pathname: string; readonly search: string };
  readonly history: { replaceState(data: unknown, unused: string, url?: string): void };
  readonly sessionStorage?: Pick<Storage, 'getItem' | 'setItem'> | undefined;
}

const fragment = new RegExp(`^#${TOKEN_FRAGMENT_KEY}=([A-Za-z0-9_-]+)$`);

/**
 * Browser mode's access token for this page. Opened from the printed URL
 * (`/#token=…`), the page takes the token out of the address bar (and so out of
 * history and bookmarks) and keeps it in sessionStorage, so a reload of this tab
 * still has it; otherwise it is whatever this tab kept. The token is only ever shown
 * to the host, in the WebSocket handshake (shared/app/browserAccess.ts).
 */
export function takeAccessToken(page: TokenPage): string | undefined {
  const match = fragment.exec(page.location.hash);
  const storage = storageOf(page);
  if (match?.[1]) {
    const token = match[1];
    try {
      storage?.setItem(TOKEN_STORAGE_KEY, token);
    } catch {
      // Storage full or refused: the token lives in memory; only a reload loses it.
    }
    page.history.replaceState(null, '', `${page.location.pathname}${page.location.search}`);
    return token;
  }
  try {
    return storage?.getItem(TOKEN_STORAGE_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

function storageOf(page: TokenPage): TokenPage['sessionStorage'] {
  try {
    // Reading sessionStorage itself throws where storage is disabled.
    return page.sessionStorage;
  } catch {
    return undefined;
  }
}
