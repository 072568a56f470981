import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DatabaseSummary } from './inspect.js';
import { inspectKyoyuFile, tablesWithRows } from './inspect.js';
import { refuseBackup, refuseRestore } from './postgres-route.js';
import type { SqliteFile } from './sqlite-file.js';
import { openSqliteFile } from './sqlite-file.js';

/** A refusal the user can act on (wrong file, database in use, data in the way). */
export class BackupRefused extends Error {}

export interface BackupResult {
  database: string;
  file: string;
  bytes: number;
  ms: number;
  summary: DatabaseSummary;
}

function sqlitePath(url: string, command: 'backup' | 'restore', file: string): string {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://'))
    return command === 'backup' ? refuseBackup(url, file) : refuseRestore(url, file);
  const path = url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : '';
  if (!path || path === ':memory:') throw new BackupRefused(`${url}: not a SQLite database file`);
  return resolve(path);
}

const SIDE_FILES = ['', '-wal', '-shm', '-journal'];

/**
 * `kyoyu backup`: an online copy of the SQLite database through SQLite's backup API, safe while
 * `kyoyu serve` writes (one read snapshot; writers are not blocked). The copy is written beside
 * FILE, turned into a single self-contained file (journal_mode=DELETE), checked, synced, and only
 * then renamed to FILE: a crash never leaves a half backup under the final name.
 */
export async function backupDatabase(databaseUrl: string, file: string): Promise<BackupResult> {
  const started = Date.now();
  const source = sqlitePath(databaseUrl, 'backup', file);
  const target = resolve(file);
  if (!existsSync(source)) throw new BackupRefused(`no database at ${source}`);
  if (existsSync(target))
    throw new BackupRefused(`${target} exists; a backup never overwrites a file: name a new one`);
  mkdirSync(dirname(target), { recursive: true });
  const partial = `${target}.partial-${process.pid}`;
  try {
    const db = openSqliteFile(source, { readonly: true });
    try {
      inspectKyoyuFile(db, source);
      await db.copyTo(partial);
    } finally {
      db.close();
    }
    const summary = withFile(partial, false, (copy) => {
      copy.exec('PRAGMA journal_mode = DELETE');
      return inspectKyoyuFile(copy, `the copy ${partial}`);
    });
    syncFile(partial);
    renameSync(partial, target);
    syncFile(dirname(target));
    return {
      database: source,
      file: target,
      bytes: statSync(target).size,
      ms: Date.now() - started,
      summary,
    };
  } finally {
    for (const suffix of SIDE_FILES) rmSync(partial + suffix, { force: true });
  }
}

/**
 * `kyoyu restore`: checks the backup first (integrity, a kyoyu database), refuses while another
 * process has the database open (a running server would keep serving from its caches and connection)
 * and, without `force`, when the database holds data; then copies the backup over it through
 * SQLite's backup API, which replaces the content in one write transaction, WAL included.
 */
export async function restoreDatabase(
  databaseUrl: string,
  file: string,
  options: { force: boolean },
): Promise<BackupResult> {
  const started = Date.now();
  const target = sqlitePath(databaseUrl, 'restore', file);
  const backup = resolve(file);
  if (!existsSync(backup)) throw new BackupRefused(`no backup at ${backup}`);
  if (backup === target) throw new BackupRefused('the backup and the database are the same file');
  const expected = withFile(backup, true, (b) => inspectKyoyuFile(b, `the backup ${backup}`));

  if (existsSync(target)) checkTarget(target, options.force);
  else mkdirSync(dirname(target), { recursive: true });

  const source = openSqliteFile(backup, { readonly: true });
  try {
    await source.copyTo(target);
  } catch (error) {
    // A server that opened the database after the check above.
    if (/SQLITE_BUSY|database is locked/i.test(String((error as Error).message))) throw inUseError(target);
    throw error;
  } finally {
    source.close();
  }
  const summary = withFile(target, true, (db) => inspectKyoyuFile(db, `the restored ${target}`));
  if (summary.incidents !== expected.incidents || summary.stageReports !== expected.stageReports)
    throw new Error(`the restored ${target} does not match the backup; restore again`);
  return { database: target, file: backup, bytes: statSync(target).size, ms: Date.now() - started, summary };
}

/** Refuses a database another process has open, or one holding data unless `force`. */
function checkTarget(target: string, force: boolean): void {
  let filled: string[];
  try {
    filled = withFile(target, false, (db) => {
      if (!holdExclusively(db)) throw inUseError(target);
      try {
        return tablesWithRows(db);
      } finally {
        db.exec('ROLLBACK');
      }
    });
  } catch (error) {
    if (error instanceof BackupRefused) throw error;
    throw new BackupRefused(
      `${target} is not a usable SQLite database (${(error as Error).message}); move it away first`,
    );
  }
  if (filled.length > 0 && !force)
    throw new BackupRefused(
      `${target} holds data (${filled.slice(0, 5).join(', ')}${filled.length > 5 ? ', ...' : ''}); ` +
        'restoring replaces all of it: add --force to do so',
    );
}

/**
 * Takes an exclusive lock that no other connection shares, or reports false: any other connection
 * to a WAL database (an idle `kyoyu serve` included) holds a shared lock that prevents it.
 */
function holdExclusively(db: SqliteFile): boolean {
  db.exec('PRAGMA locking_mode = EXCLUSIVE');
  try {
    db.exec('BEGIN EXCLUSIVE');
    return true;
  } catch (error) {
    if (/SQLITE_BUSY|database is locked/i.test(String((error as Error).message))) return false;
    throw error;
  }
}

const inUseError = (target: string) =>
  new BackupRefused(`${target} is in use by another process (a running kyoyu serve?); stop it, then restore`);

function withFile<T>(path: string, readonly: boolean, fn: (file: SqliteFile) => T): T {
  const file = openSqliteFile(path, { readonly });
  try {
    return fn(file);
  } finally {
    file.close();
  }
}

/** fsync, so that the rename that follows never publishes a file whose content is not on disk. */
function syncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
