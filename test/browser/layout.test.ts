import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserStory } from './story.js';
import { layoutProblems } from './layout-measure.js';
import { chromiumAvailable, SCREENSHOTS } from './support.js';

/**
 * Every page of the app at a desktop and a phone width, in both languages, signed in as a role that
 * can use it: the page never scrolls sideways (a wide table scrolls inside its own region) and no
 * table cell is narrower than 8 characters.
 *
 * "8 characters" is measured as 8 '0' glyphs in the cell's own font (the CSS `ch` unit): digits are
 * the narrowest content a cell holds (the statistics' figures), so every cell keeps room for an
 * 8-digit figure or a word, while 8 '国' (8 em) would force a numeric table twice as wide as it
 * needs. A Japanese title squeezed to one character per line, or an English one to one word per
 * line, is far narrower than that and fails. Headings are held to the same width.
 */
const WIDTHS = [1366, 390] as const;
const LANGS = ['ja', 'en'] as const;
const FOLDER = join(SCREENSHOTS, 'layout');

/** Opens a page and waits for its data: no "loading" status left, charts drawn. */
async function open(page: Page, url: string): Promise<void> {
  await page.goto(url, { waitUntil: 'networkidle' });
  await page.locator('h1').first().waitFor();
  await expect.poll(() => page.locator('[role=status]:has-text("…")').count(), { timeout: 15_000 }).toBe(0);
  if ((await page.locator('figure.chart').count()) > 0)
    await expect
      .poll(() => page.locator('figure.chart .echart:not(:has(canvas))').count(), { timeout: 15_000 })
      .toBe(0);
}

describe.runIf(chromiumAvailable())('every page fits at 1366 and 390 px, in Japanese and English', () => {
  const story = browserStory('layout');
  const checked: string[] = [];

  /** Each page at each width and language: no sideways scroll, no squeezed cell; a screenshot. */
  async function check(role: string, pages: Record<string, string>): Promise<void> {
    const p = story.page();
    mkdirSync(FOLDER, { recursive: true });
    // The language is the browser's choice, kept in the app's local storage (of its origin).
    if (!p.url().startsWith(story.kyoyu.url)) await p.goto(story.kyoyu.url);
    for (const lang of LANGS) {
      await p.evaluate(`localStorage.setItem('kyoyu.lang', '${lang}')`);
      for (const width of WIDTHS) {
        await p.setViewportSize({ width, height: 900 });
        for (const [name, path] of Object.entries(pages)) {
          await open(p, `${story.kyoyu.url}${path}`);
          expect(await p.evaluate('document.documentElement.lang')).toBe(lang);
          const where = `${role} ${name} ${lang} ${width}px`;
          const found = await layoutProblems(p);
          // Soft: one run lists every page's problems, not only the first page's.
          expect.soft(found.scrollWidth, `${where}: sideways scroll`).toBe(found.width);
          expect.soft(found.narrow, `${where}: narrower than 8 characters`).toEqual([]);
          await p.screenshot({ path: join(FOLDER, `${name}-${role}-${lang}-${width}.png`), fullPage: true });
          checked.push(where);
        }
      }
    }
    await p.evaluate(`localStorage.setItem('kyoyu.lang', 'ja')`);
    await p.setViewportSize({ width: 1280, height: 900 });
  }

  /** Signs in afresh (a failed test before must not leave its session behind). */
  async function signInAs(role: string): Promise<void> {
    await story.browser.context.clearCookies();
    const a = story.account(role);
    await story.signIn(a.email, a.password, a.totpSecret);
  }

  /** An incident the role sees, and one it may add a report to (through the API, with its token). */
  async function incidents(role: string): Promise<{ any: number; own?: number }> {
    const headers = { authorization: `Bearer ${story.account(role).token}` };
    const list = await story.kyoyu.app.inject({ url: '/api/v1/incidents?limit=50', headers });
    const items = list.json<{ items: Array<{ id: number; actions: string[] }> }>().items;
    return { any: items[0]!.id, own: items.find((i) => i.actions.includes('add_report'))?.id };
  }

  it('the sign-in page', async () => {
    await check('nobody', { 'sign-in': '/' });
  });

  it('the center analyst’s pages', async () => {
    await signInAs('center_analyst');
    const { any } = await incidents('center_analyst');
    await check('center', {
      dashboard: '/dashboard',
      statistics: '/statistics',
      'statistics-fy2023': '/statistics?fy=2023',
      incidents: '/incidents',
      incident: `/incidents/${any}`,
      classify: '/classify',
      account: '/account',
    });
  });

  it('the operator’s pages', async () => {
    await signInAs('operator');
    const { any, own } = await incidents('operator');
    await check('operator', {
      incidents: '/incidents',
      incident: `/incidents/${any}`,
      report: '/report',
      'stage-report': `/incidents/${own!}/report`,
      dashboard: '/dashboard',
    });
  });

  it('the sector desk’s pages', async () => {
    await signInAs('sector_desk');
    await check('desk', { incidents: '/incidents', statistics: '/statistics' });
  });

  it('the admin’s pages', async () => {
    await signInAs('admin');
    const headers = { authorization: `Bearer ${story.account('admin').token}` };
    const users = await story.kyoyu.app.inject({ url: '/api/v1/admin/users', headers });
    const someone = users.json<Array<{ id: number; role: string }>>().find((u) => u.role === 'operator')!.id;
    await check('admin', {
      admin: '/admin',
      approvals: '/admin/approvals',
      user: `/admin/users/${someone}`,
      account: '/account',
    });
    process.stdout.write(
      `\n[kyoyu] layout: ${checked.length} page views checked, screenshots in ${FOLDER}\n`,
    );
  });

  it('left no console errors', () => {
    expect(story.browser.problems).toEqual([]);
  });
});
