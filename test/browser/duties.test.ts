import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chromiumAvailable, screenshot } from './support.js';
import { browserStory } from './story.js';

const pad = (n: number) => String(n).padStart(2, '0');
/** An attribute of every element a locator finds, in order. */
async function attrs(l: Locator, name: string): Promise<Array<string | null>> {
  const out: Array<string | null> = [];
  for (let i = 0; i < (await l.count()); i++) out.push(await l.nth(i).getAttribute(name));
  return out;
}

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
    await expect.poll(() => attrs(proposals, 'data-regime')).toEqual(['jp-acd', 'jp-ppc', 'jp-electricity']);
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
      .poll(() => attrs(p.locator('article.duty'), 'data-status'))
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
    const dueTimes = await attrs(overdue.locator('time'), 'datetime');
    for (const t of dueTimes) expect(Date.parse(t!)).toBeLessThan(Date.now());
    expect(await overdue.first().textContent()).toMatch(/電気関係報告規則|NIS2/);
    await screenshot(p, 'duties-overdue');
    await story.expectAccessible('duties-overdue');
  });

  it('an admin flags an organisation and changes a regime without a release, then takes it back', async () => {
    const p = page();
    await story.signOut();
    const admin = account('admin');
    await signIn(admin.email, admin.password, admin.totpSecret);
    await p.goto(`${story.kyoyu.url}/admin`);
    const row = p.locator('.admin-organizations tr', { hasText: '青嵐証券株式会社' });
    await row.getByLabel('米国CIRCIAの対象事業者').click();
    await expect.poll(() => row.getByLabel('米国CIRCIAの対象事業者').isChecked()).toBe(true);
    const { db } = story.kyoyu.ctx.services.database;
    const flags = await db
      .selectFrom('organization_flags')
      .innerJoin('organizations', 'organizations.id', 'organization_flags.organization_id')
      .select('flag')
      .where('organizations.name', '=', '青嵐証券株式会社')
      .execute();
    expect(flags.map((f) => f.flag).sort()).toEqual(['eu_entity', 'us_covered_entity']);

    const gas = p.locator('.admin-regimes tr[data-regime="jp-gas"]');
    await gas.getByRole('button', { name: '編集' }).click();
    const editor = p.locator('.regime-editor textarea');
    const text = await editor.inputValue();
    await editor.fill(text.replace('"amount": 24', '"amount": 12'));
    await p.getByRole('button', { name: '保存', exact: true }).click();
    await expect.poll(() => gas.locator('td').nth(2).textContent()).toBe('この環境で変更');
    // A broken definition is refused with where it is wrong, and changes nothing.
    await gas.getByRole('button', { name: '編集' }).click();
    await editor.fill(text.replace('"Asia/Tokyo"', '"Asia/Atlantis"'));
    await p.getByRole('button', { name: '保存', exact: true }).click();
    await expect
      .poll(() => p.locator('.regime-editor').textContent())
      .toContain('報告制度の定義に誤りがあります');
    await p.locator('.regime-editor').getByRole('button', { name: 'キャンセル' }).click();
    await screenshot(p, 'duties-admin');
    await story.expectAccessible('duties-admin');
    await gas.getByRole('button', { name: '同梱の定義に戻す' }).click();
    await expect.poll(() => gas.locator('td').nth(2).textContent()).toBe('同梱');
    expect(await db.selectFrom('regime_overrides').selectAll().execute()).toEqual([]);
    // The refused save is the one console error this story expects.
    story.browser.problems.splice(
      0,
      story.browser.problems.length,
      ...story.browser.problems.filter((m) => !m.includes('status of 400')),
    );
  });

  it('left no console errors', () => {
    expect(story.browser.problems).toEqual([]);
  });
});
