import type { Kysely } from 'kysely';
import type { AddRows, Dialect } from '../../platform/db/dialect.js';
import type { DB } from '../../platform/db/schema.js';
import type { CountedIncident } from '../../domain/counting.js';
import { accumulate, contributionsOf, parseDeltaKey } from '../../domain/counting.js';
import type { FiscalCalendar } from '../../domain/fiscal-calendar.js';

/** What writes change in the live rollup: count deltas keyed `month|table|code`. */
export type RollupChange = Map<string, number>;

/**
 * The one rule for how a write moves the statistics: the incident as it counted `before` stops
 * counting, as it counts `after` starts (null: it did not exist, or no longer counts anywhere).
 * Added into `change`, so that a batch of writes sums into one change.
 */
export function rollupChange(
  calendar: FiscalCalendar,
  before: CountedIncident | null,
  after: CountedIncident | null,
  change: RollupChange = new Map(),
): RollupChange {
  if (before) accumulate(change, contributionsOf(before, calendar), -1);
  if (after) accumulate(change, contributionsOf(after, calendar), 1);
  return change;
}

/**
 * The rows that add `change` to the rollup: in key order, so that concurrent writers lock rows in
 * one order (no deadlock), all on one random shard, so that they rarely wait on one another.
 */
export function rollupRows(dialect: Dialect, change: RollupChange): AddRows {
  const keys = [...change.keys()].filter((k) => change.get(k) !== 0).sort();
  const shard = Math.floor(Math.random() * dialect.rollupShards);
  return {
    table: 'stat_rollup',
    keyColumns: ['month', 'tbl', 'code', 'shard'],
    addColumn: 'n',
    rows: keys.map((key) => {
      const { month, table, code } = parseDeltaKey(key);
      return { month, tbl: table, code, shard, n: change.get(key)! };
    }),
  };
}

/** Adds `change` to the live rollup inside the caller's transaction. */
export async function applyRollupChange(
  trx: Kysely<DB>,
  dialect: Dialect,
  change: RollupChange,
): Promise<void> {
  const { table, keyColumns, rows, addColumn } = rollupRows(dialect, change);
  await dialect.addTo(trx, table, keyColumns, rows, addColumn);
}

/** One incident's change, from `before` to `after`, applied inside the caller's transaction. */
export function applyChange(
  trx: Kysely<DB>,
  dialect: Dialect,
  calendar: FiscalCalendar,
  before: CountedIncident | null,
  after: CountedIncident | null,
): Promise<void> {
  return applyRollupChange(trx, dialect, rollupChange(calendar, before, after));
}
