import { afterEach, describe, expect, it } from 'vitest';
import { TcpClientModel } from '../../../../../renderer/tcp/client/model';
import { TcpLab } from '../../../../../renderer/tcp/tcpLab';
import type { Client } from '../../../../../shared/contract/client';
import { PlaygroundError } from '../../../../../shared/contract/errors';
import { connectedClient } from '../../../../support/appClient';
import { freeTcpPort } from '../../../../support/ports';
import { until } from '../../../../support/waits';

/**
 * The TCP client tab's model against the real Node-side services over loopback:
 * half-close, the server closing first, reply deadlines, bad input, cancel. The lab
 * test covers the plain connect/send/reply path.
 */

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

async function labWithServer(mode: 'classic' | 'lines' | 'echo') {
  const lab = new TcpLab(connectedClient(closers));
  closers.push(() => lab.dispose());
  const port = await freeTcpPort();
  lab.server.setPort(String(port));
  lab.server.setMode(mode);
  expect(await lab.server.start()).toBe(true);
  const tab = lab.clients.state.tabs[0] as TcpClientModel;
  tab.setPort(String(port));
  return { lab, tab, port };
}

describe('the TCP client tab', () => {
  it('half-closes: the server answers the unfinished line, then both sides are done', async () => {
    const { tab } = await labWithServer('lines');
    expect(await tab.connect()).toBe(true);
    tab.setReplyDeadline('');
    tab.setComposer({ text: 'abc' });
    expect(await tab.send()).toBe('sent');
    expect(tab.state.replyWaits).toEqual([]);

    await tab.shutdown();
    expect(tab.state.connection?.writeShut).toBe(true);
    // Writing after the half-close is refused beside Send, and the message stays.
    expect(await tab.send()).toBe('failed');
    expect(tab.state.errors.send?.message).toMatch(/write side/);
    expect(tab.state.composer.text).toBe('abc');

    await until(() => tab.state.connection?.open === false, 'the connection to close');
    const text = tab.transcript.view.toText();
    expect(text).toContain('shut down the write side');
    expect(text).toContain('ABC');
    expect(text).toContain('the server shut down its write side');
    expect(tab.state.phase).toBe('idle');
    expect(tab.state.connection?.peerEnded).toBe(true);
    expect(tab.traffic.state).toEqual({ sent: 3, received: 3 });
  });

  it('counts a stream that answers nothing in its traffic totals only: the panel state stays the same object', async () => {
    const { tab } = await labWithServer('echo');
    expect(await tab.connect()).toBe(true);
    tab.setReplyDeadline('');
    tab.setComposer({ text: 'x'.repeat(1000) });
    await tab.send();
    const before = tab.state;
    await until(() => tab.traffic.state.received === 1000, 'the echo');
    expect(tab.state).toBe(before);
    expect(tab.transcript.view.state.rows.some((row) => row.direction === 'server-to-client')).toBe(true);
  });

  it('shows the textbook server closing first, then Disconnect tidies up', async () => {
    const { lab, tab } = await labWithServer('classic');
    expect(await tab.connect()).toBe(true);
    tab.setComposer({ text: 'hello' });
    await tab.send();
    await until(() => tab.state.connection?.peerEnded === true, 'the server to end its side');
    expect(tab.transcript.view.toText()).toMatch(/server → client {2}5 bytes {2}#1 {2}RTT [\d.]+ ms {2}HELLO/);
    expect(tab.state.replyWaits).toEqual([]);
    await tab.disconnect();
    await until(() => tab.state.phase === 'idle', 'the session to end');
    await until(() => /closed this connection socket/.test(lab.server.log.toText()), 'the server log to say so');
    expect(lab.server.state.counters?.connectionsAccepted).toBe(1);
  });

  it('says "no reply" when the deadline passes, and stops counting down', async () => {
    const { tab } = await labWithServer('lines');
    expect(await tab.connect()).toBe(true);
    tab.setReplyDeadline('0.2');
    tab.setComposer({ text: 'no line ending' });
    await tab.send();
    expect(tab.state.replyWaits).toHaveLength(1);
    expect(tab.state.replyWaits[0]?.timeoutMs).toBe(200);
    await until(() => tab.state.replyWaits.length === 0, 'the wait to end');
    const noReply = tab.transcript.view.state.rows.at(-1);
    expect(noReply?.tone).toBe('warn');
    expect(noReply?.note).toMatch(/no reply .* within/);
  });

  it('puts bad input beside its field, sends nothing, and keeps what was typed', async () => {
    const lab = new TcpLab(connectedClient(closers));
    closers.push(() => lab.dispose());
    const tab = lab.clients.state.tabs[0] as TcpClientModel;
    tab.setComposer({ text: 'keep me' });
    tab.setPort('70000');
    expect(await tab.connect()).toBe(false);
    expect(tab.state.errors.port?.message).toBe('Port must be from 1 to 65535 (you typed “70000”)');
    expect(tab.state.errors.port?.code).toBe('E_BAD_REQUEST');

    tab.setPort('12o00');
    expect(tab.state.errors.port).toBeUndefined();
    expect(await tab.connect()).toBe(false);
    expect(tab.state.errors.port?.message).toMatch(/is not a port number/);

    tab.setPort('12000');
    tab.setConnectDeadline('soon');
    expect(await tab.connect()).toBe(false);
    expect(tab.state.errors.connectDeadline?.message).toMatch(/not a number of seconds/);

    tab.setConnectDeadline('10');
    tab.setHost('no spaces allowed');
    expect(await tab.connect()).toBe(false);
    expect(tab.state.errors.host?.message).toMatch(/without spaces/);

    expect(tab.state.composer.text).toBe('keep me');
    expect(tab.state.phase).toBe('idle');
    expect(tab.transcript.view.state.rows).toEqual([]);
  });

  it('marks a connection the app lost its link for as closed', async () => {
    const { lab, tab } = await labWithServer('echo');
    expect(await tab.connect()).toBe(true);
    lab.connectionLost();
    expect(tab.state.connection?.open).toBe(false);
    expect(tab.state.connection?.closeReason).toBe('lost');
    expect(lab.server.state.phase).toBe('stopped');
    expect(tab.transcript.view.toText()).toMatch(/lost its link/);
  });
});

describe('cancelling a connect', () => {
  it('shows the deadline while connecting and goes back to idle on Cancel, without an error', async () => {
    // A Node side that never answers tcp.connect until the call is cancelled.
    let seen: { payload: unknown; timeoutMs: number | undefined } | undefined;
    const stalled: Client = {
      connected: true,
      connect() {},
      on: () => () => {},
      call(_method, payload, options = {}) {
        seen = { payload, timeoutMs: options.timeoutMs };
        return new Promise((_resolve, reject) => {
          options.signal?.addEventListener('abort', () =>
            reject(new PlaygroundError({ code: 'E_CANCELLED', message: 'tcp.connect was cancelled' })),
          );
        });
      },
    };
    const tab = new TcpClientModel(stalled, 'tab-1', 'Client 1', { now: () => 42 });
    tab.setConnectDeadline('2.5');
    const connecting = tab.connect();
    expect(tab.state.phase).toBe('connecting');
    expect(tab.state.connectWait).toEqual({ startedAt: 42, timeoutMs: 2500 });
    expect(seen?.payload).toMatchObject({ host: '127.0.0.1', port: 12000, timeoutMs: 2500 });
    // The call itself gives the Node side's deadline time to speak first.
    expect(seen?.timeoutMs).toBeGreaterThan(2500);

    tab.cancelConnect();
    expect(await connecting).toBe(false);
    expect(tab.state.phase).toBe('idle');
    expect(tab.state.connectWait).toBeUndefined();
    expect(tab.state.errors).toEqual({});
    expect(tab.transcript.view.toText()).toMatch(/connecting to 127\.0\.0\.1:12000 was cancelled/);
  });
});
