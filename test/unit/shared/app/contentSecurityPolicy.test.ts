import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../../../shared/app/contentSecurityPolicy';

describe('the app page policy', () => {
  const directives = (policy: string) => new Map(policy.split('; ').map((d) => [d.split(' ')[0], d]));

  it('allows only the app’s own scripts and styles, never inline code or eval', () => {
    const policy = contentSecurityPolicy();
    expect(policy).not.toMatch(/unsafe-|\*/);
    expect(directives(policy).get('script-src')).toBe("script-src 'self'");
    // data: carries the stylesheet of a sandboxed HTML preview; inline styles stay refused.
    expect(directives(policy).get('style-src')).toBe("style-src 'self' data:");
    expect(directives(policy).get('object-src')).toBe("object-src 'none'");
  });

  it('lets the response viewer show images and sandboxed HTML previews without allowing scripts there', () => {
    const policy = directives(contentSecurityPolicy());
    expect(policy.get('img-src')).toBe("img-src 'self' data: blob:");
    expect(policy.get('frame-src')).toBe("frame-src 'self' blob: data:");
    // The preview frame inherits the policy: no inline or data: scripts reach it either.
    expect(policy.get('script-src')).not.toMatch(/data:|blob:|unsafe/);
    expect(contentSecurityPolicy({ delivery: 'meta' })).not.toMatch(/unsafe-/);
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
