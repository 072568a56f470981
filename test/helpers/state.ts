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
 * bumps a version and updated_at).
 */
export async function stateSnapshot(
  services: Services,
  tables: readonly string[],
): Promise<Record<string, unknown>> {
  const { db } = services.database;
  const snapshot: Record<string, unknown> = {};
  for (const table of tables) {
    const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(
      db,
    );
    snapshot[table] = Number(rows[0]?.n);
  }
  const { rows } = await sql<{ versions: number | string | null; updated: string | null }>`
    select sum(version) as versions, max(updated_at) as updated from incidents`.execute(db);
  snapshot['incidents.checksum'] = {
    versions: Number(rows[0]?.versions ?? 0),
    updated: rows[0]?.updated ?? null,
  };
  return snapshot;
}
