import { beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Kyoyu } from './support.js';
import { chromiumAvailable, screenshot } from './support.js';
import { browserStory } from './story.js';

describe.runIf(chromiumAvailable())('administration in headless Chromium', () => {
  const story = browserStory('admin');
  const { account, page, incident, expectAccessible, signIn, signOut } = story;
  let kyoyu: Kyoyu;
  let browser: Browser;
  /** The user the admin creates, and the temporary password it gets. */
  const newEmail = 'new-operator@demo.kyoyu.example';
  let temporary = '';

  beforeAll(() => {
    ({ kyoyu, browser } = story);
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
    await p.locator('#report-description').fill('センターが事業者に代わって登録した概要。');
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
