import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DialectName } from '../../platform/db/dialect.js';
import { rollupShards, rowsPerStatement } from '../../platform/db/dialect.js';
import { preparedText } from '../../platform/db/bulk-insert.js';
import type { DB } from '../../platform/db/schema.js';
import type { SqliteConnection } from '../../platform/db/sqlite-connection.js';
import { parseDeltaKey } from '../../domain/counting.js';
import type { RollupCount } from '../../domain/info-sharing-stats.js';
import type { RollupTable } from '../../domain/counting.js';

const UPSERT_SQLITE = `insert into stat_rollup (month, tbl, code, shard, n) values (?, ?, ?, ?, ?)
  on conflict (month, tbl, code, shard) do update set n = stat_rollup.n + excluded.n`;

/**
 * Adds count deltas to the monthly rollup inside the caller's transaction. Keys are written in sorted
 * order so that concurrent PostgreSQL writers lock rows in one order (no deadlock), each on a random
 * shard so that they rarely wait on one another.
 */
export async function applyRollupDeltas(
  trx: Kysely<DB>,
  dialect: DialectName,
  deltas: Map<string, number>,
  sqlite?: SqliteConnection,
): Promise<void> {
  const keys = [...deltas.keys()].filter((k) => deltas.get(k) !== 0).sort();
  if (keys.length === 0) return;
  const shard = Math.floor(Math.random() * rollupShards(dialect));
  const rows = keys.map((key) => {
    const { month, table, code } = parseDeltaKey(key);
    return { month, tbl: table, code, shard, n: deltas.get(key)! };
  });
  if (sqlite) {
    // On the transaction's own connection, prepared once: every API write adds a few rows here.
    const upsert = preparedText(sqlite, UPSERT_SQLITE);
    for (const r of rows) upsert.run([r.month, r.tbl, r.code, r.shard, r.n]);
    return;
  }
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
