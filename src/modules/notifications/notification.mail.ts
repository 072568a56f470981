import type { NotificationKind } from './notification.fanout.js';

export type MailLanguage = 'ja' | 'en';

/** What a mail may name: never a title, a description or a message (see below). */
export interface MailFacts {
  kind: NotificationKind;
  ref: string;
  tlp: string;
  incidentId: number;
  language: MailLanguage;
}

const SUBJECTS: Record<NotificationKind, Record<MailLanguage, (ref: string) => string>> = {
  new_report: { ja: (r) => `新しい報告: ${r}`, en: (r) => `New report: ${r}` },
  question: { ja: (r) => `センターからの質問: ${r}`, en: (r) => `A question from the center: ${r}` },
  answer: { ja: (r) => `報告組織からの回答: ${r}`, en: (r) => `An answer from the reporter: ${r}` },
  message: { ja: (r) => `新しいメッセージ: ${r}`, en: (r) => `A new message: ${r}` },
  advisory: { ja: (r) => `センターからの注意喚起: ${r}`, en: (r) => `An advisory from the center: ${r}` },
  advisory_reminder: {
    ja: (r) => `注意喚起への対応のお願い: ${r}`,
    en: (r) => `Reminder: please respond to an advisory: ${r}`,
  },
  obligation_due: {
    ja: (r) => `報告期限が近づいています: ${r}`,
    en: (r) => `A reporting deadline is near: ${r}`,
  },
  obligation_overdue: {
    ja: (r) => `報告期限を過ぎています: ${r}`,
    en: (r) => `A reporting deadline has passed: ${r}`,
  },
};

const LEADS: Record<NotificationKind, Record<MailLanguage, string>> = {
  new_report: {
    ja: '所管分野に新しい事案が報告されました。',
    en: 'A new incident was reported in your sector.',
  },
  question: {
    ja: 'センターから事案について質問が届きました。',
    en: 'The center asked a question about an incident.',
  },
  answer: {
    ja: '報告組織から事案について回答が届きました。',
    en: 'The reporting organisation answered about an incident.',
  },
  message: {
    ja: '事案の会話に新しいメッセージがあります。',
    en: 'There is a new message in an incident’s conversation.',
  },
  advisory: {
    ja: '貴組織宛ての注意喚起が届きました。',
    en: 'An advisory addressed to your organisation has arrived.',
  },
  advisory_reminder: {
    ja: 'センターが注意喚起の確認と対応状況の登録をお願いしています。',
    en: 'The center asks you to acknowledge an advisory and record what you did about it.',
  },
  obligation_due: {
    ja: '事案の法令等に基づく報告の期限が近づいています。報告義務の画面で期限と提出状況を確認してください。',
    en: 'A legal reporting deadline for an incident is near. See its reporting duties for the due time and what was submitted.',
  },
  obligation_overdue: {
    ja: '事案の法令等に基づく報告の期限を過ぎています。提出済みであれば提出日時と受付番号を登録してください。',
    en: 'A legal reporting deadline for an incident has passed. If it was submitted, record when and the recipient’s reference.',
  },
};

const TEXT = {
  ja: {
    ref: '受付番号',
    open: '内容はサインインして確認してください',
    why: 'このメールには事案の内容を記載していません（メールは共有範囲の管理外に届くため）。',
    brand: 'kyoyu 重要インフラ インシデント情報共有',
  },
  en: {
    ref: 'Reference',
    open: 'Sign in to read it',
    why: 'This mail carries none of the incident’s content: mail travels outside the platform’s sharing controls.',
    brand: 'kyoyu critical-infrastructure incident sharing',
  },
};

/**
 * A notification mail in the recipient's language. It names the incident's reference and marking
 * and links to it, and carries no content at all: mail leaves the platform, where no TLP marking
 * can be enforced any more, so even a recipient who may read the record (TLP:RED included) gets
 * its text only behind sign-in.
 */
export function renderMail(facts: MailFacts, publicUrl: string): { subject: string; text: string } {
  const lang = facts.language;
  const t = TEXT[lang];
  const advisory = facts.kind === 'advisory' || facts.kind === 'advisory_reminder';
  const link = `${publicUrl}/${advisory ? 'advisories/incident' : 'incidents'}/${facts.incidentId}`;
  return {
    subject: `[kyoyu] ${SUBJECTS[facts.kind][lang](facts.ref)}`,
    text: [
      LEADS[facts.kind][lang],
      '',
      `${t.ref}: ${facts.ref} (TLP:${facts.tlp})`,
      `${t.open}: ${link}`,
      '',
      t.why,
      '',
      `-- ${t.brand}`,
      '',
    ].join('\n'),
  };
}
