import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import type { FiscalCalendar } from '../../domain/fiscal-calendar.js';
import type { RollupCount } from '../../domain/info-sharing-stats.js';
import { quarterKey } from '../../domain/info-sharing-stats.js';
import { readClosedPeriods, readSnapshots } from '../periods/index.js';
import { readRollup } from './rollup.repository.js';

export interface StatsRollup {
  /** The live rollup, except that every closed quarter's months come from its snapshot. */
  rollup: RollupCount[];
  /** The live rollup alone (what published years hold beside their figures is counted from it). */
  live: RollupCount[];
  /** quarterKey -> closed_at */
  closed: Map<string, string>;
}

/** The rollup the statistics count for months [fromMonth, toMonth] of fiscal years fromYear..toYear. */
export async function readStatsRollup(
  db: Kysely<DB>,
  calendar: FiscalCalendar,
  fromYear: number,
  toYear: number,
): Promise<StatsRollup> {
  const fromMonth = calendar.monthsOf(fromYear)[0]!;
  const toMonth = calendar.monthsOf(toYear).at(-1)!;
  const [live, periods, snapshots] = await Promise.all([
    readRollup(db, fromMonth, toMonth),
    readClosedPeriods(db, fromYear, toYear),
    readSnapshots(db, fromYear, toYear),
  ]);
  const closed = new Map(periods.map((p) => [quarterKey(p.fiscal_year, p.quarter), p.closed_at]));
  const closedMonths = new Set(periods.flatMap((p) => calendar.monthsOf(p.fiscal_year, p.quarter)));
  const rollup = [
    ...live.filter((r) => !closedMonths.has(r.month)),
    ...snapshots
      // A snapshot row of a period reopened in between cannot exist (reopening deletes it); the
      // filter only guards against a row whose closing row is missing.
      .filter((r) => closedMonths.has(r.month)),
  ];
  return { rollup, live, closed };
}
