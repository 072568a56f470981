import { describe, expect, it } from 'vitest';
import { FiscalCalendar, monthKey, parseMonthKey } from '../../src/domain/fiscal-calendar.js';
import { TimeZone } from '../../src/domain/time-zone.js';

const at = (iso: string) => new Date(iso);
const tokyo = new FiscalCalendar({ timeZone: 'Asia/Tokyo', fiscalYearStartMonth: 4 });
const range = (calendar: FiscalCalendar, ...args: Parameters<FiscalCalendar['rangeOf']>) => {
  const { start, end } = calendar.rangeOf(...args);
  return [start.toISOString(), end.toISOString()];
};

describe('FiscalCalendar in Asia/Tokyo with an April start', () => {
  it.each([
    ['2023-03-31T15:00:00Z', 2023, 1], // 2023-04-01 00:00 JST
    ['2023-03-31T14:59:59Z', 2022, 4], // 2023-03-31 23:59:59 JST
    ['2023-06-30T15:00:00Z', 2023, 2], // 2023-07-01 00:00 JST, still June in UTC
    ['2023-06-30T14:59:59.999Z', 2023, 1],
    ['2023-12-31T15:00:00Z', 2023, 4],
    ['2024-03-31T15:00:00Z', 2024, 1],
    ['2024-02-29T09:30:00+09:00', 2023, 4], // the leap day
  ])('%s is FY%i Q%i', (iso, fiscalYear, quarter) => {
    expect(tokyo.periodOf(at(iso))).toEqual({ fiscalYear, quarter });
    expect(tokyo.periodOf(at(iso).getTime())).toEqual({ fiscalYear, quarter });
  });

  it('puts an instant in its local month', () => {
    expect(tokyo.monthKeyOf(at('2023-06-30T15:00:00Z'))).toBe('2023-07');
    expect(tokyo.monthKeyOf(at('2024-02-29T14:59:59Z'))).toBe('2024-02');
    expect(tokyo.monthKeyOf(at('2024-02-29T15:00:00Z'))).toBe('2024-03');
  });

  it('gives the [start, end) of a fiscal year and of its quarters', () => {
    expect(range(tokyo, 2023)).toEqual(['2023-03-31T15:00:00.000Z', '2024-03-31T15:00:00.000Z']);
    expect(range(tokyo, 2023, 1)).toEqual(['2023-03-31T15:00:00.000Z', '2023-06-30T15:00:00.000Z']);
    expect(range(tokyo, 2023, 3)).toEqual(['2023-09-30T15:00:00.000Z', '2023-12-31T15:00:00.000Z']);
    expect(range(tokyo, 2023, 4)).toEqual(['2023-12-31T15:00:00.000Z', '2024-03-31T15:00:00.000Z']);
  });

  it('lists the months of a year and of a quarter, across the calendar year', () => {
    expect(tokyo.monthsOf(2023)).toEqual([
      ...['2023-04', '2023-05', '2023-06', '2023-07', '2023-08', '2023-09'],
      ...['2023-10', '2023-11', '2023-12', '2024-01', '2024-02', '2024-03'],
    ]);
    expect(tokyo.monthsOf(2023, 4)).toEqual(['2024-01', '2024-02', '2024-03']);
    for (const key of tokyo.monthsOf(2023)) expect(tokyo.periodOfMonthKey(key).fiscalYear).toBe(2023);
  });
});

describe('FiscalCalendar with other zones and start months', () => {
  it('in UTC, the fiscal year starts at UTC midnight', () => {
    const utc = new FiscalCalendar({ timeZone: 'UTC', fiscalYearStartMonth: 4 });
    expect(range(utc, 2023)).toEqual(['2023-04-01T00:00:00.000Z', '2024-04-01T00:00:00.000Z']);
    expect(utc.periodOf(at('2023-03-31T15:00:00Z'))).toEqual({ fiscalYear: 2022, quarter: 4 });
    expect(utc.periodOf(at('2023-06-30T15:00:00Z'))).toEqual({ fiscalYear: 2023, quarter: 1 });
    expect(utc.periodOf(at('2024-02-29T09:30:00+09:00'))).toEqual({ fiscalYear: 2023, quarter: 4 });
  });

  it('with a January start, fiscal and calendar years coincide', () => {
    const jan = new FiscalCalendar({ timeZone: 'Asia/Tokyo', fiscalYearStartMonth: 1 });
    expect(range(jan, 2023)).toEqual(['2022-12-31T15:00:00.000Z', '2023-12-31T15:00:00.000Z']);
    expect(jan.periodOf(at('2023-03-31T15:00:00Z'))).toEqual({ fiscalYear: 2023, quarter: 2 });
    expect(jan.periodOf(at('2023-06-30T15:00:00Z'))).toEqual({ fiscalYear: 2023, quarter: 3 });
    expect(jan.periodOf(at('2023-12-31T15:00:00Z'))).toEqual({ fiscalYear: 2024, quarter: 1 });
    expect(jan.monthsOf(2023, 4)).toEqual(['2023-10', '2023-11', '2023-12']);
  });

  it('with an October start, the fiscal year is named by the year it starts in', () => {
    const oct = new FiscalCalendar({ timeZone: 'Asia/Tokyo', fiscalYearStartMonth: 10 });
    expect(range(oct, 2023)).toEqual(['2023-09-30T15:00:00.000Z', '2024-09-30T15:00:00.000Z']);
    expect(oct.periodOf(at('2023-09-30T14:59:59Z'))).toEqual({ fiscalYear: 2022, quarter: 4 });
    expect(oct.periodOf(at('2023-09-30T15:00:00Z'))).toEqual({ fiscalYear: 2023, quarter: 1 });
    expect(oct.periodOf(at('2024-02-29T09:30:00+09:00'))).toEqual({ fiscalYear: 2023, quarter: 2 });
    expect(oct.monthsOf(2023, 4)).toEqual(['2024-07', '2024-08', '2024-09']);
    expect(range(oct, 2023, 2)).toEqual(['2023-12-31T15:00:00.000Z', '2024-03-31T15:00:00.000Z']);
  });

  it('in Europe/Berlin, quarter bounds follow summer and winter time', () => {
    const berlin = new FiscalCalendar({ timeZone: 'Europe/Berlin', fiscalYearStartMonth: 4 });
    // 2024-04-01 00:00 is CEST (+02:00); 2025-01-01 00:00 is CET (+01:00).
    expect(range(berlin, 2024)).toEqual(['2024-03-31T22:00:00.000Z', '2025-03-31T22:00:00.000Z']);
    expect(range(berlin, 2024, 3)).toEqual(['2024-09-30T22:00:00.000Z', '2024-12-31T23:00:00.000Z']);
    expect(berlin.periodOf(at('2024-03-31T21:59:59Z'))).toEqual({ fiscalYear: 2023, quarter: 4 });
    expect(berlin.periodOf(at('2024-03-31T22:00:00Z'))).toEqual({ fiscalYear: 2024, quarter: 1 });
    expect(berlin.periodOf(at('2024-12-31T22:59:59Z'))).toEqual({ fiscalYear: 2024, quarter: 3 });
    expect(berlin.periodOf(at('2024-12-31T23:00:00Z'))).toEqual({ fiscalYear: 2024, quarter: 4 });
  });

  it('in America/New_York, quarter bounds follow daylight saving time', () => {
    const ny = new FiscalCalendar({ timeZone: 'America/New_York', fiscalYearStartMonth: 4 });
    expect(range(ny, 2024)).toEqual(['2024-04-01T04:00:00.000Z', '2025-04-01T04:00:00.000Z']);
    expect(range(ny, 2024, 3)).toEqual(['2024-10-01T04:00:00.000Z', '2025-01-01T05:00:00.000Z']);
    expect(ny.periodOf(at('2024-04-01T03:59:59Z'))).toEqual({ fiscalYear: 2023, quarter: 4 });
    expect(ny.monthKeyOf(at('2024-04-01T03:59:59Z'))).toBe('2024-03');
    expect(ny.monthKeyOf(at('2025-01-01T04:59:59Z'))).toBe('2024-12');
  });

  it('starts a quarter at the first instant of its month when a transition falls at midnight', () => {
    // Asunción sprang forward at 00:00 on 2023-10-01 (that midnight never happened);
    // Gaza fell back from 01:00 to 00:00 on 2004-10-01 (that midnight happened twice).
    const asuncion = new FiscalCalendar({ timeZone: 'America/Asuncion', fiscalYearStartMonth: 4 });
    expect(range(asuncion, 2023, 3)[0]).toBe('2023-10-01T04:00:00.000Z');
    const gaza = new FiscalCalendar({ timeZone: 'Asia/Gaza', fiscalYearStartMonth: 4 });
    expect(range(gaza, 2004, 3)[0]).toBe('2004-09-30T21:00:00.000Z');
    const zones = [
      'America/Asuncion',
      'America/Havana',
      'Asia/Gaza',
      'Europe/Berlin',
      'America/New_York',
      'Australia/Lord_Howe',
    ];
    for (const timeZone of zones) {
      const calendar = new FiscalCalendar({ timeZone, fiscalYearStartMonth: 4 });
      for (let fy = 2000; fy <= 2025; fy++) {
        for (const quarter of [1, 2, 3, 4] as const) {
          const { start } = calendar.rangeOf(fy, quarter);
          expect(calendar.periodOf(start), `${timeZone} FY${fy} Q${quarter}`).toEqual({
            fiscalYear: fy,
            quarter,
          });
          expect(calendar.periodOf(start.getTime() - 1), `${timeZone} FY${fy} Q${quarter}`).not.toEqual({
            fiscalYear: fy,
            quarter,
          });
        }
      }
    }
  });

  it('refuses an unknown zone and a start month outside 1-12', () => {
    expect(() => new FiscalCalendar({ timeZone: 'Asia/Atlantis', fiscalYearStartMonth: 4 })).toThrow(
      RangeError,
    );
    expect(() => new FiscalCalendar({ timeZone: 'Asia/Atlantis', fiscalYearStartMonth: 4 })).toThrow(
      /unknown time zone/,
    );
    for (const month of [0, 13, 4.5, Number.NaN]) {
      expect(() => new FiscalCalendar({ timeZone: 'Asia/Tokyo', fiscalYearStartMonth: month })).toThrow(
        RangeError,
      );
    }
  });
});

describe('TimeZone around daylight-saving transitions', () => {
  it('shows the local wall clock on both sides of the Berlin spring and autumn changes', () => {
    const berlin = new TimeZone('Europe/Berlin');
    expect(berlin.local(at('2024-03-31T00:59:59Z'))).toMatchObject({
      month: 3,
      day: 31,
      hour: 1,
      minute: 59,
    });
    expect(berlin.local(at('2024-03-31T01:00:00Z'))).toMatchObject({ month: 3, day: 31, hour: 3, minute: 0 });
    expect(berlin.local(at('2024-10-27T00:59:59Z'))).toMatchObject({ day: 27, hour: 2, minute: 59 });
    expect(berlin.local(at('2024-10-27T01:00:00Z'))).toMatchObject({ day: 27, hour: 2, minute: 0 });
  });

  it('lands just after a spring-forward gap and on the first of an ambiguous hour', () => {
    const ny = new TimeZone('America/New_York');
    // 2024-03-10 02:30 does not exist in New York; 2024-11-03 01:30 happens twice.
    expect(ny.instantOf(2024, 3, 10, 2, 30).toISOString()).toBe('2024-03-10T07:30:00.000Z');
    expect(ny.local(ny.instantOf(2024, 3, 10, 2, 30))).toMatchObject({ hour: 3, minute: 30 });
    expect(ny.instantOf(2024, 11, 3, 1, 30).toISOString()).toBe('2024-11-03T05:30:00.000Z');
    expect(new TimeZone('Europe/Berlin').instantOf(2024, 10, 27, 2, 30).toISOString()).toBe(
      '2024-10-27T00:30:00.000Z',
    );
  });

  it('handles zones with half-hour offsets', () => {
    const india = new FiscalCalendar({ timeZone: 'Asia/Kolkata', fiscalYearStartMonth: 4 });
    expect(range(india, 2023)).toEqual(['2023-03-31T18:30:00.000Z', '2024-03-31T18:30:00.000Z']);
  });
});

describe('month keys', () => {
  it('round-trip and refuse malformed keys', () => {
    expect(monthKey(2024, 2)).toBe('2024-02');
    expect(parseMonthKey('2024-02')).toEqual([2024, 2]);
    expect(() => parseMonthKey('2024-2')).toThrow(RangeError);
  });
});
