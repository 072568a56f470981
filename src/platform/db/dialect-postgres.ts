import type { CompiledQuery, Kysely } from 'kysely';
import { sql } from 'kysely';
import type { BulkTable, Dialect, LookupOptions, NewRecordWrite, Row } from './dialect.js';
import { derivedInsertText } from './derived.js';
import { appendChainPg, chainCtes } from './pg-chain.js';
import type { StatementNames } from './pg-statement.js';
import { arrays, arrayType, ident, idents, Statement } from './pg-statement.js';
import type { DB } from './schema.js';

const ROLLUP_SHARDS = 16;
const AUDIT_CHAINS = 16;

/** Runs a statement outside any transaction on a pooled connection, named: prepared once per connection. */
export type RunNamed = (query: {
  name?: string;
  text: string;
  values: unknown[];
}) => Promise<{ rows: unknown[] }>;

/**
 * PostgreSQL: many rows in one statement through `unnest` of one array per column (several times
 * faster than multi-row VALUES); lookups as a join with unnest, which stays an index lookup even
 * when the planner has no statistics (a large import is one transaction: its own rows are invisible
 * to ANALYZE), where IN (...) turns into a scan that grows with the table; row locks; and a new
 * incident with all it brings as one statement in autocommit.
 */
export function postgresDialect(runNamed: RunNamed, names: StatementNames): Dialect {
  return {
    name: 'postgres',
    idType: 'serial',
    idColumn: (c) => c.primaryKey(),
    rollupShards: ROLLUP_SHARDS,
    auditChains: AUDIT_CHAINS,
    forUpdate: (query) => query.forUpdate(),
    forUpdateSkipLocked: (query) => query.forUpdate().skipLocked(),
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
      const st = new Statement();
      const columns = options.columns ? options.columns.map((c) => `t.${ident(c)}`).join(', ') : 't.*';
      const where = Object.entries(options.where ?? {})
        .map(([c, v]) => ` and t.${ident(c)} = ${st.param(v)}`)
        .join('');
      return st
        .add(`select ${columns} from ${ident(table)} t`)
        .add(` join unnest(${st.param(keys, arrayType(keyColumn))}) as u(k) on t.${ident(keyColumn)} = u.k`)
        .add(` where true${where}${options.lock ? ' for update of t' : ''}`)
        .run<R>(trx);
    },
    async insertRows(trx, table, rows, options = {}) {
      if (rows.length === 0) return [];
      const st = new Statement();
      const columns = Object.keys(rows[0]!);
      st.add(
        `insert into ${ident(table)} (${idents(columns)}) select * from unnest(${arrays(st, rows, columns)})`,
      );
      if (!options.returnIds) {
        await st.run(trx);
        return [];
      }
      // The rows are inserted, and their serial ids drawn, in array order.
      const result = await st.add(' returning id').run<{ id: number }>(trx);
      return result.map((r) => r.id).sort((a, b) => a - b);
    },
    async insertReturningKeys(trx, table, rows, keyColumn) {
      const ids = new Map<string, number>();
      if (rows.length === 0) return ids;
      const st = new Statement();
      const columns = Object.keys(rows[0]!);
      const result = await st
        .add(
          `insert into ${ident(table)} (${idents(columns)}) select * from unnest(${arrays(st, rows, columns)})`,
        )
        .add(` returning id, ${ident(keyColumn)} as key`)
        .run<{ id: number; key: string }>(trx);
      for (const r of result) ids.set(r.key, r.id);
      return ids;
    },
    async updateRows(trx, table, rows) {
      if (rows.length === 0) return;
      const st = new Statement();
      const columns = Object.keys(rows[0]!).filter((c) => c !== 'id');
      await st
        .add(
          `update ${ident(table)} as t set ${columns.map((c) => `${ident(c)} = u.${ident(c)}`).join(', ')}`,
        )
        .add(
          ` from unnest(${arrays(st, rows, ['id', ...columns])}) as u(id, ${idents(columns)}) where t.id = u.id`,
        )
        .run(trx);
    },
    async addTo(trx, table, keyColumns, rows, addColumn) {
      if (rows.length === 0) return;
      const st = new Statement();
      await st.add(addRows(st, table, keyColumns, rows, addColumn, '')).run(trx);
    },
    appendChain: (db, entry) => appendChainPg(db, entry, AUDIT_CHAINS),
    writeOne: (write) => writeOne(runNamed, names, write),
    async readPrepared<R>(_db: Kysely<DB>, query: CompiledQuery<R>) {
      const values = [...query.parameters];
      const result = await runNamed({ name: names.nameOf(query.sql), text: query.sql, values });
      return result.rows as R[];
    },
    async insertDerived(trx, derived, id) {
      const st = new Statement();
      await st
        .add(
          derivedInsertText(
            derived,
            (v) => st.param(v),
            () => st.param(id, 'int'),
          ),
        )
        .run(trx);
    },
    joinText: (expression, separator) => sql<string | null>`string_agg(${expression}, ${separator})`,
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
  st: Statement,
  table: string,
  keyColumns: readonly string[],
  rows: readonly Row[],
  addColumn: string,
  condition: string,
): string {
  const columns = idents([...keyColumns, addColumn]);
  const add = ident(addColumn);
  return `insert into ${ident(table)} (${columns})
    select ${columns} from unnest(${arrays(st, rows, [...keyColumns, addColumn])}) with ordinality as u(${columns}, ord)
    ${condition} order by ord
    on conflict (${idents(keyColumns)}) do update set ${add} = ${ident(table)}.${add} + excluded.${add}`;
}

/**
 * The record, its child rows, its counts and its audit entry as data-modifying CTEs of one
 * statement, named (its text depends only on the write's shape). `on conflict do nothing` makes it
 * a no-op when the record exists (or is being inserted concurrently); nothing is written without a
 * chain head to lock (a fresh database: the transaction path then creates the heads), so the entry
 * exists exactly when the record does.
 */
async function writeOne(runNamed: RunNamed, names: StatementNames, write: NewRecordWrite) {
  const st = new Statement();
  const columns = Object.keys(write.row);
  const entry = chainCtes(st, write.chain, AUDIT_CHAINS, { expression: 'inc.id', from: 'inc' });
  const children = write.children.map((child, i) => {
    const rows = child.rows;
    const childColumns = Object.keys(rows[0] ?? {});
    if (childColumns.length === 0) return `c${i} as (select null::int as id where false)`;
    // One row (a new incident's stage report): plain parameters, typed by the columns they go to,
    // cost the server less than one array per column.
    const source =
      rows.length === 1
        ? `select inc.id, ${childColumns.map((c) => st.param(rows[0]![c] ?? null)).join(', ')} from inc`
        : `select inc.id, u.* from inc, unnest(${arrays(st, rows, childColumns)}) as u`;
    return `c${i} as (
      insert into ${ident(child.table)} (${ident(child.parentColumn)}, ${idents(childColumns)})
      ${source}${i === 0 ? ' returning id' : ''}
    )`;
  });
  const { table, keyColumns, rows, addColumn } = write.adds;
  const adds =
    rows.length > 0
      ? `, ad as (${addRows(st, table, keyColumns, rows, addColumn, 'where exists (select 1 from inc)')})`
      : '';
  // Derived rows (a fan-out) read the inserted id; none when the record existed (inc is empty).
  const derived = (write.derived ?? []).map(
    (d, i) =>
      `, dr${i} as (${derivedInsertText(
        d,
        (v) => st.param(v),
        () => 'inc.id',
        (select) => `select d.* from inc cross join lateral (${select}) d`,
      )})`,
  );
  const first = write.children.length > 0 ? 'array(select id from c0 order by id)' : "'{}'::int[]";
  st.add(`with ${entry.lock}, inc as (
      insert into ${ident(write.table)} (${idents(columns)})
      select ${columns.map((c) => st.param(write.row[c] ?? null)).join(', ')} where exists (select 1 from audit_prev)
      on conflict (${idents(write.unique)}) do nothing
      returning id
    )${children.length > 0 ? `, ${children.join(', ')}` : ''}${adds}${derived.join('')}, ${entry.write}
    select inc.id as id, ${first} as child_ids from inc`);
  const result = await runNamed({ name: names.nameOf(st.text), text: st.text, values: st.values });
  const row = result.rows[0] as { id: number; child_ids: number[] } | undefined;
  return row ? { id: row.id, childIds: row.child_ids } : null;
}
