import { sql } from 'kysely';
import type { Services } from '../../src/services.js';

/** Every table of the database, found at run time: a table added later is covered without edits here. */
export async function tableNames(services: Services): Promise<string[]> {
  const { db, dialect } = services.database;
  const query =
    dialect === 'sqlite'
      ? sql<{
          name: string;
        }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`
      : sql<{ name: string }>`select table_name as name from information_schema.tables
          where table_schema = current_schema() and table_type = 'BASE TABLE'`;
  const { rows } = await query.execute(db);
  return rows.map((r) => r.name).sort();
}

/**
 * Row counts of the given tables, plus a checksum of the incidents (an update changes no count but
 * bumps a version and updated_at). One statement: the fuzz test takes one after every request.
 */
export async function stateSnapshot(
  services: Services,
  tables: readonly string[],
): Promise<Record<string, unknown>> {
  const counts = tables.map(
    (table) => sql`select cast(${table} as text) as t, cast(count(*) as text) as n from ${sql.table(table)}`,
  );
  const checksum = sql`select cast('incidents.checksum' as text) as t, coalesce(cast(sum(version) as text), '')
    || '/' || coalesce(max(updated_at), '') || '/' || coalesce(cast(max(id) as text), '') as n from incidents`;
  const { rows } = await sql<{ t: string; n: string }>`${sql.join(
    [...counts, checksum],
    sql` union all `,
  )}`.execute(services.database.db);
  const snapshot: Record<string, unknown> = {};
  for (const row of rows) snapshot[row.t] = row.t === 'incidents.checksum' ? row.n : Number(row.n);
  return snapshot;
}
