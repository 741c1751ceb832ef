import { caseName, counts, type RunReport } from './model';

/** TAP version 13: one test point per check, a YAML block for what went wrong. */
export function tapReport(report: RunReport): string {
  const lines = ['TAP version 13', `1..${counts(report).total}`];
  let number = 0;
  for (const result of report.results) {
    for (const check of result.checks) {
      number++;
      const name = `${result.file} › ${caseName(result, check)}`.replace(/#/g, '\\#');
      if (check.status === 'passed') {
        lines.push(`ok ${number} - ${name}`);
        continue;
      }
      if (check.status === 'skipped') {
        lines.push(`ok ${number} - ${name} # SKIP ${check.message ?? ''}`);
        continue;
      }
      lines.push(`not ok ${number} - ${name}`, '  ---');
      if (check.status === 'failed') {
        lines.push(`  expected: ${yaml(check.expected ?? '')}`, `  got: ${yaml(check.got ?? '')}`);
      } else {
        lines.push(`  severity: error`, `  message: ${yaml(check.message ?? '')}`);
      }
      lines.push(
        `  at: ${yaml(`${result.file}:${check.at.line}:${check.at.column}`)}`,
        `  duration_ms: ${check.ms}`,
        '  ...',
      );
    }
  }
  if (report.interrupted) lines.push('Bail out! interrupted (Ctrl+C)');
  return `${lines.join('\n')}\n`;
}

/** A YAML double-quoted scalar (JSON strings are valid YAML). */
function yaml(text: string): string {
  return JSON.stringify(text);
}
