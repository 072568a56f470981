import { describe, expect, it } from 'vitest';
import { chromiumAvailable, screenshot } from './support.js';
import { browserStory } from './story.js';

const pad = (n: number) => String(n).padStart(2, '0');
/** A datetime-local value in Tokyo time (UTC+9). */
function tokyoInput(ms: number): string {
  const t = new Date(Math.floor(ms / 60_000) * 60_000 + 9 * 3_600_000);
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}T${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}`;
}

/**
 * Reporting duties in headless Chromium (issue 15): the demo operator (東雲電力, a designated
 * operator) reports a personal-data leak by a cyber attack; the form proposes the Active Cyber
 * Defense, PPC and electricity duties with their due times; on the incident page, marking the
 * electricity preliminary report submitted brings up the detailed report's due time; the center's
 * overdue view lists the demo's incident past its due time.
 */
describe.runIf(chromiumAvailable())('reporting duties in the browser', () => {
  const story = browserStory('duties');
  const { account, page, signIn } = story;
  let incidentUrl = '';

  it('the report form proposes the ACD, PPC and electricity duties with due times', async () => {
    const p = page();
    const operator = account('operator');
    await signIn(operator.email, operator.password);
    await p.getByRole('link', { name: '報告する' }).click();
    await p.locator('form.report-form').waitFor();
    await p.locator('#report-title').fill('顧客情報の漏えいを伴う不正アクセス');
    await p.locator('#report-description').fill('顧客管理システムへの不正アクセスを検知しました。');
    await p.locator('#report-detected_at').fill(tokyoInput(Date.now() - 2 * 3_600_000));
    await p.locator('input[name=event]').first().check();
    await p.locator('input[value="intentional.ddos"]').check();
    const preview = p.locator('fieldset.duty-preview');
    await preview.getByLabel('サイバー攻撃による').check();
    await preview.getByLabel('個人データの漏えい等がある').check();
    const proposals = preview.locator('.duty-proposals > li');
    await expect
      .poll(() => proposals.evaluateAll((els) => els.map((e) => e.getAttribute('data-regime'))))
      .toEqual(['jp-acd', 'jp-ppc', 'jp-electricity']);
    // Each with its stages' due times: the electricity preliminary report within 24 hours.
    const electricity = preview.locator('li[data-regime="jp-electricity"] li[data-stage="preliminary"] time');
    await expect.poll(() => electricity.count()).toBe(1);
    const due = Date.parse((await electricity.getAttribute('datetime'))!);
    expect(Math.abs(due - (Date.now() - 2 * 3_600_000 + 24 * 3_600_000))).toBeLessThan(2 * 60_000);
    expect(await preview.locator('li[data-regime="jp-ppc"] li[data-stage="preliminary"] time').count()).toBe(
      1,
    );
    await screenshot(p, 'duties-report-form');
    await story.expectAccessible('duties-report-form');
    await p.locator('button[type=submit]').click();
    await expect.poll(() => p.getByRole('heading', { level: 1 }).textContent()).toBe('報告を受け付けました');
    incidentUrl = (await p.getByRole('link', { name: 'インシデントを表示する' }).getAttribute('href'))!;
  });

  it('on the incident page, marking the first stage submitted brings up the next stage’s due time', async () => {
    const p = page();
    await p.goto(`${story.kyoyu.url}${incidentUrl}`);
    const card = p.locator('article.duty[data-regime="jp-electricity"]');
    await card.waitFor();
    await expect
      .poll(() =>
        p.locator('article.duty').evaluateAll((els) => els.map((e) => e.getAttribute('data-status'))),
      )
      .toEqual(['confirmed', 'confirmed', 'confirmed']);
    await expect.poll(() => card.locator('.duty-next').getAttribute('data-stage')).toBe('preliminary');
    // The escalation times: management informed an hour after detection.
    const times = p.locator('section.incident-times');
    await times.getByLabel('経営層への報告').fill(tokyoInput(Date.now() - 3_600_000));
    await times.getByRole('button', { name: '時刻を保存' }).click();
    await expect.poll(() => times.getByRole('status').textContent()).toBe('登録しました');
    const row = card.locator('tr[data-stage="preliminary"]');
    await row.getByRole('button', { name: '提出済みにする' }).click();
    await row.getByLabel('受付番号').fill('METI-2026-1234');
    await row.getByRole('button', { name: '登録' }).click();
    await expect.poll(() => row.getAttribute('data-state')).toBe('submitted');
    expect(await row.textContent()).toContain('METI-2026-1234');
    // Next: the detailed report, with its due time (30 days, to the end of the day).
    await expect.poll(() => card.locator('.duty-next').getAttribute('data-stage')).toBe('detailed');
    expect(await card.locator('.duty-next time').count()).toBe(1);
    await screenshot(p, 'duties-incident');
    await story.expectAccessible('duties-incident');
    await story.signOut();
  });

  it('the center’s dashboard shows the quarter’s response times', async () => {
    const p = page();
    const analyst = account('center_analyst');
    await signIn(analyst.email, analyst.password, analyst.totpSecret);
    await p.goto(`${story.kyoyu.url}/dashboard`);
    const rows = p.locator('#response-times tbody tr');
    await expect.poll(() => rows.count()).toBe(4);
    // The demo's escalation times: awareness to management has a median of minutes to hours.
    const management = rows.nth(1);
    expect(await management.getAttribute('data-interval')).toBe('aware_to_management');
    expect(await management.locator('td').nth(1).textContent()).toMatch(/\d+(時間|分)/);
    await p.locator('#response-times-heading').scrollIntoViewIfNeeded();
    await screenshot(p, 'duties-response-times');
    await story.expectAccessible('duties-response-times');
  });

  it('the center’s overdue view lists an incident past its due time', async () => {
    const p = page();
    await p.getByRole('link', { name: '報告期限' }).click();
    await expect.poll(() => p.getByRole('heading', { level: 1 }).textContent()).toBe('報告期限の一覧');
    const overdue = p.locator('section[data-list="overdue"] tbody tr');
    await expect.poll(() => overdue.count()).toBeGreaterThan(0);
    const dueTimes = await overdue
      .locator('time')
      .evaluateAll((els) => els.map((e) => e.getAttribute('datetime')!));
    for (const t of dueTimes) expect(Date.parse(t)).toBeLessThan(Date.now());
    expect(await overdue.first().textContent()).toMatch(/電気関係報告規則|NIS2/);
    await screenshot(p, 'duties-overdue');
    await story.expectAccessible('duties-overdue');
  });

  it('left no console errors', () => {
    expect(story.browser.problems).toEqual([]);
  });
});
