/**
 * What a student's first hour with every tool ran into (issue 12), each reproduced
 * through the UI in headless Chromium.
 */
import { describe, expect, it } from 'vitest';
import { skipWithoutChromium } from './support/browser';
import { browserPages } from './support/pages';
import { freeTcpPort } from '../support/ports';

describe.skipIf(skipWithoutChromium('First-hour end-to-end spec'))("a student's first hour", () => {
  const { open } = browserPages();

  it("the status bar names its round trip the app link's, not the network's", async () => {
    const { page, problems } = await open();
    const statusBar = page.getByRole('contentinfo', { name: 'Status bar' });
    await statusBar.getByText('Connected', { exact: true }).waitFor({ timeout: 15_000 });
    await expect.poll(() => statusBar.textContent()).toMatch(/App link\s*\d+(\.\d+)? ms/);
    expect(await statusBar.textContent()).not.toContain('Round trip');
    expect(problems.all).toEqual([]);
  });

  it('says beside the UDP and TCP message boxes that Enter sends and Shift+Enter starts a new line', async () => {
    const { app, page, problems } = await open();
    for (const tool of ['udp', 'tcp']) {
      await page.goto(`${app.origin}/#/${tool}`);
      await page.getByRole('textbox', { name: 'Message' }).first().waitFor();
      const hint = page.getByText('Enter in the message sends; Shift+Enter starts a new line');
      // TCP says "connect first" there until it is connected; UDP can send at once.
      if (tool === 'udp') await hint.first().waitFor();
      else {
        const server = page.getByRole('region', { name: /TCP server/ });
        const port = await freeTcpPort();
        await server.getByRole('textbox', { name: 'Port' }).fill(String(port));
        await server.getByRole('button', { name: 'Start' }).click();
        await server.getByRole('button', { name: 'Stop' }).waitFor();
        await page.getByRole('textbox', { name: 'Port' }).first().fill(String(port));
        await page.getByRole('button', { name: 'Connect' }).first().click();
        await hint.first().waitFor();
      }
    }
    expect(problems.all).toEqual([]);
  });

  it('the web server says it serves "the sample site" and shows its path only on demand', async () => {
    const { app, page, problems } = await open();
    await page.goto(`${app.origin}/#/http`);
    const server = page.getByRole('region', { name: 'Web server' });
    await server.getByRole('textbox', { name: 'Port' }).fill(String(await freeTcpPort()));
    await server.getByRole('button', { name: 'Start' }).click();
    await server.getByRole('button', { name: 'Stop' }).waitFor();
    const served = server.getByText('Serving the sample site', { exact: true });
    await served.waitFor();
    const path = server.locator('.web-server-folder .mono');
    expect(await path.isVisible()).toBe(false);
    await served.click();
    expect(await path.textContent()).toMatch(/sampleSite$/);
    expect(problems.all).toEqual([]);
  });

  it("says on the page, not in a tooltip, what UDP's Connect does: fixes the peer, no handshake", async () => {
    const { app, page, problems } = await open();
    await page.goto(`${app.origin}/#/udp`);
    const connect = page.getByRole('button', { name: 'Connect', exact: true });
    await connect.waitFor();
    expect(await connect.getAttribute('title')).toBeNull();
    const note = page.getByText(/on a UDP socket only fixes its peer: no handshake, nothing is sent/);
    expect(await note.isVisible()).toBe(true);
    expect(problems.all).toEqual([]);
  });
});
