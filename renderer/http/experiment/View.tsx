import { useId, useState } from 'react';
import { experimentModeLabels } from '../../../shared/http/timing';
import { controlError } from '../../net/errors';
import { ErrorText, TextField } from '../../net/fields';
import { useStore } from '../../net/useStore';
import { type ExperimentField, type ExperimentModel, formatRequests } from './model';
import './experiment.css';

const ms = (value: number) => `${Math.round(value)} ms`;

/**
 * The "Persistent vs non-persistent" region: N, object size, k and the link; Run fetches
 * the page and its objects four ways through the real client, and the table sets each
 * measured total beside the textbook's prediction, with the difference explained.
 */
export function ExperimentView({ model }: { model: ExperimentModel }) {
  const state = useStore(model);
  const headingId = useId();
  const [copyStatus, setCopyStatus] = useState<string | undefined>(undefined);
  const field = (name: ExperimentField, label: string, hint: string, placeholder?: string) => (
    <TextField
      label={label}
      hint={hint}
      value={state.fields[name]}
      onChange={(value) => model.setField(name, value)}
      onEnter={() => void model.run()}
      inputMode="numeric"
      disabled={state.running}
      error={state.errors[name] ? controlError(state.errors[name]) : undefined}
      {...(placeholder ? { placeholder } : {})}
    />
  );
  const copy = async () => {
    try {
      if (!navigator.clipboard) throw new Error('this page has no clipboard access');
      await navigator.clipboard.writeText(model.csv());
      setCopyStatus('Copied the table as CSV.');
    } catch (error) {
      setCopyStatus(`Could not copy: ${error instanceof Error ? error.message : String(error)}.`);
    }
  };
  return (
    <section className="panel experiment-panel" role="region" aria-labelledby={headingId}>
      <h2 id={headingId}>Persistent vs non-persistent</h2>
      <p className="panel-intro">
        The textbook&apos;s comparison, measured: a built-in web server behind an emulated link serves a base page that
        references N objects, and the client fetches them four ways. Each total stands beside the prediction from the
        measured RTT and the sizes (2 RTT + transmit per object on a new connection, 1 RTT per object after the first on
        a kept one, about 1 RTT for all of them pipelined).
      </p>
      <div className="field-row experiment-fields">
        {field('objects', 'Objects (N)', 'referenced by the page')}
        {field('size', 'Object size (bytes)', 'each object')}
        {field('parallel', 'Parallel connections (k)', 'non-persistent, parallel')}
        {field('delay', 'Delay (ms)', 'emulated, one way, each direction')}
        {field('bandwidth', 'Bandwidth (bytes/s)', 'L/R; empty: no limit', 'no limit')}
      </div>
      <div className="actions">
        <button type="button" onClick={() => void model.run()} disabled={state.running}>
          Run
        </button>
        <span className="action-hint" role="status">
          {state.running
            ? `Running: ${state.step ?? ''}…`
            : state.rttMs !== undefined
              ? `Measured RTT ${state.rttMs.toFixed(1)} ms (emulated link, loopback underneath).`
              : 'Starts its own web server on a free port with this link, and stops it afterwards.'}
        </span>
      </div>
      <ErrorText error={state.errors.run ? controlError(state.errors.run) : undefined} />
      {state.results.length > 0 && (
        <>
          <table className="experiment-table">
            <caption>Measured against the textbook&apos;s prediction</caption>
            <thead>
              <tr>
                <th scope="col">Mode</th>
                <th scope="col">Measured total</th>
                <th scope="col">Textbook prediction</th>
                <th scope="col">Connections opened</th>
                <th scope="col">Requests per connection</th>
                <th scope="col">Why they differ</th>
              </tr>
            </thead>
            <tbody>
              {state.results.map((result) => (
                <tr key={result.mode} data-mode={result.mode}>
                  <th scope="row">{experimentModeLabels[result.mode]}</th>
                  <td className="mono" data-measured-ms={result.measuredMs.toFixed(1)}>
                    {ms(result.measuredMs)}
                  </td>
                  <td data-predicted-ms={result.prediction.totalMs.toFixed(1)}>
                    <span className="mono">{ms(result.prediction.totalMs)}</span>
                    <br />
                    <span className="field-hint">{result.prediction.formula}</span>
                  </td>
                  <td className="mono">{result.connections}</td>
                  <td className="mono">{formatRequests(result.requestsPerConnection)}</td>
                  <td>{result.explanation}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="actions">
            <button type="button" onClick={() => void copy()} disabled={state.running}>
              Copy as CSV
            </button>
            {copyStatus && (
              <span className="action-hint" role="status">
                {copyStatus}
              </span>
            )}
          </div>
        </>
      )}
    </section>
  );
}
