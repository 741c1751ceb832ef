import { z } from 'zod';
import { lineEndings } from '../bytes/lineEndings';

/**
 * The conversation builder's steps: a plain, serialisable list the UI adds to,
 * edits and reorders, that a saved conversation holds and a replay sends.
 * Each kind builds one command (see buildStep); `free` sends any line.
 */

export const smtpStepKinds = [
  'helo',
  'ehlo',
  'mail',
  'rcpt',
  'data',
  'message',
  'quit',
  'rset',
  'noop',
  'vrfy',
  'help',
  'starttls',
  'auth-plain',
  'auth-login',
  'free',
] as const;
export type SmtpStepKind = (typeof smtpStepKinds)[number];

export const smtpStep = z
  .object({
    id: z.string().min(1).max(100),
    kind: z.enum(smtpStepKinds),
    /**
     * What the user types for this kind: the domain for HELO/EHLO, the address
     * (and any parameters) for MAIL FROM/RCPT TO, the argument for VRFY/HELP/NOOP,
     * the user name for AUTH, the whole message, or the whole free line.
     */
    text: z.string(),
    /** AUTH PLAIN/LOGIN only. */
    password: z.string().optional(),
    /** Message only: send line breaks as typed instead of CRLF (to show what a bare LF does). */
    keepLineEndings: z.boolean().optional(),
    /** Message only: false sends lines starting with "." as they are. */
    dotStuffing: z.boolean().optional(),
    /** Message only: false leaves out the final "." line. */
    finalDot: z.boolean().optional(),
    /** Free line only: read `text` as plain text (default) or with escapes like \r \n \x00. */
    inputMode: z.enum(['text', 'escapes']).optional(),
    /** Free line only: the line ending added (default CRLF). */
    lineEnding: z.enum(lineEndings).optional(),
  })
  .strict();
export type SmtpStep = z.infer<typeof smtpStep>;

export const smtpStepList = z
  .array(smtpStep)
  .refine((steps) => new Set(steps.map((step) => step.id)).size === steps.length, 'step ids must be unique');

/** The textbook's message, as typed in the message editor (line breaks become CRLF when sent). */
export const textbookMessage = 'Do you like ketchup?\nHow about pickles?';

/** What a new step of each kind starts with: the textbook's names and addresses. */
export const defaultStepText: Record<SmtpStepKind, string> = {
  helo: 'crepes.fr',
  ehlo: 'crepes.fr',
  mail: 'alice@crepes.fr',
  rcpt: 'bob@hamburger.edu',
  data: '',
  message: textbookMessage,
  quit: '',
  rset: '',
  noop: '',
  vrfy: 'bob',
  help: '',
  starttls: '',
  'auth-plain': 'alice',
  'auth-login': 'alice',
  free: 'NOOP',
};

/** A label for the step's card. */
export const stepTitles: Record<SmtpStepKind, string> = {
  helo: 'HELO',
  ehlo: 'EHLO',
  mail: 'MAIL FROM',
  rcpt: 'RCPT TO',
  data: 'DATA',
  message: 'The message',
  quit: 'QUIT',
  rset: 'RSET',
  noop: 'NOOP',
  vrfy: 'VRFY',
  help: 'HELP',
  starttls: 'STARTTLS',
  'auth-plain': 'AUTH PLAIN',
  'auth-login': 'AUTH LOGIN',
  free: 'Free line',
};

/** `step-N` with N one more than the highest in use. */
export function nextStepId(steps: readonly SmtpStep[]): string {
  let highest = 0;
  for (const step of steps) {
    const match = /^step-(\d+)$/.exec(step.id);
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  return `step-${highest + 1}`;
}

/** A new step with a fresh id and the kind's default text (overridable). */
export function createStep(
  kind: SmtpStepKind,
  steps: readonly SmtpStep[],
  fields: Partial<Omit<SmtpStep, 'id' | 'kind'>> = {},
): SmtpStep {
  const step: SmtpStep = { id: nextStepId(steps), kind, text: defaultStepText[kind], ...fields };
  if ((kind === 'auth-plain' || kind === 'auth-login') && step.password === undefined) step.password = 'secret';
  return step;
}

/** The textbook conversation: HELO, MAIL FROM, RCPT TO, DATA, the message, QUIT. */
export function textbookSteps(): SmtpStep[] {
  const steps: SmtpStep[] = [];
  for (const kind of ['helo', 'mail', 'rcpt', 'data', 'message', 'quit'] as const) {
    steps.push(createStep(kind, steps));
  }
  return steps;
}

/** Inserts `step` at `index` (default: the end). */
export function addStep(steps: readonly SmtpStep[], step: SmtpStep, index = steps.length): SmtpStep[] {
  const at = Math.max(0, Math.min(index, steps.length));
  return [...steps.slice(0, at), step, ...steps.slice(at)];
}

/** Changes the fields of the step with this id (not its id or kind). */
export function updateStep(
  steps: readonly SmtpStep[],
  id: string,
  patch: Partial<Omit<SmtpStep, 'id' | 'kind'>>,
): SmtpStep[] {
  return steps.map((step) => (step.id === id ? { ...step, ...patch, id: step.id, kind: step.kind } : step));
}

/** Moves the step with this id to `index` in the resulting list (clamped). */
export function moveStep(steps: readonly SmtpStep[], id: string, index: number): SmtpStep[] {
  const from = steps.findIndex((step) => step.id === id);
  if (from < 0) return [...steps];
  const rest = steps.filter((step) => step.id !== id);
  return addStep(rest, steps[from] as SmtpStep, index);
}

export function removeStep(steps: readonly SmtpStep[], id: string): SmtpStep[] {
  return steps.filter((step) => step.id !== id);
}
