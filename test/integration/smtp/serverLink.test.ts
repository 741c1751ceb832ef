// The emulated link on the built-in mail server, seen by a bare TCP client on loopback:
// the greeting comes one way later, each command's reply one round trip later.
import net from 'node:net';
import tls from 'node:tls';
import { performance } from 'node:perf_hooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../support/appClient';
import { until } from '../../support/waits';

let app: App;

beforeEach(() => {
  app = startApp();
});

afterEach(() => {
  app.close();
});

/** Resolves with the next complete reply (its last line has a space after the code) and how long it took. */
function nextReply(socket: net.Socket, start: number) {
  return new Promise<{ text: string; ms: number }>((resolve) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (/(^|\r\n)\d{3} [^\r\n]*\r\n$/.test(text)) {
        socket.off('data', onData);
        resolve({ text, ms: performance.now() - start });
      }
    };
    socket.on('data', onData);
  });
}

describe('the emulated link on the built-in mail server', () => {
  it('delays the greeting 50 ms and each reply 100 ms, and the log marks the lines it held', async () => {
    const server = await app.client.call('mailServer.start', { port: 0, link: { delayMs: 50 } });
    const socket = net.connect({ port: server.local.port, host: '127.0.0.1', noDelay: true });
    try {
      const connected = await new Promise<number>((resolve, reject) =>
        socket.once('connect', () => resolve(performance.now())).once('error', reject),
      );
      const greeting = await nextReply(socket, connected);
      expect(greeting.text).toMatch(/^220 /);
      expect(greeting.ms).toBeGreaterThanOrEqual(49);
      // Not bounded tightly above: smtp-server looks the client's name up before it greets.
      expect(greeting.ms).toBeLessThan(1000);
      const sent = performance.now();
      const reply = nextReply(socket, sent);
      socket.write('EHLO lab\r\n');
      const ehlo = await reply;
      expect(ehlo.text).toMatch(/^250[- ]/);
      expect(ehlo.ms).toBeGreaterThanOrEqual(99);
      expect(ehlo.ms).toBeLessThan(250);
    } finally {
      socket.destroy();
    }
    const entries = app.events['mailServer.log'].flatMap((e) => e.entries);
    expect(entries.find((e) => e.kind === 'link')).toMatchObject({ changed: false, link: { delayMs: 50 } });
    const received = entries.find((e) => e.kind === 'received');
    expect(received?.kind === 'received' && received.linkDelayMs).toBeGreaterThanOrEqual(49);
    const replied = entries.find((e) => e.kind === 'replied');
    expect(replied?.kind === 'replied' && replied.linkDelayMs).toBeGreaterThanOrEqual(49);
  });

  it('carries STARTTLS through the link: the TLS handshake and what follows cross it too', async () => {
    const server = await app.client.call('mailServer.start', { port: 0, startTls: true, link: { delayMs: 20 } });
    const socket = net.connect({ port: server.local.port, host: '127.0.0.1', noDelay: true });
    try {
      await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
      await nextReply(socket, performance.now());
      let reply = nextReply(socket, performance.now());
      socket.write('EHLO lab\r\n');
      expect((await reply).text).toMatch(/STARTTLS/);
      reply = nextReply(socket, performance.now());
      socket.write('STARTTLS\r\n');
      expect((await reply).text).toMatch(/^220 /);
      const secure = tls.connect({ socket, rejectUnauthorized: false, servername: 'localhost' });
      try {
        await new Promise<void>((resolve, reject) => secure.once('secureConnect', resolve).once('error', reject));
        const sent = performance.now();
        const again = nextReply(secure as unknown as net.Socket, sent);
        secure.write('EHLO lab\r\n');
        const ehlo = await again;
        expect(ehlo.text).toMatch(/^250[- ]/);
        expect(ehlo.ms).toBeGreaterThanOrEqual(39);
      } finally {
        secure.destroy();
      }
    } finally {
      socket.destroy();
    }
    await until(
      () => app.events['mailServer.log'].flatMap((e) => e.entries).some((e) => e.kind === 'tls'),
      'the TLS entry',
    );
  });
});
