import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserStory } from './story.js';
import { chromiumAvailable } from './support.js';

interface ListPage {
  items: Array<{ id: number; organization: string | null; channel: string }>;
  total: number | null;
}

/** The ids of the rows the page shows, after asking for every further page it offers. */
async function shownIds(p: Page, more: string): Promise<number[]> {
  for (let i = 0; i < 40; i++) {
    const button = p.getByRole('button', { name: more });
    if ((await button.count()) === 0) break;
    await button.click();
    await expect.poll(() => button.isDisabled().catch(() => false)).toBe(false);
  }
  const hrefs = await p.evaluate<string[]>(
    `[...document.querySelectorAll('#incident-list tbody tr td:nth-child(3) a')].map((a) => a.getAttribute('href') ?? '')`,
  );
  return hrefs.map((h) => Number(/\/incidents\/(\d+)$/.exec(h)![1]));
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

  it.each([
    ['ja', 'さらに表示', /^該当 ([\d,]+) 件/, '自組織のみ', 'インシデント報告'],
    ['en', 'Show more', /^([\d,]+) matching/, 'Own organisation only', 'Incident report'],
  ] as const)(
    'an operator opens on its own reports with a total; the CSV of a filtered list has the page’s rows (%s)',
    async (lang, more, totalText, own, report) => {
      const operator = story.account('operator');
      const p = story.page();
      p.setDefaultTimeout(8000);
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
      const ids = await shownIds(p, more);
      expect(ids.length).toBeGreaterThan(0);
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
