import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support.js';
import { browserStory } from './story.js';

/**
 * The center triages incoming intelligence in headless Chromium: the demo's partner-ISAC bundle
 * is listed as new, an indicator is accepted and the domain dismissed, each leaves the "new" list
 * and is found under its state; the decisions are the server's (read back through the API). An
 * operator has no such page: no link, and the address answers that the role may not.
 */
describe.runIf(chromiumAvailable())('incoming intelligence triage', () => {
  const story = browserStory('intel');
  const { account, page, signIn } = story;
  const stateOf = async (stixId: string) => {
    const headers = { authorization: `Bearer ${account('center_analyst').token}` };
    const res = await story.kyoyu.app.inject({ url: '/api/v1/intel?limit=200', headers });
    return res
      .json<{ items: { stix_id: string; triage_state: string }[] }>()
      .items.find((i) => i.stix_id === stixId)?.triage_state;
  };
  const SCANNER = 'indicator--0d6e3a52-1f7b-4d61-8a3e-2c9b7f5e4a01';
  const DOMAIN = 'indicator--4b7c1e90-6a2d-4f83-9b5e-7d0a3c6f8e02';

  it('the center accepts one indicator and dismisses another; each moves to its state', async () => {
    const p = page();
    const analyst = account('center_analyst');
    await signIn(analyst.email, analyst.password, analyst.totpSecret);
    await p.getByRole('link', { name: '受信情報' }).click();
    await expect.poll(() => p.getByRole('heading', { level: 1 }).textContent()).toBe('受信インテリジェンス');
    const items = p.locator('.intel-list .intel-item');
    await expect.poll(() => items.count()).toBe(5);
    await story.expectAccessible('intel-new-ja');

    const scanner = p.locator('.intel-item', { hasText: SCANNER });
    await expect
      .poll(() => scanner.locator('.intel-pattern').textContent())
      .toBe("[ipv4-addr:value = '198.51.100.23']");
    await scanner.getByRole('button', { name: '採用' }).click();
    await expect.poll(() => items.count()).toBe(4);
    await p.locator('.intel-item', { hasText: DOMAIN }).getByRole('button', { name: '却下' }).click();
    await expect.poll(() => items.count()).toBe(3);
    expect([await stateOf(SCANNER), await stateOf(DOMAIN)]).toEqual(['accepted', 'dismissed']);

    await p.getByLabel('状態').selectOption('accepted');
    await expect.poll(() => items.count()).toBe(1);
    await expect.poll(() => items.first().locator('.intel-state').textContent()).toBe('採用');
    await p.getByLabel('状態').selectOption('all');
    await p.getByLabel('種類').selectOption('indicator');
    await expect.poll(() => items.count()).toBe(2);
    await story.expectAccessible('intel-indicators-ja');

    // Put back: the dismissed one is new again.
    await p.locator('.intel-item', { hasText: DOMAIN }).getByRole('button', { name: '未処理に戻す' }).click();
    await expect.poll(() => stateOf(DOMAIN)).toBe('new');

    await p.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => p.getByRole('heading', { level: 1 }).textContent()).toBe('Incoming intelligence');
    await expect.poll(() => items.first().locator('.intel-type').textContent()).toBe('Indicator');
    await story.expectAccessible('intel-indicators-en');
    await p.getByRole('button', { name: '日本語' }).click();
    await story.signOut();
  });

  it('an operator has no triage page: no link, and the address says the role may not', async () => {
    const p = page();
    const operator = account('operator');
    await signIn(operator.email, operator.password);
    expect(await p.getByRole('link', { name: '受信情報' }).count()).toBe(0);
    await p.goto(`${story.kyoyu.url}/intel`);
    await p.locator('main .error, main [role=alert]').first().waitFor();
    expect(await p.locator('.intel-list').count()).toBe(0);
    await story.signOut();
  });
});
