import { describe, expect, it } from 'vitest';
import { chromiumAvailable, screenshot } from './support.js';
import { browserStory } from './story.js';

/**
 * Indicators on a report, in headless Chromium: a bad IPv4 address is refused as typed with the
 * server's reason, one the description names is added from the suggestions, the report is filed,
 * and the incident page lists them and offers what its text still names, for adoption.
 */
describe.runIf(chromiumAvailable())('indicators on the report form and the incident page', () => {
  const story = browserStory('indicators');
  const { account, page, incident, signIn } = story;

  it('an operator types a bad IPv4, sees why, adds one from the text, submits; the incident page lists them', async () => {
    const p = page();
    const operator = account('operator');
    await signIn(operator.email, operator.password);
    await p.goto(`${story.kyoyu.url}/report`);
    await p.locator('form.report-form').waitFor();

    await p.locator('#report-title').fill(`指標つきの報告 ${Date.now()}`);
    await p.locator('#report-description').fill('不審な通信先 203.0.113.9 と hxxp://bad[.]example/x を確認');
    await p.locator('input[name=event]').first().check();
    await p.locator('input[value="intentional.ddos"]').check();

    await p.getByRole('button', { name: '指標を追加' }).click();
    const value = p.locator('.indicator-row input').first();
    await value.fill('192.0.2.300');
    await expect
      .poll(() => p.locator('.indicator-row .field-error').textContent())
      .toBe('1件目の指標（ipv4）: "300" is not a number from 0 to 255 without leading zeros');
    // Refused before anything is sent: the form stays, the bad value focused.
    await p.locator('button[type=submit]').click();
    await expect
      .poll(() => p.evaluate<string | null>("document.activeElement?.getAttribute('aria-invalid') ?? null"))
      .toBe('true');
    await value.fill('192.0.2.30');
    await expect.poll(() => p.locator('.indicator-row .field-error').count()).toBe(0);

    // The description names two; the one added is offered no more.
    await p.getByRole('button', { name: '追加 203.0.113.9' }).click();
    await expect.poll(() => p.locator('.indicator-row').count()).toBe(2);
    expect(await p.getByRole('button', { name: '追加 203.0.113.9' }).count()).toBe(0);
    await screenshot(p, 'indicators-form-ja');
    await p.locator('button[type=submit]').click();
    await expect.poll(() => p.getByRole('heading', { level: 1 }).textContent()).toBe('報告を受け付けました');

    const href = await p.getByRole('link', { name: 'インシデントを表示する' }).getAttribute('href');
    const id = Number(/\/incidents\/(\d+)$/.exec(href ?? '')?.[1]);
    const stored = (await incident(id)) as unknown as { indicators: { type: string; value: string }[] };
    expect(stored.indicators.map((i) => `${i.type}:${i.value}`)).toEqual([
      'ipv4:192.0.2.30',
      'ipv4:203.0.113.9',
    ]);

    await p.getByRole('link', { name: 'インシデントを表示する' }).click();
    const rows = p.locator('table.indicator-table tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.nth(0).textContent()).toContain('192.0.2.30');
    // What the text still names is offered; adopting it lists it.
    await p.getByRole('button', { name: '採用 http://bad.example/x' }).click();
    await expect.poll(() => rows.count()).toBe(3);
    expect(await rows.nth(2).textContent()).toContain('http://bad.example/x');
    expect(await p.getByRole('button', { name: '採用 http://bad.example/x' }).count()).toBe(0);
    await screenshot(p, 'indicators-incident-ja');
    await story.signOut();
  });
});
