import type { Page } from 'playwright-core';

/**
 * The layout rule of test/browser/layout.test.ts, for any page: the page's horizontal overflow and
 * every visible cell or heading narrower than 8 '0' of its own font (see that file for why 8).
 */
export interface Problem {
  what: string;
  width: number;
  needed: number;
}

/**
 * The page's horizontal overflow and every visible cell or heading narrower than 8 '0' of its own
 * font (run in the page: a script as text, the tests being compiled without the DOM's types).
 */
const MEASURE = `(() => {
  const probe = document.createElement('span');
  probe.style.position = 'absolute';
  probe.style.visibility = 'hidden';
  probe.style.whiteSpace = 'nowrap';
  document.body.append(probe);
  // Longhands: Chrome answers the font shorthand empty when a longhand (tabular figures) has no
  // shorthand form.
  const KEYS = ['fontFamily', 'fontSize', 'fontWeight', 'fontStyle', 'fontStretch', 'fontVariantNumeric', 'letterSpacing'];
  const widthOf = (element, text) => {
    const style = getComputedStyle(element);
    for (const key of KEYS) probe.style[key] = style[key];
    probe.textContent = text;
    return probe.getBoundingClientRect().width;
  };
  // Shown on the screen: laid out, not hidden, not text for screen readers only (clipped to 1 px).
  const visible = (e) =>
    e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden' && !e.closest('.visually-hidden');
  const narrow = [];
  for (const cell of document.querySelectorAll('th, td')) {
    const text = (cell.textContent || '').trim();
    if (!visible(cell) || text === '') continue;
    const width = cell.getBoundingClientRect().width;
    const needed = widthOf(cell, '00000000');
    if (width + 0.5 < needed) narrow.push({ what: 'cell "' + text.slice(0, 40) + '"', width, needed });
  }
  // A heading shorter than 8 '0' on one line is as wide as it needs; a longer one gets 8 of them.
  for (const heading of document.querySelectorAll('h1, h2, h3, caption, figcaption, legend')) {
    const text = (heading.textContent || '').trim();
    if (!visible(heading) || text === '') continue;
    const width = heading.getBoundingClientRect().width;
    const needed = Math.min(widthOf(heading, '00000000'), widthOf(heading, text));
    if (width + 0.5 < needed) narrow.push({ what: 'heading "' + text.slice(0, 40) + '"', width, needed });
  }
  probe.remove();
  return {
    scrollWidth: document.documentElement.scrollWidth,
    width: document.documentElement.clientWidth,
    narrow,
  };
})()`;

export function layoutProblems(
  page: Page,
): Promise<{ scrollWidth: number; width: number; narrow: Problem[] }> {
  return page.evaluate(MEASURE);
}
