import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ConversationResult,
  formatProblem,
  parseConversationFile,
  replayFile,
} from '../../../shared/conversation/index';
import { type App, startApp } from '../../support/appClient';

const apps: App[] = [];
afterEach(() => {
  for (const app of apps.splice(0)) app.close();
});

function app(): App {
  const started = startApp();
  apps.push(started);
  return started;
}

function exercise(name: string) {
  const outcome = parseConversationFile(readFileSync(join('exercises', `${name}.conv`), 'utf8'));
  if (!outcome.ok) throw new Error(outcome.problems.map((p) => formatProblem(name, p)).join('\n'));
  return outcome.file;
}

function statuses(results: ConversationResult[]) {
  return results.flatMap((r) =>
    r.checks.map(
      (c) =>
        `${c.status}: ${c.name}${c.got && c.status !== 'passed' ? ` (got ${c.got})` : ''}${c.message ? ` (${c.message})` : ''}`,
    ),
  );
}

function allPassed(results: ConversationResult[]) {
  const lines = statuses(results);
  expect(lines.filter((line) => !line.startsWith('passed') && !line.startsWith('skipped'))).toEqual([]);
  return lines;
}

describe('replaying conversations through the app’s own sessions', () => {
  it('udp-uppercase passes against the built-in UDP server, fails against an echo one', async () => {
    const { client } = app();
    const upper = await client.call('udpServer.start', { port: 0 });
    allPassed(await replayFile(exercise('udp-uppercase'), { client, variables: { port: String(upper.local.port) } }));
    const echo = await client.call('udpServer.start', { port: 0, mode: 'echo' });
    const results = await replayFile(exercise('udp-uppercase'), {
      client,
      variables: { port: String(echo.local.port) },
    });
    const failed = results[0]?.checks.filter((c) => c.status === 'failed') ?? [];
    expect(failed.map((c) => [c.expected, c.got])).toEqual([
      ['"HELLO, UDP SERVER"', '"hello, udp server"'],
      ['"MIXED CASE 42 AND PUNCTUATION!?"', '"Mixed Case 42 and punctuation!?"'],
    ]);
  });

  it('tcp-uppercase passes against the classic TCP server, fails against echo', async () => {
    const { client } = app();
    const classic = await client.call('tcpServer.start', { port: 0, mode: 'classic' });
    allPassed(await replayFile(exercise('tcp-uppercase'), { client, variables: { port: String(classic.local.port) } }));
    const echo = await client.call('tcpServer.start', { port: 0, mode: 'echo' });
    const started = Date.now();
    const results = await replayFile(exercise('tcp-uppercase'), {
      client,
      variables: { port: String(echo.local.port) },
      timeoutMs: 1000,
    });
    expect(statuses(results).filter((s) => s.startsWith('failed')).length).toBe(3);
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('http-conditional-get captures Last-Modified and gets 304 from the built-in web server', async () => {
    const { client } = app();
    const web = await client.call('webServer.start', { port: 0 });
    allPassed(
      await replayFile(exercise('http-conditional-get'), { client, variables: { port: String(web.local.port) } }),
    );
  });

  it('smtp-textbook passes against the built-in mail server', async () => {
    const { client } = app();
    const mail = await client.call('mailServer.start', { port: 0 });
    allPassed(await replayFile(exercise('smtp-textbook'), { client, variables: { port: String(mail.local.port) } }));
  });

  it('webserver-homework checks the file byte for byte when --var expect names a copy', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'pp-homework-'));
    const page = '<html><body>Hello World\r\n</body></html>\n';
    writeFileSync(join(folder, 'HelloWorld.html'), page);
    const { client } = app();
    const web = await client.call('webServer.start', { port: 0, folder });
    const readFile = async (path: string) => readFileSync(path);
    const lines = allPassed(
      await replayFile(exercise('webserver-homework'), {
        client,
        variables: { port: String(web.local.port), expect: join(folder, 'HelloWorld.html') },
        readFile,
      }),
    );
    expect(lines).toContain("passed: the body is exactly the file's bytes");
    const skipped = statuses(
      await replayFile(exercise('webserver-homework'), {
        client,
        variables: { port: String(web.local.port) },
        readFile,
      }),
    );
    expect(skipped).toContain("skipped: the body is exactly the file's bytes ({{expect}} is not set)");
  });

  it('a refused connection is an error on every check, not a failure', async () => {
    const { client } = app();
    const file = parseConversationFile(
      'conversation tcp\ntarget 127.0.0.1:1\nsend "x"\nexpect exact "X"\nsend "y"\nexpect closed\n',
    );
    if (!file.ok) throw new Error('parse');
    const [result] = await replayFile(file.file, { client });
    expect(result?.error).toMatch(/refused|127\.0\.0\.1/);
    expect(result?.checks.map((c) => c.status)).toEqual(['error', 'error']);
  });
});
