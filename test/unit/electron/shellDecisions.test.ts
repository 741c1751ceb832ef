/**
 * The Electron shell's decisions from electron/window.ts and electron/desktop/menu.ts,
 * as plain functions: which links may leave the app (and only after asking), the
 * menu a release build shows, and the one window's locked-down options.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../../electron/cli/build';
import { appMenuTemplate, developmentOnlyRoles, menuRoles } from '../../../electron/desktop/menu';
import {
  appPaths,
  askToOpenLink,
  linkDecision,
  maxRestarts,
  renderProcessGonePolicy,
  restartWindowMs,
  userChoseToOpen,
  windowOpenDecision,
  windowOptions,
} from '../../../electron/window';

describe('links the page tries to open', () => {
  it('offers plain http(s) links to the system browser, normalised', () => {
    expect(linkDecision('https://www.rfc-editor.org/rfc/rfc9110')).toEqual({
      action: 'ask-to-open-externally',
      url: 'https://www.rfc-editor.org/rfc/rfc9110',
    });
    expect(linkDecision('HTTP://Example.COM')).toEqual({
      action: 'ask-to-open-externally',
      url: 'http://example.com/',
    });
  });

  it('refuses every other scheme, credentials in the URL, and garbage', () => {
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'blob:app://playground/0b1c',
      'app://playground/index.html',
      'smb://server/share',
      'ms-settings:',
      'mailto:student@example.com',
      'https://user:secret@example.com/',
      'https://evil.example@good.example/',
      'not a url',
      '',
    ]) {
      expect(linkDecision(url), url).toEqual({ action: 'deny' });
    }
  });

  it('never lets Electron open a window itself', () => {
    expect(windowOpenDecision({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
  });

  it('asks with the full URL, Cancel as the default and the Escape answer; only the first button opens', () => {
    const question = askToOpenLink('https://example.com/a?b=c');
    expect(question.detail).toBe('https://example.com/a?b=c');
    expect(question.buttons[question.defaultId]).toBe('Cancel');
    expect(question.cancelId).toBe(question.defaultId);
    expect(userChoseToOpen({ response: 0 })).toBe(true);
    expect(userChoseToOpen({ response: question.cancelId })).toBe(false);
  });
});

describe('the application menu', () => {
  for (const platform of ['darwin', 'win32', 'linux'] as const) {
    it(`has no Reload or DevTools in a release build on ${platform}, but keeps editing and zoom`, () => {
      const roles = menuRoles(appMenuTemplate({ platform, packaged: true }));
      for (const role of developmentOnlyRoles) expect(roles).not.toContain(role);
      expect(roles).toContain('editMenu');
      expect(roles).toContain('zoomIn');
      // viewMenu/default roles would bring Reload and DevTools back.
      expect(roles as string[]).not.toContain('viewMenu');
    });
  }

  it('keeps Reload and DevTools for development', () => {
    const roles = menuRoles(appMenuTemplate({ platform: 'linux', packaged: false }));
    expect(roles).toEqual(expect.arrayContaining([...developmentOnlyRoles]));
  });

  it('gives macOS its app and window menus', () => {
    expect(menuRoles(appMenuTemplate({ platform: 'darwin', packaged: true }))).toEqual(
      expect.arrayContaining(['appMenu', 'windowMenu']),
    );
  });
});

describe('the window', () => {
  it('isolates, sandboxes and strips Node, webviews and insecure content from the page', () => {
    const { webPreferences } = windowOptions(appPaths('/app'));
    expect(webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      preload: '/app/dist/electron/preload.cjs',
    });
  });

  it('starts hidden, on the page’s own background colour (no white flash)', () => {
    const options = windowOptions(appPaths('/app'));
    expect(options.show).toBe(false);
    const css = readFileSync(join(projectRoot, 'renderer', 'app', 'app.css'), 'utf8');
    const background = /:root\s*\{[^}]*--bg:\s*(#[0-9a-f]{3,8})\s*;/i.exec(css)?.[1];
    expect(background).toBeDefined();
    expect(options.backgroundColor.toLowerCase()).toBe(background?.toLowerCase());
    expect(css).toMatch(/body\s*\{[^}]*background:\s*var\(--bg\)/);
  });

  it('loads the page from app://, never file://', () => {
    expect(appPaths('/app')).toEqual({
      preload: '/app/dist/electron/preload.cjs',
      rendererDir: '/app/dist/renderer',
      appUrl: 'app://playground/index.html',
    });
  });
});

describe('a renderer process that is gone', () => {
  it('reloads the app’s page saying why, unless the process exited cleanly', () => {
    const policy = renderProcessGonePolicy();
    expect(policy({ reason: 'clean-exit', exitCode: 0 }, 0)).toMatchObject({ action: 'leave' });
    expect(policy({ reason: 'crashed', exitCode: 139 }, 0)).toEqual({
      action: 'reload',
      url: 'app://playground/index.html?restarted=crashed',
    });
    expect(renderProcessGonePolicy()({ reason: 'oom', exitCode: -1 }, 0)).toEqual({
      action: 'reload',
      url: 'app://playground/index.html?restarted=oom',
    });
    // A reason a later Electron may add still reloads, named as an unexpected exit.
    expect(renderProcessGonePolicy()({ reason: 'something-new', exitCode: 1 }, 0)).toEqual({
      action: 'reload',
      url: 'app://playground/index.html?restarted=abnormal-exit',
    });
  });

  it('stops reloading a page that keeps dying, and tries again once a minute has passed', () => {
    const policy = renderProcessGonePolicy();
    const crash = (now: number) => policy({ reason: 'crashed', exitCode: 139 }, now).action;
    for (let i = 0; i < maxRestarts; i++) expect(crash(i * 1000)).toBe('reload');
    const given = policy({ reason: 'crashed', exitCode: 139 }, maxRestarts * 1000);
    expect(given).toMatchObject({ action: 'leave', why: expect.stringContaining('restart the app') });
    expect(crash(restartWindowMs + 1000)).toBe('reload');
  });
});
