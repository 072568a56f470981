import { FiscalCalendar } from '../../src/domain/fiscal-calendar.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

/** The published FY2019-FY2023 figures, as NISC printed them: the statistics page must show these. */
const published = publishedTables();

interface IncidentView {
  id: number;
  organization: string | null;
  tlp: string;
  center_classification: object | null;
  reports: Array<{ stage: string | null; received_at: string }>;
}

const available = chromiumAvailable();

describe.runIf(available)('the web UI in headless Chromium', () => {
  let kyoyu: Kyoyu;
  let browser: Browser;
  const timings: string[] = [];
  let classifiedId = 0;
  const account = (role: string) => kyoyu.accounts.find((a) => a.role === role)!;
  const page = () => browser.page;

  /** An incident seen through the API as the center (the browser then has to show it). */
  async function incidentWith(filter: string, accept: (i: IncidentView) => boolean): Promise<IncidentView> {
    const headers = { authorization: `Bearer ${account('center_analyst').token}` };
    const list = await kyoyu.app.inject({ url: `/api/v1/incidents?limit=200&${filter}`, headers });
    for (const { id } of list.json<{ items: Array<{ id: number }> }>().items) {
      const one = (await kyoyu.app.inject({ url: `/api/v1/incidents/${id}`, headers })).json<IncidentView>();
      if (accept(one)) return one;
    }
    throw new Error(`no demo incident with ${filter}`);
  }

  async function expectAccessible(name: string) {
    expect(await seriousViolations(page()), `axe on ${name}`).toEqual([]);
    await screenshot(page(), name);
  }

  beforeAll(async () => {
    const started = Date.now();
    ensureWebBuilt();
    timings.push(`UI build check ${Date.now() - started} ms`);
    [kyoyu, browser] = await Promise.all([startKyoyu(), launchBrowser()]);
    timings.push(`kyoyu with the demo and Chromium up after ${Date.now() - started} ms`);
  });

  afterAll(async () => {
    await browser?.close();
    await kyoyu?.close();
    process.stdout.write(`\n[kyoyu] browser timings: ${timings.join('; ')}\n`);
  });

  it('serves the built UI: strict CSP, no inline script or style, hashed assets cached, client routes', async () => {
    const { app } = kyoyu;
    const index = await app.inject({ url: '/' });
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['cache-control']).toBe('no-cache');
    const csp = String(index.headers['content-security-policy']);
    for (const directive of [
      "script-src 'self'",
      "style-src 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ])
      expect(csp).toContain(directive);
    expect(csp).not.toContain('unsafe-inline');
    expect(index.body).toContain('<meta name="kyoyu-time-zone" content="Asia/Tokyo"');
    const scripts = index.body.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toMatch(/ src="\/assets\/[\w.-]+\.js"/);
    expect(index.body).not.toMatch(/<style|\sstyle=|\son\w+=/);

    const deep = await app.inject({ url: '/incidents/12?fy=2023' });
    expect(deep.statusCode).toBe(200);
    expect(deep.body).toBe(index.body);

    const asset = /src="(\/assets\/[^"]+)"/.exec(index.body)![1]!;
    const js = await app.inject({ url: asset, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(js.statusCode).toBe(200);
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.headers['content-encoding']).toBe('gzip');
    // React's production build: well under React's development build, which is over 150 kB gzipped.
    expect(js.rawPayload.length).toBeLessThan(150_000);
    const again = await app.inject({ url: asset, headers: { 'if-none-match': String(js.headers.etag) } });
    expect(again.statusCode).toBe(304);

    expect((await app.inject({ url: '/assets/missing-0000.js' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/favicon.ico' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/v1/no-such-route' })).statusCode).toBe(401);
  });

  it('an operator signs in and sees its own organisation’s incidents, fast', async () => {
    const p = page();
    await p.goto(`${kyoyu.url}/`);
    await expect.poll(() => p.getByRole('heading', { level: 1 }).textContent()).toBe('ログイン');
    await expectAccessible('sign-in');

    const operator = account('operator');
    await p.getByLabel('メールアドレス').fill(operator.email);
    await p.getByLabel('パスワード').fill('wrong password!');
    await p.getByRole('button', { name: 'ログイン', exact: true }).click();
    await expect.poll(() => p.getByRole('alert').textContent()).toContain('正しくありません');

    await p.getByLabel('パスワード').fill(operator.password);
    await p.getByRole('button', { name: 'ログイン', exact: true }).click();
    const rows = p.locator('#incident-list tbody tr');
    await rows.first().waitFor();
    expect(await p.getByTestId('current-user').textContent()).toContain(operator.organization);
    expect(await p.getByTestId('current-user').textContent()).toContain('重要インフラ事業者');

    // The list opens on its own organisation's records (it reports for it), with their total.
    expect(await p.getByLabel(/^組織/).inputValue()).toBe('true');
    const own = await rows.locator('td:nth-child(4)').allTextContents();
    expect(own.length).toBeGreaterThan(0);
    expect(new Set(own)).toEqual(new Set([operator.organization]));
    const headers = { authorization: `Bearer ${operator.token}` };
    const ownTotal = (await kyoyu.app.inject({ url: '/api/v1/incidents?mine=true&limit=1', headers })).json<{
      total: number;
    }>().total;
    expect(own.length).toBe(Math.min(ownTotal, 50));
    const said = /該当 ([\d,]+) 件/.exec((await p.locator('#incident-total').textContent())!);
    expect(Number(said?.[1]?.replace(/,/g, ''))).toBe(ownTotal);

    // Every organisation's: its own records, and beyond them only what TLP lets the whole community see.
    await p.getByLabel(/^組織/).selectOption('');
    await expect.poll(() => new URL(p.url()).searchParams.get('mine')).toBe('false');
    await expect.poll(() => rows.count()).toBe(50);
    const orgs = await rows.locator('td:nth-child(4)').allTextContents();
    const tlps = await rows.locator('td:nth-child(9)').allTextContents();
    expect(orgs).toContain(operator.organization);
    expect(orgs.some((org) => org !== operator.organization)).toBe(true);
    orgs.forEach((org, i) => {
      if (org !== operator.organization) expect(['TLP:CLEAR', 'TLP:GREEN']).toContain(tlps[i]);
    });
    // Other operators' reports reach it only as far as their marking lets the community see them.
    await p.getByLabel('情報共有の実施形態').selectOption('operator_report');
    await expect.poll(() => new URL(p.url()).searchParams.get('channel')).toBe('operator_report');
    await expect
      .poll(async () => {
        const shown = await rows.locator('td:nth-child(4)').allTextContents();
        const marks = await rows.locator('td:nth-child(9)').allTextContents();
        return (
          shown.length > 0 &&
          shown.every((org, i) => org === operator.organization || /CLEAR|GREEN/.test(marks[i]!))
        );
      })
      .toBe(true);
    await expectAccessible('incidents');
    // Free text, applied with Enter: a reference number finds its incident alone.
    const ref = (await rows.first().locator('td:nth-child(2)').textContent())!;
    await p.getByLabel('キーワード').fill(ref.toLowerCase());
    await p.keyboard.press('Enter');
    await expect.poll(() => rows.locator('td:nth-child(2)').allTextContents()).toEqual([ref]);
    expect(new URL(p.url()).searchParams.get('q')).toBe(ref.toLowerCase());
    await p.getByRole('button', { name: '条件をクリア' }).click();
    // Cleared: back to the default, its own organisation's records.
    await expect.poll(() => rows.count()).toBe(own.length);
    expect(await p.getByLabel(/^組織/).inputValue()).toBe('true');
    expect(await p.getByLabel('キーワード').inputValue()).toBe('');

    // Time to a visible list: a full page load, and a move inside the app.
    let start = Date.now();
    await p.goto(`${kyoyu.url}/incidents`);
    await rows.first().waitFor();
    timings.push(`incident list visible ${Date.now() - start} ms after a page load`);
    await p.getByRole('link', { name: '統計' }).click();
    await p.locator('#stats-channels').waitFor();
    start = Date.now();
    await p.getByRole('link', { name: 'インシデント', exact: true }).click();
    await rows.first().waitFor();
    timings.push(`${Date.now() - start} ms after an in-app navigation`);
  });

  it('an incident page shows its stage reports as a timeline', async () => {
    const p = page();
    const operator = account('operator');
    const incident = await incidentWith(
      'stage=final',
      (i) => i.organization === operator.organization && i.reports.length >= 2,
    );
    await p.goto(`${kyoyu.url}/incidents/${incident.id}`);
    const items = p.locator('ol.timeline > li');
    await items.first().waitFor();
    const stages = await Promise.all((await items.all()).map((li) => li.getAttribute('data-stage')));
    expect(stages).toEqual(incident.reports.map((r) => r.stage ?? 'none'));
    expect(await p.getByRole('heading', { name: '報告の経過' }).count()).toBe(1);
    expect(await p.locator('ol.timeline h3').first().textContent()).toContain('第一報');
    expect(await p.getByRole('columnheader', { name: '事業者の分類' }).count()).toBe(1);
    // Dates in Tokyo time although this browser runs in UTC; 和暦 on request.
    const first = p.locator('ol.timeline time').first();
    expect(await first.getAttribute('datetime')).toBe(incident.reports[0]!.received_at);
    await p.getByLabel('和暦で表示').check();
    await expect.poll(() => first.textContent()).toMatch(/^令和\d+年\d+月\d+日 \d\d:\d\d$/);
    await expectAccessible('incident');
    await p.getByLabel('和暦で表示').uncheck();
  });

  it('the statistics page shows exactly the published FY2023 table, and switches to English', async () => {
    const p = page();
    await p.getByRole('link', { name: '統計' }).click();
    await p.getByLabel('年度').selectOption('2023');
    await expect.poll(() => p.getByRole('heading', { level: 1 }).textContent()).toContain('2023年度');
    await p.locator('#stats-channels').waitFor();
    for (const table of ['channels', 'events', 'causes', 'attack_types'] as const) {
      const shown: Array<[string, string[]]> = [];
      for (const tr of await p.locator(`#stats-${table} tbody tr`).all()) {
        shown.push([(await tr.getAttribute('data-code')) ?? '', await tr.locator('td').allTextContents()]);
      }
      const expected = Object.entries(published[table]).map(([code, values]) => [code, values.map(String)]);
      expect(shown, `table ${table}`).toEqual(expected);
    }
    expect(await p.locator('#stats-channels thead').textContent()).toContain('第1四半期');
    expect(await p.locator('#stats-causes tbody th[scope=rowgroup]').allTextContents()).toEqual([
      '意図的な原因',
      '偶発的な原因',
      '環境的な原因',
      'その他の原因',
    ]);
    expect(await p.getByRole('link', { name: 'XLSX' }).getAttribute('href')).toContain('fy=2023');
    await expectAccessible('statistics');

    await p.getByRole('button', { name: 'English' }).click();
    await expect
      .poll(() => p.getByRole('heading', { level: 1 }).textContent())
      .toBe('Information sharing counts in critical infrastructure (FY2023)');
    expect(await p.locator('#stats-channels caption').textContent()).toBe('Sharing channels');
    expect(await p.locator('html').getAttribute('lang')).toBe('en');
    expect(await p.locator('#stats-channels tbody th').first().textContent()).toBe(
      'Reports from CI operators to National Cybersecurity Office',
    );
    await screenshot(p, 'statistics-en');
    // The choice survives a reload; then back to Japanese.
    await p.reload();
    await expect.poll(() => p.getByRole('heading', { level: 1 }).textContent()).toContain('FY2023');
    await p.getByRole('button', { name: '日本語' }).click();
    await expect.poll(() => p.getByRole('heading', { level: 1 }).textContent()).toContain('2023年度');

    // Signed in as an operator: the running quarter is the center's, its cells say so (never 0),
    // and there is no button to close or reopen a quarter.
    const running = new FiscalCalendar({ timeZone: 'Asia/Tokyo', fiscalYearStartMonth: 4 }).periodOf(
      new Date(),
    );
    await p.getByLabel('年度').selectOption(String(running.fiscalYear));
    await expect
      .poll(() => p.locator(`.period-list li[data-quarter="${running.quarter}"]`).getAttribute('data-state'))
      .toBe('open');
    const cells = await p
      .locator('#stats-channels tbody tr[data-code="operator_report"] td')
      .allTextContents();
    expect(cells.slice(-5)[running.quarter - 1]).toBe('未確定');
    expect(cells.at(-1)).toBe('未確定');
    expect(await p.locator('.periods button').count()).toBe(0);
    await expectAccessible('statistics-open-quarter');

    await p.getByRole('button', { name: 'ログアウト' }).click();
    await expect.poll(() => p.getByRole('heading', { level: 1 }).textContent()).toBe('ログイン');
  });

  it('the center analyst signs in with the TOTP code and sees both classifications side by side', async () => {
    const p = page();
    const analyst = account('center_analyst');
    // With the keyboard alone: Tab to the email field, type, Enter; the code field then has the focus.
    for (let i = 0; i < 12 && (await p.locator('input[name=email]:focus').count()) === 0; i++) {
      await p.keyboard.press('Tab');
    }
    await p.keyboard.type(analyst.email);
    await p.keyboard.press('Tab');
    await p.keyboard.type(analyst.password);
    await p.keyboard.press('Enter');
    await expect.poll(() => p.getByRole('heading', { level: 1 }).textContent()).toBe('二要素認証');
    await screenshot(p, 'sign-in-code');
    expect(await p.locator('input[name=code]:focus').count()).toBe(1);
    await p.keyboard.type(totpCode(analyst.totpSecret!, totpStep(Date.now())));
    await p.keyboard.press('Enter');
    // The center lands on the dashboard: the quarter at a glance.
    await p.locator('#glance tbody tr').first().waitFor();
    expect(new URL(p.url()).pathname).toBe('/dashboard');
    expect(await p.getByTestId('current-user').textContent()).toContain('センター分析担当');

    // The center classifies an FY2024 incident (the FY2023 figures stay as published).
    const incident = await incidentWith(
      'fy=2024&channel=operator_report&stage=final',
      (i) => i.reports.length >= 2,
    );
    const headers = { authorization: `Bearer ${analyst.token}` };
    const etag = (await kyoyu.app.inject({ url: `/api/v1/incidents/${incident.id}`, headers })).headers.etag;
    const classified = await kyoyu.app.inject({
      method: 'PUT',
      url: `/api/v1/incidents/${incident.id}/classification`,
      headers: { ...headers, 'if-match': String(etag) },
      payload: {
        event: 'leading.malware_infection',
        causes: ['intentional.suspicious_email'],
        attack_type: 'malware_other',
      },
    });
    expect(classified.statusCode, classified.body).toBe(200);
    classifiedId = incident.id;
    await p.goto(`${kyoyu.url}/incidents/${incident.id}`);
    await p.locator('table.compare').waitFor();
    const event = await p.locator('table.compare tbody tr').first().locator('td').allTextContents();
    expect(event).toHaveLength(2);
    expect(event[0]).not.toBe('未分類');
    expect(event[1]).toBe('マルウェア等の感染');
    expect(await p.getByText('統計にはセンターの分類が計上されます').count()).toBe(1);
    await screenshot(p, 'incident-center');
  });

  it('a new center analyst sets up the authenticator app at the first sign-in', async () => {
    const p = page();
    await p.getByRole('button', { name: 'ログアウト' }).click();
    const email = 'new-analyst@demo.kyoyu.example';
    const { id } = await kyoyu.ctx.services.accounts.createUser({
      email,
      organization: '国家サイバー統括室',
      role: 'center_analyst',
    });
    await kyoyu.ctx.services.sessions.setPassword(id, 'a long enough password');
    await p.getByLabel('メールアドレス').fill(email);
    await p.getByLabel('パスワード').fill('a long enough password');
    await p.getByRole('button', { name: 'ログイン', exact: true }).click();
    // The password again before a second factor is set up (re-authentication).
    await p.getByLabel('現在のパスワード（ご本人確認のため）').fill('a long enough password');
    await p.getByRole('button', { name: '設定を始める' }).click();
    const secret = (await p.locator('dl.secret code').first().textContent()) ?? '';
    expect(await p.locator('dl.secret code').nth(1).textContent()).toMatch(/^otpauth:\/\/totp\//);
    await expectAccessible('totp-setup');
    await p.getByLabel('確認コード（6桁）').fill(totpCode(secret, totpStep(Date.now())));
    await p.getByRole('button', { name: '設定を完了する' }).click();
    await p.locator('#glance tbody tr').first().waitFor();
    expect(await p.getByTestId('current-user').textContent()).toContain(email);
  });

  it('an admin sees the audit trail of an incident', async () => {
    const p = page();
    await p.getByRole('button', { name: 'ログアウト' }).click();
    const admin = account('admin');
    await p.getByLabel('メールアドレス').fill(admin.email);
    await p.getByLabel('パスワード').fill(admin.password);
    await p.getByRole('button', { name: 'ログイン', exact: true }).click();
    await p.getByLabel('確認コード（6桁）').fill(totpCode(admin.totpSecret!, totpStep(Date.now())));
    await p.getByRole('button', { name: '確認する' }).click();
    await p.getByTestId('current-user').waitFor();
    await p.goto(`${kyoyu.url}/incidents/${classifiedId}`);
    const entries = p.locator('table.audit tbody tr');
    await entries.first().waitFor();
    const actions = await Promise.all((await entries.all()).map((tr) => tr.getAttribute('data-action')));
    expect(actions).toContain('incident.classify');
    // One page view, one read of the incident: the page fetches it once. (The conversation below
    // it is read, and recorded, at the same time as this trail: it may or may not be listed yet.)
    const actors = await entries.locator('td:nth-child(3)').allTextContents();
    const own = actions.filter((_, i) => actors[i] === admin.email);
    expect(own.filter((a) => a === 'incident.read')).toHaveLength(1);
    // Beside it, what the page reads with it: the conversation, the indicators and their suggestions.
    const alongside = new Set<string | null>([
      'incident.read',
      'conversation.read',
      'incident.indicators_read',
    ]);
    expect(own.filter((a) => !alongside.has(a))).toEqual([]);
    await expectAccessible('incident-audit');
    expect(browser.problems).toEqual([]);
  });
});
