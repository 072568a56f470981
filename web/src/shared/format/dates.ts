import type { FiscalPeriod } from '../../../../src/domain/fiscal-calendar.js';
import { FiscalCalendar } from '../../../../src/domain/fiscal-calendar.js';
import { toJapaneseEra } from '../../../../src/domain/japanese-era.js';
import type { LocalDateTime, TimeZone } from '../../../../src/domain/time-zone.js';
import type { Lang } from '../i18n';
import { settings } from '../settings';

/**
 * The server's own fiscal calendar (src/domain/fiscal-calendar.ts) with the deployment's settings:
 * the UI names the fiscal year and quarter of an instant exactly as the statistics count it.
 */
const calendar = new FiscalCalendar(settings);

/** Dates are shown in the deployment's time zone (not the browser's), as the statistics count them. */
export const zone: TimeZone = calendar.zone;

/** An instant's wall-clock date and time in the deployment's time zone. */
export function localParts(instant: Date): LocalDateTime {
  return zone.local(instant);
}

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * 2023/07/01 09:00 or, with the era display, 令和5年7月1日 09:00 (元年 for an era's first year);
 * in English 1 Jul 2023 09:00 or 1 Jul Reiwa 5 09:00.
 */
export function formatDateTime(iso: string, lang: Lang, era: boolean): string {
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return iso;
  const p = localParts(instant);
  const time = `${pad(p.hour)}:${pad(p.minute)}`;
  if (era) {
    const e = toJapaneseEra(p.year, p.month, p.day);
    if (lang === 'ja') return `${e.era}${e.eraYear === 1 ? '元' : e.eraYear}年${p.month}月${p.day}日 ${time}`;
    return `${p.day} ${MONTHS_EN[p.month - 1]} ${e.eraEn} ${e.eraYear} ${time}`;
  }
  if (lang === 'ja') return `${p.year}/${pad(p.month)}/${pad(p.day)} ${time}`;
  return `${p.day} ${MONTHS_EN[p.month - 1]} ${p.year} ${time}`;
}

/** The fiscal year (named by the year it starts in) and the quarter (1-4) an instant falls in. */
export function fiscalPeriodOf(instant: Date): FiscalPeriod {
  return calendar.periodOf(instant);
}
