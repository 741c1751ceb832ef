import { afterEach, describe, expect, test } from 'vitest';
import { type App, startApp } from '../../support/appClient';
import { until } from '../../support/waits';
import { inbox, logEntries, RawSmtp, startMailServer } from './serverHarness';

/**
 * SMTP smuggling: a line that ends DATA for a lax reader (a dot after a bare LF or CR, or
 * before one) followed by commands. smtp-server ends DATA only at CR LF . CR LF, so those
 * "commands" are message text. The log must frame DATA the same way: it shows the
 * conversation that really took place, not commands that never ran.
 */

let app: App;
afterEach(() => app?.close());

const smuggled =
  'MAIL FROM:<ceo@bank.example>\r\nRCPT TO:<victim@hamburger.edu>\r\nDATA\r\nSubject: smuggled\r\n\r\npay\r\n';

describe('the mail server log frames DATA exactly as smtp-server does', () => {
  test.each([
    ['a dot after a bare LF, then CR LF', '\n.\r\n'],
    ['a dot after a bare CR, then CR LF', '\r.\r\n'],
    ['a dot after CR LF, then a bare LF', '\r\n.\n'],
    ['a dot between bare LFs', '\n.\n'],
  ])('%s (%j) stays message text, in one read and in separate reads', async (_, sequence) => {
    app = startApp();
    const started = await startMailServer(app);
    for (const split of [false, true]) {
      const client = await RawSmtp.connect(started.local.port);
      await client.reply();
      for (const line of ['HELO crepes.fr', 'MAIL FROM:<alice@crepes.fr>', 'RCPT TO:<bob@hamburger.edu>']) {
        expect((await client.send(line)).code).toBe(250);
      }
      expect((await client.send('DATA')).code).toBe(354);
      const head = `Subject: hi\r\n\r\nhello${sequence}`;
      if (split) {
        client.write(head);
        await new Promise((resolve) => setTimeout(resolve, 50));
        client.write(`${smuggled}.\r\n`);
      } else {
        client.write(`${head}${smuggled}.\r\n`);
      }
      // One message, everything up to the only CR LF . CR LF: the "commands" never ran.
      expect((await client.reply()).code).toBe(250);
      expect((await client.send('QUIT')).code).toBe(221);
      await until(() => client.closed, 'the server to close');
      client.destroy();
    }
    await until(() => inbox(app, started.serverId).length === 2, 'two messages in the inbox');
    await until(
      () => logEntries(app, started.serverId).filter((entry) => entry.kind === 'closed').length === 2,
      'both connections logged closed',
    );
    const summaries = inbox(app, started.serverId);
    expect(summaries.map((summary) => summary.envelope.rcptTo)).toEqual([['bob@hamburger.edu'], ['bob@hamburger.edu']]);
    const stored = await app.client.call('mailServer.message', {
      serverId: started.serverId,
      messageId: summaries[0]?.messageId ?? '',
    });
    const accepted = Buffer.from(stored.raw).toString('latin1');
    expect(accepted).toBe(`Subject: hi\r\n\r\nhello${sequence}${smuggled}`);

    // The log of each connection: the whole of it as message lines, the terminator apart, then QUIT.
    const serverId = started.serverId;
    const connections = logEntries(app, serverId).filter((entry) => entry.kind === 'accepted');
    expect(connections).toHaveLength(2);
    for (const { connectionId } of connections) {
      const entries = logEntries(app, serverId).filter(
        (entry) => 'connectionId' in entry && entry.connectionId === connectionId,
      );
      const start = entries.findIndex((entry) => entry.kind === 'replied' && entry.code === 354);
      const end = entries.findIndex((entry, i) => i > start && entry.kind === 'replied');
      const between = entries.slice(start + 1, end);
      const text = (entry: (typeof entries)[number]) =>
        'data' in entry ? Buffer.from(entry.data).toString('latin1') : '';
      expect(between.every((entry) => entry.kind === 'received' && entry.message)).toBe(true);
      expect(between.map(text).join('')).toBe(`${accepted}.\r\n`);
      expect(text(between.at(-1) as (typeof entries)[number])).toBe('.\r\n');
      expect(entries[end]).toMatchObject({ kind: 'replied', code: 250 });
      const commandsAfter = entries
        .slice(end)
        .filter((entry) => entry.kind === 'received')
        .map(text);
      expect(commandsAfter).toEqual(['QUIT\r\n']);
    }
  });
});

/** The log as C: (command), M: (message) and S: (reply code) lines. */
function talk(app: App, serverId: string): string[] {
  return logEntries(app, serverId).flatMap((entry) => {
    if (entry.kind === 'replied') return [`S: ${entry.code}`];
    if (entry.kind === 'received')
      return [`${entry.message ? 'M' : 'C'}: ${Buffer.from(entry.data).toString('latin1')}`];
    return [];
  });
}

describe('a pipelined DATA', () => {
  test('DATA and its message in one read are logged as smtp-server took them: the message after the 354', async () => {
    app = startApp();
    const started = await startMailServer(app);
    const client = await RawSmtp.connect(started.local.port);
    await client.reply();
    const message = `Subject: x\r\n\r\nhi\n.\r\n${smuggled}`;
    client.write(`EHLO a\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n${message}.\r\nNOOP\r\nQUIT\r\n`);
    await until(() => client.closed, 'the server to close after QUIT');
    await until(() => logEntries(app, started.serverId).some((entry) => entry.kind === 'closed'), 'closed');
    const [summary] = inbox(app, started.serverId);
    expect(inbox(app, started.serverId)).toHaveLength(1);
    const stored = await app.client.call('mailServer.message', {
      serverId: started.serverId,
      messageId: summary?.messageId ?? '',
    });
    expect(Buffer.from(stored.raw).toString('latin1')).toBe(message);
    const log = talk(app, started.serverId);
    expect(log).toEqual([
      'S: 220',
      'C: EHLO a\r\n',
      'C: MAIL FROM:<a@b>\r\n',
      'C: RCPT TO:<c@d>\r\n',
      'C: DATA\r\n',
      'S: 250',
      'S: 250',
      'S: 250',
      'S: 354',
      `M: ${message}`,
      'M: .\r\n',
      'C: NOOP\r\n',
      'C: QUIT\r\n',
      'S: 250',
      'S: 250',
      'S: 221',
    ]);
  });

  test('a refused DATA leaves what follows as commands, as smtp-server reads them', async () => {
    app = startApp();
    const started = await startMailServer(app);
    const client = await RawSmtp.connect(started.local.port);
    await client.reply();
    client.write('HELO a\r\nDATA\r\nNOOP\r\nQUIT\r\n');
    await until(() => client.closed, 'the server to close after QUIT');
    await until(() => logEntries(app, started.serverId).some((entry) => entry.kind === 'closed'), 'closed');
    const log = talk(app, started.serverId);
    expect(log).toEqual([
      'S: 220',
      'C: HELO a\r\n',
      'C: DATA\r\n',
      'S: 250',
      'S: 503',
      'C: NOOP\r\n',
      'C: QUIT\r\n',
      'S: 250',
      'S: 221',
    ]);
  });
});
