/**
 * Received HTML made into a document for the preview frame. The frame is the security
 * boundary (sandbox="" : no scripts, no forms, no popups, an opaque origin); this
 * only makes the preview quiet and offline:
 *
 * - the frame inherits the app's Content-Security-Policy, which refuses inline styles,
 *   so <style> blocks and style="" attributes become one data: stylesheet (style-src
 *   allows data:);
 * - nothing is fetched: images, links, frames, media and CSS url()s would otherwise go
 *   to the app's own origin (the frame's base URL) and fail there. Images show their
 *   alt text and path instead, and links say where they point;
 * - scripts and on* handlers are removed as well (they could not run anyway).
 *
 * DOMParser documents are inert: nothing in them runs or loads while this walks them.
 * Chromium still checks the page's policy while parsing and logs every inline style and
 * handler it refuses, so those are renamed in the text first (disarmHtml).
 */

export interface PreviewDocument {
  /** For the iframe's srcdoc. */
  html: string;
  /** What was left out, for a note under the preview ("3 images not loaded"). */
  removed: { scripts: number; handlers: number; images: number; links: number; embeds: number; stylesheets: number };
}

const embedded = ['iframe', 'frame', 'frameset', 'object', 'embed', 'video', 'audio', 'source', 'track', 'portal'];
const urlAttributes = ['src', 'srcset', 'href', 'xlink:href', 'action', 'formaction', 'poster', 'background', 'data'];

/** CSS that fetches nothing: @import rules dropped, url(...) replaced by none. */
function offlineCss(css: string): string {
  return css.replace(/@import[^;]*;?/gi, '').replace(/url\(\s*(?:"[^"]*"|'[^']*'|[^)]*)\s*\)/gi, 'none');
}

/**
 * Renames what the page's policy would refuse while the text is parsed: <style> becomes
 * a <textarea data-pp-style> (both hold raw text), style= and on*= attributes in tags
 * get a data-pp- prefix. Only quiets the parse; the DOM walk decides what stays.
 */
export function disarmHtml(html: string): string {
  return html
    .replace(/<(\/?)style\b/gi, (_, slash: string) => (slash ? '</textarea' : '<textarea data-pp-style'))
    .replace(/<[a-z][^>]*>/gi, (tag) => tag.replace(/(\s)(style|on[a-z]+)(?=\s*=)/gi, '$1data-pp-$2'));
}

export function makePreviewDocument(html: string): PreviewDocument {
  const doc = new DOMParser().parseFromString(disarmHtml(html), 'text/html');
  const removed = { scripts: 0, handlers: 0, images: 0, links: 0, embeds: 0, stylesheets: 0 };
  const css: string[] = [];

  for (const element of Array.from(doc.querySelectorAll('script'))) {
    element.remove();
    removed.scripts++;
  }
  for (const element of Array.from(doc.querySelectorAll('base, meta[http-equiv]'))) element.remove();
  for (const element of Array.from(doc.querySelectorAll('link'))) {
    if (/\bstylesheet\b/i.test(element.getAttribute('rel') ?? '')) removed.stylesheets++;
    element.remove();
  }
  for (const element of Array.from(doc.querySelectorAll(embedded.join(',')))) {
    const note = doc.createElement('span');
    note.className = 'pp-missing';
    note.textContent = `[${element.localName} not loaded in the preview]`;
    element.replaceWith(note);
    removed.embeds++;
  }
  for (const element of Array.from(doc.querySelectorAll('textarea[data-pp-style], style'))) {
    css.push(offlineCss(element.textContent ?? ''));
    element.remove();
  }

  let styled = 0;
  for (const element of Array.from(doc.querySelectorAll('*'))) {
    for (const attribute of Array.from(element.attributes)) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith('on') || name.startsWith('data-pp-on')) {
        element.removeAttribute(attribute.name);
        removed.handlers++;
      } else if (name === 'style' || name === 'data-pp-style') {
        const id = String(++styled);
        css.push(`[data-pp-css="${id}"] { ${offlineCss(attribute.value).replaceAll('}', '')} }`);
        element.removeAttribute(attribute.name);
        element.setAttribute('data-pp-css', id);
      }
    }
    const tag = element.localName;
    if (tag === 'img' || tag === 'image' || tag === 'input') {
      const source = element.getAttribute('src') ?? element.getAttribute('href') ?? element.getAttribute('xlink:href');
      if (source !== null && !source.startsWith('data:')) {
        const alt = element.getAttribute('alt');
        const note = doc.createElement('span');
        note.className = 'pp-missing';
        note.textContent = `[image ${source}${alt ? ` “${alt}”` : ''}: not loaded in the preview]`;
        element.replaceWith(note);
        removed.images++;
        continue;
      }
    } else if (tag === 'a' && element.hasAttribute('href')) {
      element.setAttribute('title', `link to ${element.getAttribute('href')} (not followed in the preview)`);
      removed.links++;
    }
    for (const name of urlAttributes) {
      const value = element.getAttribute(name);
      if (value !== null && !(tag === 'img' && name === 'src' && value.startsWith('data:'))) {
        element.removeAttribute(name);
      }
    }
  }

  css.unshift(
    '.pp-missing { display: inline-block; padding: 0.1em 0.3em; border: 1px dashed #888; color: #555; font: 13px sans-serif; }',
  );
  const sheet = doc.createElement('link');
  sheet.setAttribute('rel', 'stylesheet');
  sheet.setAttribute('href', `data:text/css;charset=utf-8,${encodeURIComponent(css.join('\n'))}`);
  doc.head.prepend(sheet);
  const charset = doc.createElement('meta');
  charset.setAttribute('charset', 'utf-8');
  doc.head.prepend(charset);
  return { html: `<!DOCTYPE html>\n${doc.documentElement.outerHTML}`, removed };
}
