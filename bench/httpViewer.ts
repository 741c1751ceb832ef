import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Page } from 'playwright-core';
import { chromiumUnavailable, launchBrowser } from '../test/e2e/support/browser';
import { startWebApp } from '../test/e2e/support/webApp';
import { type Row, mib, ms } from './table';
import { MiB } from './timing';

/**
 * The response viewer's half of the HTTP benchmark: a large response over loopback
 * into the real page in headless Chromium (browser mode, the same React build), timed
 * from the server handing the body's last byte to the kernel until the viewer shows
 * the body's first screen for the finished response. The page is the app as shipped:
 * the body stays on the Node side (64 MiB kept by default, the rest counted) and the
 * viewer reads the 1 MiB on screen through http.body.
 */

export interface HttpViewerResult {
  rows: Row[];
  notes: string[];
}

const goalMs = 200;
export const defaultHttpViewerBytes = 100 * MiB;

/** For bench/run.ts: adds its rows and notes to the run's table. */
export async function httpViewer(out: { rows: Row[]; notes: string[]; progress: (message: string) => void }) {
  const result = await httpViewerBench({ bodyBytes: defaultHttpViewerBytes, runs: 3, progress: out.progress });
  out.rows.push(...result.rows);
  out.notes.push(...result.notes);
}

export async function httpViewerBench(options: {
  bodyBytes: number;
  runs: number;
  progress: (message: string) => void;
  /** Diagnostics: save the page after the last run here. */
  screenshotPath?: string | undefined;
}): Promise<HttpViewerResult> {
  const missing = chromiumUnavailable();
  if (missing) {
    const reason = `HTTP viewer benchmark skipped: ${missing}.`;
    options.progress(reason);
    return { rows: [], notes: [reason] };
  }
  let lastByteAt = 0;
  const body = Buffer.alloc(options.bodyBytes);
  // Readable text in lines, so the first screen is real work for the text view.
  const line = Buffer.from('The quick brown fox jumps over the lazy dog 0123456789\r\n');
  for (let i = 0; i < body.length; i += line.length) line.copy(body, i);
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': body.length });
    res.on('finish', () => {
      lastByteAt = performance.timeOrigin + performance.now();
    });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const app = await startWebApp();
  const browser = await launchBrowser();
  const samples: number[] = [];
  let heapBytes: number | undefined;
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await page.goto(app.url);
    await page.getByRole('navigation', { name: 'Tools' }).getByRole('link', { name: 'HTTP' }).click();
    await page.getByRole('textbox', { name: 'Raw request' }).waitFor();
    await page.getByRole('textbox', { name: 'URL' }).fill(`http://127.0.0.1:${port}/big`);
    for (let run = 1; run <= options.runs; run++) {
      options.progress(`HTTP viewer: ${mib(body.length)} response, run ${run} of ${options.runs}`);
      samples.push(await oneRun(page, port, run, () => lastByteAt));
    }
    // Chromium's non-standard performance.memory: the page's JS heap with every response still listed.
    heapBytes = (await page.evaluate('performance.memory?.usedJSHeapSize')) as number | undefined;
    if (options.screenshotPath) await page.screenshot({ path: options.screenshotPath });
  } finally {
    await browser.close();
    await app.stop();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  const best = Math.min(...samples);
  return {
    rows: [
      {
        what: `HTTP response of ${mib(body.length)} → viewer: last byte to first screen of the body`,
        raw: '—',
        app: ms(best),
        difference: `runs ${samples.map((s) => s.toFixed(0)).join(', ')} ms`,
        goal: `≤ ${goalMs} ms`,
        verdict: best <= goalMs ? 'PASS' : 'MISS',
      },
      {
        what: `HTTP response of ${mib(body.length)} → viewer: page JS heap after ${options.runs} responses`,
        raw: '—',
        app: heapBytes === undefined ? 'n/a' : mib(heapBytes),
        difference: 'bodies stay on the Node side',
        goal: '(reported)',
        verdict: '—',
      },
    ],
    notes: [
      `HTTP viewer: ${options.runs} runs in headless Chromium (browser mode), best shown. Timed from the test server's 'finish' (last byte handed to the kernel) to the frame after the viewer shows the finished body's totals and its first text block; includes the Node side reading the last bytes, the http.* events over the WebSocket, the viewer's throttled repaint (≤ 10 a second) and the http.body read of the first 1 MiB.`,
    ],
  };
}

async function oneRun(page: Page, port: number, run: number, lastByteAt: () => number): Promise<number> {
  const editor = page.getByRole('textbox', { name: 'Raw request' });
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  for (const text of [`GET /big?run=${run} HTTP/1.1`, `Host: 127.0.0.1:${port}`, '']) {
    await page.keyboard.insertText(text);
    await page.keyboard.press('Enter');
  }
  // Watches the viewer from inside the page: the first frame in which response #run is
  // complete and its first block of text is in the DOM. A string, because tsx's
  // helpers (__name) do not exist in the page.
  await page.evaluate(`(() => {
    delete window.firstScreenAt;
    const observer = new MutationObserver(() => {
      if (window.firstScreenAt !== undefined) return;
      const viewer = document.querySelector('.response-viewer');
      const which = viewer?.querySelector('.response-which')?.textContent ?? '';
      const note = viewer?.querySelector('.body-note')?.textContent ?? '';
      if (!which.includes('#${run}:') || !/ received[.,]/.test(note) || !viewer.querySelector('.text-block')) return;
      observer.disconnect();
      requestAnimationFrame(() => { window.firstScreenAt = performance.timeOrigin + performance.now(); });
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  })()`);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const at = (await page.evaluate('window.firstScreenAt')) as number | undefined;
    if (at !== undefined) return at - lastByteAt();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the viewer did not show response #${run} within 120 s`);
}
