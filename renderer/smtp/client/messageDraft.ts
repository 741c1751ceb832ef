import { decodeValidUtf8, formatByteCount } from '../../../shared/bytes';
import type { Client } from '../../../shared/contract/client';
import type { RequestOf } from '../../../shared/contract/index';
import { lintMessageStep, type SmtpSessionSnapshot, type SmtpStep, updateStep } from '../../../shared/smtp';
import { maxAttachmentBytes } from '../../../shared/smtp/client/contract';
import { type ControlErrors, controlError, placeError } from '../../net/errors';
import { without } from '../../net/session';

/**
 * The message editor's fields for one message step: headers, body and attachments
 * as the user fills them in. The Node side turns them into MIME source
 * (`smtp.composeMessage`); the source becomes the step's text, which is what is
 * sent and what the raw mode edits. The drafts are plain data, so a conversation
 * can be saved; MessageDrafts edits and builds them inside the conversation's state.
 */

export const messageEditModes = ['raw', 'compose'] as const;
export type MessageEditMode = (typeof messageEditModes)[number];

export const messageEditModeLabels: Record<MessageEditMode, string> = {
  raw: 'Raw: type the DATA bytes yourself',
  compose: 'Compose: headers, body, attachments',
};

export interface DraftAttachment {
  readonly id: string;
  readonly filename: string;
  readonly contentType: string;
  readonly content: Uint8Array;
}

export interface MessageDraft {
  readonly mode: MessageEditMode;
  readonly from: string;
  readonly to: string;
  readonly cc: string;
  readonly subject: string;
  readonly date: string;
  readonly messageId: string;
  readonly body: string;
  /** Optional HTML alternative to the text body. */
  readonly html: string;
  readonly attachments: readonly DraftAttachment[];
  /** Bumped on every change to the fields above, so a built source knows when it went stale. */
  readonly version: number;
  /** The version the step's text was last built from; undefined: never built. */
  readonly builtVersion: number | undefined;
  /** The step's text as the last build wrote it: any other text there was typed (or changed) in Raw. */
  readonly builtText?: string;
  /** The text a build replaced (typed in Raw, or the textbook's), offered back there: a build never loses it. */
  readonly replacedText?: string;
}

export type DraftField = 'from' | 'to' | 'cc' | 'subject' | 'date' | 'messageId' | 'body' | 'html';

export const draftFieldLabels: Record<Exclude<DraftField, 'body' | 'html'>, string> = {
  from: 'From',
  to: 'To',
  cc: 'Cc',
  subject: 'Subject',
  date: 'Date',
  messageId: 'Message-ID',
};

const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** RFC 5322 §3.3 date in UTC: `Sun, 22 Nov 2026 06:50:00 +0000`. */
export function formatMailDate(at: Date): string {
  return `${days[at.getUTCDay()]}, ${at.getUTCDate()} ${months[at.getUTCMonth()]} ${at.getUTCFullYear()} ${two(at.getUTCHours())}:${two(at.getUTCMinutes())}:${two(at.getUTCSeconds())} +0000`;
}

/** `<random@domain>`: unique per message, as RFC 5322 §3.6.4 asks. */
export function makeMessageId(domain: string, random: () => string = () => crypto.randomUUID()): string {
  return `<${random()}@${domain || 'localhost'}>`;
}

export function defaultDraft(options: { now?: Date; body?: string } = {}): MessageDraft {
  return {
    mode: 'raw',
    from: 'alice@crepes.fr',
    to: 'bob@hamburger.edu',
    cc: '',
    subject: 'Ketchup and pickles',
    date: formatMailDate(options.now ?? new Date()),
    messageId: makeMessageId('crepes.fr'),
    body: options.body ?? 'Do you like ketchup?\nHow about pickles?',
    html: '',
    attachments: [],
    version: 0,
    builtVersion: undefined,
  };
}

export function patchDraft(
  draft: MessageDraft,
  change: Partial<Pick<MessageDraft, DraftField | 'attachments'>>,
): MessageDraft {
  return { ...draft, ...change, version: draft.version + 1 };
}

/** The step's text is not what the last build wrote: typed or changed in Raw, or never built. */
export function isTypedInRaw(draft: MessageDraft, text: string): boolean {
  return text !== '' && text !== draft.builtText;
}

export function isDraftStale(draft: MessageDraft): boolean {
  return draft.mode === 'compose' && draft.builtVersion !== draft.version;
}

export function attachmentBytes(draft: MessageDraft): number {
  return draft.attachments.reduce((total, attachment) => total + attachment.content.length, 0);
}

/** Why one more file cannot be attached, or undefined. */
export function attachmentProblem(draft: MessageDraft, adding: number): string | undefined {
  const total = attachmentBytes(draft) + adding;
  if (total <= maxAttachmentBytes) return undefined;
  return `Attachments may total ${formatByteCount(maxAttachmentBytes)}; this would make ${formatByteCount(total)}. Remove one or pick a smaller file.`;
}

/** Comma- or semicolon-separated addresses as a list (empty entries dropped). */
export function addressList(text: string): string[] {
  return text
    .split(/[,;]/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** The editor's fields as nodemailer's MailComposer takes them; empty optional fields are left to it. */
export function composeRequest(draft: MessageDraft): RequestOf<'smtp.composeMessage'> {
  return {
    from: draft.from,
    to: addressList(draft.to),
    cc: addressList(draft.cc),
    subject: draft.subject,
    ...(draft.date.trim() === '' ? {} : { date: draft.date.trim() }),
    ...(draft.messageId.trim() === '' ? {} : { messageId: draft.messageId.trim() }),
    text: draft.body,
    ...(draft.html.trim() === '' ? {} : { html: draft.html }),
    attachments: draft.attachments.map((attachment) => ({
      filename: attachment.filename,
      contentType: attachment.contentType,
      data: attachment.content,
    })),
  };
}

/** The part of the conversation's state the message editor reads and writes. */
interface DraftSlices {
  readonly steps: readonly SmtpStep[];
  readonly drafts: Readonly<Record<string, MessageDraft>>;
  readonly session: SmtpSessionSnapshot;
  readonly stepErrors: ControlErrors<string>;
}

interface DraftCell {
  readonly state: DraftSlices;
  update(change: Partial<DraftSlices>): void;
}

/**
 * The message editor of each message step in a conversation: its fields, attachments, the
 * build of the MIME source into the step's text, and the text typed in Raw kept when a
 * build replaces it.
 */
export class MessageDrafts {
  constructor(
    private readonly cell: DraftCell,
    private readonly client: Client,
  ) {}

  private get state(): DraftSlices {
    return this.cell.state;
  }

  setMode(id: string, mode: MessageEditMode): void {
    const draft = this.state.drafts[id] ?? defaultDraft({ body: this.stepText(id) ?? '' });
    this.setDraft(id, { ...draft, mode });
  }

  edit(id: string, field: DraftField, value: string): void {
    const draft = this.state.drafts[id];
    if (draft) this.setDraft(id, patchDraft(draft, { [field]: value }));
  }

  /** Adds a file's bytes as an attachment; returns why not, when it cannot. */
  attach(id: string, file: { name: string; type: string; content: Uint8Array }): string | undefined {
    const draft = this.state.drafts[id];
    if (!draft) return 'This step is not a message.';
    const problem = attachmentProblem(draft, file.content.length);
    if (problem) {
      this.cell.update({ stepErrors: { ...this.state.stepErrors, [id]: controlError(problem) } });
      return problem;
    }
    const attachment: DraftAttachment = {
      id: `a${draft.version + 1}-${draft.attachments.length + 1}`,
      filename: file.name || 'attachment.bin',
      contentType: file.type || 'application/octet-stream',
      content: file.content,
    };
    this.setDraft(id, patchDraft(draft, { attachments: [...draft.attachments, attachment] }));
    return undefined;
  }

  detach(id: string, attachmentId: string): void {
    const draft = this.state.drafts[id];
    if (!draft) return;
    this.setDraft(id, patchDraft(draft, { attachments: draft.attachments.filter((a) => a.id !== attachmentId) }));
  }

  /**
   * Builds the MIME source from the editor's fields on the Node side (nodemailer's
   * MailComposer) and puts it in the step: what is sent, shown raw, editable.
   */
  async build(id: string): Promise<boolean> {
    const draft = this.state.drafts[id];
    if (!draft) return false;
    try {
      const result = await this.client.call('smtp.composeMessage', composeRequest(draft), { timeoutMs: 30_000 });
      const text = decodeValidUtf8(result.raw);
      const current = this.state.drafts[id] ?? draft;
      const typed = this.stepText(id) ?? '';
      const replacedText = isTypedInRaw(current, typed) ? typed : current.replacedText;
      this.cell.update({
        steps: updateStep(this.state.steps, id, { text }),
        drafts: {
          ...this.state.drafts,
          [id]: { ...current, builtVersion: draft.version, builtText: text, replacedText },
        },
        stepErrors: without(this.state.stepErrors, id),
      });
      return true;
    } catch (error) {
      const shown = placeError(error, 'send').error;
      this.cell.update({
        stepErrors: {
          ...this.state.stepErrors,
          [id]: controlError(`Could not build the message: ${shown.message}`, shown.code),
        },
      });
      return false;
    }
  }

  /** Puts back in Raw the text a build replaced (the built source is one Build away). */
  restoreTypedText(id: string): void {
    const draft = this.state.drafts[id];
    if (draft?.replacedText === undefined) return;
    this.cell.update({
      steps: updateStep(this.state.steps, id, { text: draft.replacedText }),
      drafts: { ...this.state.drafts, [id]: { ...draft, mode: 'raw', replacedText: undefined } },
    });
  }

  /** The message linter's findings for a message step, knowing what the server offered. */
  lint(step: SmtpStep) {
    return lintMessageStep(step, { eightBitMime: this.state.session.ehlo?.eightBitMime ?? false });
  }

  private stepText(id: string): string | undefined {
    return this.state.steps.find((step) => step.id === id)?.text;
  }

  private setDraft(id: string, draft: MessageDraft): void {
    this.cell.update({ drafts: { ...this.state.drafts, [id]: draft } });
  }
}
