import type { FiscalCalendar, FiscalPeriod } from './fiscal-calendar.js';
import { quarterKey } from './info-sharing-stats.js';
import type { StatsViewer } from './sector-stats.js';

export interface DataYearsInput {
  calendar: FiscalCalendar;
  viewer: StatsViewer;
  /** Months (`YYYY-MM`) of the live rollup in which at least one record is counted. */
  liveMonths: readonly string[];
  /** Every closed quarter. */
  closed: readonly FiscalPeriod[];
  /** The closed quarters whose snapshot counts at least one record. */
  closedWithRecords: readonly FiscalPeriod[];
  /** Fiscal years with imported published figures. */
  publishedYears: readonly number[];
}

/**
 * The fiscal years in which this viewer's statistics show at least one figure, newest first: the
 * first screen opens on the first of them rather than on an empty running year.
 *
 * It follows what the statistics themselves show: a published year for everyone; a closed quarter
 * from its snapshot (for everyone); a quarter still open only for the center, from the live rollup
 * (everyone else sees nothing of it, so such a year alone must not lead them to an empty page, and
 * its mere presence in the list would tell of filings the center has not released).
 */
export function yearsWithData(input: DataYearsInput): number[] {
  const years = new Set<number>(input.publishedYears);
  for (const p of input.closedWithRecords) years.add(p.fiscalYear);
  if (input.viewer === 'center') {
    // A closed quarter is read from its snapshot: live months inside it do not count.
    const closed = new Set(input.closed.map((p) => quarterKey(p.fiscalYear, p.quarter)));
    for (const month of input.liveMonths) {
      const p = input.calendar.periodOfMonthKey(month);
      if (!closed.has(quarterKey(p.fiscalYear, p.quarter))) years.add(p.fiscalYear);
    }
  }
  return [...years].sort((a, b) => b - a);
}
