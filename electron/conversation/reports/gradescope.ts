import { caseName, failureText, type RunReport, worth } from './model';

/**
 * Gradescope's results.json: one test per check, score and max_score from its points
 * (1 when the file gives none); the spawned program's output goes into `output`.
 */
export function gradescopeReport(report: RunReport): string {
  let number = 0;
  const tests = report.results.flatMap((result) =>
    result.checks
      .filter((check) => check.status !== 'skipped')
      .map((check) => {
        number++;
        const max = worth(check);
        return {
          name: caseName(result, check),
          number: String(number),
          score: check.status === 'passed' ? max : 0,
          max_score: max,
          status: check.status === 'passed' ? 'passed' : 'failed',
          output: check.status === 'passed' ? '' : failureText(check),
          tags: [result.tool],
          visibility: 'visible',
        };
      }),
  );
  const score = tests.reduce((sum, test) => sum + test.score, 0);
  const spawn = report.spawn;
  const output = [
    report.interrupted ? 'The run was interrupted; the results are partial.' : '',
    spawn
      ? `${spawn.command}: ${spawn.status}\n--- stdout (tail) ---\n${spawn.stdoutTail}\n--- stderr (tail) ---\n${spawn.stderrTail}`
      : '',
  ]
    .filter(Boolean)
    .join('\n');
  return `${JSON.stringify(
    {
      score,
      execution_time: Math.round(report.ms / 1000),
      output,
      visibility: 'visible',
      stdout_visibility: 'hidden',
      tests,
    },
    null,
    2,
  )}\n`;
}
