import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Services } from '../../src/services.js';

/** Every table of the database, found at run time: a table added later is covered without edits here. */
export async function tableNames(services: Services): Promise<string[]> {
  const { db } = services.database;
  const dialect = services.database.dialect.name;
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

const columnsCache = new WeakMap<Services, Map<string, string[]>>();

async function columnsOf(services: Services, table: string): Promise<string[]> {
  let cache = columnsCache.get(services);
  if (!cache) columnsCache.set(services, (cache = new Map<string, string[]>()));
  const known = cache.get(table);
  if (known) return known;
  const { db } = services.database;
  const dialect = services.database.dialect.name;
  const { rows } =
    dialect === 'sqlite'
      ? await sql<{ name: string }>`select name from pragma_table_info(${table}) order by cid`.execute(db)
      : await sql<{ name: string }>`select column_name as name from information_schema.columns
          where table_schema = current_schema() and table_name = ${table} order by ordinal_position`.execute(
          db,
        );
  const columns = rows.map((r) => r.name);
  cache.set(table, columns);
  return columns;
}

/**
 * The whole database's content, table by table: each table's row count and a digest of every row
 * (every column), in ONE statement. PostgreSQL digests in SQL (md5 of the sorted rows); SQLite has
 * no digest function, so it sends the sorted rows as one text (in process: cheap) to be hashed here.
 * Any insert, delete or update of any column of any table changes it.
 */
export async function wholeState(services: Services): Promise<Record<string, string>> {
  const { db } = services.database;
  const dialect = services.database.dialect.name;
  const tables = await tableNames(services);
  const parts = await Promise.all(
    tables.map(async (table) => {
      const t = sql.table(table);
      if (dialect === 'postgres')
        return sql`select cast(${table} as text) as t, cast(count(*) as text) || ':' ||
          md5(coalesce(string_agg(cast(r as text), '|' order by cast(r as text)), '')) as n from ${t} r`;
      const row = sql.join(
        (await columnsOf(services, table)).map((c) => sql`quote(${sql.ref(c)})`),
        sql` || ',' || `,
      );
      return sql`select ${table} as t, count(*) || ':' || coalesce(group_concat(r, '|'), '') as n
        from (select ${row} as r from ${t} order by 1)`;
    }),
  );
  const { rows } = await sql<{ t: string; n: string }>`${sql.join(parts, sql` union all `)}`.execute(db);
  const state: Record<string, string> = {};
  for (const r of rows)
    state[r.t] =
      dialect === 'postgres' ? r.n : `${r.n.split(':')[0]}:${createHash('sha1').update(r.n).digest('hex')}`;
  return state;
}
