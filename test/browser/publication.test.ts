import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pageTexts, squeeze } from '../support/pdf.js';
import { chromiumAvailable } from './support.js';
import { browserStory } from './story.js';

/**
 * The quarterly document in headless Chromium: the center opens FY2023 Q4 (the demo's document),
 * sees part 1's items and part 3's published lessons, and downloads the full edition's PDF; in the
 * running quarter the lesson in review shows what the anonymity check found, its author cannot
 * approve it, the other analyst sends it back, the author rewrites it, the other analyst approves;
 * an operator downloads the public edition only and is told that an open quarter has none.
 */
describe.runIf(chromiumAvailable())('the quarterly document in the browser', () => {
  const story = browserStory('publication');
  const { account, page, signIn } = story;
  const second = () => story.kyoyu.accounts.find((a) => a.email === 'analyst2@demo.kyoyu.example')!;
  const running = () => story.kyoyu.ctx.services.calendar.periodOf(new Date());
  const lessonCard = () => page().locator('.publication-item', { hasText: '委託先経由の侵入に備える' });

  /** The period selectors, in order: fiscal year, quarter (edition and language follow). */
  const choice = (n: number) => page().locator('.publication-choices select').nth(n);
  const download = async (name: string): Promise<Buffer> => {
    const p = page();
    const [file] = await Promise.all([
      p.waitForEvent('download'),
      p.getByRole('link', { name, exact: true }).click(),
    ]);
    return readFileSync(await file.path());
  };

  it('the center prepares and downloads FY2023 Q4: items, published lessons, the full edition’s PDF', async () => {
    const p = page();
    const analyst = account('center_analyst');
    await signIn(analyst.email, analyst.password, analyst.totpSecret);
    await p.getByRole('link', { name: '公表資料' }).click();
    await expect.poll(() => p.getByRole('heading', { level: 1 }).textContent()).toBe('四半期の公表資料');
    await choice(0).selectOption('2023');
    await choice(1).selectOption('4');
    await expect
      .poll(() => p.getByRole('heading', { level: 2 }).first().textContent())
      .toBe('2023年度 第4四半期');
    await expect.poll(() => p.locator('.item-accepted').count()).toBe(10);
    await expect.poll(() => p.locator('.lesson-published').count()).toBe(3);
    await story.expectAccessible('publication-fy2023-q4-center-ja');
    const pdf = await download('PDF');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = squeeze(pageTexts(pdf).join(''));
    expect(text).toContain('完全版（センター内部用）');
    expect(text).toContain(squeeze('VPN機器の脆弱性が侵入口となった事例が続いている'));
  });

  it('the check stops a lesson that names an operator; the other analyst returns it, and approves it rewritten', async () => {
    const p = page();
    const { fiscalYear, quarter } = running();
    await p.goto(`${story.kyoyu.url}/publication?fy=${fiscalYear}&quarter=${quarter}`);
    const card = lessonCard();
    await card.waitFor();
    await expect.poll(() => card.locator('.lesson-state').textContent()).toBe('確認中');
    await expect.poll(() => card.locator('.lesson-findings li').count()).toBeGreaterThanOrEqual(2);
    expect(await card.locator('.lesson-findings').textContent()).toContain('シノノメ電力');
    // Its author cannot approve it.
    expect(await card.getByRole('button', { name: '承認する' }).isDisabled()).toBe(true);
    await story.expectAccessible('publication-lesson-findings-ja');
    await story.signOut();

    const other = second();
    await signIn(other.email, other.password, other.totpSecret);
    await p.goto(`${story.kyoyu.url}/publication?fy=${fiscalYear}&quarter=${quarter}`);
    await lessonCard().waitFor();
    // Findings block the approval for the reviewer too; back to draft.
    expect(await lessonCard().getByRole('button', { name: '承認する' }).isDisabled()).toBe(true);
    await lessonCard().getByRole('button', { name: '下書きに戻す' }).click();
    await expect.poll(() => lessonCard().locator('.lesson-state').textContent()).toBe('下書き');
    await story.signOut();

    const analyst = account('center_analyst');
    await signIn(analyst.email, analyst.password, analyst.totpSecret);
    await p.goto(`${story.kyoyu.url}/publication?fy=${fiscalYear}&quarter=${quarter}`);
    await lessonCard().getByRole('button', { name: '編集' }).click();
    // The Japanese text is the form's first text area (a label's name includes the text typed in it).
    await p
      .locator('.lesson-form textarea')
      .first()
      .fill(
        '保守委託先のVPNアカウントが不正に使われた事例があった。委託先のアカウントにも多要素認証を求め、使わない期間は無効にしておくことが有効である。',
      );
    await p.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => lessonCard().locator('.lesson-clean').count()).toBe(1);
    await lessonCard().getByRole('button', { name: '確認を依頼' }).click();
    await expect.poll(() => lessonCard().locator('.lesson-state').textContent()).toBe('確認中');
    await story.signOut();

    await signIn(other.email, other.password, other.totpSecret);
    await p.goto(`${story.kyoyu.url}/publication?fy=${fiscalYear}&quarter=${quarter}`);
    await lessonCard().getByRole('button', { name: '承認する' }).click();
    await expect.poll(() => lessonCard().locator('.lesson-state').textContent()).toBe('承認済み');
    await story.expectAccessible('publication-lesson-approved-ja');
    await p.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => p.getByRole('heading', { level: 1 }).textContent()).toBe('Quarterly publication');
    await story.expectAccessible('publication-running-quarter-en');
    await p.getByRole('button', { name: '日本語' }).click();
    await story.signOut();
  });

  it('an operator downloads the public edition and is told an open quarter has none yet', async () => {
    const p = page();
    const operator = account('operator');
    await signIn(operator.email, operator.password);
    await p.getByRole('link', { name: '公表資料' }).click();
    await choice(0).selectOption('2023');
    await choice(1).selectOption('4');
    // No edition to choose and no parts to prepare: the public edition is what there is.
    expect(await p.getByLabel('版').count()).toBe(0);
    expect(await p.locator('.publication-part').count()).toBe(0);
    await story.expectAccessible('publication-operator-ja');
    const text = squeeze(pageTexts(await download('PDF')).join(''));
    expect(text).toContain('公開版（TLP:CLEAR）');
    expect(text).not.toContain('（センター内部）');
    const { fiscalYear, quarter } = running();
    await p.goto(`${story.kyoyu.url}/publication?fy=${fiscalYear}&quarter=${quarter}`);
    await expect.poll(() => p.locator('.publication-blocked').count()).toBe(1);
    expect(await p.getByRole('link', { name: 'PDF', exact: true }).count()).toBe(0);
    await story.signOut();
  });
});
