import {
  concatBytes,
  createStreamDecoder,
  formatByteCount,
  formatDuration,
  segmentsToEscapedText,
  toVisibleSegments,
  type VisibleSegment,
} from '../../shared/bytes';
import type { TranscriptDirection, TranscriptRow } from './model';

/* How a transcript row reads: its bytes as shown, its labels, and its line in "Copy as text". */

const empty = new Uint8Array(0);

/** The bytes a row shows as text: the character begun in the previous chunk, its own bytes, minus what the next finishes. */
export function visibleBytes(row: TranscriptRow, limit = Number.POSITIVE_INFINITY): Uint8Array {
  if (!row.data) return empty;
  const own = row.data.subarray(0, row.data.length - row.heldBytes);
  const bytes = row.leadIn.length > 0 ? concatBytes([row.leadIn, own]) : own;
  return bytes.length > limit ? bytes.subarray(0, limit) : bytes;
}

/**
 * Segments for showing a row, cut to `limit` bytes without splitting a character at
 * the cut (a cut character is left for "show all", not shown as invalid).
 */
export function rowSegments(row: TranscriptRow, limit = Number.POSITIVE_INFINITY): VisibleSegment[] {
  const bytes = visibleBytes(row);
  if (bytes.length <= limit) return toVisibleSegments(bytes);
  return createStreamDecoder().push(bytes.subarray(0, limit));
}

export function directionLabel(direction: TranscriptDirection): string {
  if (direction === 'client-to-server') return 'client → server';
  if (direction === 'server-to-client') return 'server → client';
  return 'system';
}

/** `+0.012 s`, `+12.345 s`, `+2:05.300`: milliseconds visible, width stable. */
export function formatElapsed(ms: number): string {
  const totalMs = Math.max(0, Math.round(ms));
  const seconds = totalMs / 1000;
  if (seconds < 60) return `+${seconds.toFixed(3)} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = (totalMs - minutes * 60_000) / 1000;
  return `+${minutes}:${rest.toFixed(3).padStart(6, '0')}`;
}

export function sizeLabel(row: TranscriptRow): string | undefined {
  return row.size === undefined ? undefined : formatByteCount(row.size);
}

export function rttLabel(row: TranscriptRow): string | undefined {
  return row.rttMs === undefined ? undefined : `RTT ${formatDuration(row.rttMs)}`;
}

export function rowToText(row: TranscriptRow): string {
  const parts = [formatElapsed(row.elapsedMs), directionLabel(row.direction)];
  if (row.party) parts.push(row.party);
  const size = sizeLabel(row);
  if (size) parts.push(size);
  if (row.seq !== undefined) parts.push(`#${row.seq}`);
  const rtt = rttLabel(row);
  if (rtt) parts.push(rtt);
  if (row.note) parts.push(row.note);
  if (row.notKept > 0) parts.push(`(${formatByteCount(row.notKept)} not kept)`);
  if (row.data) parts.push(segmentsToEscapedText(toVisibleSegments(visibleBytes(row))));
  return parts.join('  ');
}
