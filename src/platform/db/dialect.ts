import type {
  ColumnDataType,
  ColumnDefinitionBuilder,
  CompiledQuery,
  Expression,
  Kysely,
  SqlBool,
} from 'kysely';
import type { ChainEntry } from './chain.js';
import type { GroupCommit } from './group-commit.js';
import type { DB } from './schema.js';

export type DialectName = 'sqlite' | 'postgres';

/** A row as the bulk writes take it: column name to value (null, text or integer). */
export type Row = Record<string, unknown>;

/** The tables written in bulk (their integer columns are known to the PostgreSQL arrays). */
export type BulkTable =
  'incidents' | 'stage_reports' | 'incident_causes' | 'incident_indicators' | 'stat_rollup';

/** Rows whose `addColumn` is added to the row with the same `keyColumns`, inserted where none is. */
export interface AddRows {
  table: 'stat_rollup';
  keyColumns: readonly string[];
  rows: readonly Row[];
  addColumn: string;
}

/**
 * One new record and everything written with it, for `Dialect.writeOne`: its row, the rows of other
 * tables that name its id, the counts it adds, and the audit entry about it. Nothing of it is
 * written when a row with the same `unique` values exists.
 */
export interface NewRecordWrite {
  table: 'incidents';
  row: Row;
  unique: readonly string[];
  /** Each table's rows get the new id in `parentColumn`; the ids of the first table's rows are returned. */
  children: ReadonlyArray<{ table: BulkTable; parentColumn: string; rows: readonly Row[] }>;
  adds: AddRows;
  chain: ChainEntry;
  /** Rows derived from the new record by one insert-select each (a fan-out: notifications). */
  derived?: readonly DerivedRows[];
}

/**
 * Rows another table derives from a new record, by one insert-select: `select` answers one row per
 * derived row, its values in the order of `columns`; in its text, `{id}` stands for the new
 * record's id and each `?` for the next of `values`. Constant text, so each dialect prepares it
 * once (it runs on the report write path). Zero rows: nothing.
 */
export interface DerivedRows {
  table: 'notifications';
  columns: readonly string[];
  select: string;
  values: readonly unknown[];
}

export interface LookupOptions {
  /** Further conditions, column = value. */
  where?: Readonly<Record<string, string | number>>;
  columns?: readonly string[];
  /** Lock the rows found until commit: two writers deriving a row must not both start from the old one. */
  lock?: boolean;
}

/**
 * Every difference between SQLite and PostgreSQL, as one object (`database.dialect`, made by
 * openDatabase). Modules call these methods and never ask which database they run on; the raw
 * SQLite connection under Kysely lives only inside the SQLite dialect.
 */
export interface Dialect {
  readonly name: DialectName;
  /** Migrations: a surrogate key's type and column (`serial primary key` / `integer primary key autoincrement`). */
  readonly idType: ColumnDataType;
  readonly idColumn: (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
  /** Counter shards of the rollup: concurrent writers rarely add to the same row. */
  readonly rollupShards: number;
  /** Audit chains: each append locks its chain's head until commit, so concurrent writers take different ones. */
  readonly auditChains: number;
  /** Where commits are costly and writers are one at a time (SQLite), small writes share commits. */
  readonly groupCommit?: GroupCommit;

  /** The query, locking the rows it reads until commit. */
  forUpdate<Q extends { forUpdate(): Q }>(query: Q): Q;
  /**
   * The query, locking the rows it reads and passing over rows another transaction holds (a job
   * queue: PostgreSQL's FOR UPDATE SKIP LOCKED). SQLite has one writer at a time: as it is, the
   * caller's conditional update then decides who got the row.
   */
  forUpdateSkipLocked<Q extends { forUpdate(): Q; skipLocked(): Q }>(query: Q): Q;
  /** Locks one row by id until commit. */
  lockRow(trx: Kysely<DB>, table: 'incidents', id: number): Promise<void>;
  /** Holds off other writers of `table` until commit; readers go on. */
  lockAgainstWriters(trx: Kysely<DB>, table: 'stat_rollup'): Promise<void>;
  /** The rest of the transaction reads one consistent snapshot and writes nothing. */
  readOnlySnapshot(trx: Kysely<DB>): Promise<void>;
  /** Several processes migrating one database at once take turns. */
  migrationLock(trx: Kysely<DB>): Promise<void>;

  /** Rows of `table` whose `keyColumn` is one of `keys`, in any order: an index lookup however many keys. */
  rowsByKeys<R>(
    trx: Kysely<DB>,
    table: BulkTable,
    keyColumn: string,
    keys: readonly (string | number)[],
    options?: LookupOptions,
  ): Promise<R[]>;
  /** Inserts rows (all with the columns of the first); with `returnIds`, their new ids in row order. */
  insertRows(
    trx: Kysely<DB>,
    table: BulkTable,
    rows: readonly Row[],
    options?: { returnIds?: boolean },
  ): Promise<number[]>;
  /** Inserts rows and answers each new id by the row's `keyColumn` (unique among the rows). */
  insertReturningKeys(
    trx: Kysely<DB>,
    table: BulkTable,
    rows: readonly Row[],
    keyColumn: string,
  ): Promise<Map<string, number>>;
  /** Updates rows by id, every column the first row has. */
  updateRows(trx: Kysely<DB>, table: BulkTable, rows: ReadonlyArray<Row & { id: number }>): Promise<void>;
  /**
   * Adds each row's `addColumn` to the stored row with the same `keyColumns` (an upsert). Rows are
   * written in the order given: concurrent writers that sort them lock in one order (no deadlock).
   */
  addTo(
    trx: Kysely<DB>,
    table: AddRows['table'],
    keyColumns: readonly string[],
    rows: readonly Row[],
    addColumn: string,
  ): Promise<void>;
  /**
   * Appends an entry to one of the audit chains, inside `db`'s transaction, or, given the database
   * itself, as a write of its own.
   */
  appendChain(db: Kysely<DB>, entry: ChainEntry): Promise<void>;
  /**
   * Writes a new record with everything it brings in ONE statement, outside any transaction, where
   * the dialect can (PostgreSQL): a round trip costs more than the work it carries. Null when the
   * record exists (the caller then takes the transaction path), or nothing could be written.
   */
  readonly writeOne?: (write: NewRecordWrite) => Promise<{ id: number; childIds: number[] } | null>;

  /** Writes rows derived from a record whose id is known, inside the caller's transaction (one statement). */
  insertDerived(trx: Kysely<DB>, derived: DerivedRows, id: number): Promise<void>;

  /** An aggregate: the group's texts joined by `separator` (null for no rows), in no particular order. */
  joinText(expression: Expression<string>, separator: string): Expression<string | null>;
  /** Whether `pattern` (LIKE, `\` escapes) occurs in any of the text columns. */
  containsText(columns: readonly string[], pattern: string): Expression<SqlBool>;
  /** Statistics that count the transaction's own new rows, where the planner would go wrong without them. */
  analyzeOwnRows(trx: Kysely<DB>, tables: readonly BulkTable[]): Promise<void>;
  /** Refreshes the planner's statistics after a large write (and merges pending index entries). */
  refreshStatistics(db: Kysely<DB>, tables: readonly BulkTable[]): Promise<void>;
  /**
   * A frequent read outside any transaction (a TAXII page), prepared once per connection and then
   * only bound: PostgreSQL runs it as a named statement (planning an unnamed one per request cost
   * more than executing it); SQLite's statement cache already keeps every statement prepared.
   */
  readPrepared<R>(db: Kysely<DB>, query: CompiledQuery<R>): Promise<R[]>;
}
