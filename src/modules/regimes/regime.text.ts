import type { Period } from '../../domain/deadline.js';
import type { Regime, RegimeStage, StartPoint } from '../../domain/regimes.js';

/** A stage's deadline in words, for `kyoyu regimes list` and the UI: 「認知から24時間以内」/ "within 24 hours of awareness". */

type Lang = 'ja' | 'en';

const TIME_NAMES: Record<string, Record<Lang, string>> = {
  occurred: { ja: '発生', en: 'occurrence' },
  aware: { ja: '認知', en: 'awareness' },
  management_informed: { ja: '経営層への報告', en: 'management being informed' },
  hq_established: { ja: '対策本部の設置', en: 'the response headquarters' },
  restored: { ja: '復旧', en: 'restoration' },
  classified_major: { ja: '重大インシデントとの分類', en: 'classification as major' },
  ransom_paid: { ja: '身代金の支払い', en: 'the ransom payment' },
};
const UNITS: Record<string, Record<Lang, string>> = {
  hours: { ja: '時間', en: 'hours' },
  days: { ja: '日', en: 'days' },
  business_days: { ja: '営業日', en: 'business days' },
  months: { ja: 'か月', en: 'months' },
};

const FACT_NAMES: Record<string, Record<Lang, string>> = {
  cyber_attack: { ja: 'サイバー攻撃', en: 'a cyber attack' },
  personal_data: { ja: '個人データの漏えい等', en: 'personal data affected' },
  service_outage: { ja: 'サービスの停止', en: 'a service outage' },
  secrecy_of_communications: { ja: '通信の秘密の漏えい', en: 'a leak of the secrecy of communications' },
  significant_incident: { ja: '重大なインシデント', en: 'a significant incident' },
  major_incident: { ja: '重大なICT関連インシデント', en: 'a major ICT-related incident' },
  ransom_paid: { ja: '身代金の支払い', en: 'a ransom payment' },
};
const facts = (codes: readonly string[], lang: Lang) =>
  codes.map((c) => FACT_NAMES[c]?.[lang] ?? c).join(lang === 'ja' ? '・' : ' or ');

function startText(point: StartPoint, regime: Regime, lang: Lang): string {
  if ('time' in point) return TIME_NAMES[point.time]![lang];
  const stage = regime.stages.find((s) => s.code === point.stage);
  const name = stage ? stage.name[lang] : point.stage;
  return lang === 'ja' ? `${name}の提出` : `the submission of the ${name.toLowerCase()}`;
}

function periodText(p: Period, lang: Lang): string {
  const unit = UNITS[p.unit]![lang];
  const n = lang === 'en' && p.amount === 1 ? unit.replace(/s$/, '') : unit;
  return lang === 'ja' ? `${p.amount}${n}以内` : `within ${p.amount} ${n}`;
}

export function describeStage(regime: Regime, stage: RegimeStage, lang: Lang): string {
  const from = startText(stage.from, regime, lang);
  const parts: string[] = [];
  if (stage.promptly) parts.push(lang === 'ja' ? `${from}後速やかに` : `promptly after ${from}`);
  if (stage.within) {
    const limit =
      lang === 'ja'
        ? `${from}から${periodText(stage.within, lang)}`
        : `${periodText(stage.within, lang)} of ${from}`;
    parts.push(
      stage.promptly ? (lang === 'ja' ? `（遅くとも${limit}）` : `(at the latest ${limit})`) : limit,
    );
  }
  for (const c of stage.within_if ?? [])
    parts.push(
      lang === 'ja'
        ? `（${facts(c.facts_any, lang)}の場合は${periodText(c.within, lang)}）`
        : `(${periodText(c.within, lang)} where ${facts(c.facts_any, lang)})`,
    );
  for (const c of stage.from_if ?? [])
    parts.push(
      lang === 'ja'
        ? `（${facts(c.facts_any, lang)}の場合は${startText(c.from, regime, lang)}から）`
        : `(from ${startText(c.from, regime, lang)} where ${facts(c.facts_any, lang)})`,
    );
  if (stage.latest)
    parts.push(
      lang === 'ja'
        ? `（遅くとも${startText(stage.latest.from, regime, lang)}から${periodText(stage.latest.within, lang)}）`
        : `and at the latest ${periodText(stage.latest.within, lang)} of ${startText(stage.latest.from, regime, lang)}`,
    );
  if (stage.when)
    parts.push(
      lang === 'ja'
        ? `［${facts(stage.when.facts_any, lang)}の場合］`
        : `[where ${facts(stage.when.facts_any, lang)}]`,
    );
  return parts.join(lang === 'ja' ? '' : ' ');
}
