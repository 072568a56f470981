import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { browserStory } from './story.js';
import { chromiumAvailable } from './support.js';

interface ListPage {
  items: Array<{ id: number; organization: string | null; channel: string }>;
  total: number | null;
  next_cursor: string | null;
}

const rowLinks = '#incident-list tbody tr td:nth-child(3) a';

/**
 * The ids of the rows the page shows, after asking for every further page it offers: each click
 * waits for the rows to grow (the button is named "loading" while the next page is read, so its
 * absence alone does not say that the list has ended).
 */
async function shownIds(p: Page, more: string, total: number): Promise<number[]> {
  const rows = p.locator(rowLinks);
  for (let i = 0; i <= Math.ceil(total / 50); i++) {
    const shown = await rows.count();
    if (shown >= total) break;
    await p.getByRole('button', { name: more }).click();
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThan(shown);
  }
  await expect.poll(() => rows.count()).toBe(total);
  expect(await p.getByRole('button', { name: more }).count()).toBe(0);
  const hrefs = await p.evaluate<string[]>(
    `[...document.querySelectorAll(${JSON.stringify(rowLinks)})].map((a) => a.getAttribute('href') ?? '')`,
  );
  return hrefs.map((h) => Number(/\/incidents\/(\d+)$/.exec(h)![1]));
}

/** The ids of every row of the list the API answers for `query`, following its cursors to the end. */
async function apiIds(
  story: ReturnType<typeof browserStory>,
  token: string,
  query: string,
): Promise<number[]> {
  const ids: number[] = [];
  let cursor: string | null = null;
  do {
    const url: string = `/api/v1/incidents?${query}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = (
      await story.kyoyu.app.inject({ url, headers: { authorization: `Bearer ${token}` } })
    ).json<ListPage>();
    ids.push(...page.items.map((i) => i.id));
    cursor = page.next_cursor;
  } while (cursor);
  return ids;
}

/** The ids in the CSV the page's download button links to, fetched with the page's own session. */
async function csvIds(p: Page): Promise<{ ids: number[]; bom: boolean }> {
  const href = await p.locator('#incident-csv').getAttribute('href');
  const body = await p.evaluate(async (url) => {
    const bytes = new Uint8Array(await (await fetch(url!, { credentials: 'same-origin' })).arrayBuffer());
    return Array.from(bytes.slice(0, 3)).join(',') + '\n' + new TextDecoder().decode(bytes);
  }, href);
  const [head, text] = [body.slice(0, body.indexOf('\n')), body.slice(body.indexOf('\n') + 1)];
  // Quoted fields (descriptions hold line breaks) are folded first, so that a line is a record.
  const lines = text
    .replace(/"[^"]*(?:""[^"]*)*"/g, 'Q')
    .split('\r\n')
    .slice(1, -1);
  return { ids: lines.map((l) => Number(l.split(',')[0])), bom: head === '239,187,191' };
}

describe.runIf(chromiumAvailable())('the incident list in the web UI', () => {
  const story = browserStory('incident list');

  // Each story starts signed out, in Japanese: one that failed half-way (signed in, in English)
  // would otherwise leave the next one without the sign-in form it starts on.
  beforeEach(async () => {
    await story.browser.context.clearCookies();
    await story.page().goto(`${story.kyoyu.url}/`);
    await story.page().evaluate('localStorage.clear()');
  });

  it.each([
    ['ja', 'さらに表示', /^該当 ([\d,]+) 件/, '自組織のみ', 'インシデント報告'],
    ['en', 'Show more', /^([\d,]+) matching/, 'Own organisation only', 'Incident report'],
  ] as const)(
    'an operator opens on its own reports with a total; the CSV of a filtered list has the page’s rows (%s)',
    async (lang, more, totalText, own, report) => {
      const operator = story.account('operator');
      const p = story.page();
      // A full-page screenshot of several hundred rows takes a while on a loaded machine.
      p.setDefaultTimeout(30_000);
      await story.signIn(operator.email, operator.password);
      if (lang === 'en') await p.getByRole('button', { name: 'English' }).click();
      await p.goto(`${story.kyoyu.url}/incidents`);
      const total = p.locator('#incident-total');
      await expect.poll(() => total.textContent()).toMatch(totalText);
      const api = (
        await story.kyoyu.app.inject({
          url: '/api/v1/incidents?mine=true&limit=1',
          headers: { authorization: `Bearer ${operator.token}` },
        })
      ).json<ListPage>();
      expect(api.total).toBeGreaterThan(0);
      const shown = Number(totalText.exec((await total.textContent()) ?? '')![1]!.replace(/,/g, ''));
      expect(shown).toBe(api.total);
      // Opened on its own organisation: the filter says so, and every row is its own.
      expect(await p.getByLabel(lang === 'ja' ? '組織' : 'Organisation').inputValue()).toBe('true');
      expect(await p.getByRole('option', { name: own, selected: true }).count()).toBe(1);
      const orgs = await p.locator('#incident-list tbody tr td:nth-child(4)').allTextContents();
      expect(new Set(orgs)).toEqual(new Set([operator.organization]));
      await story.expectAccessible(`incident-list-own-${lang}`);

      // Every organisation's records, filtered to the center's provisions, sorted by sector: the
      // CSV holds exactly the rows the page lists, in its order.
      await p.getByLabel(lang === 'ja' ? '組織' : 'Organisation').selectOption('');
      await p
        .getByLabel(lang === 'ja' ? '情報共有の実施形態' : 'Sharing channel')
        .selectOption('center_provision');
      await p.getByLabel(lang === 'ja' ? '並び順' : 'Sort by').selectOption('sector:asc');
      await expect.poll(() => p.url()).toContain('channel=center_provision');
      await expect.poll(() => p.url()).toContain('sort=sector');
      await expect.poll(() => total.textContent()).toMatch(totalText);
      const filtered = Number(totalText.exec((await total.textContent()) ?? '')![1]!.replace(/,/g, ''));
      // The whole filtered list, as the API pages it: the page's total counts it, the page shows it.
      const listed = await apiIds(story, operator.token, 'channel=center_provision&sort=sector&order=asc');
      expect(listed.length).toBeGreaterThan(50);
      expect(filtered).toBe(listed.length);
      const ids = await shownIds(p, more, filtered);
      expect(ids).toEqual(listed);
      const kinds = await p.locator('#incident-list tbody tr td:nth-child(6)').allTextContents();
      expect(kinds.every((k) => k !== report)).toBe(true);
      const csv = await csvIds(p);
      expect(csv.bom).toBe(true);
      expect(csv.ids).toEqual(ids);
      await story.expectAccessible(`incident-list-provisions-${lang}`);
      if (lang === 'en') await p.getByRole('button', { name: '日本語' }).click();
      await story.signOut();
    },
    // Reading every page of the provisions takes a few dozen clicks on a slow machine.
    180_000,
  );

  it('saves a filter, opens it again and deletes it; another user does not see it', async () => {
    const operator = story.account('operator');
    const p = story.page();
    await story.signIn(operator.email, operator.password);
    await p.goto(`${story.kyoyu.url}/incidents?channel=operator_report&sort=stage&order=desc`);
    await p.getByLabel('この条件に名前を付けて保存').fill('最終報から');
    await p.getByRole('button', { name: '保存', exact: true }).click();
    const saved = p.getByRole('link', { name: '最終報から' });
    await saved.waitFor();
    await p.goto(`${story.kyoyu.url}/incidents`);
    await saved.click();
    await expect.poll(() => p.url()).toContain('sort=stage');
    expect(p.url()).toContain('channel=operator_report');
    await story.signOut();

    await story.signIn(story.otherEmail, story.otherPassword);
    await p.goto(`${story.kyoyu.url}/incidents`);
    await p.getByText('保存した条件はありません。').waitFor();
    await story.signOut();

    await story.signIn(operator.email, operator.password);
    await p.goto(`${story.kyoyu.url}/incidents`);
    await p.getByRole('button', { name: '「最終報から」を削除' }).click();
    await p.getByText('保存した条件はありません。').waitFor();
    await story.signOut();
  }, 120_000);
});
