import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, screenshot } from './support.js';
import { browserStory } from './story.js';

/**
 * The report form in both languages: the organisation's sector preselected, the required marks the
 * server's rules give, occurred and detected times filed and shown on the incident page.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');
/** An instant (whole minutes) in Tokyo time (UTC+9, no daylight saving): as typed, as shown in ja and en. */
function tokyo(ms: number) {
  const at = new Date(Math.floor(ms / 60_000) * 60_000);
  const t = new Date(at.getTime() + 9 * 3_600_000);
  const [y, mo, d, h, mi] = [
    t.getUTCFullYear(),
    t.getUTCMonth(),
    t.getUTCDate(),
    t.getUTCHours(),
    t.getUTCMinutes(),
  ];
  return {
    iso: at.toISOString(),
    input: `${y}-${pad(mo + 1)}-${pad(d)}T${pad(h)}:${pad(mi)}`,
    ja: `${y}/${pad(mo + 1)}/${pad(d)} ${pad(h)}:${pad(mi)}`,
    en: `${d} ${MONTHS[mo]} ${y} ${pad(h)}:${pad(mi)}`,
  };
}
// Today, so the report lands in an open quarter: received an hour ago, detected before, occurred before that.
const received = tokyo(Date.now() - 3_600_000);
const occurred = tokyo(Date.now() - 26 * 3_600_000);
const detected = tokyo(Date.now() - 5 * 3_600_000);
const tooEarly = tokyo(Date.now() - 30 * 3_600_000);

const LANGS = [
  {
    lang: 'ja',
    sector: '電力',
    occurred: '発生日時',
    detected: '検知日時',
    submitted: '報告を受け付けました',
    view: 'インシデントを表示する',
    order: '検知日時は発生日時以降にしてください。',
  },
  {
    lang: 'en',
    sector: 'Electric power',
    occurred: 'Occurred at',
    detected: 'Detected at',
    submitted: 'Report received',
    view: 'View the incident',
    order: 'The detected time must not be before the occurred time.',
  },
] as const;

/** Which fields carry the required mark, by their control's id. */
const marked = (p: Page) =>
  p.evaluate<string[]>(`[...document.querySelectorAll('form.report-form .required')].map((mark) => {
    const holder = mark.closest('label, legend');
    const id = holder?.tagName === 'LABEL' ? holder.getAttribute('for') : holder?.parentElement?.id;
    return id ?? '?';
  }).sort()`);

describe.runIf(chromiumAvailable())('the report form’s sector, marks and times in headless Chromium', () => {
  const story = browserStory('report-times');
  const { account, page, incident, signIn } = story;

  for (const l of LANGS) {
    it(`${l.lang}: the sector is preselected, the marks are the server's, the times reach the incident page`, async () => {
      const p = page();
      const operator = account('operator');
      await signIn(operator.email, operator.password);
      // The switch offers the other language.
      if (l.lang === 'en') await p.getByRole('button', { name: 'English' }).click();
      await p.goto(`${story.kyoyu.url}/report`);
      await p.locator('form.report-form').waitFor();

      // The organisation has one sector: shown, not offered for choice.
      expect(await p.locator('select#report-sector').count()).toBe(0);
      expect(await p.locator('#report-sector').textContent()).toBe(l.sector);
      // The marks: exactly the fields the server requires of an operator's report.
      expect(await marked(p)).toEqual([
        'report-causes-group',
        'report-description',
        'report-event-group',
        'report-received_at',
        'report-title',
      ]);
      expect(await p.getByLabel(l.occurred).count()).toBe(1);
      expect(await p.getByLabel(l.detected).count()).toBe(1);

      const title = `発生・検知日時つきの報告 ${l.lang} ${Date.now()}`;
      await p.locator('#report-received_at').fill(received.input);
      await p.locator('#report-occurred_at').fill(occurred.input);
      // Out of order first: the form says so before anything is sent.
      await p.locator('#report-detected_at').fill(tooEarly.input);
      await expect.poll(() => p.locator('#report-detected_at-error').textContent()).toBe(l.order);
      await p.locator('#report-detected_at').fill(detected.input);
      await expect.poll(() => p.locator('#report-detected_at-error').textContent()).toBe('');
      await p.locator('#report-title').fill(title);
      await p.locator('#report-description').fill('制御系への不審な通信');
      await p.locator('input[name=event]').first().check();
      await p.locator('input[value="intentional.ddos"]').check();
      await screenshot(p, `report-times-form-${l.lang}`);
      await p.locator('button[type=submit]').click();
      await expect.poll(() => p.getByRole('heading', { level: 1 }).textContent()).toBe(l.submitted);

      const href = await p.getByRole('link', { name: l.view }).getAttribute('href');
      const id = Number(/\/incidents\/(\d+)$/.exec(href ?? '')?.[1]);
      const stored = (await incident(id)) as unknown as {
        sector: string;
        occurred_at: string;
        detected_at: string;
      };
      expect(stored).toMatchObject({
        sector: 'electricity',
        occurred_at: occurred.iso,
        detected_at: detected.iso,
      });

      await p.getByRole('link', { name: l.view }).click();
      await p.locator('ol.timeline > li').first().waitFor();
      expect(await p.locator('[data-time=occurred_at] dt').textContent()).toBe(l.occurred);
      expect(await p.locator('[data-time=occurred_at] dd').textContent()).toBe(occurred[l.lang]);
      expect(await p.locator('[data-time=detected_at] dt').textContent()).toBe(l.detected);
      expect(await p.locator('[data-time=detected_at] dd').textContent()).toBe(detected[l.lang]);
      expect(await p.locator('ol.timeline .report-times').textContent()).toContain(detected[l.lang]);
      await screenshot(p, `report-times-incident-${l.lang}`);
      if (l.lang === 'en') await p.getByRole('button', { name: '日本語' }).click();
      await story.signOut();
    });
  }
});
