/**
 * What a student's first hour with every tool ran into (issue 12), each reproduced
 * through the UI in headless Chromium.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { skipWithoutChromium } from './support/browser';
import { browserPages } from './support/pages';
import { freeTcpPort } from '../support/ports';

/** Starts the TCP page's server and connects Client 1 to it. */
async function connectTcpClient(page: Page, origin: string) {
  await page.goto(`${origin}/#/tcp`);
  const server = page.getByRole('region', { name: /TCP server/ });
  const port = await freeTcpPort();
  await server.getByRole('textbox', { name: 'Port' }).fill(String(port));
  await server.getByRole('button', { name: 'Start' }).click();
  await server.getByRole('button', { name: 'Stop' }).waitFor();
  const client = page.getByRole('region', { name: 'TCP client' });
  await client.getByRole('textbox', { name: 'Port' }).fill(String(port));
  await client.getByRole('button', { name: 'Connect', exact: true }).click();
  await client.getByRole('button', { name: 'Disconnect' }).waitFor();
  return { server, client };
}

/** What the page's beforeunload handler says: true when it asks the browser to ask. */
function asksBeforeUnload(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const event = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(event);
    return event.defaultPrevented;
  });
}

describe.skipIf(skipWithoutChromium('First-hour end-to-end spec'))("a student's first hour", () => {
  const { open } = browserPages();

  it('asks before a reload or close loses unsaved work, and only then', async () => {
    const { app, page, problems } = await open();
    await page.getByRole('contentinfo', { name: 'Status bar' }).getByText('Connected', { exact: true }).waitFor();
    expect(await asksBeforeUnload(page), 'nothing to lose yet').toBe(false);
    await connectTcpClient(page, app.origin);
    expect(await asksBeforeUnload(page), 'a running server and a connection').toBe(true);
    // The browser's own question: dismissing it keeps the page and its work.
    const asked = new Promise<string>((resolve) => {
      page.once('dialog', (dialog) => {
        resolve(dialog.type());
        void dialog.dismiss();
      });
    });
    await page.close({ runBeforeUnload: true });
    expect(await asked).toBe('beforeunload');
    expect(page.isClosed()).toBe(false);
    await page.getByRole('region', { name: 'TCP client' }).getByRole('button', { name: 'Disconnect' }).waitFor();
    expect(problems.all).toEqual([]);
  });

  it('"Close Client 1" on a connected client asks first; Clear transcript empties the transcript', async () => {
    const { app, page, problems } = await open();
    const { client } = await connectTcpClient(page, app.origin);
    const transcript = client.getByRole('log', { name: 'Transcript' });
    await expect.poll(async () => (await transcript.textContent()) ?? '').toMatch(/\S/);
    await client.getByRole('button', { name: 'Clear transcript' }).click();
    await expect.poll(() => transcript.locator('.t-row').count()).toBe(0);
    expect(await client.getByRole('button', { name: 'Clear transcript' }).isDisabled()).toBe(true);

    await client.getByRole('button', { name: 'Close Client 1' }).click();
    const question = client.getByRole('alertdialog');
    await question.getByText('Close the connected Client 1?').waitFor();
    await question.getByRole('button', { name: 'Keep it' }).click();
    expect(await question.count()).toBe(0);
    await client.getByRole('button', { name: 'Disconnect' }).waitFor();

    await client.getByRole('button', { name: 'Close Client 1' }).click();
    await question.getByRole('button', { name: 'Close it' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Close Client 1' }).count()).toBe(0);
    expect(
      await page.getByRole('region', { name: 'TCP client' }).getByRole('button', { name: 'Disconnect' }).count(),
    ).toBe(0);
    expect(problems.all).toEqual([]);
  });

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
