import { describe, expect, it } from 'vitest';
import {
  fiscalYearEra,
  formatFiscalYear,
  formatJapaneseDate,
  toJapaneseEra,
} from '../../src/domain/japanese-era.js';
import { TimeZone } from '../../src/domain/time-zone.js';

const tokyo = new TimeZone('Asia/Tokyo');
const utc = new TimeZone('UTC');
/** Local midnight in Tokyo of a calendar date. */
const tokyoDate = (y: number, m: number, d: number) => tokyo.instantOf(y, m, d);

describe('formatJapaneseDate', () => {
  it.each([
    [2019, 4, 30, '平成31年4月30日'],
    [2019, 5, 1, '令和元年5月1日'],
    [2019, 12, 31, '令和元年12月31日'],
    [2020, 1, 1, '令和2年1月1日'],
    [2024, 2, 29, '令和6年2月29日'],
    [2024, 6, 7, '令和6年6月7日'],
    [1989, 1, 7, '昭和64年1月7日'],
    [1989, 1, 8, '平成元年1月8日'],
    [1926, 12, 24, '大正15年12月24日'],
    [1926, 12, 25, '昭和元年12月25日'],
    [1912, 7, 29, '明治45年7月29日'],
    [1912, 7, 30, '大正元年7月30日'],
  ])('%i-%i-%i in Tokyo is %s', (y, m, d, text) => {
    expect(formatJapaneseDate(tokyoDate(y, m, d), tokyo)).toBe(text);
  });

  it('uses the local date of the zone it is given', () => {
    const instant = new Date('2019-04-30T15:00:00Z');
    expect(formatJapaneseDate(instant, tokyo)).toBe('令和元年5月1日');
    expect(formatJapaneseDate(instant, utc)).toBe('平成31年4月30日');
    expect(formatJapaneseDate(instant.getTime(), tokyo)).toBe('令和元年5月1日');
  });

  it('changes era at local midnight in Tokyo', () => {
    expect(formatJapaneseDate(new Date('2019-04-30T14:59:59Z'), tokyo)).toBe('平成31年4月30日');
    expect(formatJapaneseDate(new Date('2019-04-30T15:00:00Z'), tokyo)).toBe('令和元年5月1日');
  });
});

describe('toJapaneseEra', () => {
  it('gives the era in both languages and the year within the era', () => {
    expect(toJapaneseEra(2024, 6, 7)).toEqual({ era: '令和', eraEn: 'Reiwa', eraYear: 6, month: 6, day: 7 });
    expect(toJapaneseEra(2019, 4, 30)).toMatchObject({ era: '平成', eraEn: 'Heisei', eraYear: 31 });
  });

  it('counts Meiji years from 1868 although it starts with the 1873 calendar reform', () => {
    expect(toJapaneseEra(1873, 1, 1)).toMatchObject({ era: '明治', eraYear: 6 });
    expect(toJapaneseEra(1912, 7, 29)).toMatchObject({ era: '明治', eraYear: 45 });
  });

  it('refuses dates before the Gregorian calendar was adopted in Japan', () => {
    expect(() => toJapaneseEra(1872, 12, 31)).toThrow(RangeError);
  });
});

describe('formatFiscalYear', () => {
  it.each([
    [2018, '平成30年度', 'FY Heisei 30'],
    [2019, '令和元年度', 'FY Reiwa 1'],
    [2020, '令和2年度', 'FY Reiwa 2'],
    [2023, '令和5年度', 'FY Reiwa 5'],
    [2026, '令和8年度', 'FY Reiwa 8'],
    [1988, '昭和63年度', 'FY Showa 63'],
    [1989, '平成元年度', 'FY Heisei 1'],
  ])('FY%i with the era display is %s / %s', (fy, ja, en) => {
    expect(formatFiscalYear(fy, 'ja', true)).toBe(ja);
    expect(formatFiscalYear(fy, 'en', true)).toBe(en);
  });

  it('without the era display, the Gregorian year names it', () => {
    expect(formatFiscalYear(2026, 'ja', false)).toBe('2026年度');
    expect(formatFiscalYear(2019, 'en', false)).toBe('FY2019');
  });

  it('names FY2019 by the era of the year it starts in, though it began under Heisei', () => {
    expect(fiscalYearEra(2019)).toEqual({ era: '令和', eraEn: 'Reiwa', eraYear: 1 });
    expect(toJapaneseEra(2019, 4, 1).era).toBe('平成');
  });
});
