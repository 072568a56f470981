import { TimeZone } from './time-zone.js';

export type Quarter = 1 | 2 | 3 | 4;

export interface FiscalPeriod {
  fiscalYear: number;
  quarter: Quarter;
}

/** A local calendar month, `YYYY-MM`; the unit the statistics rollup is kept in. */
export type MonthKey = string;

export interface FiscalCalendarOptions {
  timeZone: string;
  /** 1-12; April (4) for the Japanese government fiscal year. */
  fiscalYearStartMonth: number;
}

/**
 * Fiscal years are named by the calendar year in which they start (FY2023 = 2023-04-01 ..
 * 2024-03-31 with an April start), the Japanese convention.
 */
export class FiscalCalendar {
  readonly zone: TimeZone;
  readonly startMonth: number;

  constructor(options: FiscalCalendarOptions) {
    if (
      !Number.isInteger(options.fiscalYearStartMonth) ||
      options.fiscalYearStartMonth < 1 ||
      options.fiscalYearStartMonth > 12
    ) {
      throw new RangeError(`fiscal year start month must be 1-12, got ${options.fiscalYearStartMonth}`);
    }
    this.zone = new TimeZone(options.timeZone);
    this.startMonth = options.fiscalYearStartMonth;
  }

  get timeZone(): string {
    return this.zone.name;
  }

  periodOf(instant: Date | number): FiscalPeriod {
    const { year, month } = this.zone.local(instant);
    return this.periodOfMonth(year, month);
  }

  periodOfMonth(year: number, month: number): FiscalPeriod {
    const fiscalYear = month >= this.startMonth ? year : year - 1;
    const index = (month - this.startMonth + 12) % 12;
    return { fiscalYear, quarter: (Math.floor(index / 3) + 1) as Quarter };
  }

  monthKeyOf(instant: Date | number): MonthKey {
    const { year, month } = this.zone.local(instant);
    return monthKey(year, month);
  }

  periodOfMonthKey(key: MonthKey): FiscalPeriod {
    const [year, month] = parseMonthKey(key);
    return this.periodOfMonth(year, month);
  }

  /** The local calendar months of a fiscal year (or of one of its quarters), in order. */
  monthsOf(fiscalYear: number, quarter?: Quarter): MonthKey[] {
    const first = quarter ? (quarter - 1) * 3 : 0;
    const count = quarter ? 3 : 12;
    const keys: MonthKey[] = [];
    for (let i = first; i < first + count; i++) {
      const zeroBased = this.startMonth - 1 + i;
      keys.push(monthKey(fiscalYear + Math.floor(zeroBased / 12), (zeroBased % 12) + 1));
    }
    return keys;
  }

  /** [start, end) instants of a fiscal year or quarter in the calendar's time zone. */
  rangeOf(fiscalYear: number, quarter?: Quarter): { start: Date; end: Date } {
    const months = this.monthsOf(fiscalYear, quarter);
    const [sy, sm] = parseMonthKey(months[0]!);
    const [ly, lm] = parseMonthKey(months[months.length - 1]!);
    const endYear = lm === 12 ? ly + 1 : ly;
    const endMonth = lm === 12 ? 1 : lm + 1;
    return { start: this.zone.instantOf(sy, sm, 1), end: this.zone.instantOf(endYear, endMonth, 1) };
  }
}

export function monthKey(year: number, month: number): MonthKey {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

export function parseMonthKey(key: MonthKey): [number, number] {
  const match = /^(\d{4})-(\d{2})$/.exec(key);
  if (!match) throw new RangeError(`not a month key: ${key}`);
  return [Number(match[1]), Number(match[2])];
}
