import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import type { RollupCount } from '../../domain/info-sharing-stats.js';
import type { RollupTable } from '../../domain/counting.js';

/** The rollup summed over shards for a month range [fromMonth, toMonth]. */
export async function readRollup(db: Kysely<DB>, fromMonth: string, toMonth: string): Promise<RollupCount[]> {
  const rows = await db
    .selectFrom('stat_rollup')
    .select(['month', 'tbl', 'code', sql<number>`sum(n)`.as('n')])
    .where('month', '>=', fromMonth)
    .where('month', '<=', toMonth)
    .groupBy(['month', 'tbl', 'code'])
    .execute();
  return rows.map((r) => ({ month: r.month, table: r.tbl as RollupTable, code: r.code, n: Number(r.n) }));
}

/** The months of the live rollup in which at least one record is counted (the channel table counts each once). */
export async function readMonthsWithRecords(db: Kysely<DB>): Promise<string[]> {
  const rows = await db
    .selectFrom('stat_rollup')
    .select('month')
    .where('tbl', '=', 'channels')
    .groupBy('month')
    .having(sql<number>`sum(n)`, '>', 0)
    .execute();
  return rows.map((r) => r.month);
}

/** The fiscal years with imported published figures. */
export async function readPublishedYears(db: Kysely<DB>): Promise<number[]> {
  const rows = await db.selectFrom('published_aggregates').select('fiscal_year').distinct().execute();
  return rows.map((r) => Number(r.fiscal_year));
}
