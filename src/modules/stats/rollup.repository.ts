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
