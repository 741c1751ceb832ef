import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach } from 'vitest';
import { launchBrowser, type PageProblems, watchPage } from './browser';
import { startWebApp, type WebApp } from './webApp';

export interface OpenedApp {
  app: WebApp;
  page: Page;
  problems: PageProblems;
}

/**
 * Call inside a describe block: each `open()` starts a fresh browser-mode host and opens
 * its printed URL in a new Chromium context; both are closed after each spec. The browser
 * is launched by the first spec that needs it, so a missing browser fails every spec
 * (counted as failures in CI) rather than only the suite's setup.
 */
export function browserPages(viewport = { width: 1280, height: 800 }): { open(): Promise<OpenedApp> } {
  let browser: Promise<Browser> | undefined;
  const apps: WebApp[] = [];
  let context: BrowserContext | undefined;
  afterEach(async () => {
    await context?.close();
    context = undefined;
    for (const app of apps.splice(0)) await app.stop();
  });
  afterAll(async () => {
    await (await browser?.catch(() => undefined))?.close();
  });
  return {
    async open() {
      browser ??= launchBrowser();
      const launched = await browser;
      const app = await startWebApp();
      apps.push(app);
      context = await launched.newContext({ viewport });
      const page = await context.newPage();
      const problems = await watchPage(page);
      await page.goto(app.url);
      return { app, page, problems };
    },
  };
}
