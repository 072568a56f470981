import { createRequire } from 'node:module';

/**
 * The SQLite connection kyoyu needs (what Kysely's SqliteDialect calls, plus exec and named-parameter
 * runs), over one of two drivers:
 * - better-sqlite3 12 on Node 20 and 22 (13 needs Node 22 and crashes on 20);
 * - Node's built-in `node:sqlite` on Node 24 and later, where better-sqlite3 12 aborts the process
 *   when a statement is garbage-collected (Node 24 changed ObjectWrap; fixed only in 13).
 */
export interface SqliteStatement {
  readonly reader: boolean;
  all(parameters: readonly unknown[]): unknown[];
  run(parameters: readonly unknown[] | Record<string, unknown>): {
    changes: number | bigint;
    lastInsertRowid: number | bigint;
  };
  iterate(parameters: readonly unknown[]): IterableIterator<unknown>;
}

export interface SqliteConnection {
  readonly driver: 'better-sqlite3' | 'node:sqlite';
  prepare(sql: string): SqliteStatement;
  exec(sql: string): void;
  close(): void;
}

const require = createRequire(import.meta.url);
const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

export function openSqliteConnection(path: string): SqliteConnection {
  return NODE_MAJOR >= 24 ? openNodeSqlite(path) : openBetterSqlite(path);
}

interface BetterSqliteDatabase {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): void;
  close(): void;
}

function openBetterSqlite(path: string): SqliteConnection {
  const Database = require('better-sqlite3') as new (path: string) => BetterSqliteDatabase;
  const db = new Database(path);
  // better-sqlite3 statements already take an array (positional) or an object (named parameters).
  return {
    driver: 'better-sqlite3',
    prepare: (sql) => db.prepare(sql),
    exec: (sql) => db.exec(sql),
    close: () => db.close(),
  };
}

interface NodeStatement {
  columns(): unknown[];
  all(...parameters: unknown[]): unknown[];
  run(...parameters: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  iterate(...parameters: unknown[]): IterableIterator<unknown>;
}

function openNodeSqlite(path: string): SqliteConnection {
  const { DatabaseSync } = require('node:sqlite') as {
    DatabaseSync: new (path: string) => {
      prepare(sql: string): NodeStatement;
      exec(sql: string): void;
      close(): void;
    };
  };
  const db = new DatabaseSync(path);
  const spread = (p: readonly unknown[] | Record<string, unknown>): unknown[] =>
    Array.isArray(p) ? [...(p as unknown[])] : [p];
  return {
    driver: 'node:sqlite',
    prepare(sql) {
      const statement = db.prepare(sql);
      return {
        reader: statement.columns().length > 0,
        all: (p) => statement.all(...spread(p)),
        run: (p) => statement.run(...spread(p)),
        iterate: (p) => statement.iterate(...spread(p)),
      };
    },
    exec: (sql) => db.exec(sql),
    close: () => db.close(),
  };
}
