import { describe, expect, it } from 'vitest';
import { yearsWithData } from '../../src/domain/data-years.js';
import { FiscalCalendar } from '../../src/domain/fiscal-calendar.js';

const calendar = new FiscalCalendar({ timeZone: 'Asia/Tokyo', fiscalYearStartMonth: 4 });
const none = { liveMonths: [], closed: [], closedWithRecords: [], publishedYears: [] };

describe('the fiscal years with data', () => {
  it('are none without records or published figures', () => {
    expect(yearsWithData({ calendar, viewer: 'center', ...none })).toEqual([]);
    expect(yearsWithData({ calendar, viewer: 'outside', ...none })).toEqual([]);
  });

  it('name a month by its fiscal year (January to March belong to the year before), newest first', () => {
    const input = {
      ...none,
      calendar,
      liveMonths: ['2024-03', '2024-04', '2022-12'],
      publishedYears: [2019],
    };
    expect(yearsWithData({ ...input, viewer: 'center' })).toEqual([2024, 2023, 2022, 2019]);
    // Open quarters are the center's working numbers.
    expect(yearsWithData({ ...input, viewer: 'outside' })).toEqual([2019]);
  });

  it('read a closed quarter from its snapshot, for everyone', () => {
    const input = {
      calendar,
      liveMonths: ['2024-05', '2025-05'],
      // FY2024 Q1 closed with records; FY2025 Q1 closed empty (its live record came late).
      closed: [
        { fiscalYear: 2024, quarter: 1 as const },
        { fiscalYear: 2025, quarter: 1 as const },
      ],
      closedWithRecords: [{ fiscalYear: 2024, quarter: 1 as const }],
      publishedYears: [2023, 2023],
    };
    expect(yearsWithData({ ...input, viewer: 'center' })).toEqual([2024, 2023]);
    expect(yearsWithData({ ...input, viewer: 'outside' })).toEqual([2024, 2023]);
  });
});
