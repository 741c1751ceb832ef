import { afterEach, describe, expect, it } from 'vitest';
import { TcpLab } from '../../../../renderer/tcp/tcpLab';
import { TranscriptModel } from '../../../../renderer/transcript/model';
import { UdpLab } from '../../../../renderer/udp/udpLab';
import { connectedClient } from '../../../support/appClient';
import { freeTcpPort } from '../../../support/ports';
import { until } from '../../../support/waits';

/** The renderer's models against the real Node-side services, with no DOM in between. */

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

describe('the TCP lab model', () => {
  it('starts the server, connects a client, sends a line and shows both ends', async () => {
    const lab = new TcpLab(connectedClient(closers));
    closers.push(() => lab.dispose());
    const port = await freeTcpPort();
    lab.server.setPort(String(port));
    lab.server.setMode('lines');
    expect(await lab.server.start()).toBe(true);

    const tab = lab.clients.state.tabs[0];
    if (!tab) throw new Error('no first tab');
    tab.setPort(String(port));
    expect(await tab.connect()).toBe(true);
    const local = tab.state.connection?.local;
    expect(local?.port).toBeGreaterThan(0);

    tab.setComposer({ text: 'straße\\n' });
    await tab.send();
    await until(() => tab.transcript.view.toText().includes('STRASSE'), 'the reply in the transcript');
    expect(tab.transcript.view.toText()).toContain('STRASSE\\n');
    await until(() => lab.server.log.toText().includes(`127.0.0.1:${local?.port}`), 'the accepted client in the log');
    // What was typed is still there for the next send.
    expect(tab.state.composer.text).toBe('straße\\n');
  });

  it('puts a refused connection next to the Connect button, with host and port', async () => {
    const lab = new TcpLab(connectedClient(closers));
    closers.push(() => lab.dispose());
    const tab = lab.clients.state.tabs[0];
    if (!tab) throw new Error('no first tab');
    const port = await freeTcpPort();
    tab.setPort(String(port));
    expect(await tab.connect()).toBe(false);
    const message = JSON.stringify(tab.state.errors);
    expect(message).toMatch(/refused/i);
    expect(message).toContain(`127.0.0.1:${port}`);
  });
});

describe('the UDP lab model', () => {
  it('sends a datagram to the built-in server and shows the uppercase reply with its sender', async () => {
    const lab = new UdpLab(connectedClient(closers));
    closers.push(() => lab.dispose());
    const port = await freeTcpPort();
    lab.server.setPort(String(port));
    expect(await lab.server.start()).toBe(true);
    const tab = lab.clients.state.tabs[0];
    if (!tab) throw new Error('no first tab');
    tab.setPort(String(port));
    tab.setComposer({ text: 'hello' });
    await tab.send();
    await until(() => tab.transcript.view.toText().includes('HELLO'), 'the reply');
    expect(tab.transcript.view.toText()).toContain(`127.0.0.1:${port}`);
  });
});

describe('the transcript model', () => {
  it('never garbles a character split across two chunks of one stream', () => {
    const transcript = new TranscriptModel({ now: () => 0 });
    const bytes = new TextEncoder().encode('straße');
    transcript.append({ direction: 'server-to-client', data: bytes.subarray(0, 5), stream: 'rx' });
    transcript.append({ direction: 'server-to-client', data: bytes.subarray(5), stream: 'rx' });
    // The first row holds the half of ß back; the second shows the whole character.
    const [first, second] = transcript.toText().split('\n');
    expect(first).toMatch(/5 bytes\s+stra$/);
    expect(second).toMatch(/ße$/);
    expect(transcript.toText()).not.toContain('\\x');
  });

  it('keeps a bounded number of rows and says how many it let go', () => {
    const transcript = new TranscriptModel({ maxRows: 100, now: () => 0 });
    for (let i = 0; i < 1000; i++) {
      transcript.append({ direction: 'client-to-server', data: new Uint8Array([65 + (i % 26)]) });
    }
    expect(transcript.state.rows.length).toBeLessThanOrEqual(100);
    expect(transcript.state.droppedRows + transcript.state.rows.length).toBe(1000);
    expect(transcript.toText()).toMatch(/earlier lines are no longer kept/);
  });
});
