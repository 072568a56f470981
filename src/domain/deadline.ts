import type { TimeZone } from './time-zone.js';

/**
 * When a reporting duty's stage falls due (pure). Regimes state their periods in the units of their
 * texts, counted in a stated time zone:
 * - `hours`: elapsed time (72 hours is 72 hours, across midnight and daylight-saving changes);
 * - `days`, `months`: calendar periods. Counted `elapsed`, the due time is the same wall-clock time
 *   that many days or months later; counted `end_of_day` (the Japanese Civil Code, arts. 140-143:
 *   the first day is not counted and a period ends at the end of its last day), it is the end of
 *   the local day that many days or months after the start's date. A month without the day (31
 *   January + 1 month) ends on its last day (art. 143);
 * - `business_days`: days that are neither weekends nor holidays of the calendar named (Japan's
 *   administrative holidays: public holidays and 29 December to 3 January), the first day not
 *   counted, due at the end of the last one.
 */

export const DURATION_UNITS = ['hours', 'days', 'business_days', 'months'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];
export type Counting = 'elapsed' | 'end_of_day';

export interface Period {
  amount: number;
  unit: DurationUnit;
  counting: Counting;
}

/** Whether a local date (YYYY-MM-DD) is a day off; weekends are days off in every calendar. */
export type HolidayCalendar = (localDate: string) => boolean;

const pad = (n: number) => String(n).padStart(2, '0');
export const dateKey = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A local date moved by whole days (through UTC dates: no time zone can skip or repeat a date). */
function addDays(y: number, m: number, d: number, days: number): [number, number, number] {
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
}

function addMonths(y: number, m: number, d: number, months: number): [number, number, number] {
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return [year, month, Math.min(d, daysInMonth(year, month))];
}

function isWeekend(y: number, m: number, d: number): boolean {
  const day = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return day === 0 || day === 6;
}

/** The instant a period started at `from` ends, in `zone`, with `holidays` for business days. */
export function dueAt(
  from: number,
  period: Period,
  zone: TimeZone,
  holidays: HolidayCalendar = () => false,
): number {
  if (!Number.isInteger(period.amount) || period.amount < 0)
    throw new RangeError(`not a period: ${period.amount}`);
  if (period.unit === 'hours') return from + period.amount * 3_600_000;
  const local = zone.local(from);
  const start: [number, number, number] = [local.year, local.month, local.day];
  let date: [number, number, number];
  if (period.unit === 'business_days') {
    date = start;
    for (let counted = 0; counted < period.amount;) {
      date = addDays(...date, 1);
      if (!isWeekend(...date) && !holidays(dateKey(...date))) counted++;
    }
    return endOfDay(date, zone);
  }
  date = period.unit === 'days' ? addDays(...start, period.amount) : addMonths(...start, period.amount);
  if (period.counting === 'end_of_day') return endOfDay(date, zone);
  // The same wall-clock time on the target date; a time a daylight-saving change skips moves on.
  return (
    zone.instantOf(date[0], date[1], date[2], local.hour, local.minute, local.second).getTime() +
    (((from % 1000) + 1000) % 1000)
  );
}

/** The first instant of the next local day: a period ending "at the end of" a day ends there. */
function endOfDay([y, m, d]: [number, number, number], zone: TimeZone): number {
  const [ny, nm, nd] = addDays(y, m, d, 1);
  return zone.instantOf(ny, nm, nd).getTime();
}
