/**
 * axe-core (@axe-core/playwright) on every tool, idle and after real traffic against the
 * built-in servers: any violation fails, with its rule, impact and the elements named.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { skipWithoutChromium } from './support/browser';
import { browserPages } from './support/pages';
import { freeTcpPort } from '../support/ports';

async function violations(page: Page): Promise<string[]> {
  // Frames are the received HTML's sandboxed preview (a server's page, not the app's UI,
  // and no script may run there); the <iframe> element itself is still checked.
  const results = await new AxeBuilder({ page }).options({ iframes: false }).analyze();
  return results.violations.map(
    (v) => `${v.id} (${v.impact ?? 'unknown'}): ${v.nodes.map((node) => node.target.join(' ')).join(', ')}`,
  );
}

async function startServer(page: Page, region: RegExp | string): Promise<number> {
  const server = page.getByRole('region', { name: region });
  const port = await freeTcpPort();
  await server.getByRole('textbox', { name: 'Port' }).fill(String(port));
  await server.getByRole('button', { name: 'Start' }).click();
  await server.getByRole('button', { name: 'Stop' }).waitFor();
  return port;
}

const traffic: Record<string, (page: Page) => Promise<void>> = {
  async udp(page) {
    const port = await startServer(page, /UDP server/);
    await page.getByRole('textbox', { name: 'Port' }).first().fill(String(port));
    await page.getByRole('textbox', { name: 'Message' }).fill('hello');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByRole('log').first().getByText('HELLO').first().waitFor();
  },
  async tcp(page) {
    const port = await startServer(page, /TCP server/);
    await page.getByRole('textbox', { name: 'Port' }).first().fill(String(port));
    await page.getByRole('button', { name: 'Connect' }).first().click();
    await page.getByRole('textbox', { name: 'Message' }).fill('hello');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByRole('log').first().getByText('HELLO').first().waitFor();
  },
  async http(page) {
    const port = await startServer(page, 'Web server');
    await page.getByRole('textbox', { name: 'URL' }).fill(`http://127.0.0.1:${port}/`);
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByRole('region', { name: 'Response' }).getByText('200 OK').first().waitFor();
  },
  async smtp(page) {
    const port = await startServer(page, 'Mail server');
    const conversation = page.getByRole('region', { name: /SMTP conversation/ });
    await conversation.getByLabel('Port', { exact: true }).fill(String(port));
    await conversation.getByRole('button', { name: 'Connect', exact: true }).click();
    await conversation.getByRole('button', { name: 'Disconnect' }).waitFor();
    await conversation.getByRole('button', { name: 'Send all steps', exact: true }).click();
    const inbox = page.getByRole('region', { name: 'Mail server' }).getByRole('list', { name: 'Inbox' });
    await expect.poll(() => inbox.getByRole('listitem').count(), { timeout: 15_000 }).toBe(1);
    await inbox.getByRole('button').first().click();
    await page.getByLabel('Raw source').waitFor();
  },
  async dns(page) {
    // The built-in server's sample zone, queried by the query builder's defaults.
    const server = page.getByRole('region', { name: 'DNS server' });
    await server.getByRole('textbox', { name: 'Port' }).fill('0');
    await server.getByRole('button', { name: 'Start', exact: true }).click();
    await server.getByRole('button', { name: 'Stop', exact: true }).and(page.locator(':enabled')).waitFor();
    const query = page.getByRole('region', { name: 'DNS query' });
    await expect.poll(() => query.getByRole('textbox', { name: 'Port', exact: true }).inputValue()).not.toBe('53');
    await query.getByRole('button', { name: 'Send', exact: true }).click();
    const reply = page.getByRole('region', { name: 'Reply' });
    await expect.poll(() => reply.textContent(), { timeout: 10_000 }).toMatch(/NOERROR|NXDOMAIN/);
    await reply.getByRole('table', { name: 'Reply fields' }).getByRole('button').first().click();
  },
};

describe.skipIf(skipWithoutChromium('Accessibility end-to-end spec'))('accessibility (axe-core)', () => {
  const { open } = browserPages();

  for (const tool of ['', 'udp', 'tcp', 'http', 'smtp', 'dns']) {
    it(`#/${tool}: no violations idle${tool ? ' and after traffic' : ''}`, async () => {
      const { app, page, problems } = await open();
      await page.goto(`${app.origin}/#/${tool}`);
      await page.getByRole('contentinfo', { name: 'Status bar' }).getByText('Connected', { exact: true }).waitFor();
      await page.getByRole('heading', { level: 1 }).waitFor();
      expect(await violations(page), 'idle').toEqual([]);
      const run = traffic[tool];
      if (run) {
        await run(page);
        expect(await violations(page), 'after traffic').toEqual([]);
      }
      expect(problems.all).toEqual([]);
    });
  }
});
