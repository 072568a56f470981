import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

interface IncidentView {
  id: number;
  ref: string;
  fiscal_year: number;
  fiscal_quarter: number;
  organization: string | null;
  tlp: string;
  title: string;
  reports: Array<{
    stage: string | null;
    received_at_as_sent: string;
    description: string;
    classification: { event: string; causes: string[] };
  }>;
}

interface Stats {
  columns: string[];
  tables: Record<string, Record<string, number[]>>;
}

const available = chromiumAvailable();
const number = (text: string | null) => Number((text ?? '').replace(/[^\d-]/g, ''));

/** Presses Tab until the focused element matches the selector (the keyboard alone, as a user would). */
async function tabTo(p: Page, selector: string, max = 120): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await p.evaluate<boolean>(`document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`))
      return;
    await p.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

const focused = (p: Page) => p.evaluate<string | null>('document.activeElement?.value ?? null');

describe.runIf(available)('reporting and administration in headless Chromium', () => {
  let kyoyu: Kyoyu;
  let browser: Browser;
  const timings: string[] = [];
  const otherEmail = 'other-operator@other.kyoyu.example';
  const otherPassword = 'another long enough password';
  /** The user the admin creates, and the temporary password it gets. */
  const newEmail = 'new-operator@demo.kyoyu.example';
  let temporary = '';
  let incidentId = 0;
  /** The running fiscal year's statistics before anything is filed here. */
  let before: Stats;
  const quarterNow = () => kyoyu.ctx.services.calendar.periodOf(Date.now());
  /** The Idempotency-Key of every report the page sent. */
  const keys: string[] = [];
  const account = (role: string) => kyoyu.accounts.find((a) => a.role === role)!;
  const page = () => browser.page;

  async function incident(id: number): Promise<IncidentView> {
    const headers = { authorization: `Bearer ${account('center_analyst').token}` };
    return (await kyoyu.app.inject({ url: `/api/v1/incidents/${id}`, headers })).json<IncidentView>();
  }

  async function stats(fy: number): Promise<Stats> {
    const headers = { authorization: `Bearer ${account('center_analyst').token}` };
    const url = `/api/v1/stats/info-sharing?fy=${fy}&history=4`;
    return (await kyoyu.app.inject({ url, headers })).json<Stats>();
  }

  async function expectAccessible(name: string) {
    expect(await seriousViolations(page()), `axe on ${name}`).toEqual([]);
    await screenshot(page(), name);
  }

  async function signIn(email: string, password: string, totpSecret?: string) {
    const p = page();
    await p.goto(`${kyoyu.url}/`);
    await p.getByLabel('メールアドレス').fill(email);
    await p.getByLabel('パスワード').fill(password);
    await p.getByRole('button', { name: 'ログイン', exact: true }).click();
    if (totpSecret) {
      await p.getByLabel('確認コード（6桁）').fill(totpCode(totpSecret, totpStep(Date.now())));
      await p.getByRole('button', { name: '確認する' }).click();
    }
    await p.getByTestId('current-user').waitFor();
  }

  async function signOut() {
    await page().getByRole('button', { name: 'ログアウト' }).click();
    await expect.poll(() => page().getByRole('heading', { level: 1 }).textContent()).toBe('ログイン');
  }

  beforeAll(async () => {
    const started = Date.now();
    ensureWebBuilt();
    [kyoyu, browser] = await Promise.all([startKyoyu(), launchBrowser()]);
    const { id } = await kyoyu.ctx.services.accounts.createUser({
      email: otherEmail,
      organization: '別組織水道株式会社',
      role: 'operator',
    });
    await kyoyu.ctx.services.sessions.setPassword(id, otherPassword);
    before = await stats(quarterNow().fiscalYear);
    timings.push(`kyoyu with the demo and Chromium up after ${Date.now() - started} ms`);
    browser.page.on('request', (request) => {
      if (request.method() === 'POST' && /\/api\/v1\/incidents(\/\d+\/reports)?$/.test(request.url())) {
        keys.push(request.headers()['idempotency-key'] ?? '(none)');
      }
    });
  });

  afterAll(async () => {
    await browser?.close();
    await kyoyu?.close();
    process.stdout.write(`\n[kyoyu] report browser timings: ${timings.join('; ')}\n`);
  });

  it('an operator files an initial report with the keyboard alone; the draft survives a reload', async () => {
    const p = page();
    const operator = account('operator');
    await signIn(operator.email, operator.password);
    await p.getByRole('link', { name: '報告する' }).click();
    await expect
      .poll(() => p.getByRole('heading', { level: 1 }).textContent())
      .toBe('インシデントの報告（第一報）');
    await p.locator('form.report-form').waitFor();
    await expectAccessible('report-form');
    // In English: the form and the taxonomy's own English labels.
    await p.getByRole('button', { name: 'English' }).click();
    await expect
      .poll(() => p.getByRole('heading', { level: 1 }).textContent())
      .toBe('Report an incident (initial report)');
    expect(await p.locator('#report-causes-group legend').allTextContents()).toContain('Intentional causes');
    expect(await p.locator('#report-tlp-group').textContent()).toContain('the sector desks of its sector');
    await screenshot(p, 'report-form-en');
    await p.getByRole('button', { name: '日本語' }).click();
    await expect
      .poll(() => p.getByRole('heading', { level: 1 }).textContent())
      .toBe('インシデントの報告（第一報）');

    // Submitting the empty form: the errors are listed and the focus moves to the first one.
    await tabTo(p, 'button[type=submit]');
    await p.keyboard.press('Enter');
    await p.locator('.error-summary').waitFor();
    expect(await p.locator('#report-sector:focus').count()).toBe(1);
    expect(await p.locator('#report-title').getAttribute('aria-invalid')).toBe('true');
    expect(await p.locator('#report-title-error').textContent()).toBe('入力してください。');
    expect(await p.locator('#report-causes-group-error').textContent()).toBe('一つ以上選択してください。');
    await screenshot(p, 'report-form-errors');

    // The received time is now, in Tokyo time (this browser runs in UTC).
    const received = await p.locator('#report-received_at').inputValue();
    expect(received).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d$/);
    expect(Math.abs(Date.now() - Date.parse(`${received}:00+09:00`))).toBeLessThan(3 * 60_000);

    // Sector: a select, moved with the arrow keys.
    await p.keyboard.press('ArrowDown');
    expect(await p.locator('#report-sector').inputValue()).not.toBe('');
    await p.keyboard.press('Tab');
    expect(await p.locator('#report-title:focus').count()).toBe(1);
    const title = `キーボードだけで報告したインシデント ${Date.now()}`;
    await p.keyboard.type(title);
    expect(await p.locator('#report-title').getAttribute('aria-invalid')).toBeNull();
    await p.keyboard.press('Tab');
    await p.keyboard.type('制御系ネットワークで不審な通信を検知しました。');
    await p.keyboard.press('Enter');
    await p.keyboard.type('影響を調査中です。');

    // A reload in the middle: the draft is back.
    await p.reload();
    await p.locator('form.report-form').waitFor();
    expect(await p.locator('#report-title').inputValue()).toBe(title);
    expect(await p.locator('#report-description').inputValue()).toBe(
      '制御系ネットワークで不審な通信を検知しました。\n影響を調査中です。',
    );
    expect(await p.getByText('保存されていた下書きを復元しました。').count()).toBe(1);

    // Validation as you type: too long a title, then right again.
    await p.locator('#report-title').focus();
    await p.keyboard.press('End');
    await p.keyboard.insertText('あ'.repeat(500));
    await expect
      .poll(() => p.locator('#report-title-error').textContent())
      .toBe('500 文字以内で入力してください。');
    await p.locator('#report-title').fill(title);
    await expect.poll(() => p.locator('#report-title-error').textContent()).toBe('');

    // Event: the radio group (Tab in, arrows to choose); causes: checkboxes with Space.
    await p.keyboard.press('Tab');
    await tabTo(p, 'input[name=event]');
    await p.keyboard.press('Space');
    await p.keyboard.press('ArrowDown');
    await p.keyboard.press('ArrowDown');
    await p.keyboard.press('ArrowDown');
    expect(await focused(p)).toBe('availability.disruption');
    await p.keyboard.press('Tab');
    await tabTo(p, 'input[value="intentional.ddos"]');
    await p.keyboard.press('Space');
    await tabTo(p, 'input[value="accidental.vulnerability"]');
    await p.keyboard.press('Space');
    await tabTo(p, '#report-attack_type');
    await p.keyboard.press('ArrowDown');
    await p.keyboard.press('ArrowDown');
    expect(await p.locator('#report-attack_type').inputValue()).not.toBe('');
    // TLP: AMBER by default, with what it means.
    await tabTo(p, 'input[name=tlp]');
    expect(await focused(p)).toBe('AMBER');
    expect(await p.locator('#report-tlp-group').textContent()).toContain('所管省庁');
    await p.keyboard.press('ArrowDown');
    expect(await focused(p)).toBe('AMBER+STRICT');
    await p.keyboard.press('ArrowUp');
    expect(await p.locator('input[name=tlp]:checked').inputValue()).toBe('AMBER');
    await expectAccessible('report-form-filled');

    await tabTo(p, 'button[type=submit]');
    const start = Date.now();
    await p.keyboard.press('Enter');
    await expect.poll(() => p.getByRole('heading', { level: 1 }).textContent()).toBe('報告を受け付けました');
    timings.push(`initial report confirmed ${Date.now() - start} ms after Enter`);
    const ref = await p.getByTestId('report-ref').textContent();
    expect(ref).toMatch(/^KY-\d{4}-/);
    expect(await p.locator('h1:focus').count()).toBe(1);
    expect(
      await p.evaluate<string[]>(
        `Object.keys(localStorage).filter((k) => k.startsWith('kyoyu.report-draft'))`,
      ),
    ).toEqual([]);
    await screenshot(p, 'report-confirmation');

    const href = await p.getByRole('link', { name: 'インシデントを表示する' }).getAttribute('href');
    incidentId = Number(/\/incidents\/(\d+)$/.exec(href ?? '')?.[1]);
    const stored = await incident(incidentId);
    expect(stored.ref).toBe(ref);
    expect(stored.title).toBe(title);
    expect(stored.organization).toBe(operator.organization);
    expect(stored.tlp).toBe('AMBER');
    expect(stored.reports.map((r) => r.stage)).toEqual(['initial']);
    // Sent as typed, in Tokyo time with its offset.
    expect(stored.reports[0]!.received_at_as_sent).toBe(`${received}:00+09:00`);
    expect(stored.reports[0]!.classification.causes).toEqual([
      'intentional.ddos',
      'accidental.vulnerability',
    ]);
  });

  it('the operator adds an update and the final report (a double click files once)', async () => {
    const p = page();
    await p.getByRole('link', { name: 'インシデントを表示する' }).click();
    await p.locator('ol.timeline > li').first().waitFor();
    await p.getByRole('link', { name: '続報・最終報を報告する' }).click();
    await expect.poll(() => p.getByRole('heading', { level: 1 }).textContent()).toBe('続報・最終報の報告');
    // The reporter's classification so far is the starting point.
    expect(await p.locator('input[name=event]:checked').inputValue()).toBe('availability.disruption');
    expect(await p.locator('input[name=stage]:checked').inputValue()).toBe('update');
    await p.locator('#report-description').fill('続報: 原因はDDoS攻撃と判明しました。');
    await expectAccessible('report-stage-form');
    // The server's 400 details land next to their fields (an answer made up here, once).
    await p.route(
      '**/api/v1/incidents/*/reports',
      (route) =>
        route.fulfill({
          status: 400,
          contentType: 'application/json',
          body: JSON.stringify({
            error: {
              code: 'validation_failed',
              message: 'invalid',
              details: [{ field: 'body.description', code: 'control_character', message: 'control' }],
            },
            request_id: 'test',
          }),
        }),
      { times: 1 },
    );
    await p.getByRole('button', { name: '報告を送信する' }).click();
    await expect
      .poll(() => p.locator('#report-description-error').textContent())
      .toBe('使用できない制御文字が含まれています。');
    expect(await p.locator('#report-description').getAttribute('aria-invalid')).toBe('true');
    expect(await p.locator('.error-summary').textContent()).toContain('概要');
    await screenshot(p, 'report-server-errors');
    expect(browser.problems.splice(0).every((m) => m.includes('status of 400'))).toBe(true);
    await p.locator('#report-description').fill('続報: 原因はDDoS攻撃と判明しました。影響は限定的です。');
    expect(await p.locator('#report-description-error').textContent()).toBe('');
    await p.getByRole('button', { name: '報告を送信する' }).click();
    await expect.poll(() => p.getByRole('heading', { level: 1 }).textContent()).toBe('報告を追加しました');

    await p.getByRole('button', { name: '続報・最終報を追加する' }).click();
    await p.locator('form.report-form').waitFor();
    await p.getByLabel('最終報：対応が完了したときの報告').check();
    await p.locator('#report-description').fill('最終報: 対策を完了しました。');
    await p.getByRole('button', { name: '報告を送信する' }).dblclick();
    await expect.poll(() => p.getByRole('heading', { level: 1 }).textContent()).toBe('報告を追加しました');
    expect(await p.getByText('他の利用者が先に更新しました').count()).toBe(0);

    const stored = await incident(incidentId);
    expect(stored.reports.map((r) => r.stage)).toEqual(['initial', 'update', 'final']);
    // One random key per submission (the double click sent one request, or the same one twice).
    expect(keys.length).toBeGreaterThanOrEqual(3);
    for (const key of keys)
      expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(keys).size).toBe(4);
    await p.getByRole('link', { name: 'インシデントを表示する' }).click();
    await expect.poll(() => p.locator('ol.timeline > li').count()).toBe(3);
    await screenshot(p, 'report-timeline');
  });

  it('an operator of another organisation cannot open it', async () => {
    const p = page();
    await signOut();
    await signIn(otherEmail, otherPassword);
    await p.goto(`${kyoyu.url}/incidents/${incidentId}`);
    await expect.poll(() => p.getByRole('alert').textContent()).toContain('見つかりません');
    expect(await p.getByText('続報・最終報を報告する').count()).toBe(0);
    await p.goto(`${kyoyu.url}/incidents/${incidentId}/report`);
    await expect.poll(() => p.getByRole('alert').textContent()).toContain('見つかりません');
    expect(await p.locator('form.report-form').count()).toBe(0);
    await screenshot(p, 'report-other-organisation');
    // The two 404 answers above are the point; nothing else went wrong.
    expect(browser.problems.every((m) => m.includes('status of 404'))).toBe(true);
    browser.problems.length = 0;
    await signOut();
  });

  it('the center classifies it; the statistics page and the dashboard count it', async () => {
    const p = page();
    const filed = await incident(incidentId);
    const { fiscal_year: fy, fiscal_quarter: q } = filed;
    expect({ fy, q }).toEqual({ fy: quarterNow().fiscalYear, q: quarterNow().quarter });
    const reporterEvent = filed.reports.at(-1)!.classification.event;
    const analyst = account('center_analyst');
    await signIn(analyst.email, analyst.password, analyst.totpSecret);
    await p.getByRole('link', { name: '分類', exact: true }).click();
    await p.locator(`#queue-item-${incidentId}`).click();
    await p.locator('#classify-form').waitFor();
    expect(await p.locator('#incident-heading').textContent()).toBe(filed.title);
    // By keyboard: event, causes and attack type in the command field, then save.
    const headers = { authorization: `Bearer ${analyst.token}` };
    const taxonomy = (await kyoyu.app.inject({ url: '/api/v1/taxonomy', headers })).json<{
      events: Array<{ code: string }>;
    }>();
    const event = taxonomy.events.map((e) => e.code).find((code) => code !== reporterEvent)!;
    const eventNo = taxonomy.events.findIndex((e) => e.code === event) + 1;
    await p.keyboard.press('/');
    await p.keyboard.type(`e${eventNo} c1 a0`);
    await p.keyboard.press('Enter');
    await p.keyboard.press('Escape');
    await p.keyboard.press('s');
    await expect.poll(() => p.locator('p.status-ok').textContent()).toContain(filed.ref);
    expect((await incident(incidentId)) as unknown).toMatchObject({ center_classification: { event } });

    // The statistics page: one more operator report in the quarter, under the center's event.
    const column = before.columns.indexOf(`FY${fy}Q${q}`);
    const cell = (table: string, code: string) =>
      p.locator(`#stats-${table} tbody tr[data-code="${code}"] td`).nth(column);
    await p.goto(`${kyoyu.url}/statistics?fy=${fy}`);
    await cell('channels', 'operator_report').waitFor();
    expect(number(await cell('channels', 'operator_report').textContent())).toBe(
      before.tables.channels!.operator_report![column]! + 1,
    );
    expect(number(await cell('events', event).textContent())).toBe(
      before.tables.events![event]![column]! + 1,
    );
    expect(number(await cell('events', reporterEvent).textContent())).toBe(
      before.tables.events![reporterEvent]![column]!,
    );
    // The dashboard's quarter at a glance (the running year's running quarter).
    await p.getByRole('link', { name: 'ダッシュボード' }).click();
    const glance = p.locator('#glance tbody tr[data-code="operator_report"] td.quarter');
    await glance.waitFor();
    expect(number(await glance.textContent())).toBe(before.tables.channels!.operator_report![column]! + 1);
    await screenshot(p, 'report-classified-dashboard');
    await signOut();
  });

  it('the admin creates a user and resets its password (seen once) but issues no token for it', async () => {
    const p = page();
    const admin = account('admin');
    await signIn(admin.email, admin.password, admin.totpSecret);
    await p.getByRole('link', { name: '管理', exact: true }).click();
    await expect.poll(() => p.getByRole('heading', { level: 1 }).textContent()).toBe('管理');
    await p.locator('table.admin-users tbody tr').first().waitFor();
    expect(await p.locator('table.admin-users tbody tr').count()).toBe(kyoyu.accounts.length + 1);
    expect(await p.locator('table.admin-organizations').textContent()).toContain('別組織水道株式会社');
    await expectAccessible('admin');

    const email = newEmail;
    const create = p.locator('form.admin-form');
    await create.getByLabel('メールアドレス').fill(email);
    await create.getByLabel('組織', { exact: true }).fill(account('operator').organization);
    await create.getByLabel('役割').selectOption('operator');
    await create.getByRole('button', { name: 'ユーザーを作成する' }).click();
    await expect
      .poll(() => p.locator('form.admin-form .done').textContent())
      .toContain(`${email} を作成しました`);
    await expect.poll(() => p.locator(`table.admin-users tr[data-email="${email}"]`).count()).toBe(1);

    await p.locator('form.admin-form .done a').click();
    await expect.poll(() => p.getByRole('heading', { level: 1 }).textContent()).toBe(`ユーザー: ${email}`);

    // The temporary password, shown once, signs in (to a session that must change it first).
    await p.getByRole('button', { name: 'パスワードをリセットする' }).click();
    await p.getByRole('button', { name: '実行する' }).click();
    temporary = (await p.getByTestId('temporary-password').textContent()) ?? '';
    expect(temporary.length).toBeGreaterThanOrEqual(12);
    const login = await kyoyu.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: temporary },
    });
    expect(login.statusCode, login.body).toBe(200);
    expect(login.json<{ password_change_required: boolean }>().password_change_required).toBe(true);

    // Admins administer accounts, not content: no token is issued here for someone else.
    expect(await p.getByRole('button', { name: 'トークンを発行する' }).count()).toBe(0);
    expect(await p.getByText('トークンはありません。').count()).toBe(1);
    await expectAccessible('admin-user');
    await p.reload();
    await p.getByTestId('user-state').waitFor();
    expect(await p.getByTestId('temporary-password').count()).toBe(0);

    // Five wrong passwords lock the account; the admin lifts the lockout.
    for (let i = 0; i < 5; i++) {
      await kyoyu.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email, password: 'not the password at all' },
      });
    }
    await p.reload();
    await expect.poll(() => p.getByTestId('user-state').textContent()).toBe('ロック中');
    await p.getByRole('button', { name: 'ロックを解除する' }).click();
    await expect.poll(() => p.getByTestId('user-state').textContent()).toBe('有効');
    expect(await p.getByText('ロックを解除しました。').count()).toBe(1);

    // Disable and enable again.
    await p.getByRole('button', { name: '無効にする' }).click();
    await p.getByRole('button', { name: '実行する' }).click();
    await expect.poll(() => p.getByTestId('user-state').textContent()).toBe('無効');
    await p.getByRole('button', { name: '有効にする' }).click();
    await expect.poll(() => p.getByTestId('user-state').textContent()).toBe('有効');
    await screenshot(p, 'admin-user-after');

    // The center analyst's second factor is reset: set up again at the next sign-in.
    const analyst = account('center_analyst');
    await p.getByRole('link', { name: '管理', exact: true }).click();
    await p.getByRole('link', { name: `${analyst.email} を管理` }).click();
    await expect
      .poll(() => p.getByRole('heading', { level: 1 }).textContent())
      .toBe(`ユーザー: ${analyst.email}`);
    await p.getByRole('button', { name: '二要素認証をリセットする' }).click();
    await p.getByRole('button', { name: '実行する' }).click();
    // A center analyst's reset is a request: it waits for a second admin.
    await p.getByTestId('waiting-second-admin').waitFor();
    expect(
      await p.locator('.summary div').filter({ hasText: '二要素認証' }).locator('dd').textContent(),
    ).toBe('設定済み');

    // The center's side (here the admin) reports for an operator: the organisation is asked for.
    await p.getByRole('link', { name: '報告する' }).click();
    await p.locator('form.report-form').waitFor();
    await p.getByRole('button', { name: '報告を送信する' }).click();
    await expect.poll(() => p.locator('#report-organization-error').textContent()).toBe('入力してください。');
    await p.locator('#report-organization').fill('別組織水道株式会社');
    await p.locator('#report-sector').selectOption('water');
    await p.locator('#report-title').fill('センターが代わりに登録した報告');
    await p.getByLabel('予兆・ヒヤリハット').check();
    await p.getByLabel('不明').check();
    await p.getByRole('button', { name: '報告を送信する' }).click();
    await expect.poll(() => p.getByRole('heading', { level: 1 }).textContent()).toBe('報告を受け付けました');
    const href = await p.getByRole('link', { name: 'インシデントを表示する' }).getAttribute('href');
    const filed = await incident(Number(/(\d+)$/.exec(href ?? '')?.[1]));
    expect(filed.organization).toBe('別組織水道株式会社');
    expect(filed.reports[0]!.classification).toEqual({
      event: 'not_occurred.precursor',
      causes: ['other.unknown'],
      attack_type: null,
    });
  });

  it('a second admin approves the reset; the requester could only wait', async () => {
    const p = page();
    await p.getByRole('link', { name: '管理', exact: true }).click();
    await p.getByRole('link', { name: '承認待ち' }).click();
    await expect
      .poll(() => p.getByRole('heading', { level: 1 }).textContent())
      .toBe('別の管理者の承認が必要な申請');
    await p.getByTestId('own-request').waitFor();
    expect(await p.getByRole('button', { name: '承認', exact: true }).count()).toBe(0);
    await signOut();

    const second = kyoyu.accounts.filter((a) => a.role === 'admin')[1]!;
    await signIn(second.email, second.password, second.totpSecret);
    await p.goto(`${kyoyu.url}/admin/approvals`);
    const row = p.locator('table.admin-approvals tbody tr').first();
    await row.waitFor();
    expect(await row.textContent()).toContain('二要素認証のリセット');
    await expectAccessible('admin-approvals');
    await row.getByRole('button', { name: '承認', exact: true }).click();
    await expect.poll(() => row.textContent()).toContain('承認済み');
    const analyst = await kyoyu.ctx.services.database.db
      .selectFrom('users')
      .select('totp_enabled_at')
      .where('email', '=', account('center_analyst').email)
      .executeTakeFirstOrThrow();
    expect(analyst.totp_enabled_at).toBeNull();
    await signOut();
  });

  it('the new user must change the temporary password, then issues, sees once and revokes its own token', async () => {
    const p = page();
    await p.goto(`${kyoyu.url}/`);
    await p.getByLabel('メールアドレス').fill(newEmail);
    await p.getByLabel('パスワード').fill(temporary);
    await p.getByRole('button', { name: 'ログイン', exact: true }).click();
    await expect
      .poll(() => p.getByRole('heading', { level: 1 }).textContent())
      .toBe('新しいパスワードの設定');
    await expectAccessible('forced-password-change');
    const own = 'the new operator own passphrase';
    await p.getByLabel('現在のパスワード').fill(temporary);
    await p.getByLabel('新しいパスワード（12文字以上）').fill(own);
    await p.getByLabel('新しいパスワード（確認）').fill(own);
    await p.getByRole('button', { name: 'パスワードを変更' }).click();
    // Two scrypt runs (the current password, the new one's hash): longer than the default second.
    await expect
      .poll(() => p.getByRole('heading', { level: 1 }).textContent(), { timeout: 15_000 })
      .toBe('ログイン');
    expect(await p.getByRole('status').textContent()).toContain('パスワードを変更しました');
    await signIn(newEmail, own);

    await p.getByRole('link', { name: 'アカウント' }).click();
    await expect.poll(() => p.getByRole('heading', { level: 1 }).textContent()).toBe('アカウント');
    // A read-only token for 30 days, shown once; it works, then it is revoked.
    await p.getByRole('checkbox', { name: 'write（報告）' }).uncheck();
    await p.getByLabel('ラベル').fill('監視スクリプト');
    await p.getByLabel('有効日数').fill('30');
    await p.getByRole('button', { name: 'トークンを発行する' }).click();
    const token = (await p.getByTestId('issued-token').textContent()) ?? '';
    expect(token).toMatch(/^kyo_/);
    const me = await kyoyu.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    expect(me.statusCode, me.body).toBe(200);
    const row = p.locator('table.admin-tokens tbody tr').first();
    await row.waitFor();
    expect(await row.locator('td').first().textContent()).toBe('read');
    await expectAccessible('account');

    await p.reload();
    await row.waitFor();
    expect(await p.getByTestId('issued-token').count()).toBe(0);
    expect(await p.locator('body').textContent()).not.toContain(token);
    await p.getByRole('button', { name: 'トークン「監視スクリプト」を失効させる' }).click();
    expect(await p.locator('button:focus').textContent()).toBe('実行する');
    await p.keyboard.press('Enter');
    await expect.poll(() => row.textContent()).toContain('失効済み');
    const after = await kyoyu.app.inject({
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(after.statusCode).toBe(401);
  });

  it('left no console errors', () => {
    expect(browser.problems).toEqual([]);
  });
});
