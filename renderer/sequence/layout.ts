import { scaleLinear, type ScaleLinear } from 'd3-scale';
import { formatByteCount, formatDuration, toVisibleString } from '../../shared/bytes';
import type { TranscriptRow } from '../transcript/model';

/**
 * A ladder (sequence) diagram laid out from transcript rows: pure code, no DOM, so it is
 * unit-tested in Node. Lanes: the client on the left and one server lane per
 * conversation (an HTTP connection each); time runs down to scale.
 *
 * Every stamp is the client's own (Node's monotonic clock where the client socket is), so
 * the client end of each arrow is where it was measured. The server end is not measured:
 * when a reply's round trip is known, it is placed half an RTT away (the textbook's
 * symmetric assumption) and the arrow is marked `estimated`; otherwise it is level.
 */

export interface SequenceSource {
  /** The server lane's heading: "Server", "Connection 2 (port 51234)". */
  readonly label: string;
  readonly rows: readonly TranscriptRow[];
  /** Milliseconds to add to this source's `elapsedMs` to put it on the shared time line. */
  readonly offsetMs?: number | undefined;
  /** Tells the diagram's picks apart when several transcripts feed one diagram. */
  readonly key?: string | undefined;
}

export interface SequenceLane {
  readonly index: number;
  readonly label: string;
}

export type SequenceEventKind = 'message' | 'connect' | 'close' | 'note';

export interface SequenceEvent {
  readonly kind: SequenceEventKind;
  /** Where the row came from: the source's key and the transcript row's id. */
  readonly sourceKey: string;
  readonly rowId: number;
  /** The server lane (1-based; 0 is the client). */
  readonly lane: number;
  readonly direction: TranscriptRow['direction'];
  /** Time of the client end, ms on the shared time line. */
  readonly clientMs: number;
  /** Send and receive times (ms); for a message one of them is `clientMs`. */
  readonly fromMs: number;
  readonly toMs: number;
  /** True when the server end's time is an estimate (half a measured RTT), not a stamp. */
  readonly estimated: boolean;
  readonly label: string;
  readonly bytes: number | undefined;
  /** The bytes as kept (hover text; see previewText), or undefined for a line without bytes. */
  readonly data: Uint8Array | undefined;
  /** The row's own words. */
  readonly note: string | undefined;
  readonly rttMs: number | undefined;
  /** For a close: who closed. */
  readonly closedBy?: 'client' | 'server' | undefined;
}

export interface RttSpan {
  readonly lane: number;
  readonly fromMs: number;
  readonly toMs: number;
  readonly rttMs: number;
}

export interface SequenceLayout {
  readonly lanes: readonly SequenceLane[];
  readonly events: readonly SequenceEvent[];
  readonly rtts: readonly RttSpan[];
  /** The first close, and who did it, per the rows' own words. */
  readonly firstClose: SequenceEvent | undefined;
  readonly durationMs: number;
  /** Events left out to stay responsive (the oldest go first). */
  readonly omitted: number;
  readonly total: number;
}

/** Beyond this many events only the newest are laid out; the rest are counted. */
export const defaultMaxEvents = 2000;
const labelChars = 48;
const decoder = new TextDecoder();
const previewBytes = 2000;

export function layoutSequence(
  sources: readonly SequenceSource[],
  options: { maxEvents?: number } = {},
): SequenceLayout {
  const maxEvents = Math.max(1, options.maxEvents ?? defaultMaxEvents);
  const lanes: SequenceLane[] = [{ index: 0, label: 'Client' }];
  // Rows are placed and sorted first; only the kept ones become events (labels, previews).
  const all: Array<{
    row: TranscriptRow;
    at: number;
    lane: number;
    offset: number;
    sourceKey: string;
    halfRtt: ReadonlyMap<number, number>;
  }> = [];
  const rtts: RttSpan[] = [];
  sources.forEach((source, sourceIndex) => {
    const lane = sourceIndex + 1;
    lanes.push({ index: lane, label: source.label });
    const offset = source.offsetMs ?? 0;
    const sourceKey = source.key ?? String(sourceIndex);
    // Half of each measured round trip, by the seq of the request it answers.
    const halfRtt = new Map<number, number>();
    const sendAt = new Map<number, number>();
    for (const row of source.rows) {
      if (row.seq === undefined) continue;
      if (row.direction === 'client-to-server' && !sendAt.has(row.seq)) sendAt.set(row.seq, row.elapsedMs + offset);
      if (row.direction !== 'server-to-client' || halfRtt.has(row.seq)) continue;
      // The row's own round trip, else the time from the request of the same seq (HTTP numbers both).
      const to = row.elapsedMs + offset;
      const from = sendAt.get(row.seq);
      const rttMs = row.rttMs ?? (from === undefined ? undefined : to - from);
      if (rttMs === undefined) continue;
      halfRtt.set(row.seq, rttMs / 2);
      rtts.push({ lane, fromMs: from ?? to - rttMs, toMs: to, rttMs });
    }
    for (const row of source.rows) all.push({ row, at: row.elapsedMs + offset, lane, offset, sourceKey, halfRtt });
  });
  // Each source is in time order already; a stable sort keeps rows at the same time in order.
  if (sources.length > 1) all.sort((a, b) => a.at - b.at);
  const total = all.length;
  const kept = total > maxEvents ? all.slice(total - maxEvents) : all;
  const events = kept.map((item) => toEvent(item.row, item.lane, item.offset, item.sourceKey, item.halfRtt));
  const start = events.reduce((min, event) => Math.min(min, event.clientMs), events[0]?.clientMs ?? 0);
  const shiftedEvents = start === 0 ? events : events.map((event) => shift(event, -start));
  const shiftedRtts = rtts
    .filter((span) => span.toMs >= start)
    .map((span) => ({ ...span, fromMs: Math.max(0, span.fromMs - start), toMs: span.toMs - start }));
  const end = shiftedEvents.reduce((max, event) => Math.max(max, event.fromMs, event.toMs), 0);
  return {
    lanes,
    events: shiftedEvents,
    rtts: shiftedRtts,
    firstClose: shiftedEvents.find((event) => event.kind === 'close'),
    durationMs: end,
    omitted: total - events.length,
    total,
  };
}

function shift(event: SequenceEvent, by: number): SequenceEvent {
  return { ...event, clientMs: event.clientMs + by, fromMs: event.fromMs + by, toMs: event.toMs + by };
}

function toEvent(
  row: TranscriptRow,
  lane: number,
  offset: number,
  sourceKey: string,
  halfRtt: ReadonlyMap<number, number>,
): SequenceEvent {
  const at = row.elapsedMs + offset;
  const bytes = row.size ?? row.data?.length;
  const base = { sourceKey, rowId: row.id, lane, direction: row.direction, clientMs: at, rttMs: row.rttMs };
  if (row.direction === 'system') {
    const note = row.note ?? '';
    const kind = systemKind(note);
    const label =
      kind === 'connect' && row.rttMs !== undefined ? `connected, handshake ${formatDuration(row.rttMs)}` : note;
    return {
      ...base,
      kind,
      fromMs: at,
      toMs: at,
      estimated: false,
      label: clip(label, labelChars * 2),
      bytes: undefined,
      data: undefined,
      note,
      closedBy: kind === 'close' ? closedBy(note) : undefined,
    };
  }
  const oneWay = row.seq === undefined ? undefined : halfRtt.get(row.seq);
  const outbound = row.direction === 'client-to-server';
  const fromMs = outbound ? at : at - (oneWay ?? 0);
  const toMs = outbound ? at + (oneWay ?? 0) : at;
  return {
    ...base,
    kind: 'message',
    fromMs,
    toMs,
    estimated: oneWay !== undefined,
    label: row.data || !row.note ? messageLabel(row.data, bytes) : clip(row.note, labelChars),
    bytes,
    data: row.data,
    note: row.note,
  };
}

function systemKind(note: string): SequenceEventKind {
  if (/^connected\b/i.test(note) || /\bopened\b/i.test(note)) return 'connect';
  if (/\b(closed?|reset|FIN|shut down)\b/i.test(note)) return 'close';
  return 'note';
}

function closedBy(note: string): 'client' | 'server' {
  return /\b(server|peer)\b/i.test(note) ? 'server' : 'client';
}

/**
 * The hover text: the bytes with CR, LF, TAB and other controls as visible glyphs (and a
 * line break after each LF), else the row's words. Made on demand: for thousands of
 * arrows it costs more than the rest of the layout together.
 */
export function previewText(event: SequenceEvent): string {
  if (!event.data) return event.note ?? '';
  const text = toVisibleString(event.data.subarray(0, previewBytes), { lineBreaks: true });
  return event.data.length > previewBytes ? `${text}…` : text;
}

/**
 * What a message was, in a few words: its first line when it is text (the SMTP command,
 * the HTTP request or status line), else "34 bytes".
 */
export function messageLabel(data: Uint8Array | undefined, bytes: number | undefined): string {
  const count = formatByteCount(bytes ?? data?.length ?? 0);
  if (!data || data.length === 0) return count;
  const head = data.subarray(0, 200);
  let printable = 0;
  for (const byte of head)
    if ((byte >= 0x20 && byte < 0x7f) || byte === 0x0d || byte === 0x0a || byte === 0x09) printable++;
  if (printable < head.length * 0.9) return count;
  const text = decoder.decode(head);
  const line = text.split(/\r?\n/)[0]?.trim() ?? '';
  if (line === '') return count;
  return clip(line, labelChars);
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The time scale: ms → px, from `top`, `pxPerMs` (zoom) pixels for each ms. */
export function timeScale(durationMs: number, top: number, pxPerMs: number): ScaleLinear<number, number> {
  const end = Math.max(durationMs, 1e-3);
  return scaleLinear()
    .domain([0, end])
    .range([top, top + end * pxPerMs]);
}

/**
 * Pixels per ms for a first view: the whole conversation in about `height` px, but never
 * so compressed that two events sit closer than a hair apart on average.
 */
export function fitPxPerMs(durationMs: number, height: number): number {
  if (durationMs <= 0) return 1;
  return height / durationMs;
}

/** The conversation as Mermaid sequence-diagram text (Mermaid has no time axis: times go in the labels). */
export function toMermaid(layout: SequenceLayout): string {
  const name = (lane: number) => (lane === 0 ? 'C' : `S${lane}`);
  const lines = ['sequenceDiagram'];
  for (const lane of layout.lanes) lines.push(`  participant ${name(lane.index)} as ${mermaidText(lane.label)}`);
  for (const event of layout.events) {
    const t = formatDuration(event.clientMs);
    const server = name(event.lane);
    if (event.kind === 'message') {
      const count = event.bytes === undefined ? undefined : formatByteCount(event.bytes);
      const bytes = count === undefined || count === event.label ? '' : ` (${count})`;
      const arrow = event.direction === 'client-to-server' ? `C->>${server}` : `${server}->>C`;
      lines.push(`  ${arrow}: ${mermaidText(`${t} ${event.label}${bytes}`)}`);
    } else {
      lines.push(`  Note over C,${server}: ${mermaidText(`${t} ${event.label}`)}`);
    }
  }
  for (const span of layout.rtts) {
    lines.push(`  Note left of C: ${mermaidText(`RTT ${formatDuration(span.rttMs)}`)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Mermaid treats `;`, `#` and line breaks specially; they become entity codes. */
function mermaidText(text: string): string {
  return text.replace(/[#;\r\n]/g, (c) => `#${c.charCodeAt(0)};`);
}
