import type { Page } from 'playwright-core';

/**
 * Text a student cannot read in full: a select whose chosen option is wider than the
 * box, or a visible element that clips its own text (overflow hidden or ellipsis with
 * more content than room). Each is described by its accessible label or text.
 */
export function findCutOffText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const canvas = document.createElement('canvas').getContext('2d');
    const visible = (el: Element) => {
      const box = el.getBoundingClientRect();
      return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden';
    };
    const nameOf = (el: Element) =>
      (el.getAttribute('aria-label') ?? (el as HTMLElement).innerText ?? el.textContent ?? '').trim().slice(0, 60);
    for (const select of Array.from(document.querySelectorAll('select'))) {
      if (!visible(select) || !canvas) continue;
      const style = getComputedStyle(select);
      canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const text = select.selectedOptions[0]?.text ?? '';
      const room =
        select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 16; /* the arrow */
      if (canvas.measureText(text).width > room) found.push(`select "${text}" (${Math.round(room)} px of room)`);
    }
    for (const el of Array.from(document.querySelectorAll('main *, footer *'))) {
      if (!(el instanceof HTMLElement) || !visible(el) || el.closest('.visually-hidden')) continue;
      if (el.matches('select, option, textarea, input, [role="log"], [role="log"] *, .cm-editor, .cm-editor *'))
        continue;
      const style = getComputedStyle(el);
      const clips = style.overflowX === 'hidden' || style.overflowX === 'clip' || style.textOverflow === 'ellipsis';
      if (clips && el.scrollWidth > el.clientWidth + 1 && el.innerText.trim())
        found.push(`"${nameOf(el)}" clipped (${el.scrollWidth} px in ${el.clientWidth} px)`);
    }
    return found;
  });
}

/** How many lines the status bar takes (it must stay on one). */
export function statusBarLines(page: Page): Promise<number> {
  return page.evaluate(() => {
    const bar = document.querySelector('footer.status-bar');
    if (!bar) return 0;
    const tops = new Set(Array.from(bar.children).map((child) => Math.round(child.getBoundingClientRect().top / 8)));
    return tops.size;
  });
}
