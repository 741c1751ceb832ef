import { describe, expect, it } from 'vitest';
import { ByteBudget } from '../../../../electron/net/byteBudget';
import { Coalescer } from '../../../../electron/net/coalescer';
import { netError } from '../../../../electron/net/errors';
import { ReplyWaits } from '../../../../electron/net/replyWaits';
import { hostName, listenPort } from '../../../../shared/net/contract';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Coalescer', () => {
  it('sends the first item after a quiet spell at once, then at most one batch per interval', async () => {
    const batches: number[][] = [];
    const coalescer = new Coalescer<number>({
      intervalMs: 40,
      maxBytes: 1_000_000,
      maxItems: 1_000,
      flush: (items) => batches.push(items),
    });
    coalescer.push(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1]]);
    for (let i = 2; i <= 50; i++) coalescer.push(i);
    expect(batches).toHaveLength(1);
    await sleep(80);
    expect(batches).toHaveLength(2);
    expect(batches[1]).toHaveLength(49);
    coalescer.close();
  });

  it('flushes at once when the byte or item limit is reached, so memory stays bounded', () => {
    const batches: number[][] = [];
    const coalescer = new Coalescer<number>({
      intervalMs: 10_000,
      maxBytes: 100,
      maxItems: 5,
      flush: (items) => batches.push(items),
    });
    coalescer.push(1, 60);
    coalescer.push(2, 60);
    expect(batches).toEqual([[1, 2]]);
    for (let i = 0; i < 5; i++) coalescer.push(i, 1);
    expect(batches[1]).toEqual([0, 1, 2, 3, 4]);
    coalescer.close();
  });

  it('sends a prompt item (a reply) on the next turn even within the interval, together with what waited', async () => {
    const batches: number[][] = [];
    const coalescer = new Coalescer<number>({
      intervalMs: 10_000,
      maxBytes: 1_000_000,
      maxItems: 1_000,
      flush: (items) => batches.push(items),
    });
    const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
    coalescer.push(1);
    await nextTurn();
    coalescer.push(2);
    await nextTurn();
    expect(batches).toEqual([[1]]);
    coalescer.push(3, 0, true);
    await nextTurn();
    expect(batches).toEqual([[1], [2, 3]]);
    coalescer.close();
  });

  it('close flushes what is pending and ignores later items', () => {
    const batches: number[][] = [];
    const coalescer = new Coalescer<number>({
      intervalMs: 10_000,
      maxBytes: 100,
      maxItems: 100,
      flush: (items) => batches.push(items),
    });
    coalescer.push(1);
    coalescer.close();
    coalescer.push(2);
    expect(batches).toEqual([[1]]);
  });
});

describe('ByteBudget', () => {
  it('keeps up to the limit, then counts the rest as dropped', () => {
    const budget = new ByteBudget(10);
    expect(budget.take(6)).toBe(6);
    expect(budget.take(6)).toBe(4);
    expect(budget.take(6)).toBe(0);
    expect(budget.totals()).toEqual({ receivedBytes: 18, keptBytes: 10, droppedBytes: 8, keepLimit: 10 });
  });
});

describe('ReplyWaits', () => {
  it('answers the oldest wait of that peer with its round trip; an unanswered one expires', async () => {
    const waits = new ReplyWaits();
    const expired: number[] = [];
    waits.add(1, 'a', 100, 1000, () => expired.push(1));
    waits.add(2, 'a', 110, 1000, () => expired.push(2));
    waits.add(3, 'b', 120, 30, () => expired.push(3));
    expect(waits.answer('a', 150)).toEqual({ seq: 1, rttMs: 50 });
    expect(waits.answer('c', 150)).toBeUndefined();
    await sleep(60);
    expect(expired).toEqual([3]);
    expect(waits.cancel()).toEqual([2]);
  });
});

describe('host and port input', () => {
  it('accepts names and addresses, drops URL brackets and surrounding spaces', () => {
    expect(hostName.parse(' localhost ')).toBe('localhost');
    expect(hostName.parse('[::1]')).toBe('::1');
    expect(hostName.parse('127.0.0.1')).toBe('127.0.0.1');
  });

  it('refuses empty hosts, URLs and paths with a message saying what is wanted', () => {
    expect(hostName.safeParse('').error?.issues[0]?.message).toMatch(/host is empty/);
    expect(hostName.safeParse('http://x').error?.issues[0]?.message).toMatch(/scheme/);
    expect(hostName.safeParse('a b').success).toBe(false);
  });

  it('a listening port may be 0 (any free port) but not out of range', () => {
    expect(listenPort.parse(0)).toBe(0);
    expect(listenPort.safeParse(65536).error?.issues[0]?.message).toMatch(/0 \(any free port\) to 65535/);
  });
});

describe('netError', () => {
  const system = (code: string) => Object.assign(new Error(`${code} oops`), { code, syscall: 'connect' });

  it('names the host, the port, the OS code and what to try', () => {
    const refused = netError(system('ECONNREFUSED'), {
      protocol: 'TCP',
      action: 'connect',
      address: '127.0.0.1',
      port: 12000,
    });
    expect(refused.code).toBe('E_REFUSED');
    expect(refused.message).toBe(
      '127.0.0.1:12000 refused the connection (ECONNREFUSED): is a server listening on that port? Start the built-in TCP server on port 12000, or check the host and port number.',
    );
    expect(refused.details).toMatchObject({ osCode: 'ECONNREFUSED', syscall: 'connect', port: 12000 });
    expect(netError(system('ENOTFOUND'), { protocol: 'TCP', action: 'lookup', host: 'foo' }).message).toMatch(
      /^could not find host 'foo' \(ENOTFOUND\): check the spelling/,
    );
  });

  it.each([
    ['EADDRINUSE', 'bind', 'E_ADDR_IN_USE', /another port \(e\.g\. 12001\)/],
    ['EACCES', 'bind', 'E_ACCESS', /below 1024 need administrator privileges.*12000/],
    ['EMSGSIZE', 'send', 'E_MSG_SIZE', /65,507 bytes/],
    ['ECONNRESET', 'receive', 'E_RESET', /reset the connection/],
    ['ETIMEDOUT', 'connect', 'E_TIMEOUT', /did not answer in time/],
    ['EADDRNOTAVAIL', 'bind', 'E_ADDR_NOT_AVAILABLE', /not an address of this machine/],
    ['EWHATEVER', 'send', 'E_NETWORK', /EWHATEVER/],
  ] as const)('%s → %s', (os, action, code, message) => {
    const port = os === 'EACCES' ? 80 : 12000;
    const error = netError(system(os), { protocol: 'UDP', action, address: '127.0.0.1', port, bytes: 70000 });
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });
});
