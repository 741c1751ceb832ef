export type Verdict = 'PASS' | 'MISS' | '—';

export interface Row {
  what: string;
  raw: string;
  app: string;
  difference: string;
  goal: string;
  verdict: Verdict;
}

const columns: Array<[keyof Row, string]> = [
  ['what', 'what'],
  ['raw', 'raw Node'],
  ['app', 'app'],
  ['difference', 'difference / ratio'],
  ['goal', 'goal'],
  ['verdict', 'verdict'],
];

/** A markdown table, padded so it also reads well in a terminal. */
export function formatTable(rows: readonly Row[]): string {
  const widths = columns.map(([key, title]) => Math.max(title.length, ...rows.map((row) => row[key].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [
    line(columns.map(([, title]) => title)),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...rows.map((row) => line(columns.map(([key]) => row[key]))),
  ].join('\n');
}

export function ms(value: number): string {
  return `${value.toFixed(3)} ms`;
}

export function signedMs(value: number): string {
  return `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(3)} ms`;
}

export function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

export function rate(bytes: number, ms: number): string {
  return `${(bytes / (1024 * 1024) / (ms / 1000)).toFixed(0)} MiB/s`;
}
