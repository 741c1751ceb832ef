import { useId } from 'react';
import { CheckboxField, ErrorText, SelectField, TextField } from '../net/fields';
import { formatSocketAddress } from '../net/format';
import { bindChoices, isAllInterfaces } from '../net/serverModel';
import { useStore } from '../net/useStore';
import { TranscriptView } from '../transcript/TranscriptView';
import { type WebServerModel, webServerCounterRows } from './webServerModel';
import '../net/net.css';
import './webServer.css';

const bindValues = bindChoices.map((choice) => choice.value);
const bindLabels = Object.fromEntries(bindChoices.map((choice) => [choice.value, choice.label]));

const phaseLabels = { stopped: 'stopped', starting: 'starting…', running: 'running', stopping: 'stopping…' } as const;

/**
 * The built-in web server: a peer to practise HTTP against. Folder (empty serves the
 * bundled sample site), Port, where it listens, the Set-Cookie demo, Start/Stop,
 * counters, and the "Server log": every connection, each request's raw bytes with its
 * number on its connection, and the response head that answered it.
 */
export function WebServerPanel({ model }: { model: WebServerModel }) {
  const state = useStore(model);
  const settings = useStore(model.settings);
  const headingId = useId();
  const locked = state.phase !== 'stopped';
  const allInterfaces = isAllInterfaces(state.bindAddress);
  const url = state.local ? `http://${formatSocketAddress(state.local)}/` : undefined;
  return (
    <section className="panel server-panel web-server-panel" aria-labelledby={headingId}>
      <div className="panel-head">
        <h2 id={headingId}>Web server</h2>
        <span className={`pill is-${state.phase}`}>{phaseLabels[state.phase]}</span>
      </div>
      <p className="panel-intro">
        Serves a folder with GET and HEAD: 200 with Last-Modified and ETag, 304 for a conditional GET, 400, 404, 405 and
        505. Persistent connections stay open; the log numbers the requests on each one.
      </p>
      <TextField
        label="Folder"
        className="field-grow"
        value={settings.folder}
        placeholder="the sample site (a page with four images)"
        hint="Empty serves the bundled sample site. Nothing outside the folder is ever served."
        onChange={(folder) => model.setFolder(folder)}
        onEnter={() => void model.start()}
        disabled={locked}
        error={settings.folderError}
      />
      <div className="field-row">
        <TextField
          label="Port"
          className="field-port"
          inputMode="numeric"
          value={state.port}
          onChange={(port) => model.setPort(port)}
          onEnter={() => void model.start()}
          disabled={locked}
          error={state.errors.port}
        />
        <SelectField
          label="Listen on"
          className="field-grow"
          value={state.bindAddress}
          options={bindValues}
          labels={bindLabels}
          onChange={(value) => model.setBindAddress(value)}
          disabled={locked}
          error={state.errors.bindAddress}
        />
      </div>
      <CheckboxField
        label={
          <>
            Set-Cookie demo at <span className="mono">/cookie</span> (a visit counter kept by the browser)
          </>
        }
        checked={state.flags.cookieDemo ?? true}
        onChange={(on) => model.setCookieDemo(on)}
        disabled={locked}
      />
      {(state.warning || (allInterfaces && state.phase === 'stopped')) && (
        <p className="warning" role="note">
          <strong>All interfaces: </strong>
          {state.warning ??
            'other machines on the network will be able to reach this server. Use it for a lab where students connect to your machine, and stop it afterwards.'}
        </p>
      )}
      <div className="actions">
        {state.phase === 'running' || state.phase === 'stopping' ? (
          <button type="button" onClick={() => void model.stop()} disabled={state.phase === 'stopping'}>
            Stop
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            onClick={() => void model.start()}
            disabled={state.phase === 'starting'}
          >
            Start
          </button>
        )}
        {url && (
          <span className="action-hint">
            Serving at <span className="mono">{url}</span>
          </span>
        )}
      </div>
      {state.phase === 'running' && settings.served && (
        <p className="web-server-folder">
          {settings.served.sampleSite ? 'The sample site, from ' : 'Folder '}
          <span className="mono">{settings.served.folder}</span>
        </p>
      )}
      <ErrorText error={state.errors.start} />
      <ErrorText error={state.errors.stop} />
      {state.counters && (
        <dl className="counters" aria-label="Web server counters">
          {webServerCounterRows(state.counters).map(([name, value]) => (
            <div key={name}>
              <dt>{name}</dt>
              <dd className="mono">{value}</dd>
            </div>
          ))}
        </dl>
      )}
      <TranscriptView
        model={model.log}
        label="Server log"
        emptyText="Start the server, then send it a request: each connection, the request's exact bytes (CR and LF shown) and the response line appear here."
      />
    </section>
  );
}
