import type { TranscriptOptions } from '../transcript/model';
import type { ControlError, ControlErrors } from './errors';

/** A wait the user sees counting down (wall-clock start, so it survives a re-render or a tab switch). */
export interface Wait {
  /** The send it belongs to (reply waits). */
  readonly seq?: number | undefined;
  readonly startedAt: number;
  readonly timeoutMs: number;
}

export interface ModelOptions {
  transcript?: TranscriptOptions;
  /** Wall clock for countdowns. */
  now?: () => number;
}

/** `invalid`: the input was refused before anything was sent (the message says why, beside the field). */
export type SendOutcome = 'sent' | 'invalid' | 'failed';

export function without<C extends string>(errors: ControlErrors<C>, ...controls: C[]): ControlErrors<C> {
  if (!controls.some((control) => errors[control] !== undefined)) return errors;
  const copy: { [K in C]?: ControlError } = { ...errors };
  for (const control of controls) delete copy[control];
  return copy;
}
