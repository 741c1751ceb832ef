import type { Client } from '../../../shared/contract/client';
import type { StoredCookie } from '../../../shared/http/cookies';
import { emptyCookieJar } from '../../../shared/http/cookies';
import { removeHeader, setHostFromUrl, setTargetFromUrl } from '../../../shared/http/compose/editRequest';
import { referencedObjects } from '../../../shared/http/compose/pageObjects';
import { type RequestTemplateKind, requestTemplate } from '../../../shared/http/compose/templates';
import { fieldValue } from '../../../shared/http/parse/fields';
import { resolveReference } from '../../../shared/http/url';
import { controlError } from '../../net/errors';
import { requestedUrl } from './exchangeRecords';
import type { SendOutcome } from '../../net/session';
import { Store } from '../../net/store';
import type { ComposerState, ComposerStore, ConnectionMode, HttpVersionChoice, TargetMode } from './composerState';
import { CookieList } from './cookieList';
import { ComposerDraft, initialDraft } from './draft';
import type { HttpExchanges } from './exchanges';
import type { ExchangesState } from './exchangeState';
import type { EditorLineEnding } from './editor/RawRequestEditor';
import { ComposerSend, initialSend } from './send';
import { ComposerTarget, initialTarget, resolveTarget } from './target';

export interface ComposerOptions {
  /** Wall clock for countdowns and cookie expiry. */
  now?: () => number;
  /** Linting waits for a pause in typing this long (0: lint at once, for tests). */
  lintDelayMs?: number;
}

/**
 * The HTTP composer: the raw request text exactly as it will be sent, the target,
 * connection choice and deadlines, templates and helpers that write into the text
 * (never at send time), the per-target cookie list, and sending through `http.send`.
 * The text is never lost: errors sit beside the control that caused them. Plain
 * class, React only renders it.
 *
 * Its parts each do one of those jobs on the one state the view reads: the draft text
 * and its helpers (draft.ts), the target (target.ts), the send (send.ts) and the cookie
 * list (cookieList.ts). This class only holds them together.
 */
export class ComposerModel extends Store<ComposerState> {
  private readonly target: ComposerTarget;
  private readonly draft: ComposerDraft;
  private readonly cookies: CookieList;
  private readonly sending: ComposerSend;
  private readonly exchanges: HttpExchanges;

  constructor(client: Client, exchanges: HttpExchanges, options: ComposerOptions = {}) {
    super({
      ...initialDraft(),
      ...initialTarget,
      ...initialSend,
      cookies: emptyCookieJar(),
      note: undefined,
      errors: {},
    });
    const read = () => this.state;
    const write = (next: ComposerState) => this.set(next);
    const store: ComposerStore = {
      get state() {
        return read();
      },
      set: write,
      setError: (control, error) => write({ ...read(), errors: { ...read().errors, [control]: error } }),
      now: options.now ?? Date.now,
    };
    this.exchanges = exchanges;
    this.target = new ComposerTarget(store);
    this.draft = new ComposerDraft(store, this.target, exchanges, options.lintDelayMs ?? 150);
    // The cookie list hears a response before the send does, as it always has.
    this.cookies = new CookieList(store, this.target, exchanges);
    this.sending = new ComposerSend(store, client, this.target, exchanges);
  }

  // ---- conversation files ----

  /** The exchanges sent so far, oldest first (what "Save conversation…" saves). */
  get exchangeRecords(): ExchangesState['exchanges'] {
    return this.exchanges.state.exchanges;
  }

  /** An opened conversation's requests, in place of the editor's text (one undo step). */
  loadText(text: string, note: string): void {
    this.draft.replaceText(text, note);
  }

  // ---- the text ----

  /** The editor reports the text as typed. With "keep in sync", Content-Length follows the body. */
  setText(text: string): void {
    this.draft.setText(text);
  }

  setLineEnding(lineEnding: EditorLineEnding): void {
    this.draft.setLineEnding(lineEnding);
  }

  /** Replaces the text with a template for the current target (one undo step in the editor). */
  applyTemplate(kind?: RequestTemplateKind, version?: HttpVersionChoice): boolean {
    return this.draft.applyTemplate(kind, version);
  }

  setTemplate(template: RequestTemplateKind): void {
    this.draft.setTemplate(template);
  }

  setVersion(version: HttpVersionChoice): void {
    this.draft.setVersion(version);
  }

  /** Lints the current text now (the view calls it before sending, so what is shown matches what goes out). */
  lintNow(): void {
    this.draft.lintNow();
  }

  // ---- helpers that write into the text where the user sees them ----

  hostFromTarget(): boolean {
    return this.draft.hostFromTarget();
  }

  /** The request line's target from the URL's path and query. */
  pathFromUrl(): boolean {
    return this.draft.pathFromUrl();
  }

  contentLengthFromBody(): boolean {
    return this.draft.contentLengthFromBody();
  }

  setSyncContentLength(on: boolean): void {
    this.draft.setSyncContentLength(on);
  }

  /** If-Modified-Since / If-None-Match from the last response's Last-Modified / ETag. */
  conditionalFromLastResponse(): boolean {
    return this.draft.conditionalFromLastResponse();
  }

  /** Cookie from the cookies kept for this target (removes the header when there are none). */
  cookieFromJar(): boolean {
    return this.draft.cookieFromJar();
  }

  /** Every bare LF or CR the linter flags in a head becomes CRLF, as one visible change. */
  fixLineEndings(): boolean {
    return this.draft.fixLineEndings();
  }

  /** Adds a GET for the same target after the text: two requests sent at once are pipelining. */
  appendRequest(): boolean {
    return this.draft.appendRequest();
  }

  // ---- target, connection, deadlines ----

  setTargetMode(targetMode: TargetMode): void {
    this.target.setTargetMode(targetMode);
    this.draft.relint();
  }

  /** Points the URL at the built-in web server and writes the matching Host into the text, both visibly. */
  targetBuiltInServer(url: string): boolean {
    this.target.pointAt(url);
    this.draft.relint();
    const done = this.draft.hostFromTarget();
    if (done)
      this.set({ ...this.state, note: `Target set to the built-in web server, ${url}, and ${this.state.note ?? ''}` });
    return done;
  }

  setUrl(url: string): void {
    this.target.setUrl(url);
    this.draft.relint();
  }

  setHost(host: string): void {
    this.target.setHost(host);
    this.draft.relint();
  }

  setPort(port: string): void {
    this.target.setPort(port);
    this.draft.relint();
  }

  setTls(tls: boolean): void {
    this.target.setTls(tls);
    this.draft.relint();
  }

  setAcceptSelfSigned(acceptSelfSigned: boolean): void {
    this.target.setAcceptSelfSigned(acceptSelfSigned);
  }

  /** "127.0.0.1:8080" for the fields as they stand, or undefined while they are not a valid target. */
  targetLabel(): string | undefined {
    return this.target.label();
  }

  setConnection(connection: ConnectionMode): void {
    this.sending.setConnection(connection);
  }

  setConnectDeadline(connectDeadline: string): void {
    this.sending.setConnectDeadline(connectDeadline);
  }

  setResponseDeadline(responseDeadline: string): void {
    this.sending.setResponseDeadline(responseDeadline);
  }

  // ---- cookies the user sees and edits ----

  /** The cookies kept for the current target's origin (all paths). */
  cookiesForTarget(): { origin: string | undefined; cookies: readonly StoredCookie[] } {
    return this.cookies.forTarget();
  }

  putCookie(input: { name: string; value: string; path?: string }): boolean {
    return this.cookies.put(input);
  }

  deleteCookie(name: string, path: string): void {
    this.cookies.remove(name, path);
  }

  // ---- sending ----

  /** Encodes the text as UTF-8 exactly as typed (broken requests included) and sends it. */
  send(): Promise<SendOutcome> {
    return this.sending.send();
  }

  /** The Cancel beside the connect countdown: nothing has been sent yet. */
  cancelConnect(): void {
    this.sending.cancelConnect();
  }

  /** The Cancel beside the response countdown: HTTP/1.1 can only stop a response by closing its connection. */
  cancelResponse(): Promise<void> {
    return this.sending.cancelResponse();
  }

  // ---- actions on a response ----

  /**
   * A 3xx with Location: the URL becomes where it points, the request that got the
   * redirect is written again for it (request line and Host; a 303, or a 301/302 to a
   * POST, becomes a GET without a body, as browsers do), visibly, and sent.
   */
  followRedirect(exchangeId: string): Promise<SendOutcome> {
    const exchange = this.exchanges.find(exchangeId);
    const response = exchange?.response;
    const location = response && fieldValue(response.fields, 'Location');
    const from = exchange && requestedUrl(exchange);
    const url = from && location !== undefined ? resolveReference(from, location) : undefined;
    if (!exchange || !response || url === undefined) {
      this.set({
        ...this.state,
        errors: {
          ...this.state.errors,
          send: controlError(`The Location “${location ?? ''}” is not an http:// or https:// address to follow.`),
        },
      });
      return Promise.resolve('invalid');
    }
    let text = new TextDecoder().decode(exchange.request);
    const asGet =
      response.status === 303 || ((response.status === 301 || response.status === 302) && exchange.method === 'POST');
    if (asGet) text = withoutBody(text.replace(/^\S+/, 'GET'));
    for (const step of [setTargetFromUrl, setHostFromUrl]) {
      const edited = step(text, url);
      if (edited.ok) text = edited.text;
    }
    this.target.pointAt(url);
    this.draft.replaceText(
      text,
      `Following the ${response.status} to ${url}: URL, request line and Host rewritten${asGet ? ', and made a GET without a body' : ''} (Ctrl+Z brings the text back).`,
    );
    this.draft.lintNow();
    return this.sending.send();
  }

  /**
   * Fetches the objects an HTML response references (style sheets, images, scripts on
   * its own server) with a GET each, on the connection choice as it stands: one after
   * another on new connections or on one kept connection, or all at once pipelined.
   * The requests go out as the transcript shows them; the editor's text is left alone.
   */
  async fetchObjects(exchangeId: string): Promise<SendOutcome> {
    const exchange = this.exchanges.find(exchangeId);
    const pageUrl = exchange && requestedUrl(exchange);
    if (!exchange?.response || pageUrl === undefined) return 'invalid';
    const decoded = exchange.body.encodings.some((coding) => coding !== 'identity');
    const length = decoded ? (exchange.body.decodedLength ?? 0) : exchange.body.kept;
    const html = new TextDecoder().decode(await this.exchanges.readBody(exchange.id, 0, length, decoded));
    const all = referencedObjects(html, pageUrl);
    const origin = exchange.origin ?? '';
    const objects = all.filter((url) => url.startsWith(`${origin}/`));
    const elsewhere = all.length - objects.length;
    const skipped = elsewhere > 0 ? ` (${elsewhere} on other servers left out)` : '';
    if (objects.length === 0) {
      this.set({ ...this.state, note: `The page references no objects on ${origin}${skipped}.` });
      return 'invalid';
    }
    const target = resolveTarget({ ...this.state, targetMode: 'url', url: `${origin}/` });
    if (!target.ok) return 'invalid';
    const requests: string[] = [];
    for (const url of objects) {
      const made = requestTemplate('get', { url, version: this.state.version });
      if (made.ok) requests.push(made.text);
    }
    const mode = this.state.connection;
    const how = {
      new: 'one after another, each on a new connection (non-persistent)',
      keep: 'one after another on one kept connection (persistent)',
      pipeline: 'all at once on one connection (pipelining)',
    }[mode];
    this.set({
      ...this.state,
      note: `Fetching the ${requests.length} objects the page references, ${how}${skipped}.`,
    });
    if (mode === 'pipeline') return (await this.sending.sendText(requests.join(''), target, mode)).outcome;
    for (const request of requests) {
      const sent = await this.sending.sendText(request, target, mode);
      if (sent.outcome !== 'sent') return sent.outcome;
      await this.sending.whenEnded(sent.exchangeIds);
    }
    this.set({
      ...this.state,
      note: `Fetched the ${requests.length} objects the page references, ${how}${skipped}.`,
    });
    return 'sent';
  }

  connectionLost(): void {
    this.sending.connectionLost();
  }

  dispose(): void {
    this.draft.dispose();
    this.cookies.dispose();
    this.sending.dispose();
  }
}

/** The head only, without the headers that described the body. */
function withoutBody(text: string): string {
  const blank = /\r?\n\r?\n/.exec(text);
  let head = blank ? text.slice(0, blank.index + blank[0].length) : text;
  for (const name of ['Content-Length', 'Content-Type', 'Transfer-Encoding']) {
    const removed = removeHeader(head, name);
    if (removed.ok) head = removed.text;
  }
  return head;
}
