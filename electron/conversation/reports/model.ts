import type { CheckResult, ConversationResult } from '../../../shared/conversation/checks';

/** What a spawned program did, for the reports. */
export interface SpawnReport {
  command: string;
  pid: number | undefined;
  /** How it ended: `exit code 0`, `killed by SIGTERM (stopped after the run)`, `still running`. */
  status: string;
  /** It ended on its own before the run was over (crashed, or never opened its port). */
  diedEarly: boolean;
  stdoutTail: string;
  stderrTail: string;
}

/** One run of `protocol-playground run`: every file's conversations, in the order given. */
export interface RunReport {
  startedAt: Date;
  ms: number;
  results: ConversationResult[];
  /** Files that could not be read or parsed, with their messages. */
  interrupted: boolean;
  spawn?: SpawnReport;
}

export function caseName(result: ConversationResult, check: CheckResult): string {
  const step = check.step === 0 ? 'greeting' : `step ${check.step}`;
  return `${result.title} › ${step} › ${check.name}`;
}

export function counts(report: RunReport) {
  const all = report.results.flatMap((r) => r.checks);
  return {
    total: all.length,
    passed: all.filter((c) => c.status === 'passed').length,
    failed: all.filter((c) => c.status === 'failed').length,
    errors: all.filter((c) => c.status === 'error').length,
    skipped: all.filter((c) => c.status === 'skipped').length,
  };
}

/** Gradescope's worth of a check: its points, 1 when the file gives none. */
export function worth(check: CheckResult): number {
  return check.points ?? 1;
}

export function failureText(check: CheckResult): string {
  if (check.status === 'error' || check.status === 'skipped') return check.message ?? '';
  return `expected: ${check.expected ?? ''}\ngot:      ${check.got ?? ''}`;
}
