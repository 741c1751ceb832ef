import { describe, expect, it } from 'vitest';
import { CancellableCall, checkConnectFields, connectFailure } from '../../../../renderer/net/connect';
import { withoutAnswered, withoutCancelled } from '../../../../renderer/net/replyWaits';
import type { Wait } from '../../../../renderer/net/session';
import { PlaygroundError } from '../../../../shared/contract/errors';

/**
 * The pieces the client panels' models share (TCP, UDP, SMTP, HTTP): Port and Connect
 * deadline checked, a failed connect placed, the connect call Cancel aborts, reply waits.
 * The models' own tests cover them in use; these pin what each piece promises.
 */

const placement = {
  fields: { port: 'port', timeoutMs: 'connectDeadline' },
  codes: { E_DNS: 'host' },
} as const;

describe('checkConnectFields', () => {
  it('gives the port and the deadline in ms, or an error for each field that is wrong', () => {
    expect(checkConnectFields({ port: ' 2525 ', connectDeadline: '0.5' })).toEqual({
      ok: true,
      port: 2525,
      timeoutMs: 500,
    });
    const both = checkConnectFields({ port: 'abc', connectDeadline: '' });
    expect(both.ok).toBe(false);
    if (both.ok) return;
    expect(both.errors.port?.message).toMatch(/“abc” is not a port number/);
    expect(both.errors.connectDeadline?.message).toMatch(/every wait needs a deadline/);
    const deadlineOnly = checkConnectFields({ port: '12000', connectDeadline: 'x' });
    expect(deadlineOnly.ok === false && Object.keys(deadlineOnly.errors)).toEqual(['connectDeadline']);
  });
});

describe('connectFailure', () => {
  const fields = { port: '70000', connectDeadline: '10' };

  it('after Cancel: a warning line, idle again, no error', () => {
    const cancelled = new PlaygroundError({ code: 'E_CANCELLED', message: 'tcp.connect was cancelled' });
    const failure = connectFailure(cancelled, '127.0.0.1:2525', fields, placement);
    expect(failure.line).toEqual({ tone: 'warn', note: 'connecting to 127.0.0.1:2525 was cancelled' });
    expect(failure.error).toBeUndefined();
    expect(failure.patch).toEqual({ phase: 'idle', connectWait: undefined });
  });

  it('a refused field goes beside it quoting what was typed; anything else beside Connect', () => {
    const badPort = new PlaygroundError({
      code: 'E_BAD_REQUEST',
      message: 'tcp.connect: payload.port: port must be from 1 to 65535',
      field: 'payload.port',
    });
    const failure = connectFailure(badPort, '127.0.0.1:70000', fields, placement);
    const message = 'Port must be from 1 to 65535 (you typed “70000”)';
    expect(failure.line).toEqual({ tone: 'error', note: `could not connect to 127.0.0.1:70000: ${message}` });
    expect(failure.patch).toEqual({
      phase: 'idle',
      connectWait: undefined,
      errors: { port: { code: 'E_BAD_REQUEST', message } },
    });
    const refused = new PlaygroundError({ code: 'E_REFUSED', message: 'connection refused' });
    expect(connectFailure(refused, 'x:1', fields, placement).patch.errors).toEqual({
      connect: { code: 'E_REFUSED', message: 'Connection refused' },
    });
    const dns = new PlaygroundError({ code: 'E_DNS', message: 'no such host' });
    expect(Object.keys(connectFailure(dns, 'x:1', fields, placement).patch.errors ?? {})).toEqual(['host']);
  });
});

describe('CancellableCall', () => {
  it('Cancel aborts the call running now, and a call that ends late leaves a newer one cancellable', async () => {
    const calls = new CancellableCall();
    const signals: AbortSignal[] = [];
    const finishers: Array<() => void> = [];
    const call = (signal: AbortSignal) =>
      new Promise<string>((resolve, reject) => {
        signals.push(signal);
        finishers.push(() => resolve('done'));
        signal.addEventListener('abort', () => reject(new Error('aborted')));
      });
    const first = calls.run(call);
    const second = calls.run(call);
    finishers[0]?.();
    expect(await first).toEqual({ ok: true, result: 'done' });
    calls.cancel();
    expect(signals[1]?.aborted).toBe(true);
    expect(signals[0]?.aborted).toBe(false);
    const outcome = await second;
    expect(outcome.ok === false && (outcome.error as Error).message).toBe('aborted');
    calls.cancel(); // nothing running: nothing to do
  });
});

describe('reply waits', () => {
  const waits: readonly Wait[] = [
    { seq: 1, startedAt: 0, timeoutMs: 5000 },
    { seq: 2, startedAt: 0, timeoutMs: 5000 },
  ];

  it('an answer ends its wait; what answers nothing leaves the same array (no new state)', () => {
    expect(withoutAnswered(waits, [{}, { reply: { seq: 2 } }]).map((wait) => wait.seq)).toEqual([1]);
    expect(withoutAnswered(waits, [{}, { reply: undefined }])).toBe(waits);
  });

  it('Cancel beside one wait ends that one; without a seq, all', () => {
    expect(withoutCancelled(waits, 1).map((wait) => wait.seq)).toEqual([2]);
    expect(withoutCancelled(waits, undefined)).toEqual([]);
  });
});
