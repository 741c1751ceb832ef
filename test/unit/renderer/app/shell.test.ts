import { createElement, type FunctionComponent } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { App } from '../../../../renderer/app/App';
import { ConnectionBanner, restartedHostMessage, unreachableMessage } from '../../../../renderer/app/ConnectionBanner';
import {
  clockTime,
  connectionDetail,
  connectionHeadline,
  milliseconds,
  pageRestartFromSearch,
  pageRestartMessage,
  platformName,
} from '../../../../renderer/app/format';
import { ConnectionProvider } from '../../../../renderer/app/hooks';
import { hrefFor, routeFromHash } from '../../../../renderer/app/route';
import { findTool, tools } from '../../../../renderer/app/tools';
import type { ConnectionManager, ConnectionState } from '../../../../renderer/transport/connection';
import { createClient } from '../../../../shared/contract/client';

/**
 * The shell rendered to HTML without a browser (the end-to-end spec covers it live in
 * Chromium): landmarks, tool list, status wording and the connection messages.
 */

function fakeManager(state: Partial<ConnectionState>): ConnectionManager {
  return {
    transport: 'browser',
    client: createClient(),
    state: { status: 'connecting', attempt: 1, reason: undefined, retryAt: undefined, connections: 0, ...state },
    subscribe: () => () => {},
    start() {},
    retryNow() {},
    stop() {},
  };
}

function render(component: FunctionComponent, state: Partial<ConnectionState>): string {
  return renderToStaticMarkup(
    createElement(ConnectionProvider, { manager: fakeManager(state) }, createElement(component)),
  );
}

describe('the shell', () => {
  const html = render(App, { status: 'connecting', attempt: 1 });

  it('has a "Tools" navigation listing every registered tool, marked "coming" until it has a panel', () => {
    const nav = /<nav[^>]*aria-label="Tools"[^>]*>(.*?)<\/nav>/s.exec(html)?.[1] ?? '';
    expect(nav).not.toBe('');
    expect(tools.map((tool) => tool.label)).toEqual(['UDP', 'TCP', 'HTTP', 'SMTP', 'DNS', 'Exercises']);
    for (const tool of tools) {
      const comingBadge = new RegExp(`<span class="tool-label">${tool.label}</span><span class="badge">coming</span>`);
      expect(nav).toContain(`<span class="tool-label">${tool.label}</span>`);
      if (tool.Panel) expect(nav).not.toMatch(comingBadge);
      else expect(nav).toMatch(comingBadge);
    }
    // Every tool is built now.
    expect(tools.filter((tool) => tool.Panel).map((tool) => tool.id)).toEqual([
      'udp',
      'tcp',
      'http',
      'smtp',
      'dns',
      'exercises',
    ]);
    expect(nav).toContain('href="#/"');
    expect(nav).toContain('aria-current="page"'); // the overview is selected by default
  });

  it('has a main area with the overview, and a status bar footer', () => {
    expect(html).toMatch(/<main id="main"[^>]*>.*<h1 tabindex="-1">Protocol Playground<\/h1>/s);
    expect(html).toMatch(/<footer class="status-bar" role="contentinfo" aria-label="Status bar">/);
    expect(html).toContain('Browser (WebSocket)');
    expect(html).toMatch(/<span role="status" class="status-headline">Connecting…<\/span>/);
  });

  it('uses no inline style attributes or scripts (the CSP forbids them)', () => {
    expect(html).not.toMatch(/\sstyle=/);
    expect(html).not.toMatch(/<script/);
  });
});

describe('the connection banner', () => {
  it('is absent while connected or connecting', () => {
    expect(render(ConnectionBanner, { status: 'connected', attempt: 0, connections: 1 })).toBe('');
    expect(render(ConnectionBanner, { status: 'connecting', attempt: 2 })).toBe('');
  });

  it('says the page reconnects by itself after a drop, with the attempt and the reason', () => {
    const html = render(ConnectionBanner, {
      status: 'reconnecting',
      attempt: 3,
      reason: 'the connection was lost (the host stopped or is unreachable)',
      connections: 1,
    });
    expect(html).toContain('role="alert"');
    expect(html).toContain('It reconnects by itself');
    expect(html).toContain('attempt 3 — the connection was lost (the host stopped or is unreachable)');
    expect(html).toContain('>Retry now</button>');
  });

  it('after several failed reconnects, mentions that a restarted host has a new URL', () => {
    const state = { status: 'reconnecting', reason: 'could not connect', connections: 1 } as const;
    expect(render(ConnectionBanner, { ...state, attempt: 2 })).not.toContain(restartedHostMessage);
    expect(render(ConnectionBanner, { ...state, attempt: 5 })).toContain(restartedHostMessage);
  });

  it('explains the access token when the host was never reached', () => {
    const html = render(ConnectionBanner, { status: 'unreachable', attempt: 5, reason: 'could not connect' });
    expect(unreachableMessage).toBe(
      'Cannot reach the Playground host. If you opened this page by hand, use the full URL printed in the terminal (it carries the access token).',
    );
    expect(html).toContain(unreachableMessage);
    expect(html).toContain('Still trying every few seconds');
  });
});

describe('status wording', () => {
  const base: ConnectionState = {
    status: 'connected',
    attempt: 0,
    reason: undefined,
    retryAt: undefined,
    connections: 1,
  };
  it('names each state', () => {
    expect(connectionHeadline(base)).toBe('Connected');
    expect(connectionHeadline({ ...base, status: 'reconnecting' })).toBe('Reconnecting…');
    expect(connectionHeadline({ ...base, status: 'unreachable' })).toBe('Cannot reach the host');
    expect(connectionDetail(base)).toBe('');
    expect(connectionDetail({ ...base, status: 'reconnecting', attempt: 2, reason: 'lost' })).toBe('attempt 2 — lost');
    expect(connectionDetail({ ...base, status: 'connecting', attempt: 1 })).toBe('');
  });

  it('formats time, durations and platforms the same in every locale', () => {
    expect(clockTime(new Date(2024, 0, 1, 9, 5, 7).getTime())).toBe('09:05:07');
    expect(milliseconds(0.4567)).toBe('0.46 ms');
    expect(milliseconds(12.34)).toBe('12.3 ms');
    expect(milliseconds(1234.5)).toBe('1235 ms');
    expect(platformName('linux', 'x64')).toBe('Linux x64');
    expect(platformName('sunos', 'x64')).toBe('sunos x64');
  });
});

describe('tool registry and routes', () => {
  it('has unique ids that round-trip through the address hash', () => {
    expect(new Set(tools.map((tool) => tool.id)).size).toBe(tools.length);
    for (const tool of tools) {
      expect(routeFromHash(hrefFor(tool.id))).toBe(tool.id);
      expect(findTool(tool.id)).toBe(tool);
    }
  });

  it('treats anything that is not #/<tool> as the overview', () => {
    expect(routeFromHash('')).toBe('');
    expect(routeFromHash('#/')).toBe('');
    expect(routeFromHash('#main')).toBe('');
    expect(routeFromHash('#/UDP')).toBe('udp');
  });
});

describe('after the desktop app reloaded a crashed page', () => {
  it('reads why from the ?restarted= the shell put on the URL, and nothing else', () => {
    expect(pageRestartFromSearch('?restarted=crashed')).toBe('crashed');
    expect(pageRestartFromSearch('?restarted=oom&x=1')).toBe('oom');
    expect(pageRestartFromSearch('')).toBeUndefined();
    expect(pageRestartFromSearch('?restarted=clean-exit')).toBeUndefined();
    expect(pageRestartFromSearch('?restarted=<script>')).toBeUndefined();
    expect(pageRestartFromSearch('?token=abc')).toBeUndefined();
  });

  it('says in the status bar that the page’s servers and connections were stopped', () => {
    const html = renderToStaticMarkup(
      createElement(
        ConnectionProvider,
        { manager: fakeManager({ status: 'connected', connections: 1 }) },
        createElement(App, { pageRestart: 'crashed' }),
      ),
    );
    const statusBar = /<footer class="status-bar"[^>]*>(.*?)<\/footer>/s.exec(html)?.[1] ?? '';
    expect(statusBar).toContain(
      '<span role="alert" class="status-error">The page crashed and was reloaded: every server and connection it had open was stopped.',
    );
    expect(pageRestartMessage('oom')).toMatch(/^The page ran out of memory and was reloaded: every server/);
    expect(render(App, { status: 'connected', connections: 1 })).not.toContain('was reloaded');
  });
});
