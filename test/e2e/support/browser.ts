/**
 * Headless Chromium for end-to-end specs: the distribution's package (/usr/bin/chromium),
 * driven by playwright-core, which downloads no browser of its own.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Why Chromium cannot be used here, or undefined when it can. */
export function chromiumUnavailable(): string | undefined {
  if (existsSync(chromiumPath)) return undefined;
  return `Chromium not found at ${chromiumPath} (install the system package, e.g. "apt-get install chromium", or set CHROMIUM_PATH)`;
}

/**
 * For `describe.skipIf(...)`. Without Chromium a spec is skipped with the reason
 * printed, except in CI (CI=true), where it runs and fails in `launchBrowser()`:
 * a CI without the browser must not pass by testing nothing.
 */
export function skipWithoutChromium(spec: string): boolean {
  const reason = chromiumUnavailable();
  if (!reason) return false;
  if (process.env.CI === 'true') return false;
  console.log(`${spec} skipped: ${reason}.`);
  return true;
}

export async function launchBrowser(): Promise<Browser> {
  const reason = chromiumUnavailable();
  if (reason) throw new Error(`cannot run end-to-end specs: ${reason}`);
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs, timeout: 60_000 });
}

export interface PageProblems {
  /** Console errors (CSP violations and failed loads among them) and uncaught page errors, in order. */
  readonly all: string[];
  /** The same, without messages matching any of `expected`. */
  except(...expected: RegExp[]): string[];
}

/**
 * Collects everything that went wrong in the page; assert it is empty at the end of a
 * spec. Call before `page.goto`.
 */
export async function watchPage(page: Page): Promise<PageProblems> {
  const all: string[] = [];
  // Chromium logs most CSP violations itself; this catches the ones it reports only as events.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline code'}`);
    });
  });
  page.on('console', (message) => {
    if (message.type() === 'error') all.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => all.push(`page error: ${error.message}`));
  page.on('crash', () => all.push('the page crashed'));
  return {
    all,
    except: (...expected) => all.filter((problem) => !expected.some((pattern) => pattern.test(problem))),
  };
}
