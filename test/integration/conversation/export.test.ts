import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportConversationFile } from '../../../shared/conversation/export/index';
import { type ConversationFile, parseConversationFile, replayFile } from '../../../shared/conversation/index';
import { type App, startApp } from '../../support/appClient';

const python = '/usr/bin/python3';
const work = mkdtempSync(join(tmpdir(), 'pp-export-'));
let app: App;
const ports = { udp: 0, tcp: 0, web: 0, mail: 0 };

beforeAll(async () => {
  app = startApp();
  ports.udp = (await app.client.call('udpServer.start', { port: 0 })).local.port;
  ports.tcp = (await app.client.call('tcpServer.start', { port: 0, mode: 'classic' })).local.port;
  ports.web = (await app.client.call('webServer.start', { port: 0 })).local.port;
  ports.mail = (await app.client.call('mailServer.start', { port: 0 })).local.port;
});
afterAll(() => app?.close());

function exercise(name: string): ConversationFile {
  const outcome = parseConversationFile(readFileSync(join('exercises', `${name}.conv`), 'utf8'));
  if (!outcome.ok) throw new Error(`${name} does not parse`);
  return outcome.file;
}

/** Everything the built-in servers received so far, per server, in order; then forgotten. */
function takeWire(): Record<'udp' | 'tcp' | 'http' | 'smtp', string> {
  const events = app.events;
  const hex = (parts: Uint8Array[]) => Buffer.concat(parts).toString('latin1');
  const wire = {
    udp: hex(events['udpServer.log'].flatMap((e) => e.entries.flatMap((x) => (x.kind === 'received' ? [x.data] : [])))),
    tcp: hex(events['tcpServer.log'].flatMap((e) => e.entries.flatMap((x) => (x.kind === 'received' ? [x.data] : [])))),
    http: hex(events['webServer.log'].flatMap((e) => e.entries.flatMap((x) => (x.kind === 'request' ? [x.raw] : [])))),
    smtp: hex(
      events['mailServer.log'].flatMap((e) => e.entries.flatMap((x) => (x.kind === 'received' ? [x.data] : []))),
    ),
  };
  for (const name of ['udpServer.log', 'tcpServer.log', 'webServer.log', 'mailServer.log'] as const)
    events[name].length = 0;
  return wire;
}

/** Runs a program without blocking this process (the built-in servers answer from its event loop). */
function runProgram(
  command: string,
  args: string[],
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { encoding: 'utf8', timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ status: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

const cases = [
  ['udp-uppercase', 'udp', 'udp'],
  ['tcp-uppercase', 'tcp', 'tcp'],
  ['http-conditional-get', 'web', 'http'],
  ['smtp-textbook', 'mail', 'smtp'],
] as const;

describe('export --lang python: the textbook-style program sends exactly what the replay sends', () => {
  it.each(cases)('%s', async (name, server, wire) => {
    const file = exercise(name);
    const variables = { port: String(ports[server]) };
    takeWire();
    await replayFile(file, { client: app.client, variables });
    await settle();
    const replayed = takeWire()[wire];
    expect(replayed.length).toBeGreaterThan(0);

    const exported = exportConversationFile(file, 'python', variables, `${name}.conv`);
    if (!exported.ok) throw new Error(exported.message);
    expect(exported.program).toContain('from socket import *');
    expect(exported.program).toMatch(
      /serverName = '127\.0\.0\.1'\nserverPort = \d+\nclientSocket = socket\(AF_INET, SOCK_(DGRAM|STREAM)\)/,
    );
    expect(exported.program).not.toMatch(/import (requests|smtplib)/);
    if (wire === 'udp') expect(exported.program).toContain('clientSocket.recvfrom(2048)');
    if (wire === 'tcp') expect(exported.program).toContain('clientSocket.recv(1024)');
    const path = join(work, `${name}.py`);
    writeFileSync(path, exported.program);
    const run = await runProgram(python, [path]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).not.toContain('reply not received');
    await settle();
    expect(takeWire()[wire]).toBe(replayed);
  });
});

const javac = ['/usr/bin/javac', process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'javac') : ''].find(
  (candidate) => candidate && existsSync(candidate),
);

describe.skipIf(!javac)(
  `export --lang java${javac ? '' : ' (skipped: no javac here; .ci/run may install default-jdk-headless)'}`,
  () => {
    it.each([cases[0], cases[1]])(
      '%s compiles with javac and sends the same bytes',
      async (name, server, wire) => {
        const file = exercise(name);
        const variables = { port: String(ports[server]) };
        takeWire();
        await replayFile(file, { client: app.client, variables });
        await settle();
        const replayed = takeWire()[wire];
        const exported = exportConversationFile(file, 'java', variables, `${name}.conv`);
        if (!exported.ok) throw new Error(exported.message);
        const className = wire === 'udp' ? 'UDPClient' : 'TCPClient';
        expect(exported.program).toContain(`class ${className} {`);
        const dir = mkdtempSync(join(work, 'java-'));
        writeFileSync(join(dir, `${className}.java`), exported.program);
        expect((await runProgram(javac as string, ['-d', dir, join(dir, `${className}.java`)])).status).toBe(0);
        const run = await runProgram(join(javac as string, '..', 'java'), ['-cp', dir, className]);
        expect(run.stderr).toBe('');
        expect(run.status).toBe(0);
        await settle();
        expect(takeWire()[wire]).toBe(replayed);
      },
      90_000,
    );
  },
);

describe('export --lang shell', () => {
  it('writes printf | nc with every byte escaped', () => {
    const outcome = parseConversationFile(
      'conversation tcp\ntarget 127.0.0.1:9\nsend "50% \\\\ it\'s\\r\\n\\x00\\xff"\n',
    );
    if (!outcome.ok) throw new Error('parse');
    const exported = exportConversationFile(outcome.file, 'shell');
    expect(exported).toEqual({
      ok: true,
      program: expect.stringContaining("printf '50%% \\\\ it\\047s\\r\\n\\000\\377' | nc -w 5 127.0.0.1 9"),
    });
  });
});
