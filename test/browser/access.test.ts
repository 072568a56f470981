import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoAccount } from '../../src/demo/demo.js';
import { totpCode, totpStep } from '../../src/modules/auth/totp.js';
import type { Browser, Kyoyu } from './support.js';
import { chromiumAvailable, ensureWebBuilt, launchBrowser, startKyoyu } from './support.js';

interface Listed {
  id: number;
  organization: string | null;
  channel: string;
  actions: string[];
}

/**
 * What the UI offers follows what the server says the caller may do (the session's actions and each
 * incident's), so no page offers a form that ends in 403, and a page the caller cannot use says so.
 */
describe.runIf(chromiumAvailable())('the web UI offers only what the server allows', () => {
  let kyoyu: Kyoyu;
  let browser: Browser;
  const account = (role: string) => kyoyu.accounts.find((a) => a.role === role)!;
  const nav = () => browser.page.getByRole('navigation', { name: 'メインメニュー' });

  async function signIn(who: DemoAccount) {
    const p = browser.page;
    await p.goto(`${kyoyu.url}/`);
    await p.getByLabel('メールアドレス').fill(who.email);
    await p.getByLabel('パスワード').fill(who.password);
    await p.getByRole('button', { name: 'ログイン', exact: true }).click();
    if (who.totpSecret) {
      await p.getByLabel('確認コード（6桁）').fill(totpCode(who.totpSecret, totpStep(Date.now())));
      await p.getByLabel('確認コード（6桁）').press('Enter');
    }
    await p.getByTestId('current-user').waitFor();
  }

  async function signOut() {
    await browser.page.getByRole('button', { name: 'ログアウト' }).click();
    await browser.page.getByLabel('メールアドレス').waitFor();
  }

  /** An operator report the user sees, chosen by what the server says the user may do with it. */
  async function incidentFor(
    who: DemoAccount,
    filter: string,
    accept: (i: Listed) => boolean,
  ): Promise<Listed> {
    const res = await kyoyu.app.inject({
      url: `/api/v1/incidents?limit=200&channel=operator_report&${filter}`,
      headers: { authorization: `Bearer ${who.token}` },
    });
    const found = res.json<{ items: Listed[] }>().items.find(accept);
    if (!found) throw new Error(`no such demo incident: ${res.statusCode} ${res.body.slice(0, 300)}`);
    return found;
  }

  beforeAll(async () => {
    ensureWebBuilt();
    [kyoyu, browser] = await Promise.all([startKyoyu(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await kyoyu?.close();
  });

  it('an operator sees no Classify and no admin page, and is told so on their pages', async () => {
    const p = browser.page;
    const operator = account('operator');
    await signIn(operator);
    await nav().getByRole('link', { name: '報告する' }).waitFor();
    expect(await nav().getByRole('link', { name: '分類' }).count()).toBe(0);
    expect(await nav().getByRole('link', { name: '管理' }).count()).toBe(0);

    await p.goto(`${kyoyu.url}/classify`);
    await expect
      .poll(() => p.getByRole('alert').textContent())
      .toContain('分類はセンターの分析担当者が行います');
    expect(await p.locator('#classify-form').count()).toBe(0);
    expect(await p.getByRole('listbox').count()).toBe(0);

    // Another organisation's record the operator may read (GREEN) but not report on.
    const shared = await kyoyu.app.inject({
      method: 'POST',
      url: '/api/v1/incidents',
      headers: { authorization: `Bearer ${account('center_analyst').token}` },
      payload: {
        channel: 'operator_report',
        received_at: '2024-05-01T09:00:00+09:00',
        organization: 'Access Test Gas',
        sector: 'gas',
        title: 'shared with the community',
        description: 'GREEN',
        stage: 'initial',
        event: 'integrity.destruction',
        causes: ['accidental.vulnerability'],
        attack_type: null,
        tlp: 'GREEN',
      },
    });
    expect(shared.statusCode, shared.body).toBe(201);
    const foreign = await incidentFor(
      operator,
      'tlp=GREEN',
      (i) => i.organization !== operator.organization && !i.actions.includes('add_report'),
    );
    await p.goto(`${kyoyu.url}/incidents/${foreign.id}`);
    await p.getByRole('heading', { name: '報告の経過' }).waitFor();
    expect(await p.getByRole('link', { name: '続報・最終報を報告する' }).count()).toBe(0);
    await p.goto(`${kyoyu.url}/incidents/${foreign.id}/report`);
    await expect.poll(() => p.getByRole('alert').textContent()).toContain('報告を追加することはできません');
    expect(await p.locator('main form').count()).toBe(0);

    // Its own: the way to a stage report is there, and leads to the form.
    const own = await incidentFor(operator, '', (i) => i.actions.includes('add_report'));
    await p.goto(`${kyoyu.url}/incidents/${own.id}`);
    await p.getByRole('link', { name: '続報・最終報を報告する' }).click();
    await p.locator('main form').waitFor();
    await signOut();
  });

  it('a sector desk is offered no report form; the center is offered Classify', async () => {
    const p = browser.page;
    await signIn(account('sector_desk'));
    await nav().getByRole('link', { name: '統計' }).waitFor();
    expect(await nav().getByRole('link', { name: '報告する' }).count()).toBe(0);
    await p.goto(`${kyoyu.url}/report`);
    await expect.poll(() => p.getByRole('alert').textContent()).toContain('インシデントを報告できません');
    await signOut();

    await signIn(account('center_analyst'));
    await nav().getByRole('link', { name: '分類' }).click();
    await p.locator('[role=listbox] [role=option]').first().waitFor();
    await signOut();
  });
});
