import { create } from 'xmlbuilder2';
import { caseName, counts, failureText, type RunReport } from './model';

/**
 * JUnit XML as GitLab and Jenkins read it: one <testsuite> per conversation and one
 * <testcase> per check (a wrong reply is a <failure>, a runtime error an <error>).
 * Written with xmlbuilder2, which escapes text and attributes and drops characters
 * XML 1.0 cannot hold (a reply's NUL or ESC would otherwise make the file unreadable).
 */
export function junitReport(report: RunReport): string {
  const total = counts(report);
  const root = create({ invalidCharReplacement: '\uFFFD' })
    .dec({ version: '1.0', encoding: 'UTF-8' })
    .ele('testsuites', {
      name: 'protocol-playground',
      tests: total.total,
      failures: total.failed,
      errors: total.errors,
      skipped: total.skipped,
      time: seconds(report.ms),
    });
  report.results.forEach((result, index) => {
    const checks = result.checks;
    const suite = root.ele('testsuite', {
      id: index,
      name: `${result.file} › ${result.title}`,
      tests: checks.length,
      failures: checks.filter((c) => c.status === 'failed').length,
      errors: checks.filter((c) => c.status === 'error').length,
      skipped: checks.filter((c) => c.status === 'skipped').length,
      time: seconds(result.ms),
      timestamp: report.startedAt.toISOString().replace(/\.\d+Z$/, ''),
    });
    suite.ele('properties').ele('property', { name: 'target', value: result.target }).up();
    for (const check of checks) {
      const testcase = suite.ele('testcase', {
        name: caseName(result, check),
        classname: `${result.file}.${result.title}`,
        time: seconds(check.ms),
        file: result.file,
        line: check.at.line,
      });
      if (check.status === 'failed') {
        testcase
          .ele('failure', { message: `expected ${check.expected ?? ''}, got ${check.got ?? ''}`, type: 'check' })
          .txt(`${failureText(check)}\nat ${result.file}:${check.at.line}:${check.at.column}`);
      } else if (check.status === 'error') {
        testcase.ele('error', { message: check.message ?? 'runtime error', type: 'runtime' }).txt(check.message ?? '');
      } else if (check.status === 'skipped') {
        testcase.ele('skipped', { message: check.message ?? '' });
      }
    }
    if (index === report.results.length - 1 && report.spawn) {
      suite.ele('system-out').txt(`${report.spawn.command}: ${report.spawn.status}\n${report.spawn.stdoutTail}`);
      suite.ele('system-err').txt(report.spawn.stderrTail);
    }
  });
  return root.end({ prettyPrint: true });
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}
