import type { LinkModel } from './linkModel';
import { ErrorText, TextField } from './fields';
import { useStore } from './useStore';
import './link.css';

/**
 * The "Emulated link" group on a built-in server panel: delay each way, jitter, loss
 * (UDP only) and bandwidth, each with its error beside it. Given at Start; while the
 * server runs, "Apply link" changes it for new traffic.
 */
export function LinkFields({ model, protocol }: { model: LinkModel; protocol: 'UDP' | 'TCP' }) {
  const state = useStore(model);
  const running = state.active !== undefined;
  const field = (name: 'delay' | 'jitter' | 'loss' | 'bandwidth') => ({
    value: state.fields[name],
    onChange: (value: string) => model.setField(name, value),
    error: state.errors[name],
    inputMode: 'decimal' as const,
    placeholder: name === 'bandwidth' ? 'no limit' : '0',
    onEnter: running ? () => void model.apply() : undefined,
  });
  return (
    <fieldset className="link-fields">
      <legend>Emulated link</legend>
      <p className="field-hint">
        Makes loopback behave like a network: every read and write of this server is held back on the Node side (real
        sockets, so outside clients see it too), and the log marks what the link delayed or dropped.
      </p>
      <div className="field-row link-row">
        <TextField label="Delay (ms)" hint="one way, each direction" {...field('delay')} />
        <TextField label="Jitter (ms)" hint="± per crossing" {...field('jitter')} />
        <TextField
          label="Loss (%)"
          hint={protocol === 'UDP' ? 'datagrams dropped (seeded)' : 'UDP only: TCP recovers loss itself'}
          disabled={protocol === 'TCP'}
          {...field('loss')}
        />
        <TextField label="Bandwidth (bytes/s)" hint="L/R per write" {...field('bandwidth')} />
      </div>
      {running && (
        <div className="actions">
          <button type="button" onClick={() => void model.apply()} disabled={state.applying || !state.dirty}>
            Apply link
          </button>
          <span className="action-hint">
            {state.dirty ? 'Changes apply to new traffic once applied.' : 'Applies to new traffic.'}
          </span>
        </div>
      )}
      <ErrorText error={state.errors.apply} />
    </fieldset>
  );
}

/** The badge beside the server's phase: which link is on. */
export function LinkBadge({ model }: { model: LinkModel }) {
  useStore(model);
  const text = model.badge();
  if (!text) return null;
  return (
    <span className="pill link-badge" role="status">
      Emulated link: {text}
    </span>
  );
}
