import { describe, expect, it } from 'vitest';
import {
  fitPxPerMs,
  layoutSequence,
  messageLabel,
  previewText,
  timeScale,
  toMermaid,
} from '../../../../renderer/sequence/layout';
import { TranscriptModel, type TranscriptRow } from '../../../../renderer/transcript/model';

/** The ladder's layout from transcript rows: lanes, arrow ends, RTT spans, windowing, Mermaid. */

const utf8 = (text: string) => new TextEncoder().encode(text);

function tcpRows(): readonly TranscriptRow[] {
  const model = new TranscriptModel({ now: () => 1_000 });
  model.append(
    { direction: 'system', mono: 100, at: 1_000, rttMs: 0.4, note: 'connected: this socket a → server b' },
    { direction: 'client-to-server', mono: 110, at: 1_010, seq: 1, data: utf8('HELO x\r\n'), stream: 'c' },
    { direction: 'server-to-client', mono: 112, at: 1_012, seq: 1, rttMs: 2, data: utf8('250 ok\r\n'), stream: 's' },
    { direction: 'server-to-client', mono: 130, at: 1_030, data: Uint8Array.from([0, 1, 2, 250]), stream: 's' },
    { direction: 'system', mono: 140, at: 1_040, note: 'the connection closed (the server finished closing it)' },
  );
  return model.state.rows;
}

describe('layoutSequence', () => {
  it('puts the client end of each arrow at its own stamp and the server end half an RTT away', () => {
    const layout = layoutSequence([{ label: 'Server', rows: tcpRows() }]);
    expect(layout.lanes.map((lane) => lane.label)).toEqual(['Client', 'Server']);
    const [connect, send, reply, blob, close] = layout.events;
    expect(connect).toMatchObject({ kind: 'connect', clientMs: 0, label: 'connected, handshake 0.40 ms' });
    expect(send).toMatchObject({ kind: 'message', fromMs: 10, toMs: 11, estimated: true, label: 'HELO x', bytes: 8 });
    expect(reply).toMatchObject({ kind: 'message', fromMs: 11, toMs: 12, label: '250 ok' });
    expect(reply && previewText(reply)).toBe('250 ok␍␊\n');
    expect(blob).toMatchObject({ label: '4 bytes', estimated: false, fromMs: 30, toMs: 30 });
    expect(close).toMatchObject({ kind: 'close', closedBy: 'server' });
    expect(layout.firstClose).toBe(close);
    expect(layout.rtts).toEqual([{ lane: 1, fromMs: 10, toMs: 12, rttMs: 2 }]);
    expect(layout.durationMs).toBe(40);
  });

  it('gives each source a lane and places them on one time line by their offsets', () => {
    const rows = tcpRows();
    const layout = layoutSequence([
      { label: 'Connection 1', rows, offsetMs: 0 },
      { label: 'Connection 2', rows, offsetMs: 5 },
    ]);
    expect(layout.lanes).toHaveLength(3);
    const connects = layout.events.filter((event) => event.kind === 'connect');
    expect(connects.map((event) => [event.lane, event.clientMs])).toEqual([
      [1, 0],
      [2, 5],
    ]);
  });

  it('keeps only the newest events beyond the limit and counts the rest', () => {
    const model = new TranscriptModel({ maxRows: 20_000 });
    for (let i = 0; i < 3_000; i++) model.append({ direction: 'client-to-server', mono: i, data: utf8('x') });
    const layout = layoutSequence([{ label: 'Server', rows: model.state.rows }], { maxEvents: 2_000 });
    expect(layout.events).toHaveLength(2_000);
    expect(layout.omitted).toBe(1_000);
    expect(layout.total).toBe(3_000);
    expect(layout.events[0]?.clientMs).toBe(0);
  });
});

describe('messageLabel', () => {
  it('says what a message was: its first line when text, else its size', () => {
    expect(messageLabel(utf8('GET / HTTP/1.1\r\nHost: a\r\n\r\n'), 27)).toBe('GET / HTTP/1.1');
    expect(messageLabel(Uint8Array.from([0, 1, 2]), 34)).toBe('34 bytes');
    expect(messageLabel(undefined, 1)).toBe('1 byte');
  });
});

describe('timeScale', () => {
  it('maps ms to px linearly from the top at the zoom asked for', () => {
    const scale = timeScale(100, 40, 2);
    expect(scale(0)).toBe(40);
    expect(scale(50)).toBe(140);
    expect(scale.ticks(5).length).toBeGreaterThan(2);
    expect(fitPxPerMs(200, 400)).toBe(2);
  });
});

describe('toMermaid', () => {
  it('writes participants, arrows with times and sizes, and notes', () => {
    const text = toMermaid(layoutSequence([{ label: 'Server', rows: tcpRows() }]));
    expect(text).toContain('sequenceDiagram\n  participant C as Client\n  participant S1 as Server\n');
    expect(text).toContain('C->>S1: 10.0 ms HELO x (8 bytes)');
    expect(text).toContain('S1->>C: 12.0 ms 250 ok (8 bytes)');
    expect(text).toContain('Note left of C: RTT 2.00 ms');
  });
});
