import { isToken } from '../../../shared/http/parse/ascii';
import { deleteCookie, putCookie, type StoredCookie, storeResponseCookies } from '../../../shared/http/cookies';
import { fieldsNamed } from '../../../shared/http/parse/fields';
import { controlError } from '../../net/errors';
import { without } from '../../net/session';
import type { ComposerState, ComposerStore } from './composerState';
import { requestPath } from './draft';
import type { HttpExchanges } from './exchanges';
import { type ComposerTarget, resolveTarget } from './target';

/**
 * The composer's cookies per origin: filled from every response's Set-Cookie, edited by
 * the user, and written into the text only by the "Cookie from the list" helper.
 */
export class CookieList {
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: ComposerStore,
    private readonly target: ComposerTarget,
    private readonly exchanges: HttpExchanges,
  ) {
    this.unsubscribe = exchanges.onResponse((latest) => {
      if (!latest.origin || fieldsNamed(latest.fields, 'Set-Cookie').length === 0) return;
      // The request's path decides a cookie's default Path (RFC 6265 §5.1.4), so it is part of the URL.
      const sent = this.exchanges.find(latest.exchangeId);
      const path = sent ? requestPath(sent.request) : '/';
      const stored = storeResponseCookies(
        this.state.cookies,
        `${latest.origin}${path}`,
        latest.fields,
        this.store.now(),
      );
      this.store.set({ ...this.state, cookies: stored.jar, note: stored.notes.join(' ') });
    });
  }

  /** The composer's one state, as it is now. */
  private get state(): ComposerState {
    return this.store.state;
  }

  /** The cookies kept for the current target's origin (all paths). */
  forTarget(): { origin: string | undefined; cookies: readonly StoredCookie[] } {
    const target = resolveTarget(this.state);
    if (!target.ok) return { origin: undefined, cookies: [] };
    return { origin: target.url.origin, cookies: this.state.cookies.origins[target.url.origin] ?? [] };
  }

  put(input: { name: string; value: string; path?: string }): boolean {
    const target = this.target.resolve('cookies');
    if (!target) return false;
    const name = input.name.trim();
    const value = input.value.trim();
    if (!isToken(name)) {
      this.store.setError(
        'cookies',
        controlError(
          name === ''
            ? 'Give the cookie a name.'
            : `“${name}” is not a cookie name: letters, digits and !#$%&'*+-.^_\`|~ only, no spaces or "=".`,
        ),
      );
      return false;
    }
    // RFC 6265 cookie-octets: visible ASCII except DQUOTE, comma, semicolon and backslash.
    if (!/^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/.test(value)) {
      this.store.setError(
        'cookies',
        controlError(`A cookie value is visible ASCII without spaces, quotes, ";", "," or "\\": “${value}” is not.`),
      );
      return false;
    }
    const path = input.path?.trim() || '/';
    const existing = (this.state.cookies.origins[target.url.origin] ?? []).find(
      (c) => c.name === name && c.path === path,
    );
    const cookie: StoredCookie = existing
      ? { ...existing, value }
      : { name, value, path, secure: false, httpOnly: false, expiresAt: null, createdAt: this.store.now() };
    this.store.set({
      ...this.state,
      cookies: putCookie(this.state.cookies, target.url.origin, cookie),
      note: `Cookie ${name}=${value} kept for ${target.url.origin}${path}. Use “Cookie from the list” to write it into the request.`,
      errors: without(this.state.errors, 'cookies'),
    });
    return true;
  }

  remove(name: string, path: string): void {
    const target = resolveTarget(this.state);
    if (!target.ok) return;
    this.store.set({
      ...this.state,
      cookies: deleteCookie(this.state.cookies, target.url.origin, name, path),
      note: `Cookie ${name} removed from the list for ${target.url.origin}.`,
      errors: without(this.state.errors, 'cookies'),
    });
  }

  dispose(): void {
    this.unsubscribe();
  }
}
