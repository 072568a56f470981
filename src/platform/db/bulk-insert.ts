import type { Insertable, Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DialectName } from './dialect.js';
import { rowsPerStatement } from './dialect.js';
import type { DB } from './schema.js';
import type { SqliteConnection, SqliteStatement } from './sqlite-connection.js';

// Columns that hold integers; every other column kyoyu bulk-inserts is text.
const INTEGER_COLUMNS = new Set([
  'id',
  'organization_id',
  'center_classified_by',
  'state_changed_by',
  'version',
  'incident_id',
  'created_by',
]);

type BulkTable = 'incidents' | 'stage_reports' | 'incident_causes';

/**
 * Inserts many rows in as few statements as the dialect allows. On PostgreSQL one statement takes
 * one array per column (`INSERT ... SELECT * FROM unnest($1::text[], ...)`): a handful of
 * parameters instead of one per value, several times faster than multi-row VALUES. On SQLite
 * multi-row VALUES in chunks under its parameter limit.
 */
export async function bulkInsert<T extends BulkTable>(
  trx: Kysely<DB>,
  target: BulkTarget,
  table: T,
  rows: ReadonlyArray<Insertable<DB[T]>>,
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  if (target.sqlite) {
    // Named parameters bind straight from the row object: no array per row.
    const statement = preparedInsert(target.sqlite, table, columns);
    for (const row of rows) statement.run(row);
    return;
  }
  const dialect = target.dialect;
  if (dialect === 'postgres') {
    await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) select * from unnest(${sql.join(
      columns.map((c) => arrayParam(rows as ReadonlyArray<Record<string, unknown>>, c)),
    )})`.execute(trx);
    return;
  }
  const per = rowsPerStatement(columns.length);
  for (let i = 0; i < rows.length; i += per) {
    await trx
      .insertInto(table)
      .values(rows.slice(i, i + per))
      .execute();
  }
}

/** Like bulkInsert for incidents, returning each new row's id by ref. */
export async function bulkInsertIncidents(
  trx: Kysely<DB>,
  target: BulkTarget,
  rows: ReadonlyArray<Insertable<DB['incidents']>>,
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  if (rows.length === 0) return ids;
  const columns = Object.keys(rows[0]!);
  if (target.sqlite) {
    const statement = preparedInsert(target.sqlite, 'incidents', columns);
    for (const row of rows) ids.set(row.ref, Number(statement.run(row).lastInsertRowid));
    return ids;
  }
  const dialect = target.dialect;
  if (dialect === 'postgres') {
    const result = await sql<{
      id: number;
      ref: string;
    }>`insert into incidents (${sql.join(columns.map((c) => sql.ref(c)))})
      select * from unnest(${sql.join(columns.map((c) => arrayParam(rows as ReadonlyArray<Record<string, unknown>>, c)))})
      returning id, ref`.execute(trx);
    for (const r of result.rows) ids.set(r.ref, r.id);
    return ids;
  }
  const per = rowsPerStatement(columns.length);
  for (let i = 0; i < rows.length; i += per) {
    const result = await trx
      .insertInto('incidents')
      .values(rows.slice(i, i + per))
      .returning(['id', 'ref'])
      .execute();
    for (const r of result) ids.set(r.ref, r.id);
  }
  return ids;
}

/**
 * Updates many incidents by id, every given column: one statement on PostgreSQL
 * (`UPDATE ... FROM unnest(...)`), a cached prepared statement per row on SQLite.
 */
export async function bulkUpdateIncidents(
  trx: Kysely<DB>,
  target: BulkTarget,
  rows: ReadonlyArray<Record<string, unknown> & { id: number }>,
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!).filter((c) => c !== 'id');
  if (target.sqlite) {
    const text = `update incidents set ${columns.map((c) => `"${c}" = ?`).join(', ')} where id = ?`;
    const statement = preparedText(target.sqlite, text);
    for (const row of rows) statement.run([...columns.map((c) => row[c] ?? null), row.id]);
    return;
  }
  if (target.dialect === 'postgres') {
    await sql`update incidents as i set ${sql.join(columns.map((c) => sql`${sql.ref(c)} = u.${sql.ref(c)}`))}
      from unnest(${arrayParam(rows, 'id')}, ${sql.join(columns.map((c) => arrayParam(rows, c)))})
        as u(id, ${sql.join(columns.map((c) => sql.ref(c)))})
      where i.id = u.id`.execute(trx);
    return;
  }
  for (const { id, ...values } of rows)
    await trx.updateTable('incidents').set(values).where('id', '=', id).execute();
}

/**
 * Where bulk rows go. With `sqlite` set, rows are written through cached prepared statements on the
 * very connection Kysely's transaction runs on: no SQL is compiled per batch, which is most of the
 * cost of multi-row VALUES on SQLite.
 */
export interface BulkTarget {
  dialect: DialectName;
  sqlite?: SqliteConnection;
}

const statements = new WeakMap<SqliteConnection, Map<string, SqliteStatement>>();

/** `insert into table (columns) values (@columns)`, prepared once per connection; rows bind by name. */
export function preparedInsert(
  sqlite: SqliteConnection,
  table: string,
  columns: readonly string[],
): SqliteStatement {
  return preparedText(
    sqlite,
    `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`,
  );
}

/** A statement prepared once per connection: hot paths skip both query building and parsing. */
export function preparedText(sqlite: SqliteConnection, text: string): SqliteStatement {
  let cache = statements.get(sqlite);
  if (!cache) statements.set(sqlite, (cache = new Map<string, SqliteStatement>()));
  let statement = cache.get(text);
  if (!statement) cache.set(text, (statement = sqlite.prepare(text)));
  return statement;
}

function arrayParam(rows: ReadonlyArray<Record<string, unknown>>, column: string) {
  const values = rows.map((r) => r[column] ?? null);
  return INTEGER_COLUMNS.has(column) ? sql`${values}::int[]` : sql`${values}::text[]`;
}
