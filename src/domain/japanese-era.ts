import type { TimeZone } from './time-zone.js';

/**
 * Era start dates (local dates in Japan); display only, never used for counting. Meiji began in
 * 1868 but is only supported from the 1873 Gregorian reform, so its year 1 is kept apart.
 */
const ERAS: ReadonlyArray<{ ja: string; en: string; start: [number, number, number]; firstYear?: number }> = [
  { ja: '令和', en: 'Reiwa', start: [2019, 5, 1] },
  { ja: '平成', en: 'Heisei', start: [1989, 1, 8] },
  { ja: '昭和', en: 'Showa', start: [1926, 12, 25] },
  { ja: '大正', en: 'Taisho', start: [1912, 7, 30] },
  { ja: '明治', en: 'Meiji', start: [1873, 1, 1], firstYear: 1868 },
];

export interface JapaneseEraDate {
  era: string;
  eraEn: string;
  eraYear: number;
  month: number;
  day: number;
}

export function toJapaneseEra(year: number, month: number, day: number): JapaneseEraDate {
  const key = year * 10000 + month * 100 + day;
  const era = ERAS.find(({ start: [y, m, d] }) => key >= y * 10000 + m * 100 + d);
  if (!era) throw new RangeError(`date before the Meiji calendar reform: ${year}-${month}-${day}`);
  return { era: era.ja, eraEn: era.en, eraYear: year - (era.firstYear ?? era.start[0]) + 1, month, day };
}

/** 令和6年6月7日; the first year of an era is written 元年 (令和元年5月1日). */
export function formatJapaneseDate(instant: Date | number, zone: TimeZone): string {
  const { year, month, day } = zone.local(instant);
  const d = toJapaneseEra(year, month, day);
  return `${d.era}${d.eraYear === 1 ? '元' : d.eraYear}年${d.month}月${d.day}日`;
}

/**
 * The era a fiscal year is named in: that of the calendar year it starts in, as Japanese usage
 * names a year of change by the new era (2019 is 令和元年, so FY2019 is 令和元年度 though it began
 * under Heisei, and FY2018 is 平成30年度; FY1988 is 昭和63年度, FY1989 平成元年度).
 */
export function fiscalYearEra(fiscalYear: number): Omit<JapaneseEraDate, 'month' | 'day'> {
  const { era, eraEn, eraYear } = toJapaneseEra(fiscalYear, 12, 31);
  return { era, eraEn, eraYear };
}

/**
 * A fiscal year's name: 2026年度 / FY2026, or with the era display 令和8年度 (元年度 for an era's
 * first) / FY Reiwa 8.
 */
export function formatFiscalYear(fiscalYear: number, lang: 'ja' | 'en', era: boolean): string {
  if (!era) return lang === 'ja' ? `${fiscalYear}年度` : `FY${fiscalYear}`;
  const e = fiscalYearEra(fiscalYear);
  return lang === 'ja' ? `${e.era}${e.eraYear === 1 ? '元' : e.eraYear}年度` : `FY ${e.eraEn} ${e.eraYear}`;
}
