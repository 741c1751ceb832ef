import { counts, type RunReport } from './model';

/** Everything the run found, for scripts. */
export function jsonReport(report: RunReport, version: string): string {
  return `${JSON.stringify(
    {
      tool: 'protocol-playground',
      version,
      startedAt: report.startedAt.toISOString(),
      ms: report.ms,
      interrupted: report.interrupted,
      ...counts(report),
      conversations: report.results,
      spawn: report.spawn,
    },
    null,
    2,
  )}\n`;
}
