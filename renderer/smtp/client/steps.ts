import {
  createStep,
  moveStep,
  removeStep,
  type SmtpStep,
  type SmtpStepKind,
  textbookSteps,
  updateStep,
} from '../../../shared/smtp';
import { without } from '../../net/session';
import { defaultDraft } from './messageDraft';
import { type ConversationCell, type ConversationState, openSessionId } from './state';

/** The textbook's steps with the message's draft, and the first step next: where a conversation starts. */
export function textbookStart(): Pick<ConversationState, 'steps' | 'drafts' | 'nextStepId'> {
  const steps = textbookSteps();
  const message = steps.find((step) => step.kind === 'message');
  return {
    steps,
    drafts: message ? { [message.id]: defaultDraft({ body: message.text }) } : {},
    nextStepId: steps[0]?.id,
  };
}

/**
 * The conversation's list of steps: added, edited, reordered and removed while the
 * connection stays, and which one "Send next step" sends next. A step's draft and last
 * run go with it when it is removed.
 */
export class StepList {
  constructor(private readonly cell: ConversationCell) {}

  private get state(): ConversationState {
    return this.cell.state;
  }

  byId(id: string): SmtpStep | undefined {
    return this.state.steps.find((step) => step.id === id);
  }

  /** The step after this one, which becomes the next to send once this one left. */
  after(id: string): string | undefined {
    const steps = this.state.steps;
    const index = steps.findIndex((step) => step.id === id);
    return steps[index + 1]?.id;
  }

  /**
   * The first step not yet sent successfully on this connection: what "Send next step" sends.
   * A step whose reply the user stopped waiting for went out whole, so it is not sent again;
   * a refused or failed one is next, to edit and send again.
   */
  firstNotDone(): string | undefined {
    const done = (id: string) => {
      const status = this.state.runs[id]?.status;
      return status === 'ok' || status === 'sent' || status === 'cancelled';
    };
    return this.state.steps.find((step) => !done(step.id))?.id;
  }

  /** Adds a step of this kind after `afterId` (default: the end); returns its id. */
  add(kind: SmtpStepKind, afterId?: string): string {
    const steps = this.state.steps;
    const step = createStep(kind, steps);
    const after = afterId === undefined ? -1 : steps.findIndex((candidate) => candidate.id === afterId);
    const index = after < 0 ? steps.length : after + 1;
    const next = [...steps.slice(0, index), step, ...steps.slice(index)];
    const drafts = kind === 'message' ? { ...this.state.drafts, [step.id]: defaultDraft({ body: step.text }) } : null;
    this.cell.update({
      steps: next,
      drafts: drafts ?? this.state.drafts,
      nextStepId: this.state.nextStepId ?? step.id,
    });
    return step.id;
  }

  /**
   * "Add step": while connected, the new step goes just before the next one and is sent
   * next (connect, add EHLO, Send next step); otherwise it goes at the end of the list.
   */
  addHere(kind: SmtpStepKind): string {
    const steps = this.state.steps;
    const nextIndex = steps.findIndex((step) => step.id === this.state.nextStepId);
    if (!openSessionId(this.state)) return this.add(kind);
    const before = nextIndex < 0 ? steps.at(-1)?.id : steps[nextIndex - 1]?.id;
    const id = nextIndex === 0 ? this.addFirst(kind) : this.add(kind, before);
    this.setNext(id);
    return id;
  }

  private addFirst(kind: SmtpStepKind): string {
    const id = this.add(kind);
    this.move(id, -this.state.steps.length);
    return id;
  }

  edit(id: string, patch: Partial<Omit<SmtpStep, 'id' | 'kind'>>): void {
    const stepErrors = without(this.state.stepErrors, id);
    this.cell.update({ steps: updateStep(this.state.steps, id, patch), stepErrors });
  }

  remove(id: string): void {
    const steps = this.state.steps;
    const index = steps.findIndex((step) => step.id === id);
    if (index < 0 || this.state.stepWait?.stepId === id) return;
    const rest = removeStep(steps, id);
    const { [id]: _draft, ...drafts } = this.state.drafts;
    const { [id]: _run, ...runs } = this.state.runs;
    const nextStepId =
      this.state.nextStepId === id ? (rest[Math.min(index, rest.length - 1)]?.id ?? undefined) : this.state.nextStepId;
    this.cell.update({ steps: rest, drafts, runs, nextStepId, stepErrors: without(this.state.stepErrors, id) });
  }

  /** Moves a step by `delta` places (−1 up, +1 down), clamped to the list. */
  move(id: string, delta: number): void {
    const index = this.state.steps.findIndex((step) => step.id === id);
    if (index < 0) return;
    const target = Math.max(0, Math.min(this.state.steps.length - 1, index + delta));
    if (target === index) return;
    this.cell.update({ steps: moveStep(this.state.steps, id, target) });
  }

  /** The step "Send next step" sends next (the user may pick any, in order or not). */
  setNext(id: string): void {
    if (this.state.steps.some((step) => step.id === id)) this.cell.update({ nextStepId: id });
  }

  /** Starts over from the textbook's steps (the connection, if any, stays). */
  reset(): void {
    this.cell.update({ ...textbookStart(), runs: {}, stepErrors: {} });
  }

  /** Replaces every step (an opened conversation file); nothing of the old ones stays. */
  replace(steps: readonly SmtpStep[]): void {
    this.cell.update({ steps, drafts: {}, runs: {}, stepErrors: {}, nextStepId: steps[0]?.id });
  }
}
