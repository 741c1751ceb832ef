/** The HTTP tool driven as a student drives it: open it, start the web server, type and send. */
import type { Locator, Page } from 'playwright-core';
import { freeTcpPort } from '../../support/ports';
import type { PageProblems } from './browser';

export async function openHttp(
  open: () => Promise<{ page: Page; problems: PageProblems }>,
): Promise<{ page: Page; problems: PageProblems }> {
  const { page, problems } = await open();
  await page.getByRole('contentinfo', { name: 'Status bar' }).getByText('Connected', { exact: true }).waitFor();
  await page.getByRole('navigation', { name: 'Tools' }).getByRole('link', { name: 'HTTP' }).click();
  await page.getByRole('textbox', { name: 'Raw request' }).waitFor();
  return { page, problems };
}

export async function startWebServer(page: Page): Promise<number> {
  const port = await freeTcpPort();
  const server = page.getByRole('region', { name: 'Web server' });
  await server.getByLabel('Port', { exact: true }).fill(String(port));
  await server.getByRole('button', { name: 'Start' }).click();
  await server.getByRole('button', { name: 'Stop' }).waitFor();
  return port;
}

/** Types the request into the raw editor line by line: Enter ends each line with CRLF. */
export async function typeRequest(page: Page, lines: readonly string[]): Promise<void> {
  const editor = page.getByRole('textbox', { name: 'Raw request' });
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  for (const line of lines) {
    await page.keyboard.insertText(line);
    await page.keyboard.press('Enter');
  }
}

export async function send(page: Page, url: string, lines: readonly string[]): Promise<void> {
  await page.getByRole('textbox', { name: 'URL' }).fill(url);
  await typeRequest(page, lines);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
}

export function viewer(page: Page): Locator {
  return page.getByRole('region', { name: 'Response' });
}
