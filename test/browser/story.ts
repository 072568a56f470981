import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import type { InfoSharingAnswer } from '../../src/modules/stats/stats.schema.js';
import { totpCode, totpStep } from '../../src/modules/auth/totp.js';
import type { Browser, Kyoyu } from './support.js';
import { ensureWebBuilt, launchBrowser, screenshot, seriousViolations, startKyoyu } from './support.js';

/** The parts of an incident's answer the stories check (a single incident: its reports are there). */
export interface IncidentView {
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

/** The figures of a number cell ("1,234" -> 1234). */
export const number = (text: string | null) => Number((text ?? '').replace(/[^\d-]/g, ''));

/** Presses Tab until the focused element matches the selector (the keyboard alone, as a user would). */
export async function tabTo(p: Page, selector: string, max = 120): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await p.evaluate<boolean>(`document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`))
      return;
    await p.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

export const focused = (p: Page) => p.evaluate<string | null>('document.activeElement?.value ?? null');

/**
 * A story in the browser: kyoyu with the demo data and Chromium, started before the file's tests
 * (and an operator of a second organisation), stopped after them; the steps every story takes.
 */
/** The TOTP step each secret last signed in with (the server refuses a code used before). */
const usedSteps = new Map<string, number>();

export function browserStory(name: string) {
  const story = {
    kyoyu: undefined as unknown as Kyoyu,
    browser: undefined as unknown as Browser,
    timings: [] as string[],
    otherEmail: 'other-operator@other.kyoyu.example',
    otherPassword: 'another long enough password',
    account: (role: string) => story.kyoyu.accounts.find((a) => a.role === role)!,
    page: () => story.browser.page,

    incident: async (id: number): Promise<IncidentView> => {
      const headers = { authorization: `Bearer ${story.account('center_analyst').token}` };
      return (await story.kyoyu.app.inject({ url: `/api/v1/incidents/${id}`, headers })).json<IncidentView>();
    },

    stats: async (fy: number): Promise<InfoSharingAnswer> => {
      const headers = { authorization: `Bearer ${story.account('center_analyst').token}` };
      const url = `/api/v1/stats/info-sharing?fy=${fy}&history=4`;
      return (await story.kyoyu.app.inject({ url, headers })).json<InfoSharingAnswer>();
    },

    expectAccessible: async (page: string) => {
      expect(await seriousViolations(story.page()), `axe on ${page}`).toEqual([]);
      await screenshot(story.page(), page);
    },

    signIn: async (email: string, password: string, totpSecret?: string) => {
      const p = story.page();
      await p.goto(`${story.kyoyu.url}/`);
      await p.getByLabel('メールアドレス').fill(email);
      await p.getByLabel('パスワード').fill(password);
      await p.getByRole('button', { name: 'ログイン', exact: true }).click();
      if (totpSecret) {
        // A code is accepted once: a second sign-in of the same account within its 30-second step
        // waits for the next step's code, as a person would.
        let step = totpStep(Date.now());
        if (usedSteps.get(totpSecret) === step) {
          await new Promise((resolve) => setTimeout(resolve, (step + 1) * 30_000 - Date.now() + 50));
          step = totpStep(Date.now());
        }
        usedSteps.set(totpSecret, step);
        await p.getByLabel('確認コード（6桁）').fill(totpCode(totpSecret, step));
        await p.getByRole('button', { name: '確認する' }).click();
      }
      await p.getByTestId('current-user').waitFor();
    },

    signOut: async () => {
      await story.page().getByRole('button', { name: 'ログアウト' }).click();
      await expect.poll(() => story.page().getByRole('heading', { level: 1 }).textContent()).toBe('ログイン');
    },
  };

  beforeAll(async () => {
    const started = Date.now();
    ensureWebBuilt();
    [story.kyoyu, story.browser] = await Promise.all([startKyoyu(), launchBrowser()]);
    const { id } = await story.kyoyu.ctx.services.accounts.createUser({
      email: story.otherEmail,
      organization: '別組織水道株式会社',
      role: 'operator',
    });
    await story.kyoyu.ctx.services.sessions.setPassword(id, story.otherPassword);
    story.timings.push(`kyoyu with the demo and Chromium up after ${Date.now() - started} ms`);
  });

  afterAll(async () => {
    await story.browser?.close();
    await story.kyoyu?.close();
    process.stdout.write(`\n[kyoyu] ${name} browser timings: ${story.timings.join('; ')}\n`);
  });

  return story;
}
