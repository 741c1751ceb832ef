import { useId } from 'react';
import { ChooseFolderButton } from '../../net/ChooseFolderButton';
import { CheckboxField, ErrorText, TextField } from '../../net/fields';
import { formatSocketAddress } from '../../net/format';
import { LinkBadge, LinkFields } from '../../net/LinkFields';
import { ListenFields, ServerCounters, ServerHeading, StartStop } from '../../net/ServerControls';
import { useStore } from '../../net/useStore';
import { TranscriptView } from '../../transcript/TranscriptView';
import type { WebServerTimeouts } from '../../../shared/http/server/contract';
import { type WebServerModel, webServerCounterRows } from './model';
import '../../net/net.css';
import './webServer.css';

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
  const url = state.local ? `http://${formatSocketAddress(state.local)}/` : undefined;
  return (
    <section className="panel server-panel web-server-panel" aria-labelledby={headingId}>
      <ServerHeading id={headingId} title="Web server" phase={state.phase}>
        <LinkBadge model={model.link} />
      </ServerHeading>
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
        action={
          model.folders && (
            <ChooseFolderButton chooser={model.folders} onChoose={() => void model.chooseFolder()} disabled={locked} />
          )
        }
      />
      <ListenFields model={model} state={state} />
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
      <CheckboxField
        label={
          <>
            Answer only this computer&apos;s own names in <span className="mono">Host</span> (IP addresses,{' '}
            <span className="mono">localhost</span>, its name): others get 421, so no website can point its name here
            (DNS rebinding) and read the folder through a browser
          </>
        }
        checked={state.flags.checkHost ?? true}
        onChange={(on) => model.setCheckHost(on)}
        disabled={locked}
      />
      <TimeLimits timeouts={settings.timeouts} />
      <LinkFields model={model.link} protocol="TCP" />
      <StartStop model={model} state={state}>
        {url && (
          <span className="action-hint">
            Serving at <span className="mono">{url}</span>
          </span>
        )}
      </StartStop>
      {state.phase === 'running' && settings.served && (
        <ServedFolder folder={settings.served.folder} sampleSite={settings.served.sampleSite} />
      )}
      <ErrorText error={state.errors.start} />
      <ErrorText error={state.errors.stop} />
      {state.counters && <ServerCounters rows={webServerCounterRows(state.counters)} label="Web server counters" />}
      <TranscriptView
        model={model.log}
        label="Server log"
        emptyText="Start the server, then send it a request: each connection, the request's exact bytes (CR and LF shown) and the response line appear here."
      />
    </section>
  );
}

/** The server's time limits, as facts: what a typing student gets, and why a slowloris cannot lock others out. */
function TimeLimits({ timeouts }: { timeouts: WebServerTimeouts }) {
  const s = (ms: number) => `${ms / 1000} s`;
  return (
    <p className="web-server-limits">
      Time limits: the request head within {s(timeouts.headersTimeoutMs)} (time enough to type a request by hand in
      telnet or nc), the whole request within {s(timeouts.requestTimeoutMs)} (else 408), an idle persistent connection
      closed after {s(timeouts.keepAliveTimeoutMs)}; checked every {s(timeouts.connectionsCheckingIntervalMs)}. When
      every connection slot is taken, a new connection closes the one that has waited longest without a complete request
      head, so slow clients cannot lock others out.
    </p>
  );
}

/** What is served: the sample site by name (its path only on demand: it is the app's own), or the chosen folder. */
function ServedFolder({ folder, sampleSite }: { folder: string; sampleSite: boolean }) {
  if (!sampleSite)
    return (
      <p className="web-server-folder">
        Serving folder <span className="mono">{folder}</span>
      </p>
    );
  return (
    <details className="web-server-folder">
      <summary>Serving the sample site</summary>
      <span className="mono">{folder}</span>
    </details>
  );
}
