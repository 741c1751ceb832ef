import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../shared/app/contentSecurityPolicy';

describe('the app page policy', () => {
  const directives = (policy: string) => new Map(policy.split('; ').map((d) => [d.split(' ')[0], d]));

  it('allows only the app’s own scripts and styles, never inline code or eval', () => {
    const policy = contentSecurityPolicy();
    expect(policy).not.toMatch(/unsafe-|\*/);
    expect(directives(policy).get('script-src')).toBe("script-src 'self'");
    expect(directives(policy).get('style-src')).toBe("style-src 'self'");
    expect(directives(policy).get('object-src')).toBe("object-src 'none'");
  });

  it('adds the WebSocket origin for browser mode only', () => {
    expect(directives(contentSecurityPolicy()).get('connect-src')).toBe("connect-src 'self'");
    expect(directives(contentSecurityPolicy({ websocketOrigin: 'ws://127.0.0.1:4000' })).get('connect-src')).toBe(
      "connect-src 'self' ws://127.0.0.1:4000",
    );
  });

  it('leaves frame-ancestors out of the <meta> copy, where browsers ignore it', () => {
    expect(directives(contentSecurityPolicy()).get('frame-ancestors')).toBe("frame-ancestors 'none'");
    expect(directives(contentSecurityPolicy({ delivery: 'meta' })).has('frame-ancestors')).toBe(false);
  });
});
