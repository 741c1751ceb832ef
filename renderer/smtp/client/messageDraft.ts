import { formatByteCount } from '../../../shared/bytes';
import { maxAttachmentBytes } from '../../../shared/smtp/client/contract';

/**
 * The message editor's fields for one message step: headers, body and attachments
 * as the user fills them in. The Node side turns them into MIME source
 * (`smtp.composeMessage`); the source becomes the step's text, which is what is
 * sent and what the raw mode edits. Plain data, so a conversation can be saved.
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
