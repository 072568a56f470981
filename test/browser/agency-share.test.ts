import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support.js';
import { browserStory } from './story.js';

interface Listed {
  id: number;
  kind: string;
  content: { title: { ja: string } };
}

/**
 * A sector desk files an agency share (府省庁からの情報共有) in headless Chromium: the form says it
 * goes to the center only and asks for no audience; the center finds it among its advisories and
 * shares; an operator does not see it (the counting is the API tests': advisories.test.ts).
 */
describe.runIf(chromiumAvailable())('an agency share from a sector desk', () => {
  const story = browserStory('agency-share');
  const { account, page, signIn } = story;
  const listOf = async (role: string) => {
    const headers = { authorization: `Bearer ${account(role).token}` };
    const res = await story.kyoyu.app.inject({ url: '/api/v1/advisories?limit=100', headers });
    return res.json<{ items: Listed[] }>().items;
  };

  it('the desk files it to the center; the center has it, an operator does not', async () => {
    const title = `経済産業省からの情報共有 ${Date.now()}`;
    const p = page();
    const desk = account('sector_desk');
    await signIn(desk.email, desk.password);
    await p.getByRole('link', { name: '注意喚起' }).click();
    await p.getByRole('link', { name: '府省庁からの情報共有を登録' }).click();
    await expect
      .poll(() => p.getByRole('heading', { level: 1 }).textContent())
      .toBe('府省庁からの情報共有を登録');
    expect(await p.getByTestId('share-audience').textContent()).toContain('センター');
    expect(await p.locator('input[name=audience]').count()).toBe(0);
    await p.locator('#title-ja').fill(title);
    await p.locator('#body-ja').fill('所管事業者からガス制御系への不審な通信の相談がありました。');
    await story.expectAccessible('agency-share-compose-ja');
    await p.getByRole('button', { name: 'センターに共有' }).click();
    await expect.poll(() => p.getByRole('heading', { level: 1 }).textContent()).toBe(title);
    await story.signOut();

    const atCenter = (await listOf('center_analyst')).find((a) => a.content.title.ja === title);
    expect(atCenter?.kind).toBe('agency_share');
    expect((await listOf('operator')).some((a) => a.content.title.ja === title)).toBe(false);
  });
});
