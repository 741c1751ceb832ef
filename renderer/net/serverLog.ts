import type { z } from 'zod';
import { formatByteCount } from '../../shared/bytes';
import type { acceptedEntry, errorEntry, stoppedEntry } from '../../shared/net/serverContract';
import type { TranscriptInput } from '../transcript/model';

/**
 * Log lines that read the same in every built-in server's log (TCP, UDP, web, mail): each
 * protocol words its own notes, these give them the same tone and shape.
 */

/** When a log entry happened, as the Node side stamped it. */
export type LogStamp = Pick<TranscriptInput, 'at' | 'mono'>;

/** The log entries every server's contract shares (shared/net/serverContract.ts). */
export type AcceptedEntry = z.infer<typeof acceptedEntry>;
export type ErrorEntry = z.infer<typeof errorEntry>;
export type StoppedEntry = z.infer<typeof stoppedEntry>;

/** The line saying the server listens, then the Node side's warning (all interfaces) if it gave one. */
export function listeningLines(base: LogStamp, note: string, warning: string | undefined): TranscriptInput[] {
  const lines: TranscriptInput[] = [{ ...base, direction: 'system', tone: 'ok', note }];
  if (warning) lines.push({ ...base, direction: 'system', tone: 'warn', note: warning });
  return lines;
}

/** An error the server reported, on the client's line when it concerns one. */
export function errorLine(base: LogStamp, party: string | undefined, error: { message: string }): TranscriptInput {
  return { ...base, direction: 'system', tone: 'error', party, note: error.message };
}

/** The server stopped: as asked (`stoppedNote`), or after an error. */
export function stoppedLine(
  base: LogStamp,
  reason: StoppedEntry['reason'],
  stoppedNote: string,
  errorNote = 'the server stopped after an error',
): TranscriptInput {
  return {
    ...base,
    direction: 'system',
    tone: reason === 'error' ? 'error' : 'info',
    note: reason === 'error' ? errorNote : stoppedNote,
  };
}

/** An echo or uppercase reply: bytes that were not UTF-8 went back as they came, which is worth a warning. */
export function unchangedBytesNote(invalidUtf8Bytes: number | undefined): Pick<TranscriptInput, 'note' | 'tone'> {
  return {
    note: invalidUtf8Bytes
      ? `${formatByteCount(invalidUtf8Bytes)} that were not valid UTF-8 went back unchanged`
      : undefined,
    tone: invalidUtf8Bytes ? 'warn' : undefined,
  };
}
