import { afterEach, describe, expect, it } from 'vitest';
import type { UdpClientModel } from '../../../../../renderer/udp/client/model';
import { UdpLab } from '../../../../../renderer/udp/udpLab';
import { recvBufferFlag } from '../../../../../renderer/udp/server/model';
import { connectedClient } from '../../../../support/appClient';
import { freeTcpPort } from '../../../../support/ports';
import { until } from '../../../../support/waits';

/**
 * The UDP client tab's model against the real Node-side services over loopback: the
 * silence of UDP made visible, connected UDP hearing "port unreachable", bad input,
 * and recvfrom(2048) cutting a reply.
 */

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

function newLab(): { lab: UdpLab; tab: UdpClientModel } {
  const lab = new UdpLab(connectedClient(closers));
  closers.push(() => lab.dispose());
  return { lab, tab: lab.clients.state.tabs[0] as UdpClientModel };
}

describe('the UDP client tab', () => {
  it('opens its socket on the first Send and says "no reply" when nobody listens', async () => {
    const { tab } = newLab();
    tab.setPort(String(await freeTcpPort()));
    tab.setReplyDeadline('0.2');
    tab.setComposer({ text: 'anyone?' });
    expect(tab.state.socket).toBeUndefined();
    expect(await tab.send()).toBe('sent');
    expect(tab.state.socket?.open).toBe(true);
    expect(tab.state.socket?.local.port).toBeGreaterThan(0);
    expect(tab.state.replyWaits).toHaveLength(1);
    await until(() => tab.state.replyWaits.length === 0, 'the reply deadline');
    const text = tab.transcript.view.toText();
    expect(text).toMatch(/no reply from 127\.0\.0\.1:\d+ within 200 ms — UDP does not report that nobody is listening/);
    // Unconnected UDP hears nothing from the OS: no error beside Send.
    expect(tab.state.errors.send).toBeUndefined();
  });

  it('connected UDP hears "port unreachable" as a refusal beside Send, and the socket stays open', async () => {
    const { tab } = newLab();
    const port = await freeTcpPort();
    tab.setPort(String(port));
    expect(await tab.connect()).toBe(true);
    expect(tab.state.socket?.peer?.port).toBe(port);
    tab.setComposer({ text: 'hello' });
    expect(await tab.send()).toBe('sent');
    await until(() => tab.state.errors.send !== undefined, 'the refusal');
    expect(tab.state.errors.send?.code).toBe('E_REFUSED');
    expect(tab.state.errors.send?.message).toContain(`127.0.0.1:${port}`);
    expect(tab.state.replyWaits).toEqual([]);
    expect(tab.state.socket?.open).toBe(true);

    await tab.disconnect();
    expect(tab.state.socket?.open).toBe(false);
    await until(() => /closed the socket/.test(tab.transcript.view.toText()), 'the close line');
  });

  it('refuses bad input before anything is sent, beside the field, keeping the text', async () => {
    const { tab } = newLab();
    tab.setComposer({ mode: 'hex', text: '48 65 6' });
    expect(await tab.send()).toBe('invalid');
    expect(tab.state.errors.message?.message).toMatch(/odd number of hex digits .*column 7/);
    expect(tab.state.socket).toBeUndefined();

    tab.setComposer({ mode: 'text', text: 'fine' });
    tab.setPort('70000');
    expect(await tab.send()).toBe('failed');
    expect(tab.state.errors.port?.message).toBe('Port must be from 1 to 65535 (you typed “70000”)');

    tab.setPort('12000');
    tab.setReplyDeadline('');
    expect(await tab.send()).toBe('invalid');
    expect(tab.state.errors.replyDeadline?.message).toMatch(/every wait needs a deadline/);
    expect(tab.state.composer.text).toBe('fine');
  });

  it('puts a datagram too large for UDP beside the Message, with the limit', async () => {
    const { tab } = newLab();
    tab.setPort(String(await freeTcpPort()));
    tab.setComposer({ mode: 'text', text: 'x'.repeat(70_000) });
    expect(await tab.send()).toBe('failed');
    expect(tab.state.errors.message?.code).toBe('E_MSG_SIZE');
    expect(tab.state.errors.message?.message).toContain('65,507');
  });

  it('reads a long reply like recvfrom(2048): the transcript says it was cut', async () => {
    const { lab, tab } = newLab();
    const port = await freeTcpPort();
    lab.server.setPort(String(port));
    lab.server.setMode('echo');
    lab.server.setFlag(recvBufferFlag, false);
    expect(await lab.server.start()).toBe(true);
    tab.setPort(String(port));
    tab.setComposer({ mode: 'text', text: 'y'.repeat(3000) });
    await tab.send();
    await until(() => /cut to 2048 of 3000 bytes/.test(tab.transcript.view.toText()), 'the cut reply');
    const reply = tab.transcript.view.state.rows.find((row) => row.direction === 'server-to-client');
    expect(reply?.size).toBe(3000);
    expect(reply?.data?.length).toBe(2048);
    expect(tab.traffic.state).toEqual({ sent: 1, received: 1 });
    await until(() => lab.server.state.counters?.datagramsReplied === 1, 'the server counters');
    expect(lab.server.log.toText()).toContain(`127.0.0.1:${tab.state.socket?.local.port}`);
  });
});
