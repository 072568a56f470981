import holidayJp from '@holiday-jp/holiday_jp';
import type { HolidayCalendar } from './deadline.js';

/**
 * The holiday calendars business-day periods are counted in, as data: Japan's public holidays
 * (国民の祝日 and substitute holidays, from the npm package @holiday-jp/holiday_jp, 1970-2050) and
 * its administrative holidays (行政機関の休日に関する法律: those and 29 December to 3 January), by
 * which deadlines to ministries are counted. Weekends are days off in every calendar (deadline.ts).
 */

const NAMES: ReadonlyMap<string, { name: string; name_en: string }> = new Map(
  Object.entries(holidayJp.holidays),
);
const PUBLIC_HOLIDAYS: ReadonlySet<string> = new Set(NAMES.keys());

export const HOLIDAY_CALENDARS = {
  none: () => false,
  'jp-public': (date) => PUBLIC_HOLIDAYS.has(date),
  'jp-administrative': (date) => {
    const md = date.slice(5);
    return PUBLIC_HOLIDAYS.has(date) || md >= '12-29' || md <= '01-03';
  },
} satisfies Record<string, HolidayCalendar>;

export type HolidayCalendarName = keyof typeof HOLIDAY_CALENDARS;

/** The name of a holiday (ja, en) where the package knows one: for showing why a day was skipped. */
export function holidayName(date: string): { ja: string; en: string } | null {
  const h = NAMES.get(date);
  return h ? { ja: h.name, en: h.name_en } : null;
}
