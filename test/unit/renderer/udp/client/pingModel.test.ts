import { afterEach, describe, expect, it, vi } from 'vitest';
import type { UdpDatagram } from '../../../../../shared/udp/client/contract';
import { PingModel } from '../../../../../renderer/udp/client/pingModel';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

function datagram(text: string, mono: number): UdpDatagram {
  return {
    at: 0,
    mono,
    from: { address: '127.0.0.1', family: 'IPv4', port: 12000 },
    data: encoder.encode(text),
    size: text.length,
    truncated: false,
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('PingModel', () => {
  it('sends Ping <seq> <time>, takes the uppercased reply within 1 s, times out the rest, ignores late replies', async () => {
    vi.useFakeTimers();
    const sent: string[] = [];
    let mono = 1000;
    const model = new PingModel({
      send: (data) => {
        sent.push(decoder.decode(data));
        mono += 2000;
        return Promise.resolve({ mono });
      },
      now: () => 1_767_225_600_000,
    });
    model.setCount('3');
    const run = model.run();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual(['Ping 1 1767225600.000000']);
    // Another text, then the right one 12.5 ms after the send.
    model.datagrams([datagram('HELLO', mono + 1), datagram('PING 1 1767225600.000000', mono + 12.5)]);
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toHaveLength(2);
    // Ping 2: its reply comes after 1 s by the Node side's clock: too late, so it times out.
    model.datagrams([datagram('PING 2 1767225600.000000', mono + 1001)]);
    await vi.advanceTimersByTimeAsync(1200);
    expect(sent).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1200);
    expect(await run).toBe(true);
    expect(model.state.rows.map((row) => row.rttMs)).toEqual([12.5, null, null]);
    expect(model.samples).toEqual([
      { seq: 1, rttMs: 12.5 },
      { seq: 2, rttMs: null },
      { seq: 3, rttMs: null },
    ]);
    expect(model.state.running).toBe(false);
  });

  it('refuses a count outside 1 to 1000, beside the field', async () => {
    const model = new PingModel({ send: () => Promise.resolve(undefined), now: () => 0 });
    model.setCount('0');
    expect(await model.run()).toBe(false);
    expect(model.state.errors.count?.message).toMatch(/from 1 to 1000/);
  });

  it('stops at a ping that could not be sent', async () => {
    const model = new PingModel({ send: () => Promise.resolve(undefined), now: () => 0 });
    expect(await model.run()).toBe(false);
    expect(model.state.rows).toEqual([]);
    expect(model.state.errors.ping?.message).toMatch(/could not be sent/);
  });
});
