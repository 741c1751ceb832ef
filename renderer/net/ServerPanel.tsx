import { type ReactNode, useId } from 'react';
import { TranscriptView } from '../transcript/TranscriptView';
import { ErrorText, SelectField } from './fields';
import { LinkBadge, LinkFields } from './LinkFields';
import { ListeningOn, ListenFields, ServerCounters, ServerHeading, StartStop } from './ServerControls';
import type { ServerModel } from './serverModel';
import { useStore } from './useStore';

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
  return (
    <section className="panel server-panel" aria-labelledby={headingId}>
      <ServerHeading id={headingId} title={`${protocol} server`} phase={state.phase}>
        <LinkBadge model={model.link} />
      </ServerHeading>
      <p className="panel-intro">{props.explanation}</p>
      <ListenFields model={model} state={state} />
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
      <LinkFields model={model.link} protocol={protocol} />
      <StartStop model={model} state={state}>
        <ListeningOn local={state.local} />
      </StartStop>
      <ErrorText error={state.errors.start} />
      <ErrorText error={state.errors.stop} />
      {state.counters && <ServerCounters rows={props.counters(state.counters)} />}
      <TranscriptView
        model={model.log}
        label="Server log"
        emptyText="Start the server: its sockets, every client and every byte it reads and writes appear here."
      />
    </section>
  );
}
