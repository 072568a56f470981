import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { DialectName } from './dialect.js';
import type { DB } from './schema.js';

export interface Database {
  readonly db: Kysely<DB>;
  readonly dialect: DialectName;
  /** The SQLite connection under Kysely, for bulk writes through prepared statements (same connection, same transaction). */
  readonly sqlite?: SQLite.Database;
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
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('cache_size = -65536');
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return {
    db,
    sqlite,
    dialect: 'sqlite',
    description: `sqlite:${path}`,
    close: () => db.destroy(),
  };
}

/**
 * Kysely prepares every query it runs; better-sqlite3 statements are reusable, and preparing costs
 * about as much as running a small query, so statements are kept (bounded, least recently used out).
 */
function withStatementCache(sqlite: SQLite.Database, limit = 500) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    prepare(source: string): SQLite.Statement {
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
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  parsed.password = '';
  return {
    db,
    dialect: 'postgres',
    description: parsed.toString() + (schema ? ` (schema ${schema})` : ''),
    close: () => db.destroy(),
  };
}
