import { describe, expect, it } from 'vitest';
import { referencedObjects } from '../../../../../shared/http/compose/pageObjects';
import { resolveReference } from '../../../../../shared/http/url';

describe('resolveReference', () => {
  const base = 'http://127.0.0.1:8080/dir/page.html?x=1';
  it.each([
    ['/new', 'http://127.0.0.1:8080/new'],
    ['new', 'http://127.0.0.1:8080/dir/new'],
    ['../up.png', 'http://127.0.0.1:8080/up.png'],
    ['./a/./b', 'http://127.0.0.1:8080/dir/a/b'],
    ['?y=2', 'http://127.0.0.1:8080/dir/page.html?y=2'],
    ['//example.com/x', 'http://example.com/x'],
    ['https://example.com:443/s#frag', 'https://example.com/s'],
    ['', 'http://127.0.0.1:8080/dir/page.html?x=1'],
  ])('%s → %s', (reference, expected) => {
    expect(resolveReference(base, reference)).toBe(expected);
  });

  it('refuses what is not http(s)', () => {
    expect(resolveReference(base, 'ftp://example.com/')).toBeUndefined();
  });
});

describe('referencedObjects', () => {
  it('lists style sheets, images and scripts once each, in page order, not links to other pages', () => {
    const html = `<!doctype html><link rel="stylesheet" href="style.css"><link rel=icon href='/favicon.ico'>
      <!-- <img src="hidden.png"> --><img src="client.svg" alt="a"><IMG SRC=server.svg>
      <a href="other.html">x</a><script src="app.js?v=1&amp;w=2"></script><img src="client.svg">
      <img src="data:image/png;base64,xx"><video poster="p.jpg"><source src="m.mp4"></video>`;
    expect(referencedObjects(html, 'http://h:8080/')).toEqual([
      'http://h:8080/style.css',
      'http://h:8080/favicon.ico',
      'http://h:8080/client.svg',
      'http://h:8080/server.svg',
      'http://h:8080/app.js?v=1&w=2',
      'http://h:8080/p.jpg',
      'http://h:8080/m.mp4',
    ]);
  });
});
