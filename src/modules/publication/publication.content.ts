import type { Quarter } from '../../domain/fiscal-calendar.js';
import { toJapaneseEra } from '../../domain/japanese-era.js';
import type { SituationItem } from '../../domain/situation.js';
import {
  citation,
  countryName,
  numberFootnotes,
  orderItems,
  SECTION_TITLES,
  SITUATION_CHAPTERS,
} from '../../domain/situation.js';
import type { CenterName } from '../../domain/taxonomy.js';
import type { StatsLayout } from '../stats/index.js';
import { statsLayout } from '../stats/index.js';

/**
 * The quarterly document in one language, as every rendering (HTML, PDF) sets it: the texts
 * resolved, the footnotes numbered, the statistics laid out. Built from the edition's material
 * (publication.service.ts chooses what an edition holds).
 */

export type Lang = 'ja' | 'en';
export type Edition = 'full' | 'public';

export interface DocumentMaterial {
  fiscalYear: number;
  quarter: Quarter;
  edition: Edition;
  /** Local date of issue, YYYY-MM-DD. */
  issuedOn: string;
  center: CenterName;
  items: SituationItem[];
  stats: Parameters<typeof statsLayout>[0];
  lessons: Array<{ heading: Record<Lang, string>; body: Record<Lang, string> }>;
}

export interface ContentItem {
  title: string;
  date: string;
  summary: string;
  refs: Array<{ number: number; first: boolean; note?: string }>;
}

export interface DocumentContent {
  lang: Lang;
  title: string;
  period: string;
  dateLine: string;
  editionMark: string;
  center: string;
  parts: [string, string, string];
  situation: Array<{
    title: string;
    sections: Array<{ title: string; groups: Array<{ country: string | null; items: ContentItem[] }> }>;
  }>;
  notes: Array<{ number: number; text: string }>;
  notesTitle: string;
  emptySituation: string;
  stats: StatsLayout;
  statsIntro: string;
  lessons: Array<{ heading: string; body: string }>;
  emptyLessons: string;
}

const PARTS: Record<Lang, [string, string, string]> = {
  ja: [
    'サイバーセキュリティを取り巻く情勢',
    '重要インフラにおける情報共有件数',
    '最近のインシデントから得られた教訓',
  ],
  en: [
    'The cybersecurity situation',
    'Information sharing in critical infrastructure',
    'Lessons learned from recent incidents',
  ],
};

/** 令和6年3月29日（2024年3月29日）/ 29 March 2024 (Reiwa 6). */
export function issueDateLine(date: string, lang: Lang): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const era = toJapaneseEra(y, m, d);
  const eraYear = era.eraYear === 1 ? '元' : String(era.eraYear);
  if (lang === 'ja') return `${era.era}${eraYear}年${m}月${d}日（${y}年${m}月${d}日）`;
  const month = new Date(Date.UTC(y, m - 1, d)).toLocaleString('en-GB', { month: 'long', timeZone: 'UTC' });
  return `${d} ${month} ${y} (${era.eraEn} ${era.eraYear})`;
}

function localDate(date: string, lang: Lang): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return lang === 'ja' ? `${y}年${m}月${d}日` : date;
}

/** English editions show the Japanese where no English was written. */
const pick = (text: Record<Lang, string>, lang: Lang) =>
  lang === 'en' && text.en.trim() ? text.en : text.ja;

export function documentContent(material: DocumentMaterial, lang: Lang): DocumentContent {
  const groups = orderItems(material.items);
  // Footnotes are numbered in reading order, which orderItems fixes: chapters, sections, countries, dates.
  const { items: numbered, notes } = numberFootnotes(groups.flatMap((g) => g.items));
  const refsOf = new Map(numbered.map((n) => [n.item.id, n.refs]));
  const noteText = new Map(notes.map((n) => [n.number, citation(n.source, lang)]));
  const situation = SITUATION_CHAPTERS.map((chapter) => ({
    title: chapter.title[lang],
    sections: chapter.sections
      .map((section) => ({
        title: SECTION_TITLES[section][lang],
        groups: groups
          .filter((g) => g.section === section)
          .map((g) => ({
            country: g.country === null ? null : countryName(g.country, lang),
            items: g.items.map((item) => ({
              title: pick(item.title, lang),
              date: localDate(item.event_date, lang),
              summary: pick(item.summary, lang),
              refs: (refsOf.get(item.id) ?? []).map((r) =>
                r.first ? { ...r, note: noteText.get(r.number)! } : r,
              ),
            })),
          })),
      }))
      .filter((s) => s.groups.length > 0),
  })).filter((c) => c.sections.length > 0);
  const fy = material.fiscalYear;
  const q = material.quarter;
  const full = material.edition === 'full';
  return {
    lang,
    title:
      lang === 'ja' ? '重要インフラを取り巻く情勢について' : 'The situation around critical infrastructure',
    period: lang === 'ja' ? `${fy}年度 第${q}四半期` : `FY${fy} Q${q}`,
    dateLine: issueDateLine(material.issuedOn, lang),
    editionMark: full
      ? lang === 'ja'
        ? '完全版（センター内部用）'
        : 'Full edition (for the center only)'
      : lang === 'ja'
        ? '公開版（TLP:CLEAR）'
        : 'Public edition (TLP:CLEAR)',
    center: material.center[lang],
    parts: PARTS[lang],
    situation,
    notes: notes.map((n) => ({ number: n.number, text: noteText.get(n.number)! })),
    notesTitle: lang === 'ja' ? '出典' : 'Sources',
    emptySituation: lang === 'ja' ? 'この四半期の項目はありません。' : 'No items for this quarter.',
    stats: statsLayout(material.stats, lang),
    statsIntro:
      lang === 'ja'
        ? `${fy}年度第${q}四半期までの情報共有の件数です。過去の年度は年度の合計、当年度は四半期ごとの件数です。`
        : `Information-sharing counts up to FY${fy} Q${q}: past fiscal years as totals, the current one by quarter.`,
    lessons: material.lessons.map((l) => ({ heading: pick(l.heading, lang), body: pick(l.body, lang) })),
    emptyLessons: lang === 'ja' ? 'この四半期の教訓はありません。' : 'No lessons for this quarter.',
  };
}
