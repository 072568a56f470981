import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Quarter } from '../../src/domain/fiscal-calendar.js';
import { publishedTables } from '../../src/modules/stats/published.js';
import { totpCode, totpStep } from '../../src/modules/auth/totp.js';
import type { Browser, Kyoyu } from './support.js';
import {
  chromiumAvailable,
  ensureWebBuilt,
  launchBrowser,
  screenshot,
  seriousViolations,
  startKyoyu,
} from './support.js';

/** The published figures: the dashboard's FY2023 totals must show them. */
const published = publishedTables();

interface Labelled {
  code: string;
  ja: string;
  en: string;
}
interface TaxonomyView {
  events: Labelled[];
  causes: Labelled[];
  attack_types: Labelled[];
}
interface IncidentView {
  id: number;
  ref: string;
  title: string;
  channel: string;
  fiscal_year: number;
  fiscal_quarter: number;
  version: number;
  center_classification: { event: string; causes: string[]; attack_type: string | null } | null;
}

const available = chromiumAvailable();
/** A downloaded CSV's rows (after its byte-order mark); the test's values hold no quotes or commas. */
const csvRows = (bytes: Buffer) =>
  bytes
    .toString('utf8')
    .slice(1)
    .trimEnd()
    .split('\r\n')
    .map((line) => line.split(','));
const number = (text: string | null) => Number((text ?? '').replace(/[^\d-]/g, ''));

describe.runIf(available)('the dashboard and the classify page in headless Chromium', () => {
  let kyoyu: Kyoyu;
  let browser: Browser;
  const timings: string[] = [];
  const page = () => browser.page;
  const analyst = () => kyoyu.accounts.find((a) => a.role === 'center_analyst')!;
  const headers = () => ({ authorization: `Bearer ${analyst().token}` });
  const get = async <T>(url: string) => (await kyoyu.app.inject({ url, headers: headers() })).json<T>();
  /** CSP refusals show up as console errors; a chart must cause none. */
  const cspProblems = async () => [
    ...browser.problems.filter((p) => /Content Security Policy|Refused to/i.test(p)),
    ...(await page().evaluate<string[]>('window.__csp ?? []')),
  ];

  async function expectAccessible(name: string) {
    expect(await seriousViolations(page()), `axe on ${name}`).toEqual([]);
    await screenshot(page(), name);
  }

  /** Clicks a download button and answers the downloaded file's bytes and suggested name. */
  async function download(name: string): Promise<{ file: string; bytes: Buffer }> {
    const p = page();
    const [file] = await Promise.all([p.waitForEvent('download'), p.getByRole('button', { name }).click()]);
    const path = await file.path();
    return { file: file.suggestedFilename(), bytes: readFileSync(path) };
  }

  beforeAll(async () => {
    const started = Date.now();
    ensureWebBuilt();
    [kyoyu, browser] = await Promise.all([startKyoyu(), launchBrowser()]);
    // Every CSP refusal, also one the console would not show, recorded by the page itself.
    await browser.context.addInitScript(
      `window.__csp = []; document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));`,
    );
    timings.push(`kyoyu with the demo and Chromium up after ${Date.now() - started} ms`);
  });

  afterAll(async () => {
    await browser?.close();
    await kyoyu?.close();
    process.stdout.write(`\n[kyoyu] dashboard timings: ${timings.join('; ')}\n`);
  });

  it('the center analyst signs in and the dashboard shows the published FY2023 figures as numbers and charts', async () => {
    const p = page();
    await p.goto(`${kyoyu.url}/`);
    await p.getByLabel('メールアドレス').fill(analyst().email);
    await p.getByLabel('パスワード').fill(analyst().password);
    await p.getByRole('button', { name: 'ログイン', exact: true }).click();
    await p.getByLabel('確認コード（6桁）').fill(totpCode(analyst().totpSecret!, totpStep(Date.now())));
    await p.getByRole('button', { name: '確認する' }).click();
    await p.getByTestId('current-user').waitFor();

    // In-app navigation to the dashboard (the running fiscal year), then a full load of FY2023.
    let start = Date.now();
    await p.getByRole('link', { name: 'ダッシュボード' }).click();
    await p.locator('#glance tbody td.fy-total').first().waitFor();
    timings.push(`dashboard numbers ${Date.now() - start} ms after an in-app navigation`);
    start = Date.now();
    await p.goto(`${kyoyu.url}/dashboard?fy=2023`);
    const total = p.locator('#glance tbody tr[data-code=operator_report] td.fy-total');
    await total.waitFor();
    timings.push(`${Date.now() - start} ms after a page load (FY2023)`);
    await p.locator('#chart-channels-years canvas').first().waitFor();
    timings.push(`first chart drawn ${Date.now() - start} ms after the page load`);

    const operator = published.channels.operator_report!;
    expect(number(await total.textContent())).toBe(operator.at(-1));
    expect(
      number(await p.locator('#glance tbody tr[data-code=operator_report] td.quarter').textContent()),
    ).toBe(operator.at(-2));
    expect(
      number(await p.locator('#glance tbody tr[data-code=operator_report] td.previous').textContent()),
    ).toBe(operator.at(-6));
    // Nine charts (four tables across years and across quarters, and the sectors), on canvases.
    await expect.poll(() => p.locator('figure.chart canvas').count()).toBeGreaterThanOrEqual(9);
    expect(await p.locator('figure.chart').count()).toBe(9);
    expect(await p.locator('#chart-events-quarters figcaption').textContent()).toBe(
      '事象の類型：2023年度の四半期別',
    );
    // Each chart's data also as a table (for screen readers and the keyboard).
    await p.locator('#chart-channels-years summary').click();
    const lastYear = await p.locator('#chart-channels-years .chart-data tbody tr').last().allInnerTexts();
    expect(lastYear[0]!.split('\t').map((x) => x.trim())[0]).toBe('2023年度');
    expect(lastYear[0]).toContain(String(operator.at(-1)));
    expect(await cspProblems()).toEqual([]);
    await expectAccessible('dashboard');
  });

  it('each chart downloads as PNG and its data as CSV (UTF-8 with a BOM)', async () => {
    const png = await download('情報共有の実施形態：年度別の推移 をPNG画像でダウンロード');
    expect(png.file).toBe('kyoyu-channels-fy2019-fy2023.png');
    expect(png.bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.bytes.length).toBeGreaterThan(5000);

    const csv = await download('情報共有の実施形態：年度別の推移 のデータをCSVでダウンロード');
    expect(csv.file).toBe('kyoyu-channels-fy2019-fy2023.csv');
    expect(csv.bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.bytes.toString('utf8')).toMatch(/\r\n$/);
    const rows = csvRows(csv.bytes);
    const header = rows[0]!;
    expect(header[0]).toBe('項目');
    const stats = await get<{ labels: { channels: Labelled[] } }>(
      '/api/v1/stats/info-sharing?fy=2023&history=4',
    );
    const column = header.indexOf(stats.labels.channels.find((l) => l.code === 'operator_report')!.ja);
    expect(column).toBeGreaterThan(0);
    expect(rows.slice(1).map((r) => r[0])).toEqual([
      '2019年度',
      '2020年度',
      '2021年度',
      '2022年度',
      '2023年度',
    ]);
    const operator = published.channels.operator_report!;
    expect(rows.slice(1).map((r) => Number(r[column]))).toEqual([...operator.slice(0, 4), operator.at(-1)]);

    const sectors = await download('重要インフラ分野別の事業者報告（2023年度） のデータをCSVでダウンロード');
    const sectorRows = csvRows(sectors.bytes);
    expect(sectorRows[0]).toEqual(['項目', '第1四半期', '第2四半期', '第3四半期', '第4四半期', '計']);
    const sum = sectorRows.slice(1).reduce((a, r) => a + Number(r.at(-1)), 0);
    expect(sum).toBe(operator.at(-1));

    // In English the legends, and so the CSV's columns, are English.
    await page().getByRole('button', { name: 'English' }).click();
    await expect
      .poll(() => page().getByRole('heading', { level: 1 }).textContent())
      .toBe('Dashboard (FY2023)');
    const en = await download('Download the data of Sharing channels across fiscal years as CSV');
    const enHeader = csvRows(en.bytes)[0]!;
    expect(enHeader[0]).toBe('Item');
    expect(enHeader).toContain('Reports from CI operators to National Cybersecurity Office');
    await screenshot(page(), 'dashboard-en');
    await page().getByRole('button', { name: '日本語' }).click();
    await expect
      .poll(() => page().getByRole('heading', { level: 1 }).textContent())
      .toBe('ダッシュボード（2023年度）');
    expect(await cspProblems()).toEqual([]);
  });

  it('the analyst classifies an incident of the queue with the keyboard, and the numbers follow', async () => {
    const p = page();
    const taxonomy = await get<TaxonomyView>('/api/v1/taxonomy');
    await p.getByRole('link', { name: '分類', exact: true }).click();
    const queue = p.locator('#review-queue [role=option]');
    await queue.first().waitFor();
    await expectAccessible('classify-queue');

    // An operator report of a generated year (FY2024 on; the FY2023 figures stay as published). The
    // demo runs up to today, so the newest are usually of the running quarter.
    // (The test's compiler knows no DOM: page scripts go in as text, as in support.ts.)
    const ids = (
      await p.evaluate<number[]>(
        `[...document.querySelectorAll('#review-queue [role=option]')].map((li) => Number(li.dataset.id))`,
      )
    ).slice(0, 60);
    let target: IncidentView | undefined;
    let index = 0;
    const { calendar } = kyoyu.ctx.services;
    for (const [i, id] of ids.entries()) {
      const one = await get<IncidentView>(`/api/v1/incidents/${id}`);
      if (one.channel !== 'operator_report' || one.fiscal_year < 2024) continue;
      // One of an ended (so closed) quarter where the queue has one, so that closing is tried too.
      const ended =
        calendar.rangeOf(one.fiscal_year, one.fiscal_quarter as Quarter).end.getTime() <= Date.now();
      if (!target || ended) [target, index] = [one, i];
      if (ended) break;
    }
    expect(target, 'an operator report of FY2024 or later in the queue').toBeDefined();
    const incident = target!;
    const fy = incident.fiscal_year;
    // The demo closes every ended quarter; a closed quarter keeps its figures until the center
    // reopens it, so such a quarter is reopened first (and closed again through the page below).
    // The running quarter is open already (409).
    const reopened = await kyoyu.app.inject({
      method: 'POST',
      url: `/api/v1/periods/${fy}/${incident.fiscal_quarter}/reopen`,
      headers: headers(),
    });
    expect([200, 409], reopened.body).toContain(reopened.statusCode);
    const wasClosed = reopened.statusCode === 200;

    await p.locator('#review-queue').focus();
    for (let i = 0; i < index; i++) await p.keyboard.press('j');
    expect(await p.locator('#review-queue [aria-selected=true]').getAttribute('data-id')).toBe(
      String(incident.id),
    );
    await p.keyboard.press('Enter');
    await p.locator('#classify-form').waitFor();
    expect(await p.locator('#incident-heading').textContent()).toBe(incident.title);
    await expect.poll(() => p.locator('#incident-heading:focus').count()).toBe(1);

    // The command field: event 3, causes 1 and 4, attack type 2.
    await p.keyboard.press('/');
    expect(await p.locator('#classify-command:focus').count()).toBe(1);
    await p.keyboard.type('e3 c1,4 a2');
    await p.keyboard.press('Enter');
    await p.keyboard.press('Escape');
    const event = taxonomy.events[2]!.code;
    const causes = [taxonomy.causes[0]!.code, taxonomy.causes[3]!.code];
    const attack = taxonomy.attack_types[1]!.code;
    expect(await p.locator(`input[name=event][value="${event}"]`).isChecked()).toBe(true);
    expect(await p.locator(`input[name=attack_type][value="${attack}"]`).isChecked()).toBe(true);

    // What the statistics of the incident's quarter will show.
    const impact = p.locator('#classify-impact tbody tr');
    await impact.first().waitFor();
    const changes = await p.evaluate<Array<{ table: string; code: string; before: number; after: number }>>(
      `[...document.querySelectorAll('#classify-impact tbody tr')].map((tr) => ({
        table: tr.dataset.table,
        code: tr.dataset.code,
        before: Number(tr.querySelector('.before').textContent),
        after: Number(tr.querySelector('.after').textContent),
      }))`,
    );
    expect(changes.length).toBeGreaterThan(0);
    await expectAccessible('classify-incident');

    // Someone else classifies it first: 412, shown, the newer version loaded, then saved again.
    const fresh = await kyoyu.app.inject({ url: `/api/v1/incidents/${incident.id}`, headers: headers() });
    const other = await kyoyu.app.inject({
      method: 'PUT',
      url: `/api/v1/incidents/${incident.id}/classification`,
      headers: { ...headers(), 'if-match': String(fresh.headers.etag) },
      payload: { event: taxonomy.events[0]!.code, causes: [taxonomy.causes[1]!.code], attack_type: null },
    });
    expect(other.statusCode).toBe(200);
    await p.keyboard.press('s');
    await expect
      .poll(() => p.getByRole('alert').textContent())
      .toContain('他の利用者がこのインシデントを先に更新しました');
    await expect
      .poll(() => p.locator(`input[name=event][value="${taxonomy.events[0]!.code}"]`).isChecked())
      .toBe(true);
    await screenshot(p, 'classify-conflict');
    // The other write moved the counts: classify again from the reloaded version, all by keyboard.
    await p.keyboard.press('/');
    await p.keyboard.type('e3 c1,4 a2');
    await p.keyboard.press('Enter');
    await p.keyboard.press('Escape');
    await expect.poll(() => p.locator(`input[name=event][value="${event}"]`).isChecked()).toBe(true);
    const eventRow = p.locator(`#classify-impact tbody tr[data-table=events][data-code="${event}"]`);
    const after = number(await eventRow.locator('.after').textContent());
    await p.keyboard.press('s');
    await expect.poll(() => p.locator('p.status-ok').textContent()).toContain(incident.ref);

    const saved = await get<IncidentView>(`/api/v1/incidents/${incident.id}`);
    expect(saved.center_classification).toMatchObject({ event, causes, attack_type: attack });
    expect(await p.locator(`#queue-item-${incident.id}`).count()).toBe(0);

    // The statistics page and the dashboard's chart data show the new count for the quarter.
    const q = saved.fiscal_quarter;
    await p.goto(`${kyoyu.url}/statistics?fy=${fy}`);
    const cells = p.locator(`#stats-events tbody tr[data-code="${event}"] td`);
    await cells.first().waitFor();
    expect(number(await cells.nth(4 + q - 1).textContent())).toBe(after);
    // The center closes the quarter again from the page, after a confirmation.
    const period = p.locator(`.period-list li[data-quarter="${q}"]`);
    expect(await period.getAttribute('data-state')).toBe('open');
    if (wasClosed) {
      await p.getByRole('button', { name: `${fy}年度 第${q}四半期を締める` }).click();
      await p
        .getByRole('group', { name: `${fy}年度 第${q}四半期を締める` })
        .getByRole('button', { name: '締める' })
        .click();
      await expect.poll(() => period.getAttribute('data-state')).toBe('closed');
      expect(number(await cells.nth(4 + q - 1).textContent())).toBe(after);
    }
    await p.goto(`${kyoyu.url}/dashboard?fy=${fy}`);
    await p.locator('#chart-events-quarters canvas').first().waitFor();
    const csv = await download(`事象の類型：${fy}年度の四半期別 のデータをCSVでダウンロード`);
    const rows = csvRows(csv.bytes);
    const column = rows[0]!.indexOf(taxonomy.events[2]!.ja);
    expect(Number(rows[q]![column])).toBe(after);
    expect(await cspProblems()).toEqual([]);
    expect(browser.problems.filter((x) => !/412/.test(x))).toEqual([]);
  });
});
