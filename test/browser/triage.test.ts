import { describe, expect, it } from 'vitest';
import type { IncidentView as StoryIncident } from './story.js';
import { formatFiscalYear } from '../../src/domain/japanese-era.js';
import { browserStory } from './story.js';
import { chromiumAvailable } from './support.js';

type Lang = 'ja' | 'en';
/** The incident as the API answers it, with the description the editor must show. */
type IncidentView = StoryIncident & { description: string };
const TEXT = {
  ja: {
    nav: 'メインメニュー',
    classify: '分類',
    refused: '分類はセンターの分析担当者が行います',
    switchTo: '日本語',
  },
  en: {
    nav: 'Main menu',
    classify: 'Classify',
    refused: "Classifying is for the center's analysts",
    switchTo: 'English',
  },
} as const;

/**
 * Triage in the browser, in both languages and as each role: who may classify (the center's
 * analysts and admins, as GET /me's actions say) gets a Classify entry and an editor that shows
 * the incident's organisation, sector, TLP, description and every stage report's text in order;
 * an operator or a sector desk has no Classify entry and is told up front that /classify is not
 * for them, with no queue and no form.
 */
describe.runIf(chromiumAvailable())('triage with context, pages from the allowed actions', () => {
  const story = browserStory('triage');
  const p = () => story.page();
  const nav = (lang: Lang) => p().getByRole('navigation', { name: TEXT[lang].nav });

  /** Switches the UI language with the header's button (it names the other language). */
  async function useLang(lang: Lang) {
    const current = await p().evaluate<string>('document.documentElement.lang');
    if (current === lang) return;
    await p()
      .getByRole('button', { name: lang === 'en' ? 'English' : '日本語', exact: true })
      .click();
    await expect.poll(() => p().evaluate<string>('document.documentElement.lang')).toBe(lang);
  }

  /** An operator incident with an initial report and an update, each with a text of its own. */
  async function incidentWithTwoStages(): Promise<IncidentView> {
    const headers = { authorization: `Bearer ${story.account('center_analyst').token}` };
    const now = Date.now();
    const created = await story.kyoyu.app.inject({
      method: 'POST',
      url: '/api/v1/incidents',
      headers,
      payload: {
        channel: 'operator_report',
        received_at: new Date(now - 10 * 60_000).toISOString(),
        organization: 'トリアージ検証電力株式会社',
        sector: 'electricity',
        title: '制御系ネットワークでの不審な通信',
        description: '第一報: 制御系ネットワークで外部への不審な通信を検知した。',
        stage: 'initial',
        event: 'leading.malware_infection',
        causes: ['intentional.suspicious_email'],
        attack_type: null,
        tlp: 'AMBER+STRICT',
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { id } = created.json<{ id: number }>();
    const update = await story.kyoyu.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${id}/reports`,
      headers,
      payload: {
        stage: 'update',
        received_at: new Date(now - 5 * 60_000).toISOString(),
        description: '続報: 感染端末を隔離した。業務への影響はない。',
        event: 'leading.malware_infection',
        causes: ['intentional.suspicious_email', 'intentional.info_theft'],
        attack_type: 'malware_other',
      },
    });
    expect(update.statusCode, update.body).toBe(201);
    return (await story.incident(id)) as IncidentView;
  }

  async function refusedClassify(lang: Lang) {
    await useLang(lang);
    await nav(lang).getByRole('link').first().waitFor();
    expect(await nav(lang).getByRole('link', { name: TEXT[lang].classify, exact: true }).count()).toBe(0);
    await p().goto(`${story.kyoyu.url}/classify`);
    await expect.poll(() => p().getByRole('alert').textContent()).toContain(TEXT[lang].refused);
    // Said up front: neither the queue nor a form is there to fill in.
    expect(await p().locator('#classify-form').count()).toBe(0);
    expect(await p().getByRole('listbox').count()).toBe(0);
  }

  async function classifyEditor(lang: Lang, incident: IncidentView, who: string) {
    await useLang(lang);
    await nav(lang).getByRole('link', { name: TEXT[lang].classify, exact: true }).click();
    const item = p().locator(`#review-queue [data-id="${incident.id}"]`);
    await item.waitFor();
    expect(await item.getByTestId('queue-context').textContent()).toContain(incident.organization);
    await item.click();
    await p().locator('#classify-facts').waitFor();
    expect(await p().getByTestId('classify-organization').textContent()).toBe(incident.organization);
    expect(await p().getByTestId('classify-tlp').textContent()).toBe(`TLP:${incident.tlp}`);
    expect(await p().getByTestId('classify-sector').textContent()).toBe(
      lang === 'ja' ? '電力' : 'Electric power',
    );
    expect(await p().getByTestId('classify-description').textContent()).toBe(incident.description);
    const reports = p().getByTestId('classify-report');
    expect(await reports.count()).toBe(incident.reports.length);
    const texts = await reports.allTextContents();
    // Every stage report's text, in the order received (initial first).
    expect(incident.reports.length).toBe(2);
    const ordered = [...incident.reports].sort((a, b) =>
      a.received_at_as_sent.localeCompare(b.received_at_as_sent),
    );
    ordered.forEach((r, i) => expect(texts[i]).toContain(r.description));
    expect(await reports.nth(0).getAttribute('data-stage')).toBe('initial');
    expect(await reports.nth(1).getAttribute('data-stage')).toBe('update');
    await story.expectAccessible(`triage-classify-${who}-${lang}`);

    // With the era display on, the fiscal year is named by its era too (令和8年度, FY Reiwa 8).
    const era = p().getByRole('checkbox', { name: lang === 'ja' ? '和暦で表示' : 'Japanese era dates' });
    const gregorian = formatFiscalYear(incident.fiscal_year, lang, false);
    const named = formatFiscalYear(incident.fiscal_year, lang, true);
    expect(await p().locator('#classify-facts').textContent()).toContain(gregorian);
    await era.check();
    await expect.poll(() => p().locator('#classify-facts').textContent()).toContain(named);
    expect(await p().locator('#classify-impact').textContent()).toContain(named);
    await era.uncheck();
    await expect.poll(() => p().locator('#classify-facts').textContent()).toContain(gregorian);
  }

  it('an operator and a sector desk have no Classify and are told so up front, in ja and en', async () => {
    const operator = story.account('operator');
    await story.signIn(operator.email, operator.password);
    await refusedClassify('ja');
    await refusedClassify('en');
    await story.expectAccessible('triage-operator-refused-en');
    await useLang('ja');
    await story.signOut();

    const desk = story.account('sector_desk');
    await story.signIn(desk.email, desk.password, desk.totpSecret);
    await refusedClassify('ja');
    await refusedClassify('en');
    await useLang('ja');
    await story.signOut();
  });

  it('the center analyst and an admin see Classify and the whole incident in the editor, in ja and en', async () => {
    const incident = await incidentWithTwoStages();
    for (const role of ['center_analyst', 'admin']) {
      const who = story.account(role);
      await story.signIn(who.email, who.password, who.totpSecret);
      await classifyEditor('ja', incident, role);
      await classifyEditor('en', incident, role);
      await useLang('ja');
      await story.signOut();
    }
  });

  it('the queue oldest-first loads the reports that have waited longest, and says how many wait', async () => {
    const analyst = story.account('center_analyst');
    const headers = { authorization: `Bearer ${analyst.token}` };
    const pending = (order: 'asc' | 'desc') =>
      story.kyoyu.app
        .inject({
          method: 'GET',
          url: `/api/v1/incidents?review=pending&sort=received&order=${order}&limit=1`,
          headers,
        })
        .then((r) => r.json<{ items: { id: number }[]; total: number }>());
    const [oldest, newest] = [await pending('asc'), await pending('desc')];
    // More wait than the queue loads (100): sorting the loaded ones would miss the oldest.
    expect(newest.total).toBeGreaterThan(100);
    await story.signIn(analyst.email, analyst.password, analyst.totpSecret);
    await useLang('en');
    await nav('en').getByRole('link', { name: TEXT.en.classify, exact: true }).click();
    const first = () => p().locator('#review-queue [role=option]').first().getAttribute('data-id');
    await expect.poll(first).toBe(String(newest.items[0]!.id));
    // The heading counts what waits, not only what is loaded.
    expect(await p().locator('#queue-heading').textContent()).toContain(
      String(newest.total.toLocaleString('en')),
    );
    await p().locator('#queue-order').selectOption('received_asc');
    await expect.poll(first).toBe(String(oldest.items[0]!.id));
    await useLang('ja');
    await story.signOut();
  });
});
