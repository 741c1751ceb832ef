import type { ComponentProps, ReactNode } from 'react';
import type { ControlError } from './errors';
import { TextField } from './fields';

interface HostPortFieldsProps {
  /** The client model the fields write to. */
  model: { setHost(host: string): void; setPort(port: string): void };
  /** Its state as rendered: the text as typed and the errors beside each field. */
  state: {
    readonly host: string;
    readonly port: string;
    readonly errors: { readonly host?: ControlError | undefined; readonly port?: ControlError | undefined };
  };
  /** Enter in Host or Port: Connect, or Send where sending connects. */
  onEnter?: (() => void) | undefined;
  /** The target cannot change while a connection is being made or is open. */
  disabled?: boolean;
  /** More fields on the same row, after Port (a connect deadline, the security, TLS). */
  children?: ReactNode;
}

/** The row every client starts with: Host and Port as typed, each with its error beside it. */
export function HostPortFields({ model, state, onEnter, disabled, children }: HostPortFieldsProps) {
  return (
    <div className="field-row">
      <TextField
        label="Host"
        className="field-grow"
        value={state.host}
        onChange={(host) => model.setHost(host)}
        onEnter={onEnter}
        disabled={disabled}
        error={state.errors.host}
      />
      <PortField
        value={state.port}
        onChange={(port) => model.setPort(port)}
        onEnter={onEnter}
        disabled={disabled}
        error={state.errors.port}
      />
      {children}
    </div>
  );
}

/** A port number as typed: a narrow field that widens for its error (the contract checks the range). */
export function PortField(props: Omit<ComponentProps<typeof TextField>, 'label' | 'className' | 'inputMode'>) {
  return <TextField {...props} label="Port" className="field-port" inputMode="numeric" />;
}

/** A deadline in seconds as typed ("5", "0.5"): a narrow field that widens for its error. */
export function SecondsField({ className, ...props }: Omit<ComponentProps<typeof TextField>, 'inputMode'>) {
  return (
    <TextField {...props} className={className ? `field-seconds ${className}` : 'field-seconds'} inputMode="decimal" />
  );
}
