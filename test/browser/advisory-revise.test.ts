import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support.js';
import { browserStory } from './story.js';

interface Advisory {
  id: number;
  revision: number;
  actions: string[];
  audience: { everyone: boolean; sectors: string[]; organizations: number[] };
  content: { title: { ja: string }; indicators: unknown[] };
}

/**
 * The center revises an advisory in headless Chromium: the form opens filled with the current
 * revision, a changed title and one more sector go out as the next revision (the history keeps the
 * first), and a revision made by a colleague in between is refused (412) with a reason, not
 * overwritten.
 */
describe.runIf(chromiumAvailable())('revising an advisory', () => {
  const story = browserStory('advisory-revise');
  const { account, page, signIn } = story;
  const api = async <T>(url: string, method: 'GET' | 'PUT' = 'GET', body?: unknown, ifMatch?: string) => {
    const headers: Record<string, string> = {
      authorization: `Bearer ${account('center_analyst').token}`,
      ...(ifMatch ? { 'if-match': ifMatch } : {}),
    };
    const res = await story.kyoyu.app.inject({
      url,
      method,
      headers,
      ...(body ? { payload: body } : {}),
    });
    return { status: res.statusCode, body: res.json<T>() };
  };

  it('opens filled with the current revision, sends the next, and refuses a stale one', async () => {
    const list = await api<{ items: Advisory[] }>('/api/v1/advisories?limit=50');
    const target = list.body.items.find(
      (a) => a.actions.includes('revise') && !a.audience.everyone && a.audience.sectors.length > 0,
    )!;
    expect(target, 'a demo advisory to sectors').toBeDefined();
    const p = page();
    const analyst = account('center_analyst');
    await signIn(analyst.email, analyst.password, analyst.totpSecret);
    await p.goto(`${story.kyoyu.url}/advisories/${target.id}`);
    await p.getByRole('link', { name: '改訂する' }).click();
    await expect.poll(() => p.getByRole('heading', { level: 1 }).textContent()).toBe('改訂版を作成');
    // Filled with what the advisory says now.
    expect(await p.locator('#title-ja').inputValue()).toBe(target.content.title.ja);
    const taxonomy = await api<{ sectors: { code: string; ja: string }[] }>('/api/v1/taxonomy');
    const labelOf = (code: string) => taxonomy.body.sectors.find((s) => s.code === code)!.ja;
    const sectorBox = (code: string) =>
      p.locator('.sector-choices label', { hasText: labelOf(code) }).locator('input');
    for (const sector of target.audience.sectors)
      expect(await sectorBox(sector).isChecked(), sector).toBe(true);
    const added = ['electricity', 'gas', 'water', 'finance'].find(
      (s) => !target.audience.sectors.includes(s),
    )!;
    await p.locator('#title-ja').fill(`${target.content.title.ja}（第${target.revision + 1}版）`);
    await sectorBox(added).check();
    // One organisation more, picked by name (filtered as typed), not typed as an id.
    const recipients = await api<{ id: number; name: string }[]>('/api/v1/advisories/recipients');
    const named = recipients.body.find((o) => !target.audience.organizations.includes(o.id))!;
    await p.getByLabel('組織名で絞り込む').fill(named.name.slice(0, 4));
    await p.locator('.organization-picker label', { hasText: named.name }).locator('input').check();
    await expect
      .poll(() => p.locator('.organization-picker [role=status]').textContent())
      .toBe(`${target.audience.organizations.length + 1} 組織を選択中`);
    await story.expectAccessible('advisory-revise-ja');
    await p.getByRole('button', { name: '改訂版を発信' }).click();
    await p.waitForURL(`**/advisories/${target.id}`);
    await expect
      .poll(() => p.getByRole('heading', { level: 1 }).textContent())
      .toBe(`${target.content.title.ja}（第${target.revision + 1}版）`);

    const after = (await api<Advisory>(`/api/v1/advisories/${target.id}`)).body;
    expect(after.revision).toBe(target.revision + 1);
    expect(after.audience.sectors).toEqual(expect.arrayContaining([...target.audience.sectors, added]));
    expect(after.audience.organizations).toEqual(
      expect.arrayContaining([...target.audience.organizations, named.id]),
    );
    expect(after.content.indicators).toEqual(target.content.indicators);
    const history = await api<{ items: unknown[] }>(`/api/v1/advisories/${target.id}/revisions`);
    expect(history.body.items).toHaveLength(target.revision + 1);

    // A colleague revises while this form is open: sending it is refused, and nothing changes.
    await p.getByRole('link', { name: '改訂する' }).click();
    await p.locator('#title-ja').waitFor();
    const colleague = await api<Advisory>(
      `/api/v1/advisories/${target.id}`,
      'PUT',
      { tlp: 'AMBER', severity: 'high', audience: after.audience, content: after.content },
      `"r${after.revision}"`,
    );
    expect(colleague.status).toBe(200);
    await p.locator('#title-ja').fill('上書きしてはいけない題名');
    await p.getByRole('button', { name: '改訂版を発信' }).click();
    await expect
      .poll(() => p.getByRole('alert').first().textContent())
      .toContain('他の利用者が先に更新しました');
    const final = (await api<Advisory>(`/api/v1/advisories/${target.id}`)).body;
    expect(final.revision).toBe(after.revision + 1);
    expect(final.content.title.ja).toBe(after.content.title.ja);
    await story.signOut();
  });
});
