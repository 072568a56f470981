import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import type { FiscalCalendar, FiscalPeriod, Quarter } from '../../domain/fiscal-calendar.js';
import type { RollupTable } from '../../domain/counting.js';
import type { RollupCount } from '../../domain/info-sharing-stats.js';

export interface ClosedPeriod {
  fiscal_year: number;
  quarter: Quarter;
  closed_at: string;
  closed_by: number | null;
  closed_by_label: string;
}

const toClosed = (r: {
  fiscal_year: number;
  quarter: number;
  closed_at: string;
  closed_by: number | null;
  closed_by_label: string;
}): ClosedPeriod => ({
  fiscal_year: Number(r.fiscal_year),
  quarter: Number(r.quarter) as Quarter,
  closed_at: r.closed_at,
  closed_by: r.closed_by === null ? null : Number(r.closed_by),
  closed_by_label: r.closed_by_label,
});

/** Closed quarters of fiscal years fromYear..toYear (all of them without bounds), oldest first. */
export async function readClosedPeriods(
  db: Kysely<DB>,
  fromYear?: number,
  toYear?: number,
): Promise<ClosedPeriod[]> {
  let q = db.selectFrom('closed_periods').selectAll();
  if (fromYear !== undefined) q = q.where('fiscal_year', '>=', fromYear);
  if (toYear !== undefined) q = q.where('fiscal_year', '<=', toYear);
  const rows = await q.orderBy('fiscal_year').orderBy('quarter').execute();
  return rows.map(toClosed);
}

export async function readClosedPeriod(
  db: Kysely<DB>,
  fiscalYear: number,
  quarter: Quarter,
): Promise<ClosedPeriod | null> {
  const row = await db
    .selectFrom('closed_periods')
    .selectAll()
    .where('fiscal_year', '=', fiscalYear)
    .where('quarter', '=', quarter)
    .executeTakeFirst();
  return row ? toClosed(row) : null;
}

/** Reads the live statistics rollup of months [fromMonth, toMonth] (the stats module owns it). */
export type RollupReader = (db: Kysely<DB>, fromMonth: string, toMonth: string) => Promise<RollupCount[]>;

/** Stores a closing and the quarter's rollup as it stands in this transaction. */
export async function insertClosing(
  trx: Kysely<DB>,
  calendar: FiscalCalendar,
  closing: ClosedPeriod,
  readRollup: RollupReader,
): Promise<void> {
  const months = calendar.monthsOf(closing.fiscal_year, closing.quarter);
  await trx.insertInto('closed_periods').values(closing).execute();
  const rows = (await readRollup(trx, months[0]!, months.at(-1)!)).filter((r) => r.n !== 0);
  for (let i = 0; i < rows.length; i += 500) {
    await trx
      .insertInto('period_snapshots')
      .values(
        rows.slice(i, i + 500).map((r) => ({
          fiscal_year: closing.fiscal_year,
          quarter: closing.quarter,
          month: r.month,
          tbl: r.table,
          code: r.code,
          n: r.n,
        })),
      )
      .execute();
  }
}

export async function deleteClosing(trx: Kysely<DB>, fiscalYear: number, quarter: Quarter): Promise<void> {
  await trx
    .deleteFrom('period_snapshots')
    .where('fiscal_year', '=', fiscalYear)
    .where('quarter', '=', quarter)
    .execute();
  await trx
    .deleteFrom('closed_periods')
    .where('fiscal_year', '=', fiscalYear)
    .where('quarter', '=', quarter)
    .execute();
}

/** Snapshot rows of the closed quarters of fiscal years fromYear..toYear. */
export async function readSnapshots(
  db: Kysely<DB>,
  fromYear: number,
  toYear: number,
): Promise<RollupCount[]> {
  const rows = await db
    .selectFrom('period_snapshots')
    .select(['month', 'tbl', 'code', 'n'])
    .where('fiscal_year', '>=', fromYear)
    .where('fiscal_year', '<=', toYear)
    .execute();
  return rows.map((r) => ({ month: r.month, table: r.tbl as RollupTable, code: r.code, n: Number(r.n) }));
}

export interface LateFilingRow {
  id: number;
  ref: string;
  channel: string;
  sector: string | null;
  tlp: string;
  first_received_at: string;
  created_at: string;
  updated_at: string;
}

/** Records counted in a closed quarter that arrived or changed after its closing. */
export async function readLateFilings(
  db: Kysely<DB>,
  calendar: FiscalCalendar,
  period: ClosedPeriod,
  limit?: number,
): Promise<LateFilingRow[]> {
  let q = db
    .selectFrom('incidents')
    .select(['id', 'ref', 'channel', 'sector', 'tlp', 'first_received_at', 'created_at', 'updated_at'])
    // A report or a classification moves updated_at; a lifecycle decision (reject, withdraw) moves
    // state_changed_at only (updated_at stays for the review queue): both change what would count.
    .where((eb) =>
      eb.or([eb('updated_at', '>', period.closed_at), eb('state_changed_at', '>', period.closed_at)]),
    )
    .where('month', 'in', calendar.monthsOf(period.fiscal_year, period.quarter))
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc');
  if (limit !== undefined) q = q.limit(limit);
  const rows = await q.execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

export async function countLateFilings(
  db: Kysely<DB>,
  calendar: FiscalCalendar,
  period: ClosedPeriod,
): Promise<number> {
  const row = await db
    .selectFrom('incidents')
    .select(sql<number>`count(*)`.as('n'))
    // A report or a classification moves updated_at; a lifecycle decision (reject, withdraw) moves
    // state_changed_at only (updated_at stays for the review queue): both change what would count.
    .where((eb) =>
      eb.or([eb('updated_at', '>', period.closed_at), eb('state_changed_at', '>', period.closed_at)]),
    )
    .where('month', 'in', calendar.monthsOf(period.fiscal_year, period.quarter))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The closed quarters whose snapshot counts at least one record (in the channel table, where every record counts once). */
export async function readSnapshotQuartersWithRecords(db: Kysely<DB>): Promise<FiscalPeriod[]> {
  const rows = await db
    .selectFrom('period_snapshots')
    .select(['fiscal_year', 'quarter'])
    .where('tbl', '=', 'channels')
    .groupBy(['fiscal_year', 'quarter'])
    .having(sql<number>`sum(n)`, '>', 0)
    .execute();
  return rows.map((r) => ({ fiscalYear: Number(r.fiscal_year), quarter: Number(r.quarter) as Quarter }));
}
