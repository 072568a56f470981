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

interface Incident {
  id: number;
  fiscal_quarter: number;
  state: string;
  state_reason: string | null;
  state_note: string | null;
  fiscal_year: number;
}

describe.runIf(chromiumAvailable())('the center rejects and restores a report in the web UI', () => {
  let kyoyu: Kyoyu;
  let browser: Browser;
  const analyst = () => kyoyu.accounts.find((a) => a.role === 'center_analyst')!;
  const api = async <T>(url: string) =>
    (await kyoyu.app.inject({ url, headers: { authorization: `Bearer ${analyst().token}` } })).json<T>();
  const fy2024Operators = async () =>
    (
      await api<{ tables: { channels: { operator_report: number[] } } }>(
        '/api/v1/stats/info-sharing?fy=2024&history=0',
      )
    ).tables.channels.operator_report.at(-1);

  beforeAll(async () => {
    ensureWebBuilt();
    [kyoyu, browser] = await Promise.all([startKyoyu(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await kyoyu?.close();
  });

  it('rejects with a reason and a note after confirmation, shows the state, and restores it', async () => {
    const p = browser.page;
    await p.goto(`${kyoyu.url}/`);
    await p.getByLabel('メールアドレス').fill(analyst().email);
    await p.getByLabel('パスワード').fill(analyst().password);
    await p.getByRole('button', { name: 'ログイン', exact: true }).click();
    await p.locator('input[name=code]').fill(totpCode(analyst().totpSecret!, totpStep(Date.now())));
    await p.keyboard.press('Enter');
    await p.locator('#glance tbody tr').first().waitFor();

    const { items } = await api<{ items: Incident[] }>(
      '/api/v1/incidents?fy=2024&channel=operator_report&limit=1',
    );
    const incident = items[0]!;
    const counted = await fy2024Operators();
    await p.goto(`${kyoyu.url}/incidents/${incident.id}`);
    await p.getByRole('heading', { name: 'センターの判断' }).waitFor();

    await p.getByLabel('不受理の理由').selectOption('test');
    await p.getByLabel('メモ（「その他」のときは必須）').fill('訓練の送信');
    await p.getByRole('button', { name: '不受理にする' }).click();
    // Nothing is sent before the confirmation.
    expect((await api<Incident>(`/api/v1/incidents/${incident.id}`)).state).toBe('received');
    await p.getByRole('group', { name: 'この事案を不受理にしますか？統計から除かれます。' }).waitFor();
    await p.getByRole('button', { name: '実行する' }).click();
    await p.getByRole('status').filter({ hasText: '不受理にしました。' }).waitFor();
    await p.getByRole('heading', { name: '状態: 不受理' }).waitFor();
    expect(await p.locator('.lifecycle').textContent()).toContain('テスト送信');
    expect(await p.locator('.lifecycle').textContent()).toContain('訓練の送信');
    expect(await api<Incident>(`/api/v1/incidents/${incident.id}`)).toMatchObject({
      state: 'rejected',
      state_reason: 'test',
      state_note: '訓練の送信',
    });
    // FY2024's quarters are closed (the demo closes every ended quarter): the decision changes the
    // live rollup only, and the closed quarter lists the record as a late change until reopened.
    expect(await fy2024Operators()).toBe(counted);
    const late = await api<{ items: Array<{ id: number }> }>(
      `/api/v1/periods/2024/${incident.fiscal_quarter}/late-filings`,
    );
    expect(late.items.map((i) => i.id)).toContain(incident.id);
    expect(await seriousViolations(p)).toEqual([]);
    await screenshot(p, 'incident-rejected');

    await p.getByRole('button', { name: '受付に戻す' }).click();
    await p.getByRole('button', { name: '実行する' }).click();
    await p.getByRole('status').filter({ hasText: '受付に戻しました。' }).waitFor();
    expect((await api<Incident>(`/api/v1/incidents/${incident.id}`)).state).toBe('received');
    expect(await fy2024Operators()).toBe(counted);
    expect(browser.problems).toEqual([]);
  });
});
