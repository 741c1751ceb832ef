import type { MailSummary } from '../../../shared/smtp/server/contract';
import { formatByteCount } from '../../../shared/bytes';
import { PlaygroundError } from '../../../shared/contract/errors';

export interface InboxLimit {
  messages: number;
  bytes: number;
}

interface Stored {
  summary: MailSummary;
  raw: Uint8Array;
}

export interface InboxChange {
  added: MailSummary[];
  removed: string[];
}

/**
 * The messages one mail server received, newest last, within a count and a byte bound
 * (the raw sizes): when a new message would pass either, the oldest go. The newest
 * message always stays, even alone over the byte bound, so what just arrived can be
 * looked at. Changes are gathered until taken, for a few inbox events under load.
 */
export class MailInbox {
  private readonly messages = new Map<string, Stored>();
  private totalBytes = 0;
  private evictedCount = 0;
  private change: InboxChange = { added: [], removed: [] };

  constructor(readonly limit: InboxLimit) {}

  get count(): number {
    return this.messages.size;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  get evicted(): number {
    return this.evictedCount;
  }

  add(summary: MailSummary, raw: Uint8Array): void {
    this.messages.set(summary.messageId, { summary, raw });
    this.totalBytes += raw.byteLength;
    this.change.added.push(summary);
    for (const [id, stored] of this.messages) {
      if (this.messages.size <= this.limit.messages && this.totalBytes <= this.limit.bytes) break;
      if (id === summary.messageId) break;
      this.remove(id, stored);
      this.evictedCount++;
    }
  }

  get(messageId: string): Stored {
    const stored = this.messages.get(messageId);
    if (!stored) {
      throw new PlaygroundError({
        code: 'E_NOT_FOUND',
        message: `message '${messageId}' is not in the inbox any more: it was cleared, or removed to keep the inbox within ${this.limit.messages} messages and ${formatByteCount(this.limit.bytes)} (saved .eml files stay).`,
        details: { messageId },
      });
    }
    return stored;
  }

  /** Marks a message as saved to a file. */
  saved(messageId: string, path: string): void {
    const stored = this.messages.get(messageId);
    if (stored) stored.summary = { ...stored.summary, savedAs: path };
  }

  clear(): number {
    const removed = this.messages.size;
    for (const [id, stored] of [...this.messages]) this.remove(id, stored);
    return removed;
  }

  /** What changed since the last call. */
  takeChange(): InboxChange {
    const change = this.change;
    this.change = { added: [], removed: [] };
    // A message added and removed within one batch is not worth announcing.
    const gone = new Set(change.removed);
    const added = new Set(change.added.map((summary) => summary.messageId));
    return {
      added: change.added.filter((summary) => !gone.has(summary.messageId)),
      removed: change.removed.filter((id) => !added.has(id)),
    };
  }

  get changed(): boolean {
    return this.change.added.length > 0 || this.change.removed.length > 0;
  }

  private remove(id: string, stored: Stored): void {
    this.messages.delete(id);
    this.totalBytes -= stored.raw.byteLength;
    this.change.removed.push(id);
  }
}
