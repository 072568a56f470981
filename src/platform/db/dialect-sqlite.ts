import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { ChainEntry } from './chain.js';
import { chainHash, GENESIS_HASH } from './chain.js';
import type { Dialect, LookupOptions, Row } from './dialect.js';
import { derivedInsertText } from './derived.js';
import { GroupCommit } from './group-commit.js';
import type { DB } from './schema.js';
import type { SqliteConnection, SqliteStatement } from './sqlite-connection.js';

/** One chain: SQLite has one writer anyway, so writers never queue on a chain's head. */
const AUDIT_CHAINS = 1;

const q = (name: string) => `"${name}"`;
const sameColumns = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((c, i) => c === b[i]);
const list = (names: readonly string[]) => names.map(q).join(', ');

/**
 * The id the next audit entry gets, read under the write lock (the head update took it): the hash
 * covers the id, so it must be known before the insert. As AUTOINCREMENT would: above every id ever given.
 */
const NEXT_AUDIT_ID = `select max(coalesce((select seq from sqlite_sequence where name = 'audit_log'), 0),
  coalesce((select max(id) from audit_log), 0)) + 1 as id`;

/**
 * SQLite: one writer at a time, so no row locks; every bulk write and lookup goes through
 * statements prepared once on the very connection Kysely's transaction runs on (so in that
 * transaction): no SQL is built or compiled per call, which costs more than running the small
 * statements a write is made of. Commits cost an fsync each: small writes share them (GroupCommit).
 */
export function sqliteDialect(db: Kysely<DB>, sqlite: SqliteConnection): Dialect {
  const statements = new Map<string, SqliteStatement>();
  /**
   * A statement prepared once, to run inside `trx` (outside a transaction another writer may hold
   * the connection in its own: a statement run past Kysely would run in that one). Looked up by a
   * short key, its text built only the first time: every API write runs a dozen of these.
   */
  const prepared = (trx: Kysely<DB>, key: string, text: () => string = () => key): SqliteStatement => {
    if (!trx.isTransaction) throw new Error('SQLite statements of the dialect run inside a transaction');
    let statement = statements.get(key);
    if (!statement) statements.set(key, (statement = sqlite.prepare(text())));
    return statement;
  };
  /**
   * `insert into table (columns) values (@columns)`: rows bind by name, straight from the row
   * object (no array per row). The last statement per table is kept with its columns: the writes
   * of one table come with the same columns, compared name by name with no text built.
   */
  const lastInsert = new Map<string, { columns: readonly string[]; statement: SqliteStatement }>();
  const insert = (trx: Kysely<DB>, table: string, columns: readonly string[]) => {
    const last = lastInsert.get(table);
    if (last && trx.isTransaction && sameColumns(last.columns, columns)) return last.statement;
    const statement = prepared(
      trx,
      `insert ${table} ${columns.join(',')}`,
      () => `insert into ${q(table)} (${list(columns)}) values (${columns.map((c) => `@${c}`).join(', ')})`,
    );
    lastInsert.set(table, { columns, statement });
    return statement;
  };
  /** Positional values of `columns`, in order. */
  const valuesOf = (row: Row, columns: readonly string[]) => {
    const values = new Array<unknown>(columns.length);
    for (let i = 0; i < columns.length; i++) values[i] = row[columns[i]!] ?? null;
    return values;
  };
  const groupCommit = new GroupCommit(db);

  const appendChain = async (trx: Kysely<DB>, entry: ChainEntry): Promise<void> => {
    if (!trx.isTransaction) return groupCommit.run((t) => appendChain(t, entry));
    if (entry.ofNewRecord) throw new Error('an entry about a new record is written with its id known');
    // The head is written first, which takes the write lock at once. A missing head starts the
    // chain afresh; if the chain has entries after all (its head was deleted) the insert of seq 1
    // fails on the unique key: fail closed.
    const chain = randomInt(AUDIT_CHAINS);
    const [head] = prepared(
      trx,
      'update audit_heads set seq = seq + 1 where chain = ? returning seq, hash',
    ).all([chain]) as Array<{ seq: number; hash: string }>;
    const seq = head ? Number(head.seq) : 1;
    const prev = head?.hash ?? GENESIS_HASH;
    const [next] = prepared(trx, NEXT_AUDIT_ID).all([]) as Array<{ id: number }>;
    const id = Number(next!.id);
    const hash = chainHash(entry.hashed, {
      prev_hash: prev,
      id,
      chain,
      seq,
      object_id: entry.values.object_id,
    });
    const columns = Object.keys(entry.values);
    prepared(
      trx,
      `audit ${columns.join(',')}`,
      () => `insert into audit_log (id, chain, seq, prev_hash, hash, hash_version, ${list(columns)})
        values (${'?, '.repeat(6 + columns.length - 1)}?)`,
    ).run([id, chain, seq, prev, hash, entry.hashVersion, ...valuesOf(entry.values, columns)]);
    if (head) prepared(trx, 'update audit_heads set hash = ? where chain = ?').run([hash, chain]);
    else prepared(trx, 'insert into audit_heads (chain, seq, hash) values (?, ?, ?)').run([chain, seq, hash]);
  };

  return {
    name: 'sqlite',
    idType: 'integer',
    idColumn: (c) => c.primaryKey().autoIncrement(),
    rollupShards: 1,
    auditChains: AUDIT_CHAINS,
    groupCommit,
    // One writer at a time: a write transaction holds the database until it commits.
    forUpdate: (query) => query,
    forUpdateSkipLocked: (query) => query,
    lockRow: () => Promise.resolve(),
    lockAgainstWriters: () => Promise.resolve(),
    // A read transaction in WAL mode reads one snapshot already.
    readOnlySnapshot: () => Promise.resolve(),
    // The migration's write transaction keeps other processes out.
    migrationLock: () => Promise.resolve(),
    rowsByKeys<R>(
      trx: Kysely<DB>,
      table: string,
      keyColumn: string,
      keys: readonly (string | number)[],
      options: LookupOptions = {},
    ): Promise<R[]> {
      if (keys.length === 0) return Promise.resolve([]);
      const where = Object.entries(options.where ?? {});
      // One key (an API write) is a plain equality; more go through json_each: one statement (and
      // one parameter) for any number of keys, still an index lookup.
      const one = keys.length === 1;
      const whereColumns = where.map(([c]) => c);
      const key = `select ${table} ${keyColumn} ${one} ${whereColumns.join(',')} ${options.columns?.join(',')}`;
      const text = () => `select ${options.columns ? list(options.columns) : '*'} from ${q(table)}
        where ${whereColumns.map((c) => `${q(c)} = ? and `).join('')}${q(keyColumn)} ${one ? '= ?' : 'in (select value from json_each(?))'}`;
      const rows = prepared(trx, key, text).all([
        ...where.map(([, v]) => v),
        one ? keys[0] : JSON.stringify(keys),
      ]);
      return Promise.resolve(rows as R[]);
    },
    insertRows(trx, table, rows, options = {}) {
      if (rows.length === 0) return Promise.resolve([]);
      const statement = insert(trx, table, Object.keys(rows[0]!));
      const ids: number[] = [];
      for (const row of rows) {
        const { lastInsertRowid } = statement.run(row);
        if (options.returnIds) ids.push(Number(lastInsertRowid));
      }
      return Promise.resolve(ids);
    },
    insertReturningKeys(trx, table, rows, keyColumn) {
      const ids = new Map<string, number>();
      if (rows.length === 0) return Promise.resolve(ids);
      const statement = insert(trx, table, Object.keys(rows[0]!));
      for (const row of rows) ids.set(String(row[keyColumn]), Number(statement.run(row).lastInsertRowid));
      return Promise.resolve(ids);
    },
    updateRows(trx, table, rows) {
      if (rows.length === 0) return Promise.resolve();
      const columns = Object.keys(rows[0]!).filter((c) => c !== 'id');
      const statement = prepared(
        trx,
        `update ${table} ${columns.join(',')}`,
        () => `update ${q(table)} set ${columns.map((c) => `${q(c)} = ?`).join(', ')} where id = ?`,
      );
      for (const row of rows) statement.run([...valuesOf(row, columns), row.id]);
      return Promise.resolve();
    },
    addTo(trx, table, keyColumns, rows, addColumn) {
      if (rows.length === 0) return Promise.resolve();
      const columns = [...keyColumns, addColumn];
      const statement = prepared(
        trx,
        `add ${table} ${columns.join(',')}`,
        () => `insert into ${q(table)} (${list(columns)}) values (${columns.map(() => '?').join(', ')})
          on conflict (${list(keyColumns)}) do update set ${q(addColumn)} = ${q(table)}.${q(addColumn)} + excluded.${q(addColumn)}`,
      );
      for (const row of rows) statement.run(valuesOf(row, columns));
      return Promise.resolve();
    },
    appendChain,
    insertDerived(trx, derived, id) {
      const parameters: unknown[] = [];
      const text = derivedInsertText(
        derived,
        (value) => (parameters.push(value), '?'),
        () => (parameters.push(id), '?'),
      );
      prepared(trx, text).run(parameters);
      return Promise.resolve();
    },
    joinText: (expression, separator) => sql<string | null>`group_concat(${expression}, ${separator})`,
    containsText: (columns, pattern) =>
      sql`(${sql.join(
        columns.map((c) => sql`${sql.ref(c)} like ${pattern} escape '\\'`),
        sql` or `,
      )})`,
    // The import's own rows need no statistics here: SQLite plans the writer's lookups by index anyway.
    analyzeOwnRows: () => Promise.resolve(),
    async refreshStatistics(target) {
      await sql`pragma optimize`.execute(target);
    },
    async readPrepared(db, query) {
      return (await db.executeQuery(query)).rows;
    },
  };
}
