import { useId, useMemo, useRef } from 'react';
import { formatByteCount } from '../../../shared/bytes';
import { requestTemplateKinds, requestTemplateLabels } from '../../../shared/http/compose/templates';
import { Countdown } from '../../net/Countdown';
import { CheckboxField, ErrorText, SelectField, TextField } from '../../net/fields';
import { HostPortFields, SecondsField } from '../../net/TargetFields';
import { useStore } from '../../net/useStore';
import { CertificateFacts } from '../../smtp/client/StepCard';
import { ConversationActions } from '../../conversation/ConversationActions';
import { httpSource } from '../../conversation/httpSource';
import { ComposerCookies } from './Cookies';
import { ComposerLint } from './Lint';
import type { ComposerState, HttpVersionChoice } from './composerState';
import type { ComposerModel } from './model';
import { connectionModeLabels, connectionModes, connectionModeWords } from './send';
import { RawRequestEditor, type RawRequestEditorHandle } from './editor/RawRequestEditor';
import type { WebServerModel } from '../server/model';

const versionLabels: Record<HttpVersionChoice, string> = { '1.1': 'HTTP/1.1', '1.0': 'HTTP/1.0' };
const versions: readonly HttpVersionChoice[] = ['1.1', '1.0'];

/**
 * The request side of the HTTP page: where to send, the raw request exactly as it
 * goes out (with templates and helpers that write into it visibly), what the linter
 * thinks of it, how the connection is used, and Send with its visible deadlines.
 */
export function ComposerView({
  model,
  webServer,
  onShowServer,
}: {
  model: ComposerModel;
  webServer?: WebServerModel | undefined;
  /** Brings the built-in web server's panel into view (it sits elsewhere on the page). */
  onShowServer?: (() => void) | undefined;
}) {
  const state = useStore(model);
  const source = useMemo(() => httpSource(model), [model]);
  const headingId = useId();
  const editor = useRef<RawRequestEditorHandle | null>(null);
  const send = () => {
    model.lintNow();
    void model.send();
  };
  return (
    <section className="panel http-composer" aria-labelledby={headingId}>
      <div className="panel-head">
        <h2 id={headingId}>Request</h2>
      </div>
      <p className="panel-intro">
        The target says where to connect; what goes out is exactly the text in the editor, byte for byte.
      </p>
      <TargetFields model={model} state={state} onEnter={send} />
      {webServer && <BuiltInServerShortcut model={model} webServer={webServer} onShowServer={onShowServer} />}

      <div className="composer-toolbar">
        <div className="composer-templates">
          <SelectField
            label="Template"
            value={state.template}
            options={requestTemplateKinds}
            labels={requestTemplateLabels}
            onChange={(kind) => model.setTemplate(kind)}
          />
          <SelectField
            label="Version"
            value={state.version}
            options={versions}
            labels={versionLabels}
            onChange={(version) => model.setVersion(version)}
          />
          <button type="button" onClick={() => model.applyTemplate()}>
            Write template
          </button>
        </div>
        <ErrorText error={state.errors.template} />
      </div>

      <div className="composer-editor-head">
        <span className="composer-editor-label" aria-hidden="true">
          Raw request
        </span>
        <fieldset className="segmented composer-line-ending">
          <legend>Enter writes</legend>
          <label>
            <input
              type="radio"
              name={`${headingId}-ending`}
              checked={state.lineEnding === 'crlf'}
              onChange={() => model.setLineEnding('crlf')}
            />
            CRLF (\r\n)
          </label>
          <label>
            <input
              type="radio"
              name={`${headingId}-ending`}
              checked={state.lineEnding === 'lf'}
              onChange={() => model.setLineEnding('lf')}
            />
            LF only (\n)
          </label>
        </fieldset>
        <ByteCount text={state.text} />
      </div>
      <RawRequestEditor
        text={state.text}
        onChange={(text) => model.setText(text)}
        lineEnding={state.lineEnding}
        diagnostics={state.lint.diagnostics}
        diagnosticsText={state.lint.text}
        edit={state.edit}
        handle={editor}
        onSubmit={send}
        persistKey={model}
      />
      <ErrorText error={state.errors.text} />
      <ComposerLint
        diagnostics={state.lint.diagnostics}
        stale={state.lint.text !== state.text}
        requests={state.lint.requests}
        editor={editor}
        onFix={(finding) => {
          if (finding.code === 'host-differs-from-url') model.hostFromTarget();
          else if (finding.code === 'target-differs-from-url') model.pathFromUrl();
        }}
      />
      <ConversationActions source={source} />
      <div className="composer-helper-bar">
        <fieldset className="composer-helpers">
          <legend>Write into the request</legend>
          <button type="button" onClick={() => model.hostFromTarget()}>
            Host from target
          </button>
          {state.targetMode === 'url' && (
            <button type="button" onClick={() => model.pathFromUrl()}>
              Path from URL
            </button>
          )}
          <button type="button" onClick={() => model.contentLengthFromBody()}>
            Content-Length from body
          </button>
          <button
            type="button"
            onClick={() => model.conditionalFromLastResponse()}
            title="If-Modified-Since and If-None-Match from the last response’s Last-Modified and ETag"
          >
            Conditional from last response
          </button>
          <button type="button" onClick={() => model.cookieFromJar()}>
            Cookie from the list
          </button>
          {state.lint.diagnostics.some((d) => d.code === 'bare-lf' || d.code === 'bare-cr') && (
            <button type="button" onClick={() => model.fixLineEndings()}>
              Bare line endings → CRLF
            </button>
          )}
          {state.connection === 'pipeline' && (
            <button type="button" onClick={() => model.appendRequest()}>
              Add another GET
            </button>
          )}
          <CheckboxField
            label="Keep Content-Length in sync with the body"
            checked={state.syncContentLength}
            onChange={(on) => model.setSyncContentLength(on)}
          />
        </fieldset>
        <ErrorText error={state.errors.helpers} />
        {state.note && (
          <p className="composer-note" role="status">
            {state.note}
          </p>
        )}
      </div>

      <ConnectionFields model={model} state={state} />

      <div className="actions composer-send">
        <button type="button" className="primary" onClick={send} disabled={state.phase === 'connecting'}>
          Send
        </button>
        <span className="action-hint">
          {state.lint.requests > 1
            ? `${state.lint.requests} requests go out at once (pipelining)`
            : 'Ctrl+Enter in the editor sends too'}
        </span>
      </div>
      <ErrorText error={state.errors.send} />
      {state.errors.send && state.refusedCertificate && (
        <div className="composer-refused-certificate">
          <p>The certificate the server offered:</p>
          <CertificateFacts certificate={state.refusedCertificate} />
        </div>
      )}
      {state.connectWait && (
        <Countdown
          label={`Connecting to ${model.targetLabel() ?? 'the server'}…`}
          wait={state.connectWait}
          onCancel={() => model.cancelConnect()}
        />
      )}
      {state.responseWait && (
        <Countdown
          label="Waiting for the response (every byte that arrives restarts the deadline)"
          wait={state.responseWait}
          onCancel={() => void model.cancelResponse()}
          cancelLabel="Stop waiting"
        />
      )}
      {state.lastSend && <LastSendFacts state={state} />}
      <ComposerCookies model={model} />
    </section>
  );
}

function TargetFields({ model, state, onEnter }: { model: ComposerModel; state: ComposerState; onEnter: () => void }) {
  const id = useId();
  return (
    <div className="composer-target">
      <fieldset className="segmented">
        <legend>Target</legend>
        <label>
          <input
            type="radio"
            name={`${id}-mode`}
            checked={state.targetMode === 'url'}
            onChange={() => model.setTargetMode('url')}
          />
          URL
        </label>
        <label>
          <input
            type="radio"
            name={`${id}-mode`}
            checked={state.targetMode === 'parts'}
            onChange={() => model.setTargetMode('parts')}
          />
          Host, port and TLS
        </label>
      </fieldset>
      {state.targetMode === 'url' ? (
        <div className="field-row">
          <TextField
            label="URL"
            className="field-grow"
            value={state.url}
            onChange={(url) => model.setUrl(url)}
            error={state.errors.url}
            onEnter={onEnter}
            placeholder="http://127.0.0.1:8080/"
          />
        </div>
      ) : (
        <HostPortFields model={model} state={state} onEnter={onEnter}>
          <CheckboxField label="TLS (https)" checked={state.tls} onChange={(tls) => model.setTls(tls)} />
        </HostPortFields>
      )}
      <CheckboxField
        label="Accept a self-signed certificate (https)"
        checked={state.acceptSelfSigned}
        onChange={(on) => model.setAcceptSelfSigned(on)}
      />
    </div>
  );
}

/** One click from a running built-in server to a request aimed at it. */
function BuiltInServerShortcut({
  model,
  webServer,
  onShowServer,
}: {
  model: ComposerModel;
  webServer: WebServerModel;
  onShowServer: (() => void) | undefined;
}) {
  const server = useStore(webServer);
  if (server.phase !== 'running' || !server.local) {
    if (!onShowServer) return null;
    return (
      <p className="composer-builtin">
        No server to talk to?{' '}
        <button type="button" className="link-button" onClick={onShowServer}>
          Go to the built-in web server
        </button>
      </p>
    );
  }
  const { address, port } = server.local;
  const host = address === '0.0.0.0' ? '127.0.0.1' : address === '::' ? '::1' : address;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;
  return (
    <p className="composer-builtin">
      <button type="button" onClick={() => model.targetBuiltInServer(url)}>
        Use the built-in web server
      </button>{' '}
      <span className="mono">{url}</span>
    </p>
  );
}

function ConnectionFields({ model, state }: { model: ComposerModel; state: ComposerState }) {
  const id = useId();
  return (
    <div className="composer-connection">
      <fieldset className="composer-connection-modes">
        <legend>Connection</legend>
        {connectionModes.map((mode) => (
          <label key={mode}>
            <input
              type="radio"
              name={`${id}-connection`}
              checked={state.connection === mode}
              onChange={() => model.setConnection(mode)}
            />
            {connectionModeLabels[mode]}
          </label>
        ))}
      </fieldset>
      <div className="field-row">
        <SecondsField
          label="Connect deadline (s)"
          value={state.connectDeadline}
          onChange={(value) => model.setConnectDeadline(value)}
          error={state.errors.connectDeadline}
        />
        <SecondsField
          label="Reply deadline (s)"
          value={state.responseDeadline}
          onChange={(value) => model.setResponseDeadline(value)}
          error={state.errors.responseDeadline}
        />
      </div>
    </div>
  );
}

function LastSendFacts({ state }: { state: ComposerState }) {
  const sent = state.lastSend;
  if (!sent) return null;
  return (
    <div className="composer-last-send">
      <p>
        Sent {sent.requests === 1 ? 'one request' : `${sent.requests} requests at once (pipelined)`} (
        {formatByteCount(sent.bytes)}) to {sent.target} {sent.reused ? reusedConnection(sent) : 'on a new connection'}{' '}
        from local port <span className="mono">{sent.localPort}</span>.
      </p>
      {sent.certificate && <CertificateFacts certificate={sent.certificate} />}
    </div>
  );
}

/** Which open connection a send went on, and what it was opened for: pipelining may reuse a persistent one. */
function reusedConnection(sent: NonNullable<ComposerState['lastSend']>): string {
  const opened = sent.connection?.openedFor;
  if (!sent.connection || !opened) return 'on the connection already open';
  const mode = opened.mode ? ` in ${connectionModeWords[opened.mode]} mode` : '';
  return `on connection ${sent.connection.seq}, opened earlier${mode} (request #${opened.seq}) and still open`;
}

function ByteCount({ text }: { text: string }) {
  // TextEncoder on every keystroke of a large body would be waste: count UTF-8 bytes directly.
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return <span className="composer-bytes">{formatByteCount(bytes)} as UTF-8</span>;
}
