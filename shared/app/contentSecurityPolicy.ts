/**
 * The app page's one Content-Security-Policy, however the page is delivered: the
 * browser-mode host's header, Electron's header, and a <meta> copy in the built
 * index.html (Electron's file:// pages do not reliably get response headers).
 *
 * Only the app's own scripts (no inline code, no eval), no plugins, nothing from elsewhere.
 * Received bodies are shown without loosening script-src:
 * - images as blob:/data: URLs (img-src);
 * - HTML only inside a sandboxed srcdoc frame (no scripts, opaque origin). Such a frame
 *   inherits this policy, so its styles arrive as one data: stylesheet built by the
 *   viewer (style-src data:) rather than as inline <style>/style="" ('unsafe-inline'
 *   stays out); frame-src allows blob:/data: for previews that use those instead.
 */
export function contentSecurityPolicy(
  options: { websocketOrigin?: string; delivery?: 'header' | 'meta' } = {},
): string {
  const { websocketOrigin, delivery = 'header' } = options;
  const directives = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' data:",
    "img-src 'self' data: blob:",
    websocketOrigin ? `connect-src 'self' ${websocketOrigin}` : "connect-src 'self'",
    "frame-src 'self' blob: data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ];
  // Browsers ignore frame-ancestors in a <meta> policy and warn about it.
  if (delivery === 'header') directives.push("frame-ancestors 'none'");
  return directives.join('; ');
}
