import { describe, expect, it } from 'vitest';
import { SessionTranscript } from '../../../../renderer/net/sessionTranscript';
import { type TranscriptInput, TranscriptModel, type TranscriptRow } from '../../../../renderer/transcript/model';
import { formatElapsed, rowSegments, rowToText, visibleBytes } from '../../../../renderer/transcript/rowFormat';
import { parseEscapes, segmentsToOriginalText } from '../../../../shared/bytes';

/**
 * The transcript model without a DOM: how bytes are split into what each row shows,
 * the clock, the bounds, and the copied text. The lab tests (rendererLab.test.ts) feed
 * it from the real services; these pin the edge cases down exactly.
 */

const bytes = (...values: number[]) => Uint8Array.from(values);
const utf8 = (text: string) => new TextEncoder().encode(text);

function rows(model: TranscriptModel): readonly TranscriptRow[] {
  return model.state.rows;
}

function shown(row: TranscriptRow | undefined): string {
  if (!row) throw new Error('no such row');
  return segmentsToOriginalText(rowSegments(row));
}

function stream(model: TranscriptModel, ...chunks: Uint8Array[]): void {
  for (const data of chunks) model.append({ direction: 'server-to-client', data, stream: 'rx' });
}

describe('a byte stream split across chunks', () => {
  it('shows a character held back over a chunk too short to finish it, whole, where it completes', () => {
    const model = new TranscriptModel({ now: () => 0 });
    // € is E2 82 AC: one byte per chunk, then the last byte with more text.
    stream(model, bytes(0xe2), bytes(0x82), bytes(0xac, 0x78));
    const [first, second, third] = rows(model);
    expect(first?.heldBytes).toBe(1);
    expect(shown(first)).toBe('');
    expect(second?.heldBytes).toBe(1);
    expect(shown(second)).toBe('');
    expect(shown(third)).toBe('€x');
    // Each row still counts its own bytes on the wire.
    expect(rows(model).map((row) => row.size)).toEqual([1, 1, 2]);
  });

  it('shows a held byte as invalid in the next row when the next chunk does not continue it', () => {
    const model = new TranscriptModel({ now: () => 0 });
    stream(model, bytes(0x61, 0xe2), bytes(0xc3), bytes(0x9f));
    const [first, second, third] = rows(model);
    expect(shown(first)).toBe('a');
    const segments = rowSegments(second as TranscriptRow);
    expect(segments.map((segment) => segment.kind)).toEqual(['invalid']);
    expect(segments[0]?.text).toBe('\\xE2');
    expect(shown(third)).toBe('ß');
  });

  it('reports what a stream left unfinished as invalid once it ends', () => {
    const model = new TranscriptModel({ now: () => 0 });
    stream(model, bytes(0x6f, 0x6b, 0xe2), bytes(0x82));
    model.endStream('rx');
    const last = rows(model).at(-1) as TranscriptRow;
    expect(last.heldBytes).toBe(0);
    expect(Array.from(visibleBytes(last))).toEqual([0xe2, 0x82]);
    expect(rowSegments(last).map((segment) => segment.text)).toEqual(['\\xE2\\x82']);
  });

  it('keeps two streams apart: each direction has its own decoder', () => {
    const model = new TranscriptModel({ now: () => 0 });
    const sharp = utf8('ß');
    model.append({ direction: 'client-to-server', data: sharp.subarray(0, 1), stream: 'tx' });
    model.append({ direction: 'server-to-client', data: utf8('OK'), stream: 'rx' });
    model.append({ direction: 'client-to-server', data: sharp.subarray(1), stream: 'tx' });
    expect(rows(model).map(shown)).toEqual(['', 'OK', 'ß']);
  });

  it('decodes each datagram on its own: a message boundary is not a chunk boundary', () => {
    const model = new TranscriptModel({ now: () => 0 });
    const euro = utf8('€');
    model.append({ direction: 'server-to-client', data: euro.subarray(0, 1) });
    model.append({ direction: 'server-to-client', data: euro.subarray(1) });
    expect(rows(model).map((row) => row.heldBytes)).toEqual([0, 0]);
    expect(rowSegments(rows(model)[0] as TranscriptRow)[0]?.kind).toBe('invalid');
    expect(rowSegments(rows(model)[1] as TranscriptRow).every((segment) => segment.kind === 'invalid')).toBe(true);
  });

  it('cuts a long row for display without splitting a character at the cut', () => {
    const model = new TranscriptModel({ now: () => 0 });
    model.append({ direction: 'server-to-client', data: utf8('aßb') });
    const row = rows(model)[0] as TranscriptRow;
    // 'a' is 1 byte, 'ß' 2: a 2-byte preview shows 'a' rather than half of ß as invalid.
    expect(segmentsToOriginalText(rowSegments(row, 2))).toBe('a');
    expect(segmentsToOriginalText(rowSegments(row, 3))).toBe('aß');
  });
});

describe('a flood past the display cap', () => {
  const chunk = () => new Uint8Array(1000).fill(0x61);

  it('folds plain chunks past the cap into one line that counts them, worded once per append', () => {
    const model = new TranscriptModel({ now: () => 0, streamDisplayBytes: 2000 });
    stream(model, chunk(), chunk());
    model.append(
      ...Array.from({ length: 5 }, () => ({ direction: 'server-to-client' as const, data: chunk(), stream: 'rx' })),
    );
    model.append({ direction: 'server-to-client', data: chunk(), size: 1500, stream: 'rx' });
    expect(rows(model)).toHaveLength(3);
    const fold = rows(model)[2];
    expect(fold?.data).toBeUndefined();
    expect(fold?.size).toBe(6500);
    expect(fold?.note).toMatch(
      /^6 more chunks until \+0\.000 s, not shown here: this view shows the first 2,000 bytes each way/,
    );
    expect(fold?.note).toMatch(/500 bytes of them were not kept by the session$/);
  });

  it('still shows a reply or a system line, and folds what follows on a new line after it', () => {
    const model = new TranscriptModel({ now: () => 0, streamDisplayBytes: 1000 });
    stream(model, chunk(), chunk());
    model.append({ direction: 'server-to-client', data: utf8('PONG'), stream: 'rx', seq: 1, rttMs: 2 });
    model.append({ direction: 'system', note: 'something happened' });
    stream(model, chunk(), chunk());
    const shownRows = rows(model);
    expect(shownRows.map((row) => row.note?.split(' ').slice(0, 3).join(' '))).toEqual([
      undefined,
      '1 more chunk',
      undefined,
      'something happened',
      '2 more chunks',
    ]);
    expect(shown(shownRows[2])).toBe('PONG');
  });

  it('starts again for a new connection once the stream ended', () => {
    const model = new TranscriptModel({ now: () => 0, streamDisplayBytes: 1000 });
    stream(model, chunk(), chunk());
    model.endStream('rx');
    stream(model, chunk());
    expect(rows(model).map((row) => row.data?.length)).toEqual([1000, undefined, 1000]);
  });
});

describe('time since start', () => {
  it('uses the Node side’s monotonic clock between stamped lines', () => {
    const model = new TranscriptModel({ now: () => 0 });
    model.append({ direction: 'system', at: 1_000_000, mono: 500, note: 'open' });
    model.append({ direction: 'client-to-server', at: 1_000_001, mono: 512.25, data: utf8('x') });
    expect(rows(model).map((row) => row.elapsedMs)).toEqual([0, 12.25]);
    expect(formatElapsed(12.25)).toBe('+0.012 s');
    expect(formatElapsed(125_300)).toBe('+2:05.300');
  });

  it('places a line without a stamp (a failed connect) by the wall clock, before and after stamped lines', () => {
    let now = 5_000;
    const model = new TranscriptModel({ now: () => now });
    model.append({ direction: 'system', tone: 'error', note: 'could not connect' });
    now = 5_300;
    model.append({ direction: 'system', at: 5_250, mono: 90_000, note: 'connected' });
    now = 6_000;
    model.append({ direction: 'system', note: 'cancelled' });
    expect(rows(model).map((row) => row.elapsedMs)).toEqual([0, 250, 1000]);
  });
});

describe('a line the page stamps itself, and a fast reply', () => {
  it('never shows a sent line after the reply the Node side stamped, nor before the line above it', () => {
    let now = 0;
    const model = new TranscriptModel({ now: () => now });
    // Node's wall clock is whole milliseconds: at 1_000_000.9 it says 1_000_000.
    model.append({ direction: 'system', at: 1_000_000, mono: 500.9, note: 'connected' });
    // The page sends at 1_000_001.2 (its clock says 1_000_001); the reply is stamped 0.3 ms later.
    now = 1_000_001;
    model.append({ direction: 'client-to-server', data: utf8('HELO x\r\n') });
    model.append({ direction: 'server-to-client', at: 1_000_001, mono: 501.5, data: utf8('250 ok\r\n') });
    // The next line goes out at once, in the same millisecond: not before the reply above it.
    model.append({ direction: 'client-to-server', data: utf8('MAIL FROM:<a@b>\r\n') });
    const elapsed = rows(model).map((row) => row.elapsedMs);
    expect(elapsed).toEqual([...elapsed].sort((a, b) => a - b));
    expect(elapsed[1]).toBeCloseTo(0.6, 6);
    expect(elapsed[2]).toBeCloseTo(0.6, 6);
    expect(elapsed[3]).toBeGreaterThanOrEqual(elapsed[2] as number);
  });
});

describe('bounds and copying', () => {
  it('says how many bytes of a row were counted but not kept', () => {
    const model = new TranscriptModel({ now: () => 0 });
    model.append({ direction: 'server-to-client', data: utf8('abcd'), size: 10 });
    const row = rows(model)[0] as TranscriptRow;
    expect(row.notKept).toBe(6);
    expect(rowToText(row)).toContain('(6 bytes not kept)');
  });

  it('copies each line with its bytes escaped so that parseEscapes gives back exactly those bytes', () => {
    const model = new TranscriptModel({ now: () => 0 });
    const sent = bytes(0x61, 0x5c, 0x09, 0x0d, 0x0a, 0xff, 0xc3, 0x9f);
    const input: TranscriptInput = { direction: 'client-to-server', at: 1, mono: 1, data: sent, seq: 3, rttMs: 1.5 };
    model.append(input);
    const line = model.toText();
    expect(line).toMatch(/^\+0\.000 s {2}client → server {2}8 bytes {2}#3 {2}RTT 1\.50 ms {2}/);
    const escaped = line.split('  ').at(-1) as string;
    expect(escaped).toBe('a\\\\\\t\\r\\n\\xFFß');
    const parsed = parseEscapes(escaped);
    expect(parsed.ok && Array.from(parsed.bytes)).toEqual(Array.from(sent));
  });

  it('tells subscribers about every change, with a new snapshot each time', () => {
    const model = new TranscriptModel({ now: () => 0 });
    const seen: unknown[] = [];
    const unsubscribe = model.subscribe(() => seen.push(model.state));
    model.append({ direction: 'system', note: 'one' });
    model.setViewMode('hex');
    model.setViewMode('hex');
    unsubscribe();
    model.append({ direction: 'system', note: 'two' });
    expect(seen).toHaveLength(2);
    expect(seen[0]).not.toBe(seen[1]);
    expect(model.state.viewMode).toBe('hex');
  });
});

describe('a session transcript built from contract results and events', () => {
  const at = (mono: number) => ({ at: 1_700_000_000_000 + mono, mono });
  const local = { address: '127.0.0.1', family: 'IPv4' as const, port: 50000 };
  const peer = { address: '127.0.0.1', family: 'IPv4' as const, port: 12000 };

  it('says when the socket stopped reading because the page was behind, and when it resumed', () => {
    const session = new SessionTranscript({ now: () => 0 });
    session.builder.event('tcp.flow', {
      ...at(5),
      sessionId: 's1',
      paused: true,
      queuedBytes: 9 * 1024 * 1024,
      pausedMs: 0,
    });
    session.builder.event('tcp.flow', { ...at(355), sessionId: 's1', paused: false, queuedBytes: 0, pausedMs: 350 });
    expect(session.builder.entries.map((entry) => entry.kind)).toEqual(['paused', 'resumed']);
    session.sync();
    expect(session.builder.entries).toEqual([]);
    const [paused, resumed] = session.view.state.rows;
    expect(paused).toMatchObject({ direction: 'system', tone: 'warn' });
    expect(paused?.note).toMatch(/^receiver paused: the page is behind \(9\.0 MiB of events waiting for it\)/);
    expect(paused?.note).toMatch(/TCP's flow control now slows the server$/);
    expect(resumed?.note).toMatch(/^receiver resumed: the page caught up after 350 ms; reading again$/);
  });

  it('builds the serialisable entries and shows the same conversation, a split ß whole', () => {
    const session = new SessionTranscript({ now: () => 0 });
    session.builder.opened('tcp', {
      ...at(100),
      sessionId: 's1',
      local,
      peer,
      connectMs: 0.25,
      resolved: [{ address: '127.0.0.1', family: 'IPv4' }],
      attempts: [],
      keepLimit: 1024,
    });
    const entries = [...session.builder.entries];
    session.sync();
    const reply = utf8('STRASSE\r\n');
    const totals = { receivedBytes: 9, keptBytes: 9, droppedBytes: 0, keepLimit: 1024 };
    session.builder.event('tcp.data', {
      ...at(101),
      sessionId: 's1',
      chunks: [
        { ...at(101), data: reply.subarray(0, 4), bytes: 4, reply: { seq: 1, rttMs: 0.9 } },
        { ...at(101.5), data: reply.subarray(4), bytes: 5 },
      ],
      ...totals,
    });
    session.builder.event('tcp.closed', {
      ...at(103),
      sessionId: 's1',
      reason: 'peer',
      sentBytes: 9,
      receivedBytes: 9,
    });
    entries.push(...session.builder.entries);
    session.sync();

    // The page keeps the rows only: each sync takes the entries out of the builder.
    expect(entries.map((entry) => entry.kind)).toEqual(['open', 'receive', 'receive', 'close']);
    expect(session.builder.entries).toEqual([]);
    const view = rows(session.view);
    expect(view.map((row) => row.direction)).toEqual(['system', 'server-to-client', 'server-to-client', 'system']);
    expect(view[0]?.note).toContain('127.0.0.1:50000 → server 127.0.0.1:12000');
    expect(view[0]?.rttMs).toBe(0.25);
    expect(view[1]?.rttMs).toBe(0.9);
    expect(view.slice(1, 3).map(shown).join('')).toBe('STRASSE\r\n');
    expect(view[3]?.elapsedMs).toBe(3);
  });

  it('keeps a growing dropped total on one "not kept" line while nothing comes between', () => {
    const session = new SessionTranscript({ now: () => 0 });
    const event = (droppedBytes: number) => ({
      ...at(10),
      sessionId: 's2',
      chunks: [],
      receivedBytes: 100 + droppedBytes,
      keptBytes: 100,
      droppedBytes,
      keepLimit: 100,
    });
    session.builder.event('tcp.data', event(50));
    session.builder.event('tcp.data', event(50));
    session.builder.event('tcp.data', event(80));
    session.sync();
    const first = rows(session.view);
    expect(first.map((row) => row.note)).toEqual([
      'truncated: 80 bytes received beyond the 100-byte keep limit were counted but not kept',
    ]);
    expect(first[0]?.tone).toBe('warn');
    // A later sync updates the same line (its id and time stay), until another line comes between.
    session.builder.event('tcp.data', { ...event(120), ...at(20) });
    session.sync();
    const second = rows(session.view);
    expect(second).toHaveLength(1);
    expect(second[0]).toMatchObject({ id: first[0]?.id, elapsedMs: first[0]?.elapsedMs });
    expect(second[0]?.note).toMatch(/^truncated: 120 bytes/);
    session.builder.event('tcp.peerEnded', { ...at(30), sessionId: 's2' });
    session.builder.event('tcp.data', event(130));
    session.sync();
    expect(rows(session.view).map((row) => row.note)).toEqual([
      expect.stringMatching(/^truncated: 120 bytes/),
      expect.stringMatching(/FIN/),
      expect.stringMatching(/^truncated: 130 bytes/),
    ]);
  });
});
