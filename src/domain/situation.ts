/**
 * Part 1 of the quarterly document, サイバーセキュリティを取り巻く情勢: the sections its items sit in,
 * how a source is cited, and the footnote numbering (pure: the HTML and the PDF renderings number
 * the same way because both take their numbers from here).
 */

export const SITUATION_SECTIONS = [
  'foreign_policy',
  'foreign_ci_incidents',
  'foreign_state_groups',
  'domestic_ci_incidents',
  'domestic_other',
  'technology_trends',
] as const;
export type SituationSection = (typeof SITUATION_SECTIONS)[number];

type Lang = 'ja' | 'en';
type Bilingual = Record<Lang, string>;

/** The part's chapters and their sections, in the order the document sets them. */
export const SITUATION_CHAPTERS: ReadonlyArray<{ title: Bilingual; sections: readonly SituationSection[] }> =
  [
    {
      title: { ja: '海外の動向', en: 'Abroad' },
      sections: ['foreign_policy', 'foreign_ci_incidents', 'foreign_state_groups'],
    },
    { title: { ja: '国内の動向', en: 'In Japan' }, sections: ['domestic_ci_incidents', 'domestic_other'] },
    { title: { ja: '技術の動向', en: 'Technology' }, sections: ['technology_trends'] },
  ];

export const SECTION_TITLES: Record<SituationSection, Bilingual> = {
  foreign_policy: { ja: '各国・地域の政策動向', en: 'Policy by country and region' },
  foreign_ci_incidents: {
    ja: '重要インフラにおけるインシデント（海外）',
    en: 'Incidents at critical infrastructure abroad',
  },
  foreign_state_groups: {
    ja: '国家の関与が疑われる攻撃グループ',
    en: 'State-sponsored groups by attributed country',
  },
  domestic_ci_incidents: {
    ja: '重要インフラにおけるインシデント（国内）',
    en: 'Incidents at critical infrastructure in Japan',
  },
  domestic_other: { ja: 'その他の国内の動向', en: 'Other developments in Japan' },
  technology_trends: { ja: '技術動向', en: 'Technology trends' },
};

/** Sections whose items are grouped by a country (policy by country; groups by attributed country). */
export const BY_COUNTRY: ReadonlySet<SituationSection> = new Set(['foreign_policy', 'foreign_state_groups']);

export interface SituationSource {
  publisher: string;
  title: string;
  /** YYYY-MM-DD */
  published_on: string;
  url: string;
  /** YYYY-MM-DD */
  accessed_on: string;
}

export interface SituationTags {
  sectors: string[];
  countries: string[];
  groups: string[];
  cves: string[];
}

export interface SituationItem {
  id: number;
  section: SituationSection;
  event_date: string;
  title: Bilingual;
  summary: Bilingual;
  tags: SituationTags;
  tlp: string;
  sources: SituationSource[];
}

function dateText(date: string, lang: Lang): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return lang === 'ja' ? `${y}年${m}月${d}日` : date;
}

/** The footnote's text: publisher「title」(date)、URL (accessed date閲覧). */
export function citation(source: SituationSource, lang: Lang): string {
  if (lang === 'ja')
    return `${source.publisher}「${source.title}」(${dateText(source.published_on, 'ja')})、${source.url} (${dateText(source.accessed_on, 'ja')}閲覧)`;
  return `${source.publisher}, “${source.title}” (${source.published_on}), ${source.url} (accessed ${source.accessed_on})`;
}

/** A citation in the text: the footnote's number, and whether this is where the note is set. */
export interface FootnoteRef {
  number: number;
  first: boolean;
}

export interface NumberedItem<T extends SituationItem = SituationItem> {
  item: T;
  refs: FootnoteRef[];
}

export interface Footnote {
  number: number;
  source: SituationSource;
}

/**
 * Numbers the sources of the items in reading order, across the whole part: a source is known by
 * its URL, and one cited again keeps the number it first had (its note is set once, where it is
 * first cited). An item citing the same URL twice cites it once.
 */
export function numberFootnotes<T extends SituationItem>(
  items: readonly T[],
): { items: Array<NumberedItem<T>>; notes: Footnote[] } {
  const byUrl = new Map<string, number>();
  const notes: Footnote[] = [];
  const numbered = items.map((item) => {
    const refs: FootnoteRef[] = [];
    const seen = new Set<string>();
    for (const source of item.sources) {
      const key = normalUrl(source.url);
      if (seen.has(key)) continue;
      seen.add(key);
      const known = byUrl.get(key);
      if (known !== undefined) {
        refs.push({ number: known, first: false });
        continue;
      }
      const number = notes.length + 1;
      byUrl.set(key, number);
      notes.push({ number, source });
      refs.push({ number, first: true });
    }
    return { item, refs };
  });
  return { items: numbered, notes };
}

/** Two spellings of one address are one source: scheme and host in lower case, no fragment, no trailing slash. */
export function normalUrl(url: string): string {
  try {
    const u = new URL(url.trim());
    u.hash = '';
    const text = u.toString();
    return text.endsWith('/') && u.pathname !== '/' ? text.slice(0, -1) : text;
  } catch {
    return url.trim();
  }
}

export interface SectionGroup<T> {
  section: SituationSection;
  /** The country heading, for the sections grouped by country; null otherwise. */
  country: string | null;
  items: T[];
}

/**
 * The part's reading order: chapters, sections, countries (in order of first appearance by date)
 * and items by event date. Footnotes are numbered in this order.
 */
export function orderItems<T extends SituationItem>(items: readonly T[]): Array<SectionGroup<T>> {
  const groups: Array<SectionGroup<T>> = [];
  const byDate = [...items].sort((a, b) => a.event_date.localeCompare(b.event_date) || a.id - b.id);
  for (const chapter of SITUATION_CHAPTERS) {
    for (const section of chapter.sections) {
      const inSection = byDate.filter((i) => i.section === section);
      if (!BY_COUNTRY.has(section)) {
        if (inSection.length > 0) groups.push({ section, country: null, items: inSection });
        continue;
      }
      const countries = [...new Set(inSection.map((i) => i.tags.countries[0] ?? ''))];
      for (const country of countries)
        groups.push({
          section,
          country: country || null,
          items: inSection.filter((i) => (i.tags.countries[0] ?? '') === country),
        });
    }
  }
  return groups;
}

/** Country names for the headings of the sections grouped by country (ISO 3166 alpha-2 codes; others are shown as given). */
const COUNTRY_NAMES: Record<string, Bilingual> = {
  US: { ja: '米国', en: 'United States' },
  GB: { ja: '英国', en: 'United Kingdom' },
  EU: { ja: '欧州連合', en: 'European Union' },
  DE: { ja: 'ドイツ', en: 'Germany' },
  FR: { ja: 'フランス', en: 'France' },
  AU: { ja: 'オーストラリア', en: 'Australia' },
  CA: { ja: 'カナダ', en: 'Canada' },
  NZ: { ja: 'ニュージーランド', en: 'New Zealand' },
  KR: { ja: '韓国', en: 'South Korea' },
  TW: { ja: '台湾', en: 'Taiwan' },
  SG: { ja: 'シンガポール', en: 'Singapore' },
  IN: { ja: 'インド', en: 'India' },
  UA: { ja: 'ウクライナ', en: 'Ukraine' },
  CN: { ja: '中国', en: 'China' },
  RU: { ja: 'ロシア', en: 'Russia' },
  KP: { ja: '北朝鮮', en: 'North Korea' },
  IR: { ja: 'イラン', en: 'Iran' },
  JP: { ja: '日本', en: 'Japan' },
};

export function countryName(code: string | null, lang: Lang): string {
  if (!code) return lang === 'ja' ? 'その他' : 'Other';
  return COUNTRY_NAMES[code.toUpperCase()]?.[lang] ?? code;
}
