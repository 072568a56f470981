import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Kyoyu } from './support.js';
import { chromiumAvailable, ensureWebBuilt, launchBrowser, screenshot, startKyoyu } from './support.js';

const available = chromiumAvailable();

/**
 * Drafts hold what a reporter typed about an incident; on a shared computer the next person must
 * not find them. And the form refuses the characters the server refuses, by the server's own rule.
 */
describe.runIf(available)('report drafts and characters in headless Chromium', () => {
  let kyoyu: Kyoyu;
  let browser: Browser;
  let incidentId = 0;
  const page = () => browser.page;
  const operator = () => kyoyu.accounts.find((a) => a.role === 'operator')!;
  const drafts = () =>
    page().evaluate<string[]>(`Object.keys(localStorage).filter((k) => k.startsWith('kyoyu.report-draft'))`);

  beforeAll(async () => {
    ensureWebBuilt();
    [kyoyu, browser] = await Promise.all([startKyoyu(), launchBrowser()]);
    const headers = { authorization: `Bearer ${operator().token}` };
    const list = await kyoyu.app.inject({
      url: '/api/v1/incidents?limit=100&channel=operator_report',
      headers,
    });
    // One that still takes reports (not closed by its final report).
    incidentId = list
      .json<{ items: Array<{ id: number; actions: string[] }> }>()
      .items.find((i) => i.actions.includes('add_report'))!.id;
  });
  afterAll(async () => {
    await browser?.close();
    await kyoyu?.close();
  });

  async function signIn() {
    const p = page();
    await p.goto(`${kyoyu.url}/`);
    await p.getByLabel('メールアドレス').fill(operator().email);
    await p.getByLabel('パスワード').fill(operator().password);
    await p.getByRole('button', { name: 'ログイン', exact: true }).click();
    await p.getByTestId('current-user').waitFor();
  }

  it('the form names a bidi control or zero-width character before sending, as the server would', async () => {
    const p = page();
    await signIn();
    await p.goto(`${kyoyu.url}/report`);
    await p.locator('form.report-form').waitFor();
    await p.locator('#report-title').fill('請求書\u202Efdp.exe');
    await expect
      .poll(() => p.locator('#report-title-error').textContent())
      .toBe(
        '使用できない文字 U+202E（4 文字目）が含まれています。双方向制御文字やゼロ幅文字など、表示されない文字は使用できません。',
      );
    await p.locator('#report-description').fill('見えない\u200B文字');
    await expect.poll(() => p.locator('#report-description-error').textContent()).toContain('U+200B');
    // Line breaks stay allowed in the description.
    await p.locator('#report-description').fill('一行目\n二行目');
    await expect.poll(() => p.locator('#report-description-error').textContent()).toBe('');
    await screenshot(p, 'report-forbidden-character');
  });

  it('signing out removes every draft of the user, new reports and stage reports alike', async () => {
    const p = page();
    // The previous test left a draft of a new report; add one of a stage report.
    await p.locator('#report-title').fill('下書きの第一報');
    await p.goto(`${kyoyu.url}/incidents/${incidentId}/report`);
    await p.locator('form.report-form').waitFor();
    await p.locator('#report-description').fill('下書きの続報');
    const user = operator().email;
    expect((await drafts()).sort()).toEqual(
      [`kyoyu.report-draft:${user}:incident-${incidentId}`, `kyoyu.report-draft:${user}:new`].sort(),
    );
    // Another user's draft on this computer is theirs: it stays.
    await p.evaluate(`localStorage.setItem('kyoyu.report-draft:someone@else.example:new', '{}')`);

    await p.getByRole('button', { name: 'ログアウト' }).click();
    await expect.poll(() => p.getByRole('heading', { level: 1 }).textContent()).toBe('ログイン');
    expect(await drafts()).toEqual(['kyoyu.report-draft:someone@else.example:new']);

    // Signed in again, the form starts empty.
    await signIn();
    await p.goto(`${kyoyu.url}/incidents/${incidentId}/report`);
    await p.locator('form.report-form').waitFor();
    expect(await p.locator('#report-description').inputValue()).toBe('');
    expect(await p.getByText('保存されていた下書きを復元しました。').count()).toBe(0);
  });
});
