import type { Database } from '../../platform/db/database.js';
import type { FiscalCalendar, Quarter } from '../../domain/fiscal-calendar.js';
import type { AggregateValue, InfoSharingAnswer, QuarterState } from '../../domain/info-sharing-stats.js';
import { buildInfoSharingStats, quarterKey, withholdOpenColumns } from '../../domain/info-sharing-stats.js';
import type { StatTable } from '../../domain/counting.js';
import type { Taxonomy } from '../../domain/taxonomy.js';
import { countLateFilings, readClosedPeriods, readSnapshotQuartersWithRecords } from '../periods/index.js';
import { readStatsRollup } from './counted-rollup.js';
import type { SectorBreakdown, StatsViewer } from '../../domain/sector-stats.js';
import { sectorBreakdown } from '../../domain/sector-stats.js';
import { yearsWithData } from '../../domain/data-years.js';
import { readMonthsWithRecords, readPublishedYears } from './rollup.repository.js';

export type { SectorBreakdown, StatsViewer } from '../../domain/sector-stats.js';

export const MAX_HISTORY = 20;

/** The published tables, computed from the monthly rollup (a few hundred rows) rather than the incidents. */
export class StatsService {
  constructor(
    private readonly database: Database,
    private readonly calendar: FiscalCalendar,
    private readonly taxonomy: Taxonomy,
    /** Per-sector counts below this are suppressed outside the center (KYOYU_STATS_MIN_CELL). */
    private readonly minCell = 0,
  ) {}

  /**
   * The tables for a viewer: the center sees every figure (closed quarters from their snapshot,
   * open ones live); everyone else sees only published and closed columns (the rest are null).
   * The CLI runs on the server and speaks as the center.
   */
  async infoSharing(
    fiscalYear: number,
    history = 4,
    viewer: StatsViewer = 'center',
  ): Promise<InfoSharingAnswer> {
    const [counted, aggregates] = await Promise.all([
      readStatsRollup(this.database.db, this.calendar, fiscalYear - history, fiscalYear),
      this.aggregates(fiscalYear - history, fiscalYear),
    ]);
    const built = buildInfoSharingStats({
      fiscalYear,
      history,
      calendar: this.calendar,
      taxonomy: this.taxonomy,
      rollup: counted.rollup,
      aggregates,
      closedQuarters: new Set(counted.closed.keys()),
    });
    const stats = viewer === 'center' ? built : withholdOpenColumns(built);
    const now = Date.now();
    const published = stats.column_states.at(-1) === 'published';
    const quarters = await Promise.all(
      ([1, 2, 3, 4] as const).map(async (quarter): Promise<QuarterState> => {
        const closedAt = counted.closed.get(quarterKey(fiscalYear, quarter)) ?? null;
        const period = {
          fiscal_year: fiscalYear,
          quarter,
          closed_at: closedAt ?? '',
          closed_by: null,
          closed_by_label: '',
        };
        return {
          quarter,
          state: published ? 'published' : closedAt ? 'closed' : 'open',
          ended: now >= this.calendar.rangeOf(fiscalYear, quarter).end.getTime(),
          closed_at: closedAt,
          late_filings:
            viewer === 'center' && closedAt
              ? await countLateFilings(this.database.db, this.calendar, period)
              : null,
        };
      }),
    );
    return { ...stats, quarters };
  }

  /**
   * Operator reports per sector, for each quarter of a fiscal year and the year (from the rollup, so
   * as fast at a million incidents as at ten). Sectors with no report are listed with zeros; outside
   * the center, open quarters are withheld and small counts suppressed.
   */
  async sectors(fiscalYear: number, viewer: StatsViewer = 'center'): Promise<SectorBreakdown> {
    const counted = await readStatsRollup(this.database.db, this.calendar, fiscalYear, fiscalYear);
    return sectorBreakdown({
      fiscalYear,
      calendar: this.calendar,
      taxonomy: this.taxonomy,
      rollup: counted.rollup,
      closedQuarters: new Set(counted.closed.keys()),
      viewer,
      minCell: this.minCell,
    });
  }

  /**
   * The fiscal years in which this viewer sees at least one figure (newest first), and the running
   * one: the first screen opens on the latest year with data rather than on an empty running year.
   */
  async dataYears(
    viewer: StatsViewer = 'center',
  ): Promise<{ current_fiscal_year: number; years: number[]; latest: number | null }> {
    const db = this.database.db;
    const [liveMonths, closed, closedWithRecords, publishedYears] = await Promise.all([
      readMonthsWithRecords(db),
      readClosedPeriods(db),
      readSnapshotQuartersWithRecords(db),
      readPublishedYears(db),
    ]);
    const years = yearsWithData({
      calendar: this.calendar,
      viewer,
      liveMonths,
      closed: closed.map((p) => ({ fiscalYear: p.fiscal_year, quarter: p.quarter })),
      closedWithRecords,
      publishedYears,
    });
    return {
      current_fiscal_year: this.calendar.periodOf(Date.now()).fiscalYear,
      years,
      latest: years[0] ?? null,
    };
  }

  private async aggregates(fromYear: number, toYear: number): Promise<AggregateValue[]> {
    const rows = await this.database.db
      .selectFrom('published_aggregates')
      .select(['fiscal_year', 'quarter', 'tbl', 'code', 'value'])
      .where('fiscal_year', '>=', fromYear)
      .where('fiscal_year', '<=', toYear)
      .execute();
    return rows.map((r) => ({
      fiscalYear: Number(r.fiscal_year),
      quarter: Number(r.quarter) as 0 | Quarter,
      table: r.tbl as StatTable,
      code: r.code,
      value: Number(r.value),
    }));
  }

  /** Stores published figures; a figure imported again replaces the old one, so re-import changes nothing. */
  async importAggregates(values: readonly AggregateValue[]): Promise<{ stored: number }> {
    const now = new Date().toISOString();
    await this.database.db.transaction().execute(async (trx) => {
      for (let i = 0; i < values.length; i += 1000) {
        await trx
          .insertInto('published_aggregates')
          .values(
            values.slice(i, i + 1000).map((v) => ({
              fiscal_year: v.fiscalYear,
              quarter: v.quarter,
              tbl: v.table,
              code: v.code,
              value: v.value,
              imported_at: now,
            })),
          )
          .onConflict((oc) =>
            oc
              .columns(['fiscal_year', 'quarter', 'tbl', 'code'])
              .doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })),
          )
          .execute();
      }
    });
    return { stored: values.length };
  }
}
