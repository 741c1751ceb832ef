import type { Client } from '../../../shared/contract/client';
import { isPlaygroundError } from '../../../shared/contract/errors';
import { type TlsCertificate, tlsCertificate } from '../../../shared/net/contract';
import { isToken } from '../../../shared/http/parse/ascii';
import {
  type CookieJar,
  cookiesFor,
  deleteCookie,
  emptyCookieJar,
  putCookie,
  type StoredCookie,
  storeResponseCookies,
} from '../../../shared/http/cookies';
import {
  type EditResult,
  requestBody,
  setConditionalHeaders,
  setContentLengthFromBody,
  setCookieHeader,
  setHostFromUrl,
  setTargetFromUrl,
} from '../../../shared/http/compose/editRequest';
import { parseRequests } from '../../../shared/http/parse/collect';
import { fieldsNamed } from '../../../shared/http/parse/fields';
import { type LintDiagnostic, lintRequest } from '../../../shared/http/compose/lintRequest';
import { type RequestTemplateKind, requestTemplate } from '../../../shared/http/compose/templates';
import {
  type ControlError,
  type ControlErrors,
  controlError,
  isCancelled,
  parseSecondsField,
  placeError,
} from '../../net/errors';
import { CancellableCall } from '../../net/connect';
import type { SendOutcome, Wait } from '../../net/session';
import { without } from '../../net/session';
import { Store } from '../../net/store';
import { partsFromUrl, resolveTarget, type TargetFields, type TargetMode, urlFromFields } from './target';
import type { HttpExchanges } from './exchanges';
import type { EditorLineEnding, ModelEdit } from './editor/RawRequestEditor';

export type ComposerControl =
  | 'url'
  | 'host'
  | 'port'
  | 'connectDeadline'
  | 'responseDeadline'
  | 'text'
  | 'template'
  | 'helpers'
  | 'cookies'
  | 'send';

/**
 * 'new': a connection per send, closed after the response (non-persistent).
 * 'keep': the next send goes on the same open connection (persistent).
 * 'pipeline': every request in the text goes out at once on one kept connection.
 */
export type ConnectionMode = 'new' | 'keep' | 'pipeline';
export const connectionModes: readonly ConnectionMode[] = ['new', 'keep', 'pipeline'];

export type HttpVersionChoice = '1.1' | '1.0';

export interface LastSend {
  readonly connectionId: string;
  readonly localPort: number;
  readonly reused: boolean;
  readonly requests: number;
  readonly bytes: number;
  readonly target: string;
  readonly certificate: TlsCertificate | undefined;
}

/** Its target (a URL, or host, port and TLS) is what `resolveTarget` reads. */
export interface ComposerState extends TargetFields {
  readonly text: string;
  readonly lineEnding: EditorLineEnding;
  /** The last change the model made to the text, for the editor to apply (and undo) as one step. */
  readonly edit: ModelEdit | undefined;
  /** The linter's findings for `text` (a little behind while typing), and how many requests it holds. */
  readonly lint: { readonly text: string; readonly diagnostics: readonly LintDiagnostic[]; readonly requests: number };
  readonly connection: ConnectionMode;
  /** Seconds as typed. */
  readonly connectDeadline: string;
  readonly responseDeadline: string;
  readonly syncContentLength: boolean;
  readonly template: RequestTemplateKind;
  readonly version: HttpVersionChoice;
  readonly phase: 'idle' | 'connecting';
  readonly connectWait: Wait | undefined;
  /** Waiting for responses to the last send; restarted by every byte that arrives, as on the Node side. */
  readonly responseWait: (Wait & { readonly connectionId: string }) | undefined;
  readonly lastSend: LastSend | undefined;
  /** The certificate a TLS connect refused (shown with the send error, so the user can judge it before accepting). */
  readonly refusedCertificate: TlsCertificate | undefined;
  /** Cookies per origin, from Set-Cookie and the user's own edits. */
  readonly cookies: CookieJar;
  /** What the last helper or cookie update did, in words. */
  readonly note: string | undefined;
  readonly errors: ControlErrors<ComposerControl>;
}

export interface ComposerOptions {
  /** Wall clock for countdowns and cookie expiry. */
  now?: () => number;
  /** Linting waits for a pause in typing this long (0: lint at once, for tests). */
  lintDelayMs?: number;
}

/** Extra time the call itself gets beyond the deadline the Node side keeps, so the Node side's message wins. */
const callGraceMs = 5000;
const encoder = new TextEncoder();

const initialUrl = 'http://127.0.0.1:8080/';

function initialText(): string {
  const template = requestTemplate('get', { url: initialUrl });
  return template.ok ? template.text : 'GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n';
}

export const connectionModeLabels: Record<ConnectionMode, string> = {
  new: 'New connection per request (non-persistent)',
  keep: 'Keep the connection open (persistent)',
  pipeline: 'Pipelining: every request in the text at once',
};

/**
 * The HTTP composer: the raw request text exactly as it will be sent, the target,
 * connection choice and deadlines, templates and helpers that write into the text
 * (never at send time), the per-target cookie list, and sending through `http.send`.
 * The text is never lost: errors sit beside the control that caused them. Plain
 * class, React only renders it.
 */
export class ComposerModel extends Store<ComposerState> {
  private editSeq = 0;
  private lintTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly connecting = new CancellableCall();
  /** Exchanges of the last send still waiting for their end. */
  private readonly pending = new Set<string>();
  /** Ends that overtook their send's result (events can arrive before the call returns). */
  private readonly endedEarly = new Set<string>();
  private readonly unsubscribes: Array<() => void> = [];
  private readonly now: () => number;
  private readonly lintDelayMs: number;

  constructor(
    private readonly client: Client,
    private readonly exchanges: HttpExchanges,
    options: ComposerOptions = {},
  ) {
    const text = initialText();
    super({
      text,
      lineEnding: 'crlf',
      edit: undefined,
      lint: lintText(text),
      targetMode: 'url',
      url: initialUrl,
      host: '127.0.0.1',
      port: '8080',
      tls: false,
      acceptSelfSigned: false,
      connection: 'new',
      connectDeadline: '10',
      responseDeadline: '30',
      syncContentLength: false,
      template: 'get',
      version: '1.1',
      phase: 'idle',
      connectWait: undefined,
      responseWait: undefined,
      lastSend: undefined,
      refusedCertificate: undefined,
      cookies: emptyCookieJar(),
      note: undefined,
      errors: {},
    });
    this.now = options.now ?? Date.now;
    this.lintDelayMs = options.lintDelayMs ?? 150;
    this.unsubscribes.push(
      exchanges.onResponse((latest) => {
        if (!latest.origin || fieldsNamed(latest.fields, 'Set-Cookie').length === 0) return;
        // The request's path decides a cookie's default Path (RFC 6265 §5.1.4), so it is part of the URL.
        const sent = this.exchanges.find(latest.exchangeId);
        const path = sent ? requestPath(sent.request) : '/';
        const stored = storeResponseCookies(this.state.cookies, `${latest.origin}${path}`, latest.fields, this.now());
        this.set({ ...this.state, cookies: stored.jar, note: stored.notes.join(' ') });
      }),
      client.on('http.progress', (payload) => {
        const wait = this.state.responseWait;
        if (wait && this.pending.has(payload.exchangeId)) {
          this.set({ ...this.state, responseWait: { ...wait, startedAt: this.now() } });
        }
      }),
      client.on('http.exchangeEnd', (payload) => this.exchangeEnded(payload.exchangeId)),
      client.on('http.connectionClosed', (payload) => {
        if (this.state.responseWait?.connectionId === payload.connectionId) this.stopWaiting();
      }),
    );
  }

  // ---- the text ----

  /** The editor reports the text as typed. With "keep in sync", Content-Length follows the body. */
  setText(text: string): void {
    let next = text;
    let edit = this.state.edit;
    if (this.state.syncContentLength && this.state.connection !== 'pipeline') {
      const synced = this.contentLengthEdit(text);
      if (synced?.ok && synced.text !== text) {
        next = synced.text;
        edit = { id: ++this.editSeq, base: text, change: synced.change, range: synced.range, undoable: false };
      }
    }
    // A helper's note describes the text before this edit: it goes with the next keystroke.
    this.set({ ...this.state, text: next, edit, note: undefined, errors: without(this.state.errors, 'text', 'send') });
    this.scheduleLint();
  }

  setLineEnding(lineEnding: EditorLineEnding): void {
    this.set({ ...this.state, lineEnding });
  }

  /** Replaces the text with a template for the current target (one undo step in the editor). */
  applyTemplate(
    kind: RequestTemplateKind = this.state.template,
    version: HttpVersionChoice = this.state.version,
  ): boolean {
    this.set({ ...this.state, template: kind, version });
    const target = this.target('template');
    if (!target) return false;
    const validators = this.exchanges.state.latest?.validators ?? {};
    const made = requestTemplate(kind, {
      url: `${target.url.origin}${target.url.path}`,
      version,
      ...(kind === 'conditional-get' ? validators : {}),
      now: new Date(this.now()),
    });
    if (!made.ok) {
      this.setError('template', controlError(made.message));
      return false;
    }
    const text = this.state.text;
    const note =
      kind === 'conditional-get' && !validators.etag && !validators.lastModified
        ? 'No response with Last-Modified or ETag yet: the conditional GET asks about now. Send a GET first, then use the template again.'
        : 'Template written into the editor (Ctrl+Z brings your text back).';
    return this.applyEdit(
      { ok: true, text: made.text, change: { from: 0, to: text.length, insert: made.text }, range: { from: 0, to: 0 } },
      'template',
      note,
    );
  }

  setTemplate(template: RequestTemplateKind): void {
    this.set({ ...this.state, template, errors: without(this.state.errors, 'template') });
  }

  setVersion(version: HttpVersionChoice): void {
    this.set({ ...this.state, version, errors: without(this.state.errors, 'template') });
  }

  // ---- helpers that write into the text where the user sees them ----

  hostFromTarget(): boolean {
    const target = this.target('helpers');
    if (!target) return false;
    return this.applyEdit(
      setHostFromUrl(this.state.text, target.url.origin),
      'helpers',
      `Host set to ${target.url.hostHeader}.`,
    );
  }

  /** The request line's target from the URL's path and query. */
  pathFromUrl(): boolean {
    const target = this.target('helpers');
    if (!target) return false;
    return this.applyEdit(
      setTargetFromUrl(this.state.text, `${target.url.origin}${target.url.path}`),
      'helpers',
      `Request target set to ${target.url.path}.`,
    );
  }

  contentLengthFromBody(): boolean {
    const result = setContentLengthFromBody(this.state.text);
    return this.applyEdit(
      result,
      'helpers',
      result.ok ? 'Content-Length set to the body’s length in bytes (UTF-8).' : '',
    );
  }

  setSyncContentLength(on: boolean): void {
    this.set({ ...this.state, syncContentLength: on, errors: without(this.state.errors, 'helpers') });
    if (on && this.state.connection === 'pipeline') {
      this.set({
        ...this.state,
        note: 'Content-Length is not kept in sync while pipelining: with several requests in the text, set each one yourself.',
      });
    } else if (on) this.contentLengthFromBody();
  }

  /** If-Modified-Since / If-None-Match from the last response's Last-Modified / ETag. */
  conditionalFromLastResponse(): boolean {
    const latest = this.exchanges.state.latest;
    if (!latest) {
      this.setError('helpers', controlError('No response yet: send a GET first, then make it conditional.'));
      return false;
    }
    const { lastModified, etag } = latest.validators;
    const names = [lastModified && 'If-Modified-Since', etag && 'If-None-Match'].filter(Boolean).join(' and ');
    return this.applyEdit(
      setConditionalHeaders(this.state.text, latest.validators),
      'helpers',
      `${names} copied from response #${this.exchanges.find(latest.exchangeId)?.seq ?? '?'}.`,
    );
  }

  /** Cookie from the cookies kept for this target (removes the header when there are none). */
  cookieFromJar(): boolean {
    const target = this.target('helpers');
    if (!target) return false;
    // Cookies match the path actually requested: the request line's, which may differ from the URL's.
    const path = requestPath(encoder.encode(this.state.text.slice(0, 8192)));
    const cookies = cookiesFor(this.state.cookies, `${target.url.origin}${path}`, this.now());
    return this.applyEdit(
      setCookieHeader(this.state.text, cookies),
      'helpers',
      cookies.length === 0
        ? `No cookies for ${target.url.origin}${path}: the Cookie header was removed (if there was one).`
        : `Cookie set from ${cookies.length} cookie${cookies.length === 1 ? '' : 's'} kept for ${target.url.origin}.`,
    );
  }

  /**
   * Every line ending the linter flags (a bare LF or a bare CR in a head) becomes CRLF,
   * as one visible change. Bodies are left alone: their bytes are the user's business.
   */
  fixLineEndings(): boolean {
    const text = this.state.text;
    const flagged = lintRequest(text)
      .filter((d) => (d.code === 'bare-lf' || d.code === 'bare-cr') && d.length === 1)
      .map((d) => d.offset)
      .sort((a, b) => a - b);
    if (flagged.length === 0) {
      this.set({ ...this.state, note: 'Every line ending is already CRLF: nothing to fix.' });
      return true;
    }
    const first = flagged[0] as number;
    const last = flagged.at(-1) as number;
    let insert = '';
    let at = first;
    for (const offset of flagged) {
      insert += `${text.slice(at, offset)}\r\n`;
      at = offset + 1;
    }
    const change = { from: first, to: last + 1, insert };
    return this.applyEdit(
      {
        ok: true,
        text: text.slice(0, first) + insert + text.slice(last + 1),
        change,
        range: { from: first, to: first + insert.length },
      },
      'helpers',
      `${flagged.length} bare line ending${flagged.length === 1 ? '' : 's'} made CRLF.`,
    );
  }

  /** Adds a GET for the same target after the text: two requests sent at once are pipelining. */
  appendRequest(): boolean {
    const target = this.target('helpers');
    if (!target) return false;
    const made = requestTemplate('get', { url: `${target.url.origin}${target.url.path}`, version: this.state.version });
    if (!made.ok) {
      this.setError('helpers', controlError(made.message));
      return false;
    }
    const text = this.state.text;
    const endsBlank = /(\r?\n|\r){2}$/.test(text) || text === '';
    if (!endsBlank) {
      this.setError(
        'helpers',
        controlError(
          'End the request first (its headers with an empty line, and its body if any), then add the next one.',
        ),
      );
      return false;
    }
    return this.applyEdit(
      {
        ok: true,
        text: text + made.text,
        change: { from: text.length, to: text.length, insert: made.text },
        range: { from: text.length, to: text.length + made.text.length },
      },
      'helpers',
      'Another request added after the first: with Send they go out together (pipelining).',
    );
  }

  // ---- target, connection, deadlines ----

  setTargetMode(targetMode: TargetMode): void {
    if (targetMode === this.state.targetMode) return;
    const errors = without(this.state.errors, 'url', 'host', 'port');
    if (targetMode === 'parts') {
      const parts = partsFromUrl(this.state.url);
      this.set({ ...this.state, targetMode, ...(parts ?? {}), errors });
    } else {
      const url = urlFromFields(this.state.host, this.state.port, this.state.tls);
      this.set({ ...this.state, targetMode, url: url ?? this.state.url, errors });
    }
  }

  /** Points the URL at the built-in web server and writes the matching Host into the text, both visibly. */
  targetBuiltInServer(url: string): boolean {
    this.set({
      ...this.state,
      targetMode: 'url',
      url,
      errors: without(this.state.errors, 'url', 'host', 'port', 'send'),
    });
    const done = this.hostFromTarget();
    if (done)
      this.set({ ...this.state, note: `Target set to the built-in web server, ${url}, and ${this.state.note ?? ''}` });
    return done;
  }

  setUrl(url: string): void {
    this.set({ ...this.state, url, errors: without(this.state.errors, 'url', 'send') });
  }

  setHost(host: string): void {
    this.set({ ...this.state, host, errors: without(this.state.errors, 'host', 'send') });
  }

  setPort(port: string): void {
    this.set({ ...this.state, port, errors: without(this.state.errors, 'port', 'send') });
  }

  setTls(tls: boolean): void {
    this.set({ ...this.state, tls, errors: without(this.state.errors, 'send') });
  }

  setAcceptSelfSigned(acceptSelfSigned: boolean): void {
    this.set({ ...this.state, acceptSelfSigned, errors: without(this.state.errors, 'send') });
  }

  setConnection(connection: ConnectionMode): void {
    this.set({ ...this.state, connection, errors: without(this.state.errors, 'send') });
  }

  setConnectDeadline(connectDeadline: string): void {
    this.set({ ...this.state, connectDeadline, errors: without(this.state.errors, 'connectDeadline') });
  }

  setResponseDeadline(responseDeadline: string): void {
    this.set({ ...this.state, responseDeadline, errors: without(this.state.errors, 'responseDeadline') });
  }

  /** "127.0.0.1:8080" for the fields as they stand, or undefined while they are not a valid target. */
  targetLabel(): string | undefined {
    const target = resolveTarget(this.state);
    return target.ok ? target.label : undefined;
  }

  // ---- cookies the user sees and edits ----

  /** The cookies kept for the current target's origin (all paths). */
  cookiesForTarget(): { origin: string | undefined; cookies: readonly StoredCookie[] } {
    const target = resolveTarget(this.state);
    if (!target.ok) return { origin: undefined, cookies: [] };
    return { origin: target.url.origin, cookies: this.state.cookies.origins[target.url.origin] ?? [] };
  }

  putCookie(input: { name: string; value: string; path?: string }): boolean {
    const target = this.target('cookies');
    if (!target) return false;
    const name = input.name.trim();
    const value = input.value.trim();
    if (!isToken(name)) {
      this.setError(
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
      this.setError(
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
      : { name, value, path, secure: false, httpOnly: false, expiresAt: null, createdAt: this.now() };
    this.set({
      ...this.state,
      cookies: putCookie(this.state.cookies, target.url.origin, cookie),
      note: `Cookie ${name}=${value} kept for ${target.url.origin}${path}. Use “Cookie from the list” to write it into the request.`,
      errors: without(this.state.errors, 'cookies'),
    });
    return true;
  }

  deleteCookie(name: string, path: string): void {
    const target = resolveTarget(this.state);
    if (!target.ok) return;
    this.set({
      ...this.state,
      cookies: deleteCookie(this.state.cookies, target.url.origin, name, path),
      note: `Cookie ${name} removed from the list for ${target.url.origin}.`,
      errors: without(this.state.errors, 'cookies'),
    });
  }

  // ---- sending ----

  /** Encodes the text as UTF-8 exactly as typed (broken requests included) and sends it. */
  async send(): Promise<SendOutcome> {
    if (this.state.phase === 'connecting') return 'failed';
    const target = this.target('send');
    const connect = parseSecondsField(this.state.connectDeadline, false);
    const response = parseSecondsField(this.state.responseDeadline, false);
    const errors: { [C in ComposerControl]?: ControlError } = {};
    if (!connect.ok) errors.connectDeadline = controlError(connect.message);
    if (!response.ok) errors.responseDeadline = controlError(response.message);
    const raw = encoder.encode(this.state.text);
    if (raw.length === 0) {
      errors.text = controlError(
        'The request is empty: type a request line (GET / HTTP/1.1), headers and an empty line.',
      );
    }
    if (
      !target ||
      !connect.ok ||
      !response.ok ||
      connect.ms === undefined ||
      response.ms === undefined ||
      raw.length === 0
    ) {
      this.set({ ...this.state, errors: { ...this.state.errors, ...errors } });
      return 'invalid';
    }
    const connectTimeoutMs = connect.ms;
    const responseTimeoutMs = response.ms;
    this.set({
      ...this.state,
      phase: 'connecting',
      connectWait: { startedAt: this.now(), timeoutMs: connectTimeoutMs },
      errors: {},
      note: undefined,
      // What the previous send did would read as this one's outcome.
      lastSend: undefined,
      refusedCertificate: undefined,
    });
    const outcome = await this.connecting.run((signal) =>
      this.client.call(
        'http.send',
        {
          target: target.send,
          raw,
          connection: this.state.connection === 'new' ? 'new' : 'keep',
          connectTimeoutMs,
          responseTimeoutMs,
        },
        { signal, timeoutMs: connectTimeoutMs + responseTimeoutMs + callGraceMs },
      ),
    );
    if (!outcome.ok) {
      const { error } = outcome;
      this.set({ ...this.state, phase: 'idle', connectWait: undefined });
      if (isCancelled(error)) {
        this.set({ ...this.state, note: `Connecting to ${target.label} was cancelled; nothing was sent.` });
        return 'failed';
      }
      const urlControl = this.state.targetMode === 'url' ? 'url' : 'host';
      const placed = placeError(error, 'send', {
        fields: {
          host: urlControl,
          port: this.state.targetMode === 'url' ? 'url' : 'port',
          connectTimeoutMs: 'connectDeadline',
          responseTimeoutMs: 'responseDeadline',
          raw: 'text',
        },
        codes: { E_DNS: urlControl },
      });
      if (placed.error.code !== 'E_BAD_REQUEST') {
        this.exchanges.trackFailure(
          { method: firstMethod(this.state.text), request: raw, target: target.label, origin: target.url.origin },
          placed.error,
        );
      }
      this.setError(placed.control, placed.error);
      if (placed.error.code === 'E_TLS_CERT')
        this.set({ ...this.state, refusedCertificate: refusedCertificate(error) });
      return 'failed';
    }
    const { result } = outcome;
    this.exchanges.trackSend(result, { raw, target: target.label, origin: target.url.origin });
    const waiting = result.exchanges.map((e) => e.exchangeId).filter((id) => !this.endedEarly.delete(id));
    this.pending.clear();
    for (const id of waiting) this.pending.add(id);
    this.set({
      ...this.state,
      phase: 'idle',
      connectWait: undefined,
      responseWait:
        waiting.length > 0
          ? { startedAt: this.now(), timeoutMs: responseTimeoutMs, connectionId: result.connectionId }
          : undefined,
      lastSend: {
        connectionId: result.connectionId,
        localPort: result.local.port,
        reused: result.reused,
        requests: result.exchanges.length,
        bytes: result.sentBytes,
        target: target.label,
        certificate: result.certificate,
      },
    });
    return 'sent';
  }

  /** The Cancel beside the connect countdown: nothing has been sent yet. */
  cancelConnect(): void {
    this.connecting.cancel();
  }

  /** The Cancel beside the response countdown: HTTP/1.1 can only stop a response by closing its connection. */
  async cancelResponse(): Promise<void> {
    const wait = this.state.responseWait;
    if (!wait) return;
    this.stopWaiting();
    try {
      await this.client.call('http.cancel', { connectionId: wait.connectionId });
      this.set({
        ...this.state,
        note: 'Stopped waiting: the connection was closed (HTTP/1.1 has no other way to stop a response).',
      });
    } catch (error) {
      this.setError('send', placeError(error, 'send').error);
    }
  }

  connectionLost(): void {
    this.connecting.cancel();
    this.stopWaiting();
    this.exchanges.connectionLost();
  }

  dispose(): void {
    if (this.lintTimer !== undefined) clearTimeout(this.lintTimer);
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
  }

  // ---- plumbing ----

  private exchangeEnded(exchangeId: string): void {
    if (!this.pending.delete(exchangeId)) {
      if (this.state.phase === 'connecting') {
        this.endedEarly.add(exchangeId);
        if (this.endedEarly.size > 1000) this.endedEarly.clear();
      }
      return;
    }
    if (this.pending.size === 0) this.stopWaiting();
  }

  private stopWaiting(): void {
    this.pending.clear();
    if (this.state.responseWait) this.set({ ...this.state, responseWait: undefined });
  }

  private target(control: ComposerControl) {
    const target = resolveTarget(this.state);
    if (target.ok) return target;
    const errors = { ...this.state.errors, [target.control]: controlError(target.message) };
    if (control !== 'send')
      errors[control] = controlError(
        `Fix the ${target.control === 'url' ? 'URL' : target.control === 'host' ? 'host' : 'port'} first: ${target.message}`,
      );
    this.set({ ...this.state, errors });
    return null;
  }

  private contentLengthEdit(text: string): EditResult | null {
    const body = requestBody(text);
    if (body === null) return null;
    const hasLength = /(^|\n)content-length[ \t]*:/i.test(text.slice(0, text.length - body.length));
    if (body === '' && !hasLength) return null;
    return setContentLengthFromBody(text);
  }

  private applyEdit(result: EditResult, control: ComposerControl, note: string): boolean {
    if (!result.ok) {
      this.setError(control, controlError(result.message));
      return false;
    }
    const base = this.state.text;
    if (result.text === base) {
      this.set({
        ...this.state,
        note: `${note} (It already said so: nothing changed.)`,
        errors: without(this.state.errors, control),
      });
      return true;
    }
    const edit: ModelEdit = { id: ++this.editSeq, base, change: result.change, range: result.range, undoable: true };
    this.set({ ...this.state, text: result.text, edit, note, errors: without(this.state.errors, control, 'text') });
    this.scheduleLint();
    return true;
  }

  private setError(control: ComposerControl, error: ControlError): void {
    this.set({ ...this.state, errors: { ...this.state.errors, [control]: error } });
  }

  private scheduleLint(): void {
    if (this.lintTimer !== undefined) clearTimeout(this.lintTimer);
    this.lintTimer = undefined;
    if (this.lintDelayMs <= 0) {
      this.lintNow();
      return;
    }
    this.lintTimer = setTimeout(() => {
      this.lintTimer = undefined;
      this.lintNow();
    }, this.lintDelayMs);
  }

  /** Lints the current text now (the view calls it before sending, so what is shown matches what goes out). */
  lintNow(): void {
    const { text } = this.state;
    if (this.state.lint.text === text) return;
    this.set({ ...this.state, lint: lintText(text) });
  }
}

function lintText(text: string): ComposerState['lint'] {
  const requests = text === '' ? 0 : parseRequests(encoder.encode(text)).messages.length;
  return { text, diagnostics: lintRequest(text), requests };
}

/** The origin-form target of a request line ("/a/b?x"), or "/" for anything else. */
function requestPath(request: Uint8Array): string {
  const firstLine = new TextDecoder().decode(request.subarray(0, Math.min(request.length, 8192))).split(/\r?\n/, 1)[0];
  const target = firstLine?.split(/[ \t]+/)[1] ?? '';
  return target.startsWith('/') ? target : '/';
}

function firstMethod(text: string): string {
  return /^\s*([^\s]+)/.exec(text)?.[1] ?? '';
}

/** The certificate a refused TLS connect carries in its error's details, if it is one. */
function refusedCertificate(error: unknown): TlsCertificate | undefined {
  if (!isPlaygroundError(error)) return undefined;
  const parsed = tlsCertificate.safeParse(error.details?.certificate);
  return parsed.success ? parsed.data : undefined;
}
