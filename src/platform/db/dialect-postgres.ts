import type { Kysely, RawBuilder } from 'kysely';
import { sql } from 'kysely';
import type { BulkTable, Dialect, LookupOptions, NewRecordWrite, Row } from './dialect.js';
import { derivedInsert } from './derived.js';
import { appendChainPg, chainCtes } from './pg-chain.js';
import type { DB } from './schema.js';

// Columns that hold integers; every other column written in bulk is text.
const INTEGER_COLUMNS = new Set([
  'id',
  'organization_id',
  'center_classified_by',
  'state_changed_by',
  'version',
  'incident_id',
  'created_by',
  'shard',
  'n',
]);

const ROLLUP_SHARDS = 16;
const AUDIT_CHAINS = 16;

const refs = (columns: readonly string[]) => sql.join(columns.map((c) => sql.ref(c)));

/** One array parameter per column: a handful of parameters however many rows. */
function arrays(rows: readonly Row[], columns: readonly string[]) {
  return sql.join(
    columns.map((c) => {
      const values = rows.map((r) => r[c] ?? null);
      return INTEGER_COLUMNS.has(c) ? sql`${values}::int[]` : sql`${values}::text[]`;
    }),
  );
}

const keysArray = (column: string, keys: readonly (string | number)[]) =>
  INTEGER_COLUMNS.has(column) ? sql`${keys}::int[]` : sql`${keys}::text[]`;

/**
 * PostgreSQL: many rows in one statement through `unnest` of one array per column (several times
 * faster than multi-row VALUES); lookups as a join with unnest, which stays an index lookup even
 * when the planner has no statistics (a large import is one transaction: its own rows are invisible
 * to ANALYZE), where IN (...) turns into a scan that grows with the table; row locks; and a new
 * incident with all it brings as one statement in autocommit.
 */
export function postgresDialect(): Dialect {
  return {
    name: 'postgres',
    idType: 'serial',
    idColumn: (c) => c.primaryKey(),
    rollupShards: ROLLUP_SHARDS,
    auditChains: AUDIT_CHAINS,
    forUpdate: (query) => query.forUpdate(),
    async lockRow(trx, table, id) {
      await sql`select id from ${sql.table(table)} where id = ${id} for update`.execute(trx);
    },
    async lockAgainstWriters(trx, table) {
      // SHARE conflicts only with writers: readers, and other holders of SHARE, go on.
      await sql`lock table ${sql.table(table)} in share mode`.execute(trx);
    },
    async readOnlySnapshot(trx) {
      await sql`set transaction isolation level repeatable read read only`.execute(trx);
    },
    async migrationLock(trx) {
      await sql`select pg_advisory_xact_lock(4242001)`.execute(trx);
    },
    async rowsByKeys<R>(
      trx: Kysely<DB>,
      table: BulkTable,
      keyColumn: string,
      keys: readonly (string | number)[],
      options: LookupOptions = {},
    ): Promise<R[]> {
      if (keys.length === 0) return [];
      const columns = options.columns ? sql.join(options.columns.map((c) => sql.ref(`t.${c}`))) : sql`t.*`;
      const where = Object.entries(options.where ?? {}).map(
        ([c, v]) => sql` and ${sql.ref(`t.${c}`)} = ${v}`,
      );
      const result = await sql<R>`select ${columns} from ${sql.table(table)} t
        join unnest(${keysArray(keyColumn, keys)}) as u(k) on ${sql.ref(`t.${keyColumn}`)} = u.k
        where true${sql.join(where, sql``)}${options.lock ? sql` for update of t` : sql``}`.execute(trx);
      return result.rows;
    },
    async insertRows(trx, table, rows, options = {}) {
      if (rows.length === 0) return [];
      const columns = Object.keys(rows[0]!);
      const result = await sql<{ id: number }>`insert into ${sql.table(table)} (${refs(columns)})
        select * from unnest(${arrays(rows, columns)})${options.returnIds ? sql` returning id` : sql``}`.execute(
        trx,
      );
      // The rows are inserted, and their serial ids drawn, in array order.
      return options.returnIds ? result.rows.map((r) => r.id).sort((a, b) => a - b) : [];
    },
    async insertReturningKeys(trx, table, rows, keyColumn) {
      const ids = new Map<string, number>();
      if (rows.length === 0) return ids;
      const columns = Object.keys(rows[0]!);
      const result = await sql<{ id: number; key: string }>`insert into ${sql.table(table)} (${refs(columns)})
        select * from unnest(${arrays(rows, columns)})
        returning id, ${sql.ref(keyColumn)} as key`.execute(trx);
      for (const r of result.rows) ids.set(r.key, r.id);
      return ids;
    },
    async updateRows(trx, table, rows) {
      if (rows.length === 0) return;
      const columns = Object.keys(rows[0]!).filter((c) => c !== 'id');
      await sql`update ${sql.table(table)} as t set ${sql.join(columns.map((c) => sql`${sql.ref(c)} = u.${sql.ref(c)}`))}
        from unnest(${arrays(rows, ['id', ...columns])}) as u(id, ${refs(columns)})
        where t.id = u.id`.execute(trx);
    },
    async addTo(trx, table, keyColumns, rows, addColumn) {
      if (rows.length === 0) return;
      await addRows(table, keyColumns, rows, addColumn, sql``).execute(trx);
    },
    appendChain: (db, entry) => appendChainPg(db, entry, AUDIT_CHAINS),
    writeOne,
    async insertDerived(trx, derived, id) {
      await derivedInsert(derived, id).execute(trx);
    },
    containsText: (columns, pattern) =>
      // One text, written exactly as the trigram index of migration 004 is, which the query then uses.
      sql`(${sql.join(
        columns.map((c) => sql.ref(c)),
        sql` || chr(31) || `,
      )}) ilike ${pattern} escape '\\'`,
    async analyzeOwnRows(trx, tables) {
      await sql`analyze ${sql.join(tables.map((t) => sql.table(t)))}`.execute(trx);
    },
    async refreshStatistics(db, tables) {
      await sql`analyze ${sql.join(tables.map((t) => sql.table(t)))}`.execute(db);
      // Searches read a GIN index's pending list entry by entry: merge what the write added into it.
      await sql`select gin_clean_pending_list(i.indexrelid::regclass) from pg_index i
        join pg_class c on c.oid = i.indexrelid join pg_am a on a.oid = c.relam
        where a.amname = 'gin' and i.indrelid = any(${tables}::text[]::regclass[])`.execute(db);
    },
  };
}

/** `insert ... select ... on conflict do update` adding `addColumn`, rows locked in the order given. */
function addRows(
  table: string,
  keyColumns: readonly string[],
  rows: readonly Row[],
  addColumn: string,
  condition: RawBuilder<unknown>,
): RawBuilder<unknown> {
  const columns = [...keyColumns, addColumn];
  return sql`insert into ${sql.table(table)} (${refs(columns)})
    select ${refs(columns)} from unnest(${arrays(rows, columns)}) with ordinality as u(${refs(columns)}, ord)
    ${condition} order by ord
    on conflict (${refs(keyColumns)}) do update
    set ${sql.ref(addColumn)} = ${sql.ref(`${table}.${addColumn}`)} + excluded.${sql.ref(addColumn)}`;
}

/**
 * The record, its child rows, its counts and its audit entry as data-modifying CTEs of one
 * statement. `on conflict do nothing` makes it a no-op when the record exists (or is being
 * inserted concurrently); nothing is written without a chain head to lock (a fresh database: the
 * transaction path then creates the heads), so the entry exists exactly when the record does.
 */
async function writeOne(db: Kysely<DB>, write: NewRecordWrite) {
  const columns = Object.keys(write.row);
  const entry = chainCtes(write.chain, AUDIT_CHAINS, { expression: sql`inc.id`, from: sql`inc` });
  const children = write.children.map((child, i) => {
    const rows = child.rows;
    const childColumns = Object.keys(rows[0] ?? {});
    const name = sql.id(`c${i}`);
    if (childColumns.length === 0) return sql`${name} as (select null::int as id where false)`;
    // One row (a new incident's stage report): plain parameters, typed by the columns they go to,
    // cost the server less than one array per column.
    const source =
      rows.length === 1
        ? sql`select inc.id, ${sql.join(childColumns.map((c) => sql`${rows[0]![c] ?? null}`))} from inc`
        : sql`select inc.id, u.* from inc, unnest(${arrays(rows, childColumns)}) as u`;
    return sql`${name} as (
      insert into ${sql.table(child.table)} (${sql.ref(child.parentColumn)}, ${refs(childColumns)})
      ${source}${i === 0 ? sql` returning id` : sql``}
    )`;
  });
  const { table, keyColumns, rows, addColumn } = write.adds;
  const adds =
    rows.length > 0
      ? sql`, ad as (${addRows(table, keyColumns, rows, addColumn, sql`where exists (select 1 from inc)`)})`
      : sql``;
  // Derived rows (a fan-out) read the inserted id; none when the record existed (inc is empty).
  const derived = (write.derived ?? []).map(
    (d, i) => sql`${sql.id(`dr${i}`)} as (
      insert into ${sql.table(d.table)} (${refs(d.columns)})
      select d.* from inc cross join lateral (${d.select(sql<number>`inc.id`)}) d
    )`,
  );
  const first = write.children.length > 0 ? sql`array(select id from c0 order by id)` : sql`'{}'::int[]`;
  const result = await sql<{ id: number; child_ids: number[] }>`
    with ${entry.lock}, inc as (
      insert into ${sql.table(write.table)} (${refs(columns)})
      select ${sql.join(columns.map((c) => sql`${write.row[c] ?? null}`))} where exists (select 1 from audit_prev)
      on conflict (${refs(write.unique)}) do nothing
      returning id
    )${children.length > 0 ? sql`, ${sql.join(children)}` : sql``}${adds}${
      derived.length > 0 ? sql`, ${sql.join(derived)}` : sql``
    }, ${entry.write}
    select inc.id as id, ${first} as child_ids from inc`.execute(db);
  const row = result.rows[0];
  return row ? { id: row.id, childIds: row.child_ids } : null;
}
