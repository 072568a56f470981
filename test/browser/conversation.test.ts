import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode, totpStep } from '../../src/modules/auth/totp.js';
import type { DemoAccount } from '../../src/demo/demo.js';
import { startSmtp } from '../support/smtp.js';
import type { Browser, Kyoyu } from './support.js';
import {
  chromiumAvailable,
  ensureWebBuilt,
  launchBrowser,
  screenshot,
  seriousViolations,
  startKyoyu,
} from './support.js';

const TEXT = {
  ja: {
    message: 'メッセージ',
    send: '送信',
    question: 'センターからの質問',
    answer: '報告組織からの回答',
    nav: '通知',
    subject: 'センターからの質問',
  },
  en: {
    message: 'Message',
    send: 'Send',
    question: 'Question from the center',
    answer: 'Answer from the reporter',
    nav: 'Notifications',
    subject: 'A question from the center',
  },
} as const;

/**
 * The center asks on an operator's incident; the operator finds it in its notifications (and its
 * mailbox, in the language it chose), answers on the incident page; the center sees the answer.
 * Two browsers, each signed in once (a TOTP code is good once), in Japanese and then in English.
 */
describe.runIf(chromiumAvailable())('a question and its answer in the web UI', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let kyoyu: Kyoyu;
  let centerBrowser: Browser;
  let operatorBrowser: Browser;
  let incident: { id: number; ref: string };
  const account = (role: string) => kyoyu.accounts.find((a) => a.role === role)!;

  async function signIn(p: Page, a: DemoAccount) {
    await p.goto(`${kyoyu.url}/`);
    await p.getByLabel('メールアドレス').fill(a.email);
    await p.getByLabel('パスワード').fill(a.password);
    await p.getByRole('button', { name: 'ログイン', exact: true }).click();
    if (a.totpSecret) {
      await p.getByLabel('確認コード（6桁）').fill(totpCode(a.totpSecret, totpStep(Date.now())));
      await p.getByRole('button', { name: '確認する' }).click();
    }
    await p.getByTestId('current-user').waitFor();
  }

  async function check(p: Page, name: string) {
    expect(await seriousViolations(p), `axe on ${name}`).toEqual([]);
    await screenshot(p, name);
  }

  beforeAll(async () => {
    ensureWebBuilt();
    smtp = await startSmtp();
    [kyoyu, centerBrowser, operatorBrowser] = await Promise.all([
      startKyoyu({ KYOYU_SMTP_URL: smtp.url, KYOYU_PUBLIC_URL: 'https://kyoyu.example' }),
      launchBrowser(),
      launchBrowser(),
    ]);
    const operator = account('operator');
    const headers = { authorization: `Bearer ${operator.token}` };
    const list = await kyoyu.app.inject({
      url: '/api/v1/incidents?channel=operator_report&mine=true&limit=100',
      headers,
    });
    const own = list
      .json<{ items: Array<{ id: number; ref: string; organization: string | null }> }>()
      .items.find((i) => i.organization === operator.organization);
    expect(own, 'the demo operator has a report of its own').toBeDefined();
    incident = own!;
    await Promise.all([
      signIn(centerBrowser.page, account('center_analyst')),
      signIn(operatorBrowser.page, operator),
    ]);
  }, 120_000);
  afterAll(async () => {
    await centerBrowser?.close();
    await operatorBrowser?.close();
    await kyoyu?.ctx.services.notifications.outbox.stop();
    await kyoyu?.close();
    await smtp?.close();
  });

  for (const lang of ['ja', 'en'] as const) {
    it(`in ${lang}: asked, notified (in the app and by mail), answered, seen`, async () => {
      const t = TEXT[lang];
      const center = centerBrowser.page;
      const operator = operatorBrowser.page;
      if (lang === 'en') {
        for (const p of [center, operator]) await p.getByRole('button', { name: 'English' }).click();
        // The operator wants its mail in English too.
        await operator.getByTestId('notifications-link').click();
        await operator.getByLabel('Mail language').selectOption('en');
        await operator.getByRole('button', { name: 'Save' }).click();
        await operator.getByText('Saved.').waitFor();
      }
      const question =
        lang === 'ja'
          ? '検知した時刻と影響範囲を教えてください。'
          : 'When did you detect it, and what is affected?';
      const answer =
        lang === 'ja' ? '09:12 に検知し、影響は制御系の一部です。' : 'At 09:12; part of the control network.';

      await center.goto(`${kyoyu.url}/incidents/${incident.id}`);
      await center.getByLabel(t.message, { exact: true }).fill(question);
      await center.getByRole('button', { name: t.send, exact: true }).click();
      await center.locator('.conversation .message', { hasText: question }).waitFor();

      // The operator: the badge, the notification list, the mail.
      await operator.goto(`${kyoyu.url}/incidents`);
      await operator.getByTestId('unread-badge').waitFor();
      await operator.getByTestId('notifications-link').click();
      const row = operator.locator('tr[data-kind="question"][data-unread="true"]', { hasText: incident.ref });
      await row.waitFor();
      expect(await row.textContent()).toContain(t.question);
      await check(operator, `notifications-${lang}`);
      await expect
        .poll(() =>
          smtp.mails.find((m) => m.to.includes(account('operator').email) && m.subject.includes(t.subject)),
        )
        .toBeDefined();
      const mail = smtp.mails.find((m) => m.subject.includes(t.subject))!;
      expect(mail.subject).toContain(incident.ref);
      expect(mail.text).toContain(`https://kyoyu.example/incidents/${incident.id}`);
      expect(mail.text).not.toContain(question);
      smtp.mails.splice(0);

      // Opening it leads to the incident, where the operator answers.
      await row.getByRole('link', { name: incident.ref }).click();
      await operator.locator('.conversation .message', { hasText: question }).waitFor();
      await operator.getByLabel(t.message, { exact: true }).fill(answer);
      await operator.getByRole('button', { name: t.send, exact: true }).click();
      await operator.locator('.conversation .message.own', { hasText: answer }).waitFor();
      await check(operator, `conversation-${lang}`);
      // Read: the question's notification is no longer unread.
      await operator.getByTestId('notifications-link').click();
      await operator.locator('tr[data-kind="question"]', { hasText: incident.ref }).first().waitFor();
      expect(await operator.locator('tr[data-kind="question"][data-unread="true"]').count()).toBe(0);

      // The center sees the answer on the incident and in its notifications.
      await center.reload();
      await center.locator('.conversation .message', { hasText: answer }).waitFor();
      await center.getByTestId('notifications-link').click();
      const answered = center.locator('tr[data-kind="answer"]', { hasText: incident.ref }).first();
      await answered.waitFor();
      expect(await answered.textContent()).toContain(t.answer);
      expect(centerBrowser.problems.concat(operatorBrowser.problems)).toEqual([]);
    }, 120_000);
  }
});
