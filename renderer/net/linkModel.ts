import { describeLink, type EmulatedLink, emulatedLink, type LinkEntry, linkIsIdle } from '../../shared/net/link';
import type { TranscriptInput } from '../transcript/model';
import { type ControlError, controlError, placeError } from './errors';
import type { LogStamp } from './serverLog';
import { Store } from './store';

/** The link's text fields, as typed. */
export type LinkField = 'delay' | 'jitter' | 'loss' | 'bandwidth';

export interface LinkState {
  readonly fields: Readonly<Record<LinkField, string>>;
  readonly errors: Readonly<Partial<Record<LinkField | 'apply', ControlError>>>;
  /** The link the running server has (null: none); undefined while it is stopped. */
  readonly active: EmulatedLink | null | undefined;
  /** Typed but not yet given to the running server. */
  readonly dirty: boolean;
  readonly applying: boolean;
}

const schemaFields: Readonly<Record<string, LinkField>> = {
  delayMs: 'delay',
  returnDelayMs: 'delay',
  jitterMs: 'jitter',
  lossPercent: 'loss',
  bandwidthBytesPerSecond: 'bandwidth',
};

const numberWords: Readonly<Record<LinkField, string>> = {
  delay: 'a number of milliseconds, e.g. 50',
  jitter: 'a number of milliseconds, e.g. 5',
  loss: 'a percentage, e.g. 30',
  bandwidth: 'a number of bytes per second, e.g. 1048576',
};

/**
 * A built-in server's emulated link as the panel edits it: the typed fields, checked by the
 * contract's own schema (its messages appear beside each field), given at Start, or applied
 * to the running server (new traffic only). Empty fields mean no delay, loss or limit.
 */
export class LinkModel extends Store<LinkState> {
  constructor(
    private readonly protocol: 'UDP' | 'TCP',
    private readonly send: (link: EmulatedLink | null) => Promise<unknown>,
  ) {
    super({
      fields: { delay: '', jitter: '', loss: '', bandwidth: '' },
      errors: {},
      active: undefined,
      dirty: false,
      applying: false,
    });
  }

  setField(field: LinkField, value: string): void {
    const { [field]: _, apply: __, ...errors } = this.state.errors;
    this.set({ ...this.state, fields: { ...this.state.fields, [field]: value }, errors, dirty: true });
  }

  /** The link as typed, checked; errors are shown beside their fields when it is not valid. */
  parse(): { ok: true; link: EmulatedLink | null } | { ok: false } {
    const errors: Partial<Record<LinkField, ControlError>> = {};
    const numbers: Partial<Record<LinkField, number>> = {};
    for (const field of Object.keys(this.state.fields) as LinkField[]) {
      const text = this.state.fields[field].trim();
      if (text === '') continue;
      const value = Number(text);
      if (!Number.isFinite(value))
        errors[field] = controlError(`“${text}” is not a number: type ${numberWords[field]}.`);
      else numbers[field] = value;
    }
    if (Object.keys(errors).length > 0) {
      this.set({ ...this.state, errors });
      return { ok: false };
    }
    const parsed = emulatedLink.safeParse({
      delayMs: numbers.delay ?? 0,
      jitterMs: numbers.jitter ?? 0,
      lossPercent: this.protocol === 'UDP' ? (numbers.loss ?? 0) : 0,
      bandwidthBytesPerSecond: numbers.bandwidth ?? null,
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = schemaFields[String(issue.path[0])];
        if (field && !errors[field]) errors[field] = controlError(sentenceOf(issue.message));
      }
      this.set({ ...this.state, errors });
      return { ok: false };
    }
    this.set({ ...this.state, errors: {} });
    return { ok: true, link: linkIsIdle(parsed.data) ? null : parsed.data };
  }

  /** The server started with this link (or stopped: undefined). */
  started(link: EmulatedLink | null | undefined): void {
    this.set({ ...this.state, active: link, dirty: false, applying: false });
  }

  /** Gives the running server the link as typed; it applies to new traffic. */
  async apply(): Promise<boolean> {
    if (this.state.active === undefined || this.state.applying) return false;
    const parsed = this.parse();
    if (!parsed.ok) return false;
    this.set({ ...this.state, applying: true });
    try {
      await this.send(parsed.link);
      this.set({ ...this.state, active: parsed.link, dirty: false, applying: false });
      return true;
    } catch (error) {
      const { control, error: shown } = placeError<LinkField | 'apply'>(error, 'apply', { fields: schemaFields });
      this.set({ ...this.state, applying: false, errors: { ...this.state.errors, [control]: shown } });
      return false;
    }
  }

  /** The badge's text while a link is on. */
  badge(): string | undefined {
    const link = this.state.active;
    return link ? describeLink(link, this.protocol) : undefined;
  }

  /** The server log's line for a 'link' entry. */
  logLine(base: LogStamp, entry: LinkEntry): TranscriptInput {
    const what = entry.link ? `emulated link: ${describeLink(entry.link, this.protocol)}` : 'emulated link off';
    const note = entry.changed
      ? `${what} — applies to new traffic; what is already on the link keeps its timing`
      : `${what} (loopback made to behave like a network; every line it touches says so)`;
    return { ...base, direction: 'system', tone: entry.link ? 'warn' : 'info', note };
  }
}

function sentenceOf(message: string): string {
  const text = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** "delayed 50 ms (emulated link)" for a log line the link held back. */
export function delayedNote(linkDelayMs: number | undefined): string | undefined {
  if (linkDelayMs === undefined || linkDelayMs <= 0) return undefined;
  return `delayed ${formatDelay(linkDelayMs)} (emulated link)`;
}

function formatDelay(ms: number): string {
  return ms >= 10 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`;
}

/** Joins notes that may be missing. */
export function joinNotes(...notes: Array<string | undefined>): string | undefined {
  const present = notes.filter((note): note is string => note !== undefined && note !== '');
  return present.length > 0 ? present.join('; ') : undefined;
}

/** A reply line's note and tone, with the link's delay added to the note. */
export function withDelay(
  line: Pick<TranscriptInput, 'note' | 'tone'>,
  linkDelayMs: number | undefined,
): Pick<TranscriptInput, 'note' | 'tone'> {
  return { ...line, note: joinNotes(delayedNote(linkDelayMs), line.note) };
}
