import { isPlaygroundError } from '../../shared/contract/errors';
import { sentence } from './format';

/** An error as a panel shows it: beside the control that caused it. */
export interface ControlError {
  readonly message: string;
  /** The stable code (E_REFUSED, E_BAD_REQUEST...), for tests and tooltips. */
  readonly code: string;
}

export type ControlErrors<C extends string> = Readonly<Partial<Record<C, ControlError>>>;

export interface Placement<C extends string> {
  /** The control named by the error's field, matched on the field's last part: `payload.connect.port` → `port`. */
  fields?: Readonly<Record<string, C>>;
  /** Controls for codes that always point at one field (E_DNS → the host). */
  codes?: Readonly<Record<string, C>>;
  /** What the user typed into each control, quoted in contract messages ("you typed 70000"). */
  typed?: Readonly<Partial<Record<C, string>>>;
}

/**
 * Where an error from a call belongs and what it says. Contract validation messages
 * look like `tcp.connect: payload.port: port must be from 1 to 65535`; beside the Port
 * field the prefix only repeats what the place already says, so it is dropped.
 */
export function placeError<C extends string>(
  error: unknown,
  fallback: C,
  placement: Placement<C> = {},
): { control: C; error: ControlError } {
  const code = isPlaygroundError(error) ? String(error.code) : 'E_INTERNAL';
  let message = error instanceof Error ? error.message : String(error);
  let control = fallback;
  const field = isPlaygroundError(error) ? error.field : undefined;
  const last = field?.split('.').at(-1);
  if (last !== undefined && placement.fields?.[last] !== undefined) {
    control = placement.fields[last];
    message = message.replace(/^[\w.]+: /, '').replace(/^payload(\.[\w[\]]+)*: /, '');
    const typed = placement.typed?.[control];
    if (typed !== undefined && typed.trim() !== '') message = `${message} (you typed “${typed.trim()}”)`;
  } else if (placement.codes?.[code] !== undefined) {
    control = placement.codes[code];
  }
  return { control, error: { code, message: sentence(message) } };
}

/** The typed text of a port field as a number the contract then checks (range messages come from there). */
export function parsePortField(
  text: string,
  allowZero = false,
): { ok: true; port: number } | { ok: false; message: string } {
  const trimmed = text.trim();
  const range = allowZero ? 'from 0 (any free port) to 65535' : 'from 1 to 65535';
  if (trimmed === '') return { ok: false, message: `Type a port number ${range}, e.g. 12000.` };
  if (!/^\d+$/.test(trimmed)) {
    return { ok: false, message: `“${trimmed}” is not a port number: use a whole number ${range}, e.g. 12000.` };
  }
  return { ok: true, port: Number(trimmed) };
}

/** Seconds as typed ("5", "0.5") to whole milliseconds; empty is allowed only when the wait is optional. */
export function parseSecondsField(
  text: string,
  optional: boolean,
): { ok: true; ms: number | undefined } | { ok: false; message: string } {
  const trimmed = text.trim().replace(',', '.');
  if (trimmed === '') {
    return optional
      ? { ok: true, ms: undefined }
      : { ok: false, message: 'Type how many seconds to wait, e.g. 5 (every wait needs a deadline).' };
  }
  if (!/^\d*\.?\d+$/.test(trimmed)) {
    return { ok: false, message: `“${text.trim()}” is not a number of seconds: write e.g. 5 or 0.5.` };
  }
  return { ok: true, ms: Math.round(Number(trimmed) * 1000) };
}

export function controlError(message: string, code = 'E_BAD_INPUT'): ControlError {
  return { message, code };
}

export function isCancelled(error: unknown): boolean {
  return isPlaygroundError(error) && error.code === 'E_CANCELLED';
}
