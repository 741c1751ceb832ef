import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, startApp } from '../../support/appClient';
import { freeTcpPort } from '../../support/ports';
import { cli, ensureCliBuilt } from './cliHarness';

let app: App;
const ports = { udp: 0, tcp: 0, web: 0, mail: 0, udpEcho: 0, tcpEcho: 0 };
const work = mkdtempSync(join(tmpdir(), 'pp-cli-'));

beforeAll(async () => {
  await ensureCliBuilt();
  app = startApp();
  const { client } = app;
  ports.udp = (await client.call('udpServer.start', { port: 0 })).local.port;
  ports.tcp = (await client.call('tcpServer.start', { port: 0, mode: 'classic' })).local.port;
  ports.web = (await client.call('webServer.start', { port: 0 })).local.port;
  ports.mail = (await client.call('mailServer.start', { port: 0 })).local.port;
  ports.udpEcho = (await client.call('udpServer.start', { port: 0, mode: 'echo' })).local.port;
  ports.tcpEcho = (await client.call('tcpServer.start', { port: 0, mode: 'echo' })).local.port;
}, 60_000);
afterAll(() => app?.close());

describe('protocol-playground run (a child process against the built-in servers)', () => {
  it.each([
    ['udp-uppercase', 'udp'],
    ['tcp-uppercase', 'tcp'],
    ['http-conditional-get', 'web'],
    ['smtp-textbook', 'mail'],
  ] as const)('exercises/%s passes: one line per check, exit 0', async (name, server) => {
    const result = await cli(['run', `exercises/${name}.conv`, '--var', `port=${ports[server]}`]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const checks = result.stdout.split('\n').filter((line) => /^ {2}[✓✗]/.test(line));
    expect(checks.length).toBeGreaterThan(1);
    expect(checks.every((line) => /^ {2}✓ .+ \(\d+ ms\)$/.test(line))).toBe(true);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe(`${checks.length} passed, 0 failed`);
  });

  it.each([
    ['udp-uppercase', 'udpEcho'],
    ['tcp-uppercase', 'tcpEcho'],
  ] as const)(
    'exercises/%s fails with exit 4 against an echo server, expected vs got with CR/LF visible',
    async (name, server) => {
      const result = await cli(['run', `exercises/${name}.conv`, '--var', `port=${ports[server]}`, '--timeout', '1']);
      expect(result.code).toBe(4);
      expect(result.stdout).toMatch(
        /✗ .+\n {6}expected: "HELLO, [A-Z ]+SERVER"\n {6}got: {6}"hello, [a-z ]+server"\n {6}at exercises\//,
      );
      expect(result.stdout).toMatch(/\d+ passed, [1-9]\d* failed\n$/);
    },
  );

  it('webserver-homework grades a spawned program (python3 -m http.server) with JUnit, TAP, JSON and Gradescope reports', async () => {
    const site = join(work, 'site');
    const page = '<html><head><title>Hello</title></head><body>Hello World</body></html>\n';
    writeFileSync(join(work, 'HelloWorld.html'), page);
    await import('node:fs/promises').then((fs) => fs.mkdir(site, { recursive: true }));
    writeFileSync(join(site, 'HelloWorld.html'), page);
    const port = await freeTcpPort();
    const reports = {
      junit: join(work, 'r', 'junit.xml'),
      tap: join(work, 'r', 'tap.txt'),
      json: join(work, 'r', 'r.json'),
      gs: join(work, 'r', 'results.json'),
    };
    const result = await cli([
      'run',
      'exercises/webserver-homework.conv',
      '--spawn',
      `python3 -u -m http.server ${port} --bind 127.0.0.1 --directory ${site}`,
      '--var',
      `port=${port}`,
      '--var',
      `expect=${join(work, 'HelloWorld.html')}`,
      '--report-junit',
      reports.junit,
      '--report-tap',
      reports.tap,
      '--report-json',
      reports.json,
      '--report-gradescope',
      reports.gs,
    ]);
    // http.server sends no Content-Length for… it does; everything passes, keep-alive not demanded.
    expect(result.stdout).toMatch(/program: python3 .*: killed by SIGTERM|exit code/);
    expect(result.code).toBe(0);
    const junit = readFileSync(reports.junit, 'utf8');
    expect(junit.match(/<testcase /g)?.length).toBe(7);
    expect(junit).toContain('<testsuites name="protocol-playground" tests="7" failures="0" errors="0"');
    expect(junit).toContain('GET /HelloWorld.html');
    const tap = readFileSync(reports.tap, 'utf8');
    expect(tap.startsWith('TAP version 13\n1..7\nok 1 - exercises/webserver-homework.conv › ')).toBe(true);
    const gs = JSON.parse(readFileSync(reports.gs, 'utf8')) as {
      score: number;
      tests: { max_score: number; status: string }[];
    };
    expect(gs.score).toBe(10);
    expect(gs.tests.every((t) => t.status === 'passed')).toBe(true);
    const json = JSON.parse(readFileSync(reports.json, 'utf8')) as { passed: number; spawn: { command: string } };
    expect(json.passed).toBe(7);
    expect(json.spawn.command).toContain('http.server');
  });

  it('a spawned program that exits at once: exit 3 with its stderr tail', async () => {
    const port = await freeTcpPort();
    const result = await cli([
      'run',
      'exercises/webserver-homework.conv',
      '--var',
      `port=${port}`,
      '--spawn',
      "echo 'Traceback: boom' >&2; exit 7",
      '--report-junit',
      join(work, 'early.xml'),
    ]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('exited before 127.0.0.1:');
    expect(result.stderr).toContain('Traceback: boom');
    expect(result.stdout).toContain('exit code 7');
    expect(readFileSync(join(work, 'early.xml'), 'utf8')).toContain('Traceback: boom');
  });

  it('a program that never opens its port: exit 3 after --spawn-wait', async () => {
    const port = await freeTcpPort();
    const result = await cli([
      'run',
      'exercises/webserver-homework.conv',
      '--var',
      `port=${port}`,
      '--spawn',
      'sleep 30',
      '--spawn-wait',
      '0.5',
    ]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('did not open 127.0.0.1:');
    expect(result.ms).toBeLessThan(6000);
  });

  it('a malformed file: exit 2 with file:line:column; an unknown variable is named', async () => {
    const bad = join(work, 'bad.conv');
    writeFileSync(bad, 'conversation tcp\ntarget 127.0.0.1:{{prot}}\nsend "hi\\q"\n');
    const parse = await cli(['run', bad]);
    expect(parse.code).toBe(2);
    expect(parse.stderr).toBe(
      `${bad}:3:9: expected text with valid escapes: \\q is not an escape sequence: write \\\\ for a backslash (supported: \\r \\n \\t \\0 \\xNN \\u{...} \\\\)\n`,
    );
    writeFileSync(bad, 'var port = 1\nconversation tcp\ntarget 127.0.0.1:{{prot}}\nsend "hi"\n');
    const unknown = await cli(['run', bad]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(`${bad}:3:18: unknown variable {{prot}}`);
    writeFileSync(bad, Buffer.from([0x63, 0x6f, 0x00, 0xff]));
    expect((await cli(['run', bad])).stderr).toContain('looks like a binary file');
    expect((await cli(['run'])).code).toBe(1);
    expect((await cli(['run', bad, '--var', 'nonsense'])).code).toBe(1);
  });

  it('Ctrl+C mid-run stops at once and writes the partial report (exit 3)', async () => {
    const silent = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    try {
      const report = join(work, 'partial.xml');
      const result = await cli(
        [
          'run',
          'exercises/udp-uppercase.conv',
          '--var',
          `port=${silent.address().port}`,
          '--timeout',
          '20',
          '--report-junit',
          report,
        ],
        { during: (pid) => silent.once('message', () => process.kill(pid, 'SIGINT')) },
      );
      expect({ code: result.code, out: result.stdout + result.stderr }).toMatchObject({ code: 3 });
      expect(result.ms).toBeLessThan(8000);
      expect(result.stderr).toContain('stopping (Ctrl+C)');
      expect(readFileSync(report, 'utf8')).toContain('<error');
    } finally {
      silent.close();
    }
  });

  it('--version answers quickly', async () => {
    const result = await cli(['--version']);
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(result.code).toBe(0);
  });
});
