import { isMatcherCheck } from './checks';
import type { ConversationFile, ParseProblem, Payload, Place } from './model';
import { templateVariables } from './templates';

/** Every `{{name}}` in the file with where it is written. */
export function variableUses(file: ConversationFile): { name: string; at: Place }[] {
  const uses: { name: string; at: Place }[] = [];
  const add = (template: string, at: Place, shift = 0) => {
    for (const use of templateVariables(template)) {
      uses.push({ name: use.name, at: { line: at.line, column: at.column + shift + use.offset } });
    }
  };
  const addPayloads = (payloads: Payload[]) => {
    for (const payload of payloads) {
      if (payload.kind === 'text') add(payload.source, payload.at, 1);
      if (payload.kind === 'file') add(payload.path, payload.at, 5);
    }
  };
  for (const conversation of file.conversations) {
    const target = conversation.target;
    if (target) {
      add(target.host, target.at, 7);
      add(target.port, target.at, 8 + target.host.length);
    }
    for (const step of conversation.steps) {
      addPayloads(step.send ?? []);
      for (const check of step.checks) {
        const matcher = isMatcherCheck(check);
        if (matcher && matcher.op !== 'regex') addPayloads(matcher.value);
        if (check.spec.kind === 'header') add(check.spec.header, check.at);
      }
    }
  }
  return uses;
}

/**
 * Names used but given a value nowhere: not a `var`, not set from outside, not
 * captured by an earlier step. Reported before anything is sent.
 */
export function unknownVariables(file: ConversationFile, given: Readonly<Record<string, string>>): ParseProblem[] {
  const known = new Set([...file.variables.map((v) => v.name), ...Object.keys(given)]);
  const problems: ParseProblem[] = [];
  // Captures count from the step after them on; walk in order.
  const capturedBefore = new Map<string, Place>();
  for (const conversation of file.conversations) {
    for (const step of conversation.steps)
      for (const capture of step.captures)
        if (!capturedBefore.has(capture.name)) capturedBefore.set(capture.name, capture.at);
  }
  for (const use of variableUses(file)) {
    if (known.has(use.name)) continue;
    const captured = capturedBefore.get(use.name);
    if (captured && captured.line < use.at.line) continue;
    const near = [...known, ...capturedBefore.keys()].find((name) => name.toLowerCase() === use.name.toLowerCase());
    problems.push({
      ...use.at,
      message: `unknown variable {{${use.name}}}: declare it with "var ${use.name} = …" or pass --var ${use.name}=…${near ? ` (did you mean {{${near}}}?)` : ''}`,
    });
  }
  return problems;
}
