import type { Database } from '../../db/database.js';
import type { FiscalCalendar, Quarter } from '../../domain/fiscal-calendar.js';
import type { AggregateValue, InfoSharingStats } from '../../domain/info-sharing-stats.js';
import { buildInfoSharingStats } from '../../domain/info-sharing-stats.js';
import type { StatTable } from '../../domain/counting.js';
import type { Taxonomy } from '../../domain/taxonomy.js';
import { readRollup } from '../incidents/rollup.repository.js';

export const MAX_HISTORY = 20;

export interface SectorBreakdown {
  fiscal_year: number;
  columns: string[];
  rows: Array<{ code: string; ja: string; en: string; values: number[] }>;
}

/** The published tables, computed from the monthly rollup (a few hundred rows) rather than the incidents. */
export class StatsService {
  constructor(
    private readonly database: Database,
    private readonly calendar: FiscalCalendar,
    private readonly taxonomy: Taxonomy,
  ) {}

  async infoSharing(fiscalYear: number, history = 4): Promise<InfoSharingStats> {
    const firstMonth = this.calendar.monthsOf(fiscalYear - history)[0]!;
    const lastMonth = this.calendar.monthsOf(fiscalYear).at(-1)!;
    const [rollup, aggregates] = await Promise.all([
      readRollup(this.database.db, firstMonth, lastMonth),
      this.aggregates(fiscalYear - history, fiscalYear),
    ]);
    return buildInfoSharingStats({
      fiscalYear,
      history,
      calendar: this.calendar,
      taxonomy: this.taxonomy,
      rollup,
      aggregates,
    });
  }

  /**
   * Operator reports per sector, for each quarter of a fiscal year and the year (from the rollup, so
   * as fast at a million incidents as at ten). Sectors with no report are listed with zeros.
   */
  async sectors(fiscalYear: number): Promise<SectorBreakdown> {
    const months = this.calendar.monthsOf(fiscalYear);
    const rollup = await readRollup(this.database.db, months[0]!, months.at(-1)!);
    const counts = new Map<string, number[]>();
    const row = (code: string) => {
      let r = counts.get(code);
      if (!r) counts.set(code, (r = [0, 0, 0, 0, 0]));
      return r;
    };
    for (const s of this.taxonomy.data.sectors) row(s.code);
    for (const r of rollup) {
      if (r.table !== 'sectors') continue;
      const { quarter } = this.calendar.periodOfMonthKey(r.month);
      const counted = row(r.code);
      counted[quarter - 1]! += r.n;
      counted[4]! += r.n;
    }
    return {
      fiscal_year: fiscalYear,
      columns: ['Q1', 'Q2', 'Q3', 'Q4', 'total'],
      rows: [...counts].map(([code, values]) => {
        const sector = this.taxonomy.sector(code);
        return {
          code,
          ja: sector?.ja ?? (code === 'unknown' ? '不明' : code),
          en: sector?.en ?? code,
          values,
        };
      }),
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
