import { performance } from 'node:perf_hooks';
import { layoutSequence, toMermaid } from '../renderer/sequence/layout';
import { TranscriptModel } from '../renderer/transcript/model';
import { type Row, ms } from './table';

/**
 * The sequence diagram's layout for a long conversation: 10,000 transcript rows (request
 * and reply pairs with RTTs) turned into lanes, arrows and RTT spans, in Node. This is
 * the pure half of the "10,000 events render in ≤ 100 ms"; the SVG drawing in
 * Chromium is not measured here (the diagram draws at most the newest 2,000 events).
 */
export async function sequenceBench(out: { rows: Row[]; notes: string[]; progress: (message: string) => void }) {
  out.progress('sequence: laying out 10,000 events');
  const events = 10_000;
  const model = new TranscriptModel({ maxRows: events });
  const data = new TextEncoder().encode('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
  for (let i = 0; i < events / 2; i++) {
    model.append(
      { direction: 'client-to-server', mono: i * 2, data, seq: i },
      { direction: 'server-to-client', mono: i * 2 + 1, data, seq: i, rttMs: 1 },
    );
  }
  const rows = model.state.rows;
  const times: number[] = [];
  for (let run = 0; run < 7; run++) {
    const start = performance.now();
    const layout = layoutSequence([{ label: 'Server', rows }]);
    toMermaid(layout);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? Number.NaN;
  const goal = 100;
  out.rows.push({
    what: 'sequence diagram: lay out 10,000 events (Node, median of 7)',
    raw: '—',
    app: ms(median),
    difference: `${rows.length.toLocaleString('en')} rows, newest 2,000 drawn`,
    goal: `≤ ${goal} ms`,
    verdict: median <= goal ? 'PASS' : 'MISS',
  });
  out.notes.push('The sequence row times the layout only; drawing the SVG in Chromium is not benchmarked yet.');
}
