import {
  type EditResult,
  requestBody,
  setConditionalHeaders,
  setContentLengthFromBody,
  setCookieHeader,
  setHostFromUrl,
  setTargetFromUrl,
} from '../../../shared/http/compose/editRequest';
import { lintRequest } from '../../../shared/http/compose/lintRequest';
import { type RequestTemplateKind, requestTemplate } from '../../../shared/http/compose/templates';
import { cookiesFor } from '../../../shared/http/cookies';
import { parseRequests } from '../../../shared/http/parse/collect';
import { controlError } from '../../net/errors';
import { without } from '../../net/session';
import type { ComposerControl, ComposerState, ComposerStore, DraftFields, HttpVersionChoice } from './composerState';
import type { HttpExchanges } from './exchanges';
import type { EditorLineEnding, ModelEdit } from './editor/RawRequestEditor';
import { type ComposerTarget, initialUrl } from './target';

const encoder = new TextEncoder();

export function initialDraft(): DraftFields {
  const template = requestTemplate('get', { url: initialUrl });
  const text = template.ok ? template.text : 'GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n';
  return {
    text,
    lineEnding: 'crlf',
    edit: undefined,
    lint: lintText(text),
    syncContentLength: false,
    template: 'get',
    version: '1.1',
  };
}

/**
 * The raw request text exactly as it will be sent, and everything that writes into it:
 * templates and helpers make one visible change each (never at send time), which the
 * editor applies as one undo step; the linter follows a pause in typing.
 */
export class ComposerDraft {
  private editSeq = 0;
  private lintTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly store: ComposerStore,
    private readonly target: ComposerTarget,
    private readonly exchanges: HttpExchanges,
    /** Linting waits for a pause in typing this long (0: lint at once, for tests). */
    private readonly lintDelayMs: number,
  ) {}

  /** The composer's one state, as it is now. */
  private get state(): ComposerState {
    return this.store.state;
  }

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
    this.store.set({
      ...this.state,
      text: next,
      edit,
      note: undefined,
      errors: without(this.state.errors, 'text', 'send'),
    });
    this.scheduleLint();
  }

  setLineEnding(lineEnding: EditorLineEnding): void {
    this.store.set({ ...this.state, lineEnding });
  }

  /** Replaces the text with a template for the current target (one undo step in the editor). */
  applyTemplate(
    kind: RequestTemplateKind = this.state.template,
    version: HttpVersionChoice = this.state.version,
  ): boolean {
    this.store.set({ ...this.state, template: kind, version });
    const target = this.target.resolve('template');
    if (!target) return false;
    const validators = this.exchanges.state.latest?.validators ?? {};
    const made = requestTemplate(kind, {
      url: `${target.url.origin}${target.url.path}`,
      version,
      ...(kind === 'conditional-get' ? validators : {}),
      now: new Date(this.store.now()),
    });
    if (!made.ok) {
      this.store.setError('template', controlError(made.message));
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
    this.store.set({ ...this.state, template, errors: without(this.state.errors, 'template') });
  }

  setVersion(version: HttpVersionChoice): void {
    this.store.set({ ...this.state, version, errors: without(this.state.errors, 'template') });
  }

  // ---- helpers that write into the text where the user sees them ----

  hostFromTarget(): boolean {
    const target = this.target.resolve('helpers');
    if (!target) return false;
    return this.applyEdit(
      setHostFromUrl(this.state.text, target.url.origin),
      'helpers',
      `Host set to ${target.url.hostHeader}.`,
    );
  }

  /** The request line's target from the URL's path and query. */
  pathFromUrl(): boolean {
    const target = this.target.resolve('helpers');
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
    this.store.set({ ...this.state, syncContentLength: on, errors: without(this.state.errors, 'helpers') });
    if (on && this.state.connection === 'pipeline') {
      this.store.set({
        ...this.state,
        note: 'Content-Length is not kept in sync while pipelining: with several requests in the text, set each one yourself.',
      });
    } else if (on) this.contentLengthFromBody();
  }

  /** If-Modified-Since / If-None-Match from the last response's Last-Modified / ETag. */
  conditionalFromLastResponse(): boolean {
    const latest = this.exchanges.state.latest;
    if (!latest) {
      this.store.setError('helpers', controlError('No response yet: send a GET first, then make it conditional.'));
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
    const target = this.target.resolve('helpers');
    if (!target) return false;
    // Cookies match the path actually requested: the request line's, which may differ from the URL's.
    const path = requestPath(encoder.encode(this.state.text.slice(0, 8192)));
    const cookies = cookiesFor(this.state.cookies, `${target.url.origin}${path}`, this.store.now());
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
      this.store.set({ ...this.state, note: 'Every line ending is already CRLF: nothing to fix.' });
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
    const target = this.target.resolve('helpers');
    if (!target) return false;
    const made = requestTemplate('get', {
      url: `${target.url.origin}${target.url.path}`,
      version: this.state.version,
    });
    if (!made.ok) {
      this.store.setError('helpers', controlError(made.message));
      return false;
    }
    const text = this.state.text;
    const endsBlank = /(\r?\n|\r){2}$/.test(text) || text === '';
    if (!endsBlank) {
      this.store.setError(
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

  private contentLengthEdit(text: string): EditResult | null {
    const body = requestBody(text);
    if (body === null) return null;
    const hasLength = /(^|\n)content-length[ \t]*:/i.test(text.slice(0, text.length - body.length));
    if (body === '' && !hasLength) return null;
    return setContentLengthFromBody(text);
  }

  private applyEdit(result: EditResult, control: ComposerControl, note: string): boolean {
    if (!result.ok) {
      this.store.setError(control, controlError(result.message));
      return false;
    }
    const base = this.state.text;
    if (result.text === base) {
      this.store.set({
        ...this.state,
        note: `${note} (It already said so: nothing changed.)`,
        errors: without(this.state.errors, control),
      });
      return true;
    }
    const edit: ModelEdit = { id: ++this.editSeq, base, change: result.change, range: result.range, undoable: true };
    this.store.set({
      ...this.state,
      text: result.text,
      edit,
      note,
      errors: without(this.state.errors, control, 'text'),
    });
    this.scheduleLint();
    return true;
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
    this.store.set({ ...this.state, lint: lintText(text) });
  }

  dispose(): void {
    if (this.lintTimer !== undefined) clearTimeout(this.lintTimer);
  }
}

function lintText(text: string): DraftFields['lint'] {
  const requests = text === '' ? 0 : parseRequests(encoder.encode(text)).messages.length;
  return { text, diagnostics: lintRequest(text), requests };
}

/** The origin-form target of a request line ("/a/b?x"), or "/" for anything else. */
export function requestPath(request: Uint8Array): string {
  const firstLine = new TextDecoder().decode(request.subarray(0, Math.min(request.length, 8192))).split(/\r?\n/, 1)[0];
  const target = firstLine?.split(/[ \t]+/)[1] ?? '';
  return target.startsWith('/') ? target : '/';
}
