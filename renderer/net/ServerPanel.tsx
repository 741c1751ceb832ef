import { type ReactNode, useId } from 'react';
import { TranscriptView } from '../transcript/TranscriptView';
import { ErrorText, SelectField, TextField } from './fields';
import { formatSocketAddress } from './format';
import { bindChoices, isAllInterfaces, type ServerModel } from './serverModel';
import { useStore } from './useStore';

const bindValues = bindChoices.map((choice) => choice.value);
const bindLabels = Object.fromEntries(bindChoices.map((choice) => [choice.value, choice.label]));

interface ServerPanelProps<Mode extends string, Counters, Entry> {
  protocol: 'UDP' | 'TCP';
  model: ServerModel<Mode, Counters, Entry>;
  modes: readonly Mode[];
  modeLabels: Readonly<Record<Mode, string>>;
  /** Protocol-specific options below the mode. */
  options?: ReactNode;
  counters: (counters: Counters) => ReadonlyArray<readonly [string, string]>;
  explanation: ReactNode;
}

/**
 * A built-in server beside the clients: its own Port (12000 by default), where it
 * listens (127.0.0.1 unless the user chooses all interfaces, which is warned about),
 * its mode, Start/Stop, counters and the "Server log".
 */
export function ServerPanel<Mode extends string, Counters, Entry>(props: ServerPanelProps<Mode, Counters, Entry>) {
  const { model, protocol } = props;
  const state = useStore(model);
  const headingId = useId();
  const locked = state.phase !== 'stopped';
  const allInterfaces = isAllInterfaces(state.bindAddress);
  return (
    <section className="panel server-panel" aria-labelledby={headingId}>
      <div className="panel-head">
        <h2 id={headingId}>{protocol} server</h2>
        <span className={`pill is-${state.phase}`}>{phaseLabel(state.phase)}</span>
      </div>
      <p className="panel-intro">{props.explanation}</p>
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
      <SelectField<Mode>
        label="Mode"
        value={state.mode}
        options={props.modes}
        labels={props.modeLabels}
        onChange={(mode) => model.setMode(mode)}
        disabled={locked}
        error={state.errors.mode}
      />
      {props.options}
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
        {state.local && (
          <span className="action-hint">
            Listening on <span className="mono">{formatSocketAddress(state.local)}</span>
          </span>
        )}
      </div>
      <ErrorText error={state.errors.start} />
      <ErrorText error={state.errors.stop} />
      {state.counters && (
        <dl className="counters">
          {props.counters(state.counters).map(([name, value]) => (
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
        emptyText="Start the server: its sockets, every client and every byte it reads and writes appear here."
      />
    </section>
  );
}

function phaseLabel(phase: 'stopped' | 'starting' | 'running' | 'stopping'): string {
  return { stopped: 'stopped', starting: 'starting…', running: 'running', stopping: 'stopping…' }[phase];
}
