/**
 * electron/desktop/appProtocol.ts: which file answers an app:// request, with
 * which headers, and that nothing outside the built renderer can be named.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  answerAppRequest,
  appHost,
  appScheme,
  appSchemePrivileges,
  appUrl,
  planAppRequest,
} from '../../../../electron/desktop/appProtocol';
import { isTrustedSenderUrl } from '../../../../electron/electronPort';
import { listStaticFiles, type StaticFiles } from '../../../../electron/web/staticFiles';

let root: string;
let rendererDir: string;
let files: StaticFiles;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'pp-app-protocol-'));
  rendererDir = join(root, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(rendererDir, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(rendererDir, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(join(rendererDir, 'assets', 'a file.svg'), '<svg/>');
  writeFileSync(join(root, 'secret.txt'), 'not for the page');
  symlinkSync(join(root, 'secret.txt'), join(rendererDir, 'link.txt'));
  files = listStaticFiles(rendererDir);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const url = (path: string) => `${appScheme}://${appHost}${path}`;

describe('the app:// protocol', () => {
  it('is a standard, secure scheme without CSP bypass or service workers, and the page URL is trusted for IPC', () => {
    expect(appSchemePrivileges).toMatchObject({ standard: true, secure: true, bypassCSP: false });
    expect(appSchemePrivileges.allowServiceWorkers).toBe(false);
    expect(appUrl).toBe('app://playground/index.html');
    expect(isTrustedSenderUrl(`${appUrl}#/tcp`, appUrl)).toBe(true);
    expect(isTrustedSenderUrl('app://other/index.html', appUrl)).toBe(false);
  });

  it('maps the page and its assets to the built files, with their MIME types', () => {
    expect(planAppRequest(url('/'), 'GET', files)).toEqual({
      kind: 'file',
      path: join(rendererDir, 'index.html'),
      contentType: 'text/html; charset=utf-8',
    });
    expect(planAppRequest(url('/index.html?x=1#/udp'), 'GET', files)).toMatchObject({ kind: 'file' });
    expect(planAppRequest(url('/assets/index-abc.js'), 'GET', files)).toMatchObject({
      contentType: 'text/javascript; charset=utf-8',
    });
    expect(planAppRequest(url('/assets/index-abc.css'), 'HEAD', files)).toMatchObject({
      contentType: 'text/css; charset=utf-8',
    });
    expect(planAppRequest(url('/assets/a%20file.svg'), 'GET', files)).toMatchObject({
      path: join(rendererDir, 'assets', 'a file.svg'),
      contentType: 'image/svg+xml',
    });
  });

  it('refuses every spelling of a way out of the renderer folder', () => {
    // Encoded dots, slashes, backslashes and NULs survive URL parsing: refused by name.
    for (const path of ['/..%2fsecret.txt', '/assets/..%5c..%5csecret.txt', '/index.html%00.js', '/%E0%A4%A']) {
      expect(planAppRequest(url(path), 'GET', files), path).toMatchObject({ kind: 'error', status: 400 });
    }
    // The URL parser folds `..` and `%2e%2e` itself; what is left names no listed file.
    for (const path of ['/assets/../../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e/%2e%2e/secret.txt']) {
      expect(planAppRequest(url(path), 'GET', files), path).toMatchObject({ kind: 'error', status: 404 });
    }
    expect(planAppRequest(url('/secret.txt'), 'GET', files)).toMatchObject({ status: 404 });
    // A symbolic link inside the folder is not served either.
    expect(planAppRequest(url('/link.txt'), 'GET', files)).toMatchObject({ status: 404 });
  });

  it('answers only its own origin and only reads', () => {
    expect(planAppRequest('app://elsewhere/index.html', 'GET', files)).toMatchObject({ status: 400 });
    expect(planAppRequest('app://user:pw@playground/index.html', 'GET', files)).toMatchObject({ status: 400 });
    expect(planAppRequest('file:///index.html', 'GET', files)).toMatchObject({ status: 400 });
    expect(planAppRequest('not a url', 'GET', files)).toMatchObject({ status: 400 });
    expect(planAppRequest(url('/index.html'), 'POST', files)).toMatchObject({ status: 405 });
  });

  it('serves the file with the CSP header (no unsafe-eval, no WebSocket) and nosniff', async () => {
    const response = await answerAppRequest({ url: url('/index.html'), method: 'GET' }, files);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-eval|unsafe-inline|\bws:/);
    expect(await response.text()).toBe('<!doctype html><title>app</title>');
  });

  it('answers errors as plain text with the same headers, and never rejects', async () => {
    const missing = await answerAppRequest({ url: url('/nope.js'), method: 'GET' }, files);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await missing.text()).toContain('/nope.js');

    const unreadable = await answerAppRequest({ url: url('/index.html'), method: 'GET' }, files, () =>
      Promise.reject(new Error('EACCES: permission denied')),
    );
    expect(unreadable.status).toBe(500);
    expect(await unreadable.text()).toContain('EACCES');

    const head = await answerAppRequest({ url: url('/index.html'), method: 'HEAD' }, files);
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});
