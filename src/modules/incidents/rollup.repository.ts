import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DialectName } from '../../db/dialect.js';
import { rollupShards, rowsPerStatement } from '../../db/dialect.js';
import type { DB } from '../../db/schema.js';
import { parseDeltaKey } from '../../domain/counting.js';
import type { RollupCount } from '../../domain/info-sharing-stats.js';
import type { RollupTable } from '../../domain/counting.js';

/**
 * Adds count deltas to the monthly rollup inside the caller's transaction. Keys are written in sorted
 * order so that concurrent PostgreSQL writers lock rows in one order (no deadlock), each on a random
 * shard so that they rarely wait on one another.
 */
export async function applyRollupDeltas(
  trx: Kysely<DB>,
  dialect: DialectName,
  deltas: Map<string, number>,
): Promise<void> {
  const keys = [...deltas.keys()].filter((k) => deltas.get(k) !== 0).sort();
  if (keys.length === 0) return;
  const shard = Math.floor(Math.random() * rollupShards(dialect));
  const rows = keys.map((key) => {
    const { month, table, code } = parseDeltaKey(key);
    return { month, tbl: table, code, shard, n: deltas.get(key)! };
  });
  const per = rowsPerStatement(5);
  for (let i = 0; i < rows.length; i += per) {
    await trx
      .insertInto('stat_rollup')
      .values(rows.slice(i, i + per))
      .onConflict((oc) =>
        oc
          .columns(['month', 'tbl', 'code', 'shard'])
          .doUpdateSet({ n: sql<number>`stat_rollup.n + excluded.n` }),
      )
      .execute();
  }
}

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
