import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { openSqliteConnection } from '../../platform/db/sqlite-connection.js';

/**
 * A SQLite file opened directly, outside Kysely and the migrations: backup and restore must read a
 * file without changing it (read-only), take locks themselves, and reach the drivers' online
 * backup API, which the connection kyoyu serves with does not expose.
 */
export interface SqliteFile {
  all<T>(sql: string): T[];
  exec(sql: string): void;
  /** Copies this database into `dest` through SQLite's backup API: one consistent snapshot. */
  copyTo(dest: string): Promise<void>;
  close(): void;
}

const require = createRequire(import.meta.url);

// Pages per backup step: all of them. A step reads one snapshot; with small steps, a server that
// commits between two steps would restart the copy again and again under load.
const ALL_PAGES = 0x7fffffff;

/** The driver kyoyu uses on this Node.js; asked of sqlite-connection.ts so the rule lives there only. */
let driver: 'better-sqlite3' | 'node:sqlite' | undefined;
function currentDriver(): 'better-sqlite3' | 'node:sqlite' {
  if (!driver) {
    const probe = openSqliteConnection(':memory:');
    driver = probe.driver;
    probe.close();
  }
  return driver;
}

export function openSqliteFile(path: string, options: { readonly: boolean }): SqliteFile {
  if (!existsSync(path)) throw new Error(`${path}: no such file`);
  return currentDriver() === 'better-sqlite3'
    ? openBetterSqlite(path, options.readonly)
    : openNodeSqlite(path, options.readonly);
}

interface BetterSqliteDatabase {
  prepare(sql: string): { all(): unknown[] };
  exec(sql: string): void;
  backup(dest: string, options: { progress: () => number }): Promise<unknown>;
  close(): void;
}

function openBetterSqlite(path: string, readonly: boolean): SqliteFile {
  const Database = require('better-sqlite3') as new (
    path: string,
    options: { readonly: boolean; fileMustExist: boolean; timeout: number },
  ) => BetterSqliteDatabase;
  // timeout 0: a lock held by another process is reported at once, not waited for.
  const db = new Database(path, { readonly, fileMustExist: true, timeout: 0 });
  return {
    all: <T>(sql: string) => db.prepare(sql).all() as T[],
    exec: (sql) => db.exec(sql),
    copyTo: async (dest) => {
      await db.backup(dest, { progress: () => ALL_PAGES });
    },
    close: () => db.close(),
  };
}

interface NodeSqliteModule {
  DatabaseSync: new (
    path: string,
    options: { readOnly: boolean; timeout?: number },
  ) => {
    prepare(sql: string): { all(): unknown[] };
    exec(sql: string): void;
    close(): void;
  };
  /** Node >= 22.16 / 23.8; kyoyu uses node:sqlite only from Node 24, where it is always there. */
  backup?: (source: unknown, dest: string, options: { rate: number }) => Promise<number>;
}

function openNodeSqlite(path: string, readonly: boolean): SqliteFile {
  const sqlite = require('node:sqlite') as NodeSqliteModule;
  const db = new sqlite.DatabaseSync(path, { readOnly: readonly, timeout: 0 });
  return {
    all: <T>(sql: string) => db.prepare(sql).all() as T[],
    exec: (sql) => db.exec(sql),
    copyTo: async (dest) => {
      if (sqlite.backup) {
        await sqlite.backup(db, dest, { rate: ALL_PAGES });
      } else if (!existsSync(dest)) {
        // VACUUM INTO reads one snapshot too, but writes only into a new file.
        db.exec(`VACUUM INTO '${dest.replaceAll("'", "''")}'`);
      } else {
        throw new Error('this Node.js has no node:sqlite backup(); restore needs Node.js >= 22.16');
      }
    },
    close: () => db.close(),
  };
}
