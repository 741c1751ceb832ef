import { useCallback, useId, useMemo, useRef } from 'react';
import type uPlot from 'uplot';
import {
  type PingStatistics,
  pingCsv,
  pingStatistics,
  pingTimeoutMs,
  rttAlpha,
  rttBeta,
  type RttEstimate,
  rttEstimates,
} from '../../../shared/udp/client/ping';
import { downloadText, downloadUrl } from '../../app/download';
import { ErrorText, TextField } from '../../net/fields';
import { useStore } from '../../net/useStore';
import { chartPng, PingChart } from './PingChart';
import type { PingModel, PingRow } from './pingModel';
import './ping.css';

/**
 * Ping mode: the textbook's UDP pinger from this tab (N pings, `Ping <seq> <time>`, 1 s
 * each), then "Ping statistics": each ping's RTT or "Request timed out", min / avg / max /
 * standard deviation and loss, a chart with the lost ones marked, and TCP's estimates over
 * the same samples with their formulas. Exports as PNG and CSV.
 */
export function PingControls({ model, blocked }: { model: PingModel; blocked: boolean }) {
  const state = useStore(model);
  return (
    <div className="ping-controls">
      <div className="field-row">
        <TextField
          label="Pings"
          className="field-seconds"
          value={state.count}
          inputMode="numeric"
          onChange={(count) => model.setCount(count)}
          onEnter={() => void model.run()}
          error={state.errors.count}
          disabled={state.running}
        />
        <div className="actions ping-actions">
          {state.running ? (
            <button type="button" onClick={() => model.stop()}>
              Stop pinging
            </button>
          ) : (
            <button type="button" onClick={() => void model.run()} disabled={blocked}>
              Ping
            </button>
          )}
          <span className="action-hint">
            Sends <code>Ping &lt;seq&gt; &lt;time&gt;</code> to Host:Port one at a time, {pingTimeoutMs / 1000} s
            timeout each, like the textbook&apos;s UDPPinger.
          </span>
        </div>
      </div>
      <ErrorText error={state.errors.ping} />
      {state.rows.length > 0 && <PingStatisticsView model={model} />}
    </div>
  );
}

function PingStatisticsView({ model }: { model: PingModel }) {
  const state = useStore(model);
  const headingId = useId();
  const plot = useRef<uPlot | undefined>(undefined);
  const onPlot = useCallback((made: uPlot | undefined) => {
    plot.current = made;
  }, []);
  const samples = useMemo(
    () => state.rows.flatMap((row) => (row.rttMs === undefined ? [] : [{ seq: row.seq, rttMs: row.rttMs }])),
    [state.rows],
  );
  const stats = useMemo(() => pingStatistics(samples), [samples]);
  const estimates = useMemo(() => rttEstimates(samples), [samples]);
  const bySeq = new Map(estimates.map((estimate) => [estimate.seq, estimate]));
  return (
    <section className="ping-statistics" role="region" aria-labelledby={headingId}>
      <h3 id={headingId}>Ping statistics</h3>
      <Summary stats={stats} running={state.running} />
      <PingChart rows={state.rows} estimates={estimates} onPlot={onPlot} />
      <div className="actions">
        <button type="button" onClick={() => plot.current && downloadUrl('ping-rtt.png', chartPng(plot.current))}>
          Export PNG
        </button>
        <button type="button" onClick={() => downloadText('ping-rtt.csv', pingCsv(samples), 'text/csv;charset=utf-8')}>
          Export CSV
        </button>
      </div>
      <Formulas last={estimates.at(-1)} previous={estimates.at(-2)} />
      <div className="ping-table-box">
        <table className="ping-table">
          <caption>Each ping: its RTT, or Request timed out, and TCP&apos;s estimates after it</caption>
          <thead>
            <tr>
              <th scope="col">Seq</th>
              <th scope="col">Reply</th>
              <th scope="col">EstimatedRTT</th>
              <th scope="col">DevRTT</th>
              <th scope="col">TimeoutInterval</th>
            </tr>
          </thead>
          <tbody>
            {state.rows.map((row) => (
              <PingTableRow key={row.seq} row={row} estimate={bySeq.get(row.seq)} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function PingTableRow({ row, estimate }: { row: PingRow; estimate: RttEstimate | undefined }) {
  return (
    <tr className={row.rttMs === null ? 'is-lost' : undefined}>
      <th scope="row">{row.seq}</th>
      <td>
        {row.rttMs === undefined ? 'waiting…' : row.rttMs === null ? 'Request timed out' : `RTT ${ms(row.rttMs)}`}
      </td>
      <td className="mono">{estimate ? ms(estimate.estimatedMs) : ''}</td>
      <td className="mono">{estimate ? ms(estimate.devMs) : ''}</td>
      <td className="mono">{estimate ? ms(estimate.timeoutMs) : ''}</td>
    </tr>
  );
}

function Summary({ stats, running }: { stats: PingStatistics; running: boolean }) {
  const rows: Array<[string, string]> = [
    ['Sent / received / lost', `${stats.sent - (running ? 1 : 0)} / ${stats.received} / ${stats.lost}`],
    ['Loss', `${stats.lossPercent.toFixed(1)} %`],
    ['Min RTT', ms(stats.minMs)],
    ['Avg RTT', ms(stats.avgMs)],
    ['Max RTT', ms(stats.maxMs)],
    ['Std dev', ms(stats.stddevMs)],
  ];
  return (
    <dl className="counters ping-summary">
      {rows.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd className="mono">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** TCP's three estimates after the last answered ping, each with its formula and the numbers put in. */
function Formulas({ last, previous }: { last: RttEstimate | undefined; previous: RttEstimate | undefined }) {
  if (!last) return <p className="field-hint">No ping was answered: TCP&apos;s estimates need a SampleRTT.</p>;
  const a = rttAlpha;
  const b = rttBeta;
  return (
    <dl className="ping-formulas">
      <div>
        <dt>EstimatedRTT = (1 − α)·EstimatedRTT + α·SampleRTT, α = {a}</dt>
        <dd className="mono">
          {previous
            ? `${1 - a}·${ms(previous.estimatedMs)} + ${a}·${ms(last.sampleMs)} = ${ms(last.estimatedMs)}`
            : `first sample: EstimatedRTT = SampleRTT = ${ms(last.estimatedMs)}`}
        </dd>
      </div>
      <div>
        <dt>DevRTT = (1 − β)·DevRTT + β·|SampleRTT − EstimatedRTT|, β = {b}</dt>
        <dd className="mono">
          {previous
            ? `${1 - b}·${ms(previous.devMs)} + ${b}·|${ms(last.sampleMs)} − ${ms(previous.estimatedMs)}| = ${ms(last.devMs)}`
            : `first sample: DevRTT = SampleRTT / 2 = ${ms(last.devMs)}`}
        </dd>
      </div>
      <div>
        <dt>TimeoutInterval = EstimatedRTT + 4·DevRTT</dt>
        <dd className="mono">
          {ms(last.estimatedMs)} + 4·{ms(last.devMs)} = {ms(last.timeoutMs)}
        </dd>
      </div>
    </dl>
  );
}

function ms(value: number | undefined): string {
  if (value === undefined) return '—';
  return `${value < 10 ? value.toFixed(3) : value.toFixed(1)} ms`;
}
