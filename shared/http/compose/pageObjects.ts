import { resolveReference } from '../url';

/**
 * The objects an HTML page references and a browser would fetch with it: style sheets
 * and icons (link href), images (img src), scripts, and media sources, each resolved
 * against the page's URL, once each, in page order. Links to other pages (a href) are
 * not objects of this page. Read with patterns, not a parser: enough for a lab page.
 */
export function referencedObjects(html: string, pageUrl: string): string[] {
  const found: string[] = [];
  const add = (reference: string | undefined) => {
    if (reference === undefined || /^(data|javascript|mailto|blob):/i.test(reference.trim())) return;
    const url = resolveReference(pageUrl, decodeEntities(reference));
    if (url !== undefined && !found.includes(url)) found.push(url);
  };
  const withoutComments = html.replace(/<!--[\s\S]*?-->/g, '');
  for (const tag of withoutComments.matchAll(/<(img|script|link|source|video|audio|embed|input)\b([^>]*)>/gi)) {
    const name = (tag[1] as string).toLowerCase();
    const attributes = tag[2] as string;
    if (name === 'link') {
      const rel = attribute(attributes, 'rel')?.toLowerCase().split(/\s+/) ?? [];
      if (rel.some((r) => r === 'stylesheet' || r === 'icon' || r === 'preload')) add(attribute(attributes, 'href'));
    } else if (name === 'input') {
      if (attribute(attributes, 'type')?.toLowerCase() === 'image') add(attribute(attributes, 'src'));
    } else {
      add(attribute(attributes, 'src'));
      if (name === 'video') add(attribute(attributes, 'poster'));
    }
  }
  return found;
}

function attribute(attributes: string, name: string): string | undefined {
  const match = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'>]+))`, 'i').exec(attributes);
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined;
}

function decodeEntities(text: string): string {
  return text.replace(/&(amp|quot|apos|lt|gt|#39);/g, (_, entity: string) =>
    entity === 'amp' ? '&' : entity === 'quot' ? '"' : entity === 'lt' ? '<' : entity === 'gt' ? '>' : "'",
  );
}
