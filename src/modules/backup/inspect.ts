import type { SqliteFile } from './sqlite-file.js';

/** What a kyoyu SQLite file holds, as printed after a backup or restore. */
export interface DatabaseSummary {
  migrations: string[];
  incidents: number;
  stageReports: number;
  users: number;
}

/** Tables kyoyu fills by itself on an empty database: rows there are not data worth protecting. */
const BOOKKEEPING = new Set(['kyoyu_migrations', 'meta']);

/**
 * Checks that `file` is an intact kyoyu database (PRAGMA integrity_check, a migrations table with
 * at least one migration) and counts what it holds. Throws with a message naming `name` otherwise.
 */
export function inspectKyoyuFile(file: SqliteFile, name: string): DatabaseSummary {
  let check: Array<{ integrity_check: string }>;
  try {
    check = file.all('PRAGMA integrity_check');
  } catch (error) {
    throw new Error(`${name} is not a readable SQLite database: ${(error as Error).message}`);
  }
  if (check.length !== 1 || check[0]!.integrity_check !== 'ok') {
    const problems = check.slice(0, 3).map((r) => r.integrity_check);
    throw new Error(`${name} failed PRAGMA integrity_check: ${problems.join('; ')}`);
  }
  const tables = tableNames(file);
  if (!tables.has('kyoyu_migrations'))
    throw new Error(`${name} is not a kyoyu database (it has no kyoyu_migrations table)`);
  const migrations = file
    .all<{ name: string }>('select name from kyoyu_migrations order by name')
    .map((r) => r.name);
  if (migrations.length === 0) throw new Error(`${name} is not a kyoyu database (no migration applied)`);
  const count = (table: string) =>
    tables.has(table) ? Number(file.all<{ n: number }>(`select count(*) as n from "${table}"`)[0]!.n) : 0;
  return {
    migrations,
    incidents: count('incidents'),
    stageReports: count('stage_reports'),
    users: count('users'),
  };
}

/** Tables holding data (any rows outside kyoyu's own bookkeeping); empty for a new database. */
export function tablesWithRows(file: SqliteFile): string[] {
  return [...tableNames(file)].filter(
    (table) => !BOOKKEEPING.has(table) && file.all(`select 1 as one from "${table}" limit 1`).length > 0,
  );
}

function tableNames(file: SqliteFile): Set<string> {
  return new Set(
    file
      .all<{ name: string }>(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\'",
      )
      .map((r) => r.name),
  );
}

export function describeSummary(s: DatabaseSummary): string {
  return (
    `${s.incidents} incidents, ${s.stageReports} stage reports, ${s.users} users; ` +
    `migrations ${s.migrations.join(', ')}`
  );
}
