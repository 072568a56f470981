import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { DataYears } from '../../src/modules/stats/stats.schema.js';
import { browserStory, number } from './story.js';
import { chromiumAvailable } from './support.js';

/**
 * The first screen shows figures: the dashboard opens on the newest fiscal year with data for the
 * one signed in (whatever year the demo stops in), and a year without any says so and offers that
 * one. In both languages, for every role.
 */
describe.runIf(chromiumAvailable())('the first screen shows figures', () => {
  const story = browserStory('landing');

  const dataYears = async (role: string) => {
    const headers = { authorization: `Bearer ${story.account(role).token}` };
    return (await story.kyoyu.app.inject({ url: '/api/v1/stats/years', headers })).json<DataYears>();
  };

  async function setLang(p: Page, lang: 'ja' | 'en') {
    await p.evaluate(`localStorage.setItem('kyoyu.lang', '${lang}')`);
  }

  /**
   * The dashboard's figures: the year in its selector, the operator reports of the glance's quarter
   * and year, the charts. The center sees the running quarter live, so the year's total; everyone
   * else sees closed quarters only: in the running year the glance shows the newest closed quarter
   * (with figures) and the year's total is not yet final until all its quarters are closed.
   */
  async function expectFigures(p: Page, fy: number, years: DataYears, center: boolean) {
    const row = p.locator('#glance tbody tr[data-code=operator_report]');
    const total = row.locator('td.fy-total');
    await total.waitFor();
    expect(await p.locator('.toolbar select').inputValue()).toBe(String(fy));
    const quarter = (await row.locator('td.quarter').textContent())!;
    expect(quarter).toMatch(/^[\d,]+$/);
    if (center || fy < years.current_fiscal_year) {
      expect(number(await total.textContent())).toBeGreaterThan(0);
    } else {
      expect(number(quarter)).toBeGreaterThan(0);
      expect(await total.textContent()).toMatch(/^(未確定|not yet final)$/);
      const heading = (await p.locator('#glance thead th').nth(1).textContent())!;
      expect(heading).not.toMatch(/今四半期|This quarter/);
    }
    await expect.poll(() => p.locator('figure.chart canvas').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await p.locator('[data-testid=no-data]').count()).toBe(0);
    expect(await p.locator('.chart-empty').count()).toBe(0);
  }

  for (const role of ['center_analyst', 'sector_desk', 'admin', 'operator']) {
    it(`${role}: the dashboard opens on the latest year with figures, in ja and en`, async () => {
      const p = story.page();
      const years = await dataYears(role);
      expect(years.latest, `${role} sees some year`).not.toBeNull();
      await story.browser.context.clearCookies();
      const a = story.account(role);
      await story.signIn(a.email, a.password, a.totpSecret);
      for (const lang of ['ja', 'en'] as const) {
        await setLang(p, lang);
        await p.goto(`${story.kyoyu.url}/dashboard`);
        await expectFigures(p, years.latest!, years, role === 'center_analyst');
        const title = await p.getByRole('heading', { level: 1 }).textContent();
        expect(title).toContain(String(years.latest));
        expect(title).toContain(lang === 'ja' ? 'ダッシュボード' : 'Dashboard');
      }
      await setLang(p, 'ja');
    });
  }

  it('a year without figures says so and offers the latest one (the statistics page too)', async () => {
    const p = story.page();
    const years = await dataYears('operator');
    for (const lang of ['ja', 'en'] as const) {
      await setLang(p, lang);
      for (const page of ['dashboard', 'statistics']) {
        await p.goto(`${story.kyoyu.url}/${page}?fy=2010`);
        const said = p.getByTestId('no-data');
        await said.waitFor();
        expect(await said.textContent()).toContain(
          lang === 'ja' ? '2010年度の数値はまだありません' : 'no figures for FY2010',
        );
        // Outside the center: why a running year may show nothing.
        expect(await said.textContent()).toContain(
          lang === 'ja' ? '締めた四半期' : 'quarters the center has closed',
        );
        if (page === 'dashboard') expect(await p.locator('figure.chart').count()).toBe(0);
        await said.getByRole('link').click();
        await expect.poll(() => new URL(p.url()).search).toBe(`?fy=${years.latest}`);
        if (page === 'dashboard') await expectFigures(p, years.latest!, years, false);
        else await p.locator('#stats-channels').waitFor();
      }
    }
    await setLang(p, 'ja');
  });

  it('left no console errors', () => {
    expect(story.browser.problems).toEqual([]);
  });
});
