import type { ReactNode } from 'react';
import type { SocketAddress } from '../../shared/net/contract';
import { SelectField } from './fields';
import { formatSocketAddress } from './format';
import { PortField } from './TargetFields';
import { bindChoices, isAllInterfaces, type ServerModel, type ServerState } from './serverModel';

/**
 * The pieces every built-in server panel (TCP, UDP, web, mail) shows the same way: the
 * heading with its phase, the Port and "Listen on" row, the all-interfaces warning with
 * Start/Stop, and the counters. Each panel places them among its own options.
 */

const bindValues = bindChoices.map((choice) => choice.value);
const bindLabels = Object.fromEntries(bindChoices.map((choice) => [choice.value, choice.label]));

type Phase = ServerState<string, unknown>['phase'];
type ListenState = Pick<ServerState<string, unknown>, 'port' | 'bindAddress' | 'phase' | 'warning' | 'errors'>;
/** What the controls call on any server model. */
type ListenModel = Pick<ServerModel<string, unknown, unknown>, 'setPort' | 'setBindAddress' | 'start' | 'stop'>;

const phaseLabels: Readonly<Record<Phase, string>> = {
  stopped: 'stopped',
  starting: 'starting…',
  running: 'running',
  stopping: 'stopping…',
};

/** The panel's heading (its region's name, through `id`) and a pill saying whether it runs. */
export function ServerHeading(props: { id: string; title: string; phase: Phase; children?: ReactNode }) {
  const { id, title, phase } = props;
  return (
    <div className="panel-head">
      <h2 id={id}>{title}</h2>
      <span className={`pill is-${phase}`}>{phaseLabels[phase]}</span>
      {props.children}
    </div>
  );
}

/** Port (Enter starts) and where to listen; locked unless stopped. */
export function ListenFields({ model, state }: { model: ListenModel; state: ListenState }) {
  const locked = state.phase !== 'stopped';
  return (
    <div className="field-row">
      <PortField
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
        hint={bindChoices.find((choice) => choice.value === state.bindAddress)?.meaning}
      />
    </div>
  );
}

interface StartStopProps {
  model: ListenModel;
  state: ListenState;
  /** What reaching this server from other machines means, shown before it starts on all interfaces. */
  allInterfacesNote?: string;
  /** Beside the button: where it listens once running. */
  children?: ReactNode;
}

const reachableNote =
  'other machines on the network will be able to reach this server. Use it for a lab where students connect to your machine, and stop it afterwards.';

/**
 * The all-interfaces warning (before a start on all interfaces, or the server's own warning
 * while it runs), then Start, or Stop while it runs.
 */
export function StartStop({ model, state, allInterfacesNote = reachableNote, children }: StartStopProps) {
  const warn = state.warning || (isAllInterfaces(state.bindAddress) && state.phase === 'stopped');
  return (
    <>
      {warn && (
        <p className="warning" role="note">
          <strong>All interfaces: </strong>
          {state.warning ?? allInterfacesNote}
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
        {children}
      </div>
    </>
  );
}

/** Beside Stop: the address the server's socket has. */
export function ListeningOn({ local }: { local: SocketAddress | undefined }) {
  if (!local) return null;
  return (
    <span className="action-hint">
      Listening on <span className="mono">{formatSocketAddress(local)}</span>
    </span>
  );
}

/** The server's counters as name/value pairs. */
export function ServerCounters({ rows, label }: { rows: ReadonlyArray<readonly [string, string]>; label?: string }) {
  return (
    <dl className="counters" aria-label={label}>
      {rows.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd className="mono">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
