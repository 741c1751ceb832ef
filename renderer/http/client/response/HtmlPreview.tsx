import { useMemo } from 'react';
import { makePreviewDocument } from './previewDocument';

/**
 * Received HTML rendered only inside a sandboxed frame: `sandbox=""` gives it an opaque
 * origin and no scripts, forms, popups or top navigation, so nothing it contains can
 * reach the privileged UI. It is also made offline first (see previewDocument).
 */
export function HtmlPreview({ html, title = 'HTML preview' }: { html: string; title?: string }) {
  const preview = useMemo(() => makePreviewDocument(html), [html]);
  const { scripts, handlers, images, links, embeds, stylesheets } = preview.removed;
  const left = [
    scripts > 0 && `${scripts} ${scripts === 1 ? 'script' : 'scripts'} not run`,
    handlers > 0 && `${handlers} event ${handlers === 1 ? 'handler' : 'handlers'} not run`,
    images > 0 && `${images} ${images === 1 ? 'image' : 'images'} not loaded`,
    stylesheets > 0 && `${stylesheets} linked ${stylesheets === 1 ? 'stylesheet' : 'stylesheets'} not loaded`,
    embeds > 0 && `${embeds} embedded ${embeds === 1 ? 'object' : 'objects'} not loaded`,
    links > 0 && `${links} ${links === 1 ? 'link' : 'links'} not followed`,
  ].filter(Boolean);
  return (
    <div className="html-preview">
      <p className="body-note">
        Rendered in a sandboxed frame: no scripts run and nothing is fetched (a browser would now request each image and
        stylesheet itself).{left.length > 0 ? ` ${left.join(', ')}.` : ''}
      </p>
      <iframe title={title} sandbox="" srcDoc={preview.html} referrerPolicy="no-referrer" />
    </div>
  );
}
