import type { CheckResult, ConversationResult } from '../../../shared/conversation/checks';

/** The lines one conversation prints: a header, then one line per check (✓/✗ and its time). */
export function conversationLines(result: ConversationResult): string[] {
  const lines = [`▶ ${result.file} › ${result.title}${result.target ? ` → ${result.target}` : ''}`];
  for (const check of result.checks) lines.push(...checkLines(result, check));
  if (result.error && result.checks.length === 0) lines.push(`  ! ${result.error}`);
  return lines;
}

function checkLines(result: ConversationResult, check: CheckResult): string[] {
  const time = `(${Math.round(check.ms)} ms)`;
  const where = `${result.file}:${check.at.line}:${check.at.column}`;
  switch (check.status) {
    case 'passed':
      return [`  ✓ ${check.name} ${time}`];
    case 'skipped':
      return [`  - ${check.name} (skipped: ${check.message ?? ''})`];
    case 'error':
      return [`  ✗ ${check.name} ${time}`, `      error:    ${check.message ?? ''}`, `      at ${where}`];
    case 'failed':
      return [
        `  ✗ ${check.name} ${time}`,
        `      expected: ${check.expected ?? ''}`,
        `      got:      ${check.got ?? ''}`,
        `      at ${where}`,
      ];
  }
}

export function summaryLines(results: ConversationResult[]): string[] {
  const checks = results.flatMap((r) => r.checks);
  const passed = checks.filter((c) => c.status === 'passed').length;
  const errors = checks.filter((c) => c.status === 'error').length;
  const failed = checks.filter((c) => c.status === 'failed').length + errors;
  const skipped = checks.filter((c) => c.status === 'skipped').length;
  const notes: string[] = [];
  if (errors > 0) notes.push(`${errors} of the failed ${errors === 1 ? 'is a runtime error' : 'are runtime errors'}`);
  if (skipped > 0) notes.push(`${skipped} skipped`);
  return [...(notes.length > 0 ? [`(${notes.join('; ')})`] : []), `${passed} passed, ${failed} failed`];
}
