/**
 * DNS by hand end to end in browser mode: the built-in authoritative server started from
 * the UI, a query built and sent to it, the reply's hex map, and the hierarchy followed
 * referral by referral. Screenshots go to SCREENSHOT_DIR (default /tmp/pp/shots3).
 */
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
        .toMatch(/query from 127\.0\.0\.1/);

      // Clicking a field highlights its bytes; clicking a byte selects its field.
      const fields = reply.getByRole('table', { name: 'Reply fields' });
      await fields.getByRole('button', { name: 'TTL', exact: true }).first().click();
      const bytes = reply.getByRole('group', { name: 'Reply bytes' });
      await expect.poll(() => bytes.locator('.dns-selected').count()).toBe(4);
      await bytes.getByRole('button', { name: /^byte 0:/ }).click();
      expect(await fields.locator('tr.dns-selected').textContent()).toMatch(/ID/);
      await screenshot(page, `dns-reply-${viewport.width}.png`);

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
});
