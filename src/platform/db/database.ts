import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Dialect } from './dialect.js';
import { postgresDialect } from './dialect-postgres.js';
import { StatementNames } from './pg-statement.js';
import { sqliteDialect } from './dialect-sqlite.js';
import type { DB } from './schema.js';
import type { SqliteConnection, SqliteStatement } from './sqlite-connection.js';
import { openSqliteConnection } from './sqlite-connection.js';

export interface Database {
  readonly db: Kysely<DB>;
  /** Every difference between the databases; the SQLite connection under Kysely is held inside it. */
  readonly dialect: Dialect;
  /** A description safe to print: no password. */
  readonly description: string;
  close(): Promise<void>;
}

// bigint counts come back as strings; every count kyoyu keeps fits in a JS number.
pg.types.setTypeParser(20, (v) => Number(v));

export interface OpenOptions {
  pgPoolSize?: number;
}

/** Opens `sqlite:PATH` (WAL, synchronous=FULL: a commit is on disk) or `postgres://...[?schema=NAME]`. */
export function openDatabase(url: string, options: OpenOptions = {}): Database {
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length));
  if (url.startsWith('postgres://') || url.startsWith('postgresql://'))
    return openPostgres(url, options.pgPoolSize ?? 16);
  throw new Error('database URL must start with sqlite: or postgres://');
}

function openSqlite(path: string): Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = openSqliteConnection(path);
  for (const pragma of [
    'journal_mode = WAL',
    'synchronous = FULL',
    'foreign_keys = ON',
    'busy_timeout = 10000',
    'cache_size = -65536',
  ]) {
    sqlite.exec(`PRAGMA ${pragma}`);
  }
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return {
    db,
    dialect: sqliteDialect(db, sqlite),
    description: `sqlite:${path} (${sqlite.driver})`,
    close: () => db.destroy(),
  };
}

/**
 * Kysely prepares every query it runs; better-sqlite3 statements are reusable, and preparing costs
 * about as much as running a small query, so statements are kept (bounded, least recently used out).
 */
function withStatementCache(sqlite: SqliteConnection, limit = 500) {
  const cache = new Map<string, SqliteStatement>();
  return {
    prepare(source: string): SqliteStatement {
      let statement = cache.get(source);
      if (statement) {
        cache.delete(source);
      } else {
        statement = sqlite.prepare(source);
        if (cache.size >= limit) cache.delete(cache.keys().next().value!);
      }
      cache.set(source, statement);
      return statement;
    },
    close: () => sqlite.close(),
  };
}

function openPostgres(url: string, poolSize: number): Database {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  if (schema !== null && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
    throw new Error('schema must be a plain lowercase identifier');
  const pool = new pg.Pool({
    connectionString: parsed.toString(),
    max: poolSize,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client's error (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  // A client that loses its connection while checked out but between queries (in a transaction, say)
  // emits 'error' with no listener, since the pool drops its own at checkout: the process would
  // crash. Swallowed here, the failure reaches the next query ("not queryable": a 503) and the pool
  // discards the client when it is released.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  // Masked, not dropped: whoever reads the description (the CLI's database line) sees that a
  // password is set, never which.
  if (parsed.password) parsed.password = '***';
  return {
    db,
    dialect: postgresDialect((query) => pool.query(query), new StatementNames()),
    description: parsed.toString() + (schema ? ` (schema ${schema})` : ''),
    close: () => db.destroy(),
  };
}
