/**
 * DNS by hand end to end in browser mode: the built-in authoritative server started from
 * the UI, a query built and sent to it, the reply's hex map, the page left and come back
 * to with everything still there, the hierarchy followed referral by referral, the local
 * resolver's hops and cache, and compression pointers drawn from a hand-made reply.
 * Screenshots go to SCREENSHOT_DIR (default /tmp/pp/shots3).
 */
import dgram from 'node:dgram';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { skipWithoutChromium } from './support/browser';
import { browserPages } from './support/pages';

const shots = process.env.SCREENSHOT_DIR ?? '/tmp/pp/shots3';

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, name) });
}

describe.skipIf(skipWithoutChromium('DNS end-to-end spec'))('DNS by hand', () => {
  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 1024, height: 768 },
  ]) {
    const pages = browserPages(viewport);
    it(`at ${viewport.width}x${viewport.height}: the zone served, a query dissected, a referral followed`, async () => {
      const { page, problems } = await pages.open();
      await page.getByRole('contentinfo', { name: 'Status bar' }).getByText('Connected', { exact: true }).waitFor();
      await page.getByRole('navigation').getByRole('link', { name: 'DNS' }).click();
      const query = page.getByRole('region', { name: 'DNS query' });
      const reply = page.getByRole('region', { name: 'Reply' });
      const server = page.getByRole('region', { name: 'DNS server' });
      await query.waitFor();

      // Bad input is explained beside its field, and nothing typed is lost.
      await query.getByRole('textbox', { name: 'Name', exact: true }).fill('a..b');
      await expect.poll(() => query.getByRole('alert').first().textContent()).toMatch(/empty label/);
      await query.getByRole('textbox', { name: 'Name', exact: true }).fill('www.example.lab');
      await server.getByRole('textbox', { name: 'Zone' }).fill('$TTL 60\nwww IN A 1.2.3\n');
      await expect.poll(() => server.getByRole('alert').first().textContent()).toMatch(/line 2, column 10/);
      await server
        .getByRole('textbox', { name: 'Zone' })
        .fill(
          '$ORIGIN example.lab.\n$TTL 3600\n@ IN SOA ns1 hostmaster 1 7200 900 1209600 300\n@ IN NS ns1\nns1 IN A 127.0.0.1\n@ IN A 127.0.0.1\nwww IN CNAME @\n',
        );
      await server.getByRole('textbox', { name: 'Port' }).fill('0');
      await server.getByRole('button', { name: 'Start', exact: true }).click();
      await server.getByRole('button', { name: 'Stop', exact: true }).and(page.locator(':enabled')).waitFor();
      await expect.poll(() => query.getByRole('textbox', { name: 'Port', exact: true }).inputValue()).not.toBe('53');
      expect(await query.getByRole('textbox', { name: 'Server', exact: true }).inputValue()).toBe('127.0.0.1');
      await query.getByRole('combobox', { name: 'Type' }).fill('A');
      await query.getByRole('checkbox', { name: 'Recursion desired' }).check();
      await query.getByRole('button', { name: 'Send', exact: true }).click();
      await expect.poll(() => reply.textContent(), { timeout: 10_000 }).toMatch(/NOERROR/);
      expect(await reply.textContent()).toMatch(/CNAME/);
      await expect
        .poll(() => server.getByRole('log', { name: 'Server log' }).textContent())
        .toMatch(/127\.0\.0\.1:\d+.*UDP query: ID \d+: www\.example\.lab\. A/);

      // Clicking a field highlights its bytes; clicking a byte selects its field.
      const fields = reply.getByRole('table', { name: 'Reply fields' });
      await fields.getByRole('button', { name: 'TTL', exact: true }).first().click();
      const bytes = reply.getByRole('group', { name: 'Reply bytes' });
      await expect.poll(() => bytes.locator('.dns-selected').count()).toBe(4);
      await bytes.getByRole('button', { name: /^byte 0:/ }).click();
      expect(await fields.locator('tr.dns-selected').textContent()).toMatch(/ID/);
      await screenshot(page, `dns-reply-${viewport.width}.png`);

      // Another tool and back: the query, the reply and the running server are all still there.
      const serverPort = await server.getByRole('textbox', { name: 'Port' }).inputValue();
      await page.getByRole('navigation').getByRole('link', { name: 'UDP' }).click();
      await page.getByRole('heading', { name: 'UDP client and server' }).waitFor();
      await page.getByRole('navigation').getByRole('link', { name: 'DNS' }).click();
      await query.waitFor();
      expect(await query.getByRole('textbox', { name: 'Name', exact: true }).inputValue()).toBe('www.example.lab');
      expect(await reply.textContent()).toMatch(/NOERROR/);
      expect(await fields.locator('tr.dns-selected').textContent()).toMatch(/ID/);
      expect(await server.getByRole('textbox', { name: 'Port' }).inputValue()).toBe(serverPort);
      expect(await server.getByRole('button', { name: 'Stop', exact: true }).isEnabled()).toBe(true);
      expect(await server.getByRole('textbox', { name: 'Zone' }).inputValue()).toMatch(/www IN CNAME @/);
      expect(await server.getByRole('log', { name: 'Server log' }).textContent()).toMatch(/UDP query/);

      // Opcode, RCODE and class are fields of their own; a bad one is explained beside it.
      await query.getByRole('combobox', { name: 'Class' }).fill('XX');
      await expect.poll(() => query.getByRole('alert').first().textContent()).toMatch(/unknown class 'XX'/);
      await query.getByRole('combobox', { name: 'Class' }).fill('CH');
      await query.getByRole('combobox', { name: 'Opcode' }).fill('16');
      await expect.poll(() => query.getByRole('alert').first().textContent()).toMatch(/Opcode is 4 bits/);
      await query.getByRole('combobox', { name: 'Opcode' }).fill('STATUS');
      const queryFields = query.getByRole('table', { name: 'Query fields' });
      await expect.poll(() => queryFields.textContent()).toMatch(/3 CH/);
      await expect.poll(() => queryFields.textContent()).toMatch(/Opcode=2 STATUS/);
      await query.getByRole('combobox', { name: 'Class' }).fill('IN');
      await query.getByRole('combobox', { name: 'Opcode' }).fill('QUERY');

      // The hierarchy, one referral at a time with RD=0.
      await server.getByRole('button', { name: 'Start root, TLD and authoritative servers' }).click();
      await expect
        .poll(() => query.getByRole('textbox', { name: 'Server', exact: true }).inputValue())
        .toBe('127.0.0.1');
      await query.getByRole('checkbox', { name: 'Recursion desired' }).uncheck();
      await query.getByRole('button', { name: 'Send', exact: true }).click();
      await reply.getByRole('button', { name: 'Follow referral' }).click();
      await expect
        .poll(() => query.getByRole('textbox', { name: 'Server', exact: true }).inputValue())
        .toBe('127.0.0.2');
      await reply.getByRole('button', { name: 'Follow referral' }).click();
      await expect
        .poll(() => query.getByRole('textbox', { name: 'Server', exact: true }).inputValue())
        .toBe('127.0.0.3');
      await expect.poll(() => reply.textContent()).toMatch(/AA \(authoritative\)/);

      // The local resolver with RD=1: its hops with their RTTs, then the same ask from its cache.
      await server.getByRole('button', { name: 'Ask the local resolver' }).click();
      await query.getByRole('checkbox', { name: 'Recursion desired' }).check();
      await query.getByRole('button', { name: 'Send', exact: true }).click();
      const hops = reply.getByRole('list', { name: 'Resolver hops' });
      await expect.poll(() => hops.getByRole('listitem').count(), { timeout: 10_000 }).toBe(3);
      expect(await hops.textContent()).toMatch(/127\.0\.0\.1:\d+ · www\.example\.lab\. A · [\d.]+ ms · referral/);
      expect(await hops.textContent()).toMatch(/127\.0\.0\.3:\d+ · www\.example\.lab\. A · [\d.]+ ms · answer/);
      const cache = server.getByRole('table', { name: 'Resolver cache' });
      await expect.poll(() => cache.textContent()).toMatch(/www\.example\.lab A/);
      const leftOf = async () =>
        Number(
          /(\d+) s$/.exec((await cache.getByRole('row').nth(1).getByRole('cell').nth(2).textContent()) ?? '')?.[1],
        );
      await hops.scrollIntoViewIfNeeded();
      await screenshot(page, `dns-resolver-hops-${viewport.width}.png`);
      const before = await leftOf();
      await expect.poll(leftOf, { timeout: 5000 }).toBeLessThan(before);
      await query.getByRole('button', { name: 'Send', exact: true }).click();
      await expect.poll(() => reply.getByRole('note').textContent()).toMatch(/Answered from the resolver's cache/);
      await cache.scrollIntoViewIfNeeded();
      await screenshot(page, `dns-resolver-cache-${viewport.width}.png`);

      // Names and services as a program gets them.
      const lookup = page.getByRole('region', { name: 'Name lookup' });
      await lookup.getByRole('textbox', { name: 'Host name' }).fill('localhost');
      await lookup.getByRole('button', { name: 'Look up' }).click();
      await expect.poll(() => lookup.textContent()).toMatch(/127\.0\.0\.1|::1/);
      const service = page.getByRole('region', { name: 'Service to port' });
      await service.getByRole('textbox', { name: 'Service' }).fill('smtp');
      await service.getByRole('button', { name: 'Look up' }).click();
      await expect.poll(() => service.textContent()).toMatch(/smtp → 25\/tcp/);
      await screenshot(page, `dns-hierarchy-${viewport.width}.png`);
      expect(problems.all).toEqual([]);
    });
  }

  describe('a hand-made reply', () => {
    const pages = browserPages({ width: 1280, height: 800 });
    it('draws its compression pointers, and flags a reply from another address', async () => {
      // dns-packet (behind the built-in servers) writes every name in full: this tiny server
      // answers with a reply compressed by hand, first from the socket asked, then from another.
      const asked = dgram.createSocket('udp4');
      const other = dgram.createSocket('udp4');
      await Promise.all([
        new Promise<void>((resolve) => asked.bind(0, '127.0.0.1', resolve)),
        new Promise<void>((resolve) => other.bind(0, '127.0.0.1', resolve)),
      ]);
      let fromOther = false;
      asked.on('message', (query, from) => {
        (fromOther ? other : asked).send(compressedReply(query), from.port, from.address);
      });
      try {
        const { page, problems } = await pages.open();
        await page.getByRole('contentinfo', { name: 'Status bar' }).getByText('Connected', { exact: true }).waitFor();
        await page.getByRole('navigation').getByRole('link', { name: 'DNS' }).click();
        const query = page.getByRole('region', { name: 'DNS query' });
        const reply = page.getByRole('region', { name: 'Reply' });
        await query.getByRole('textbox', { name: 'Name', exact: true }).fill('www.example.lab');
        await query.getByRole('textbox', { name: 'Server', exact: true }).fill('127.0.0.1');
        await query.getByRole('textbox', { name: 'Port', exact: true }).fill(String(asked.address().port));
        await query.getByRole('button', { name: 'Send', exact: true }).click();
        const pointers = reply.getByRole('list', { name: 'Compression pointers' });
        await expect
          .poll(() => pointers.textContent(), { timeout: 10_000 })
          .toMatch(/c0 0c at offset 33 → offset 12 → www\.example\.lab/);
        expect(await pointers.textContent()).toMatch(/c0 10 at offset 64 → offset 16 → example\.lab/);
        expect(await reply.textContent()).not.toMatch(/not the server asked/);
        await pointers.scrollIntoViewIfNeeded();
        await screenshot(page, 'dns-pointers-1280.png');

        fromOther = true;
        await query.getByRole('button', { name: 'Send', exact: true }).click();
        await expect
          .poll(() => reply.getByRole('alert').first().textContent(), { timeout: 10_000 })
          .toMatch(new RegExp(`came from 127\\.0\\.0\\.1:${other.address().port}, not the server asked`));
        expect(problems.all).toEqual([]);
      } finally {
        asked.close();
        other.close();
      }
    });
  });
});

/**
 * The query's question, then one A answer whose name is a pointer to the question's name
 * (`c0 0c`, at 33), and one NS answer named the same way (at 49) whose RDATA `ns` ends in a
 * pointer into that name (`c0 10` at 64 → `example.lab`).
 */
function compressedReply(query: Buffer): Buffer {
  const questionEnd = 12 + 17 + 4; // www.example.lab: 1+3+1+7+1+3+1 bytes, then QTYPE and QCLASS
  const header = Buffer.from(query.subarray(0, 12));
  header[2] = 0x85; // QR, AA, RD
  header[3] = 0x00;
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(2, 6);
  header.writeUInt16BE(0, 8);
  header.writeUInt16BE(0, 10);
  const question = query.subarray(12, questionEnd);
  const a = Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, 127, 0, 0, 1]);
  // NS at offset 49: name c0 0c, type 2, class 1, TTL 3600, RDLENGTH 5, RDATA 02 'ns' c0 10 (example.lab)
  const ns = Buffer.from([0xc0, 0x0c, 0, 2, 0, 1, 0, 0, 0x0e, 0x10, 0, 5, 2, 0x6e, 0x73, 0xc0, 0x10]);
  return Buffer.concat([header, question, a, ns]);
}
