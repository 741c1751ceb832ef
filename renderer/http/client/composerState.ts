import type { TlsCertificate } from '../../../shared/net/contract';
import type { CookieJar } from '../../../shared/http/cookies';
import type { LintDiagnostic } from '../../../shared/http/compose/lintRequest';
import type { RequestTemplateKind } from '../../../shared/http/compose/templates';
import type { ControlError, ControlErrors } from '../../net/errors';
import type { Wait } from '../../net/session';
import type { EditorLineEnding, ModelEdit } from './editor/RawRequestEditor';

/**
 * What the HTTP composer shows, as one plain state: the draft text, the target, the
 * send, the cookie list. Each part of ComposerModel (draft.ts, target.ts, send.ts,
 * cookieList.ts) keeps its own fields; they share one state so the view reads one store
 * and an error or note from any part lands in the same place.
 */

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

/** How the user names where requests go: one URL, or host + port + TLS. */
export type TargetMode = 'url' | 'parts';

export interface TargetFields {
  readonly targetMode: TargetMode;
  readonly url: string;
  readonly host: string;
  readonly port: string;
  readonly tls: boolean;
  readonly acceptSelfSigned: boolean;
}

export type HttpVersionChoice = '1.1' | '1.0';

export interface DraftFields {
  readonly text: string;
  readonly lineEnding: EditorLineEnding;
  /** The last change the model made to the text, for the editor to apply (and undo) as one step. */
  readonly edit: ModelEdit | undefined;
  /** The linter's findings for `text` (a little behind while typing), and how many requests it holds. */
  readonly lint: { readonly text: string; readonly diagnostics: readonly LintDiagnostic[]; readonly requests: number };
  readonly syncContentLength: boolean;
  readonly template: RequestTemplateKind;
  readonly version: HttpVersionChoice;
}

/**
 * 'new': a connection per send, closed after the response (non-persistent).
 * 'keep': the next send goes on the same open connection (persistent).
 * 'pipeline': every request in the text goes out at once on one kept connection.
 */
export type ConnectionMode = 'new' | 'keep' | 'pipeline';

export interface LastSend {
  readonly connectionId: string;
  readonly localPort: number;
  readonly reused: boolean;
  readonly requests: number;
  readonly bytes: number;
  readonly target: string;
  readonly certificate: TlsCertificate | undefined;
}

export interface SendFields {
  readonly connection: ConnectionMode;
  /** Seconds as typed. */
  readonly connectDeadline: string;
  readonly responseDeadline: string;
  readonly phase: 'idle' | 'connecting';
  readonly connectWait: Wait | undefined;
  /** Waiting for responses to the last send; restarted by every byte that arrives, as on the Node side. */
  readonly responseWait: (Wait & { readonly connectionId: string }) | undefined;
  readonly lastSend: LastSend | undefined;
  /** The certificate a TLS connect refused (shown with the send error, so the user can judge it before accepting). */
  readonly refusedCertificate: TlsCertificate | undefined;
}

/** Its target (a URL, or host, port and TLS) is what `resolveTarget` reads. */
export interface ComposerState extends TargetFields, DraftFields, SendFields {
  /** Cookies per origin, from Set-Cookie and the user's own edits. */
  readonly cookies: CookieJar;
  /** What the last helper or cookie update did, in words. */
  readonly note: string | undefined;
  readonly errors: ControlErrors<ComposerControl>;
}

/** The composer's one state as its parts reach it: ComposerModel alone may write it. */
export interface ComposerStore {
  readonly state: ComposerState;
  set(next: ComposerState): void;
  setError(control: ComposerControl, error: ControlError): void;
  /** Wall clock for countdowns and cookie expiry. */
  readonly now: () => number;
}
