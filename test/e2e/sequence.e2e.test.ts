/**
 * The sequence (ladder) diagram end to end in browser mode: after real traffic in each
 * client tool, the collapsed "Sequence diagram" section opens to an image of that name;
 * for TCP the arrows sit where the transcript's timestamps put them on the scale.
 *
 * SCREENSHOT_DIR=/some/dir saves sequence-*.png there.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { freeTcpPort } from '../support/ports';
import { type PageProblems, skipWithoutChromium } from './support/browser';
import { browserPages } from './support/pages';

async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.SCREENSHOT_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  for (const [width, height] of [
    [1280, 800],
    [1024, 768],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.locator('.sequence-scroll').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(dir, `${name}-${width}x${height}.png`) });
  }
}

/** Opens the section under a transcript and waits for the image. */
async function openDiagram(scope: Locator): Promise<Locator> {
  await scope.locator('summary', { hasText: /^Sequence diagram$/ }).click();
  const image = scope.getByRole('img', { name: 'Sequence diagram', exact: true });
  await image.waitFor();
  return image;
}

describe.skipIf(skipWithoutChromium('sequence diagram end-to-end spec'))('the sequence diagram', () => {
  const pages = browserPages({ width: 1280, height: 800 });

  async function open(tool: string): Promise<{ page: Page; problems: PageProblems }> {
    const { page, problems } = await pages.open();
    await page.getByRole('contentinfo', { name: 'Status bar' }).getByText('Connected', { exact: true }).waitFor();
    await page.getByRole('navigation', { name: 'Tools' }).getByRole('link', { name: tool }).click();
    return { page, problems };
  }

  async function startServer(server: Locator): Promise<number> {
    const port = await freeTcpPort();
    await server.getByLabel('Port', { exact: true }).fill(String(port));
    await server.getByRole('button', { name: 'Start', exact: true }).click();
    await server.getByRole('button', { name: 'Stop', exact: true }).waitFor();
    return port;
  }

  it('TCP: arrows sit at their transcript times on the scale; a connect with its handshake and the close', async () => {
    const { page, problems } = await open('TCP');
    const server = page.getByRole('region', { name: 'TCP server' });
    const options = await server.getByLabel('Mode').locator('option').allTextContents();
    await server.getByLabel('Mode').selectOption({ label: options.find((text) => /line/i.test(text)) ?? '' });
    const port = await startServer(server);
    const client = page.getByRole('region', { name: 'TCP client' });
    await client.getByLabel('Host', { exact: true }).fill('127.0.0.1');
    await client.getByLabel('Port', { exact: true }).fill(String(port));
    await client.getByRole('button', { name: 'Connect', exact: true }).click();
    await client.getByRole('button', { name: 'Disconnect' }).waitFor();
    const transcript = client.getByRole('log', { name: 'Transcript' });
    for (const word of ['hello', 'again']) {
      await client.getByLabel('Message').fill(`${word}\\n`);
      await client.getByRole('button', { name: 'Send', exact: true }).click();
      await expect.poll(() => transcript.textContent()).toContain(word.toUpperCase());
      await page.waitForTimeout(150);
    }
    await client.getByRole('button', { name: 'Disconnect' }).click();
    await client.getByRole('button', { name: 'Connect', exact: true }).waitFor();

    const image = await openDiagram(client);
    await expect.poll(() => image.locator('.sequence-message').count()).toBeGreaterThanOrEqual(4);
    expect(await image.textContent()).toMatch(/connected, handshake/);
    expect(await image.textContent()).toMatch(/client closed/);
    expect(await image.textContent()).toMatch(/RTT /);

    const top = Number(await image.getAttribute('data-top'));
    const pxPerMs = Number(await image.getAttribute('data-px-per-ms'));
    const arrows = await image.locator('.sequence-message').evaluateAll((groups) =>
      groups.map((group) => {
        const line = group.querySelectorAll('line')[1] as SVGLineElement;
        const outbound = line.x1.baseVal.value < line.x2.baseVal.value;
        return {
          ms: Number(group.getAttribute('data-ms')),
          // The client end: where a send starts and a reply ends.
          clientY: outbound ? line.y1.baseVal.value : line.y2.baseVal.value,
          label: group.textContent ?? '',
        };
      }),
    );
    // The transcript's own times for the same messages, in its "+s.mmm s" form.
    const times = await transcript
      .locator('.t-client-to-server .t-time, .t-server-to-client .t-time')
      .allTextContents();
    const rowMs = times.map((text) => Number(/\+([\d.]+) s/.exec(text)?.[1]) * 1000);
    const first = await image.locator('.sequence-event').first().getAttribute('data-ms');
    expect(Number(first)).toBe(0);
    expect(arrows.length).toBe(rowMs.length);
    for (const [index, arrow] of arrows.entries()) {
      expect(arrow.clientY).toBeCloseTo(top + arrow.ms * pxPerMs, 3);
      expect(Math.abs(arrow.ms - (rowMs[index] ?? Number.NaN))).toBeLessThan(1);
    }
    // Later messages are lower: 150 ms apart is well over 100 px at the fitted scale.
    const [send1, , send2] = arrows;
    expect((send2?.clientY ?? 0) - (send1?.clientY ?? 0)).toBeGreaterThan(0.1 * pxPerMs * 150);
    expect(send1?.label).toMatch(/hello.*6 bytes/);

    // The axis' ticks are on the same scale.
    const tick = await image.locator('.sequence-axis g line').first().getAttribute('y1');
    expect(Number(tick)).toBeCloseTo(top, 3);
    // The screen reader's table holds the same events.
    const table = client.getByRole('table', { name: 'Sequence diagram events' });
    expect(await table.locator('tbody tr').count()).toBe(await image.locator('.sequence-event').count());
    // Zoom in doubles the scale.
    await client.getByRole('button', { name: 'Zoom in' }).click();
    await expect.poll(async () => Number(await image.getAttribute('data-px-per-ms'))).toBeCloseTo(pxPerMs * 2, 6);
    await client.getByRole('button', { name: 'Fit' }).click();
    await screenshot(page, 'sequence-tcp');
    expect(problems.all).toEqual([]);
  });

  it('UDP: a datagram and its reply', async () => {
    const { page, problems } = await open('UDP');
    const port = await startServer(page.getByRole('region', { name: 'UDP server' }));
    const client = page.getByRole('region', { name: 'UDP client' });
    await client.getByLabel('Host', { exact: true }).fill('127.0.0.1');
    await client.getByLabel('Port', { exact: true }).fill(String(port));
    await client.getByLabel('Message').fill('hello');
    await client.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => client.getByRole('log', { name: 'Transcript' }).textContent()).toContain('HELLO');
    const image = await openDiagram(client);
    await expect.poll(() => image.locator('.sequence-message').count()).toBe(2);
    expect(await image.textContent()).toContain('HELLO');
    await screenshot(page, 'sequence-udp');
    expect(problems.all).toEqual([]);
  });

  it('SMTP: the textbook conversation with the built-in mail server', async () => {
    const { page, problems } = await pages.open();
    await page.getByRole('contentinfo', { name: 'Status bar' }).getByText('Connected', { exact: true }).waitFor();
    await page.goto(`${page.url().split('#')[0]}#/smtp`);
    const builder = page.getByRole('region', { name: 'SMTP conversation' });
    await builder.waitFor();
    const port = await startServer(page.getByRole('region', { name: 'Mail server' }));
    await builder.getByLabel('Host', { exact: true }).fill('127.0.0.1');
    await builder.getByLabel('Port', { exact: true }).fill(String(port));
    await builder.getByRole('button', { name: 'Connect', exact: true }).click();
    await builder.getByRole('button', { name: 'Disconnect' }).waitFor();
    await builder.getByRole('button', { name: 'Send all steps', exact: true }).click();
    const transcript = builder.getByRole('log', { name: 'Transcript' });
    await expect.poll(() => transcript.textContent(), { timeout: 15_000 }).toMatch(/221 /);
    const image = await openDiagram(builder);
    await expect.poll(() => image.textContent()).toContain('HELO crepes.fr');
    expect(await image.textContent()).toContain('MAIL FROM:');
    await screenshot(page, 'sequence-smtp');
    expect(problems.all).toEqual([]);
  });

  it('HTTP: a GET from the built-in web server, a lane per connection', async () => {
    const { page, problems } = await open('HTTP');
    await page.getByRole('textbox', { name: 'Raw request' }).waitFor();
    const port = await startWebServer(page);
    const host = `127.0.0.1:${port}`;
    await page.getByRole('textbox', { name: 'URL' }).fill(`http://${host}/`);
    const editor = page.getByRole('textbox', { name: 'Raw request' });
    await editor.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    for (const line of ['GET / HTTP/1.1', `Host: ${host}`, '']) {
      await page.keyboard.insertText(line);
      await page.keyboard.press('Enter');
    }
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const viewer = page.getByRole('region', { name: 'Response' });
    await expect
      .poll(() => viewer.getByRole('status', { name: 'Status' }).textContent(), { timeout: 10_000 })
      .toMatch(/^200/);
    const image = await openDiagram(viewer);
    await expect.poll(() => image.textContent()).toContain('GET / HTTP/1.1');
    expect(await image.textContent()).toMatch(/Connection 1/);
    expect(await image.textContent()).toMatch(/HTTP\/1\.1 200 OK/);
    await screenshot(page, 'sequence-http');
    expect(problems.all).toEqual([]);

    async function startWebServer(p: Page): Promise<number> {
      return startServer(p.getByRole('region', { name: 'Web server' }));
    }
  });

  it('DNS: a query to the built-in DNS server and its reply, with the RTT', async () => {
    const { page, problems } = await open('DNS');
    const query = page.getByRole('region', { name: 'DNS query' });
    const server = page.getByRole('region', { name: 'DNS server' });
    await query.waitFor();
    await query.getByRole('textbox', { name: 'Name', exact: true }).fill('www.example.lab');
    await server
      .getByRole('textbox', { name: 'Zone' })
      .fill(
        '$ORIGIN example.lab.\n$TTL 3600\n@ IN SOA ns1 hostmaster 1 7200 900 1209600 300\n@ IN NS ns1\nns1 IN A 127.0.0.1\nwww IN A 127.0.0.1\n',
      );
    await server.getByRole('textbox', { name: 'Port' }).fill('0');
    await server.getByRole('button', { name: 'Start', exact: true }).click();
    await server.getByRole('button', { name: 'Stop', exact: true }).and(page.locator(':enabled')).waitFor();
    await expect.poll(() => query.getByRole('textbox', { name: 'Port', exact: true }).inputValue()).not.toBe('53');
    await query.getByRole('combobox', { name: 'Type' }).fill('A');
    await query.getByRole('button', { name: 'Send', exact: true }).click();
    const reply = page.getByRole('region', { name: 'Reply' });
    await expect.poll(() => reply.textContent(), { timeout: 10_000 }).toMatch(/NOERROR/);
    const image = await openDiagram(query);
    await expect.poll(() => image.locator('.sequence-message').count()).toBe(2);
    expect(await image.textContent()).toMatch(/RTT /);
    expect(await image.textContent()).toMatch(/\d+ bytes/);
    await screenshot(page, 'sequence-dns');
    expect(problems.all).toEqual([]);
  });
});
