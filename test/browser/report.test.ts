import { beforeAll, describe, expect, it } from 'vitest';
import type { InfoSharingAnswer } from '../../src/modules/stats/stats.schema.js';
import type { Browser, Kyoyu } from './support.js';
import { chromiumAvailable, screenshot } from './support.js';
import { browserStory, focused, number, tabTo } from './story.js';

describe.runIf(chromiumAvailable())('reporting in headless Chromium', () => {
  const story = browserStory('report');
  const {
    account,
    page,
    incident,
    stats,
    expectAccessible,
    signIn,
    signOut,
    timings,
    otherEmail,
    otherPassword,
  } = story;
  let kyoyu: Kyoyu;
  let browser: Browser;
  let incidentId = 0;
  /** The running fiscal year's statistics before anything is filed here. */
  let before: InfoSharingAnswer;
  const quarterNow = () => kyoyu.ctx.services.calendar.periodOf(Date.now());
  /** The Idempotency-Key of every report the page sent. */
  const keys: string[] = [];

  beforeAll(async () => {
    ({ kyoyu, browser } = story);
    before = await stats(quarterNow().fiscalYear);
    browser.page.on('request', (request) => {
      if (request.method() === 'POST' && /\/api\/v1\/incidents(\/\d+\/reports)?$/.test(request.url())) {
        keys.push(request.headers()['idempotency-key'] ?? '(none)');
      }
    });
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
    // The sector is the organisation's one (preselected, not a control): the title comes first.
    expect(await p.locator('#report-title:focus').count()).toBe(1);
    expect(await p.locator('#report-title').getAttribute('aria-invalid')).toBe('true');
    expect(await p.locator('#report-title-error').textContent()).toBe('入力してください。');
    expect(await p.locator('#report-causes-group-error').textContent()).toBe('一つ以上選択してください。');
    await screenshot(p, 'report-form-errors');

    // The received time is now, in Tokyo time (this browser runs in UTC).
    const received = await p.locator('#report-received_at').inputValue();
    expect(received).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d$/);
    expect(Math.abs(Date.now() - Date.parse(`${received}:00+09:00`))).toBeLessThan(3 * 60_000);

    expect(await p.locator('#report-description-error').textContent()).toBe('入力してください。');
    expect(await p.locator('select#report-sector').count()).toBe(0);
    expect(await p.locator('#report-sector').textContent()).toBe('電力');
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
      before.tables.channels.operator_report![column]! + 1,
    );
    expect(number(await cell('events', event).textContent())).toBe(before.tables.events[event]![column]! + 1);
    expect(number(await cell('events', reporterEvent).textContent())).toBe(
      before.tables.events[reporterEvent]![column]!,
    );
    // The dashboard's quarter at a glance (the running year's running quarter).
    await p.getByRole('link', { name: 'ダッシュボード' }).click();
    const glance = p.locator('#glance tbody tr[data-code="operator_report"] td.quarter');
    await glance.waitFor();
    expect(number(await glance.textContent())).toBe(before.tables.channels.operator_report![column]! + 1);
    await screenshot(p, 'report-classified-dashboard');
    await signOut();
  });

  it('left no console errors', () => {
    expect(browser.problems).toEqual([]);
  });
});
