import {
  type ControlError,
  type ControlErrors,
  controlError,
  isCancelled,
  type Placement,
  parsePortField,
  parseSecondsField,
  placeError,
} from './errors';

/** The fields of a client that connects before it sends, as typed. */
export interface ConnectFields {
  readonly port: string;
  readonly connectDeadline: string;
}

export type CheckedConnect =
  | { readonly ok: true; readonly port: number; readonly timeoutMs: number }
  | { readonly ok: false; readonly errors: ControlErrors<'port' | 'connectDeadline'> };

/** Port and Connect deadline as a connect needs them, or why not, in words for each field. */
export function checkConnectFields(fields: ConnectFields): CheckedConnect {
  const port = parsePortField(fields.port);
  const deadline = parseSecondsField(fields.connectDeadline, false);
  if (port.ok && deadline.ok && deadline.ms !== undefined) return { ok: true, port: port.port, timeoutMs: deadline.ms };
  const errors: { port?: ControlError; connectDeadline?: ControlError } = {};
  if (!port.ok) errors.port = controlError(port.message);
  if (!deadline.ok) errors.connectDeadline = controlError(deadline.message);
  return { ok: false, errors };
}

/** A connect that did not happen, as the panel shows it. */
export interface ConnectFailure {
  /** The transcript's line: a warning after Cancel, otherwise what went wrong. */
  readonly line: { readonly tone: 'warn' | 'error'; readonly note: string };
  /** What went wrong; undefined after Cancel. */
  readonly error: ControlError | undefined;
  /** Idle again, the countdown gone; an error is then the only one shown, beside its control. */
  readonly patch: {
    readonly phase: 'idle';
    readonly connectWait: undefined;
    readonly errors?: Readonly<Record<string, ControlError>>;
  };
}

/**
 * Where a failed connect to `target` ("127.0.0.1:2525") leaves the panel: a refusal or
 * a timeout beside Connect, a field the Node side refused beside that field (`placement`
 * names the panel's controls for Port and Connect deadline), quoting what was typed in it.
 */
export function connectFailure(
  error: unknown,
  target: string,
  fields: ConnectFields,
  placement: Omit<Placement<string>, 'typed'>,
): ConnectFailure {
  if (isCancelled(error)) {
    return {
      line: { tone: 'warn', note: `connecting to ${target} was cancelled` },
      error: undefined,
      patch: { phase: 'idle', connectWait: undefined },
    };
  }
  const { control, error: shown } = placeError(error, 'connect', {
    ...placement,
    typed: { port: fields.port, connectDeadline: fields.connectDeadline },
  });
  return {
    line: { tone: 'error', note: `could not connect to ${target}: ${shown.message}` },
    error: shown,
    patch: { phase: 'idle', connectWait: undefined, errors: { [control]: shown } },
  };
}

/**
 * The call that makes a connection while it runs, so that the Cancel beside its
 * countdown can abort it. A call that ends after a newer one started leaves that one be.
 */
export class CancellableCall {
  private current: AbortController | undefined;

  /** Runs `call` with the signal Cancel aborts: what it returned, or what it threw. */
  async run<R>(
    call: (signal: AbortSignal) => Promise<R>,
  ): Promise<{ ok: true; result: R } | { ok: false; error: unknown }> {
    const abort = new AbortController();
    this.current = abort;
    try {
      return { ok: true, result: await call(abort.signal) };
    } catch (error) {
      return { ok: false, error };
    } finally {
      if (this.current === abort) this.current = undefined;
    }
  }

  cancel(): void {
    this.current?.abort();
  }
}
