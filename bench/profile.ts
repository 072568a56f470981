/**
 * Where the time of an import or of an API submission goes, query by query (diagnostics for the
 * benchmark; not part of `npm run bench`):
 *
 *   node --import tsx bench/profile.ts import sqlite 100000
 *   node --import tsx bench/profile.ts submit postgres 2000
 *
 * It opens the same database kyoyu opens (same pragmas / pool), with Kysely's query log attached, and
 * runs the real services: ImportService.importFile, or actorForToken + IncidentService.submit (what
 * one POST /api/v1/incidents does, minus HTTP). Add `node --cpu-prof` for a CPU profile.
 */
import type { SqliteConnection } from '../src/platform/db/sqlite-connection.js';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import type { LogEvent } from 'kysely';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../src/platform/db/database.js';
import type { DialectName } from '../src/platform/db/dialect.js';
import { postgresDialect } from '../src/platform/db/dialect-postgres.js';
import { StatementNames } from '../src/platform/db/pg-statement.js';
import { sqliteDialect } from '../src/platform/db/dialect-sqlite.js';
import type { DB } from '../src/platform/db/schema.js';
import { migrate } from '../src/platform/db/migrate.js';
import { loadTaxonomy } from '../src/domain/taxonomy.js';
import { createServices } from '../src/services.js';
import {
  apiLine,
  benchOrganizations,
  BENCH_SOURCE,
  generateIncidents,
  vocabularyOf,
  writeJsonl,
} from './generate.js';
import { fmt, log } from './report.js';
import type { Target } from './targets.js';
import { benchConfig, createTarget } from './targets.js';
import { mulberry32 } from '../src/demo/rng.js';

interface QueryStat {
  count: number;
  ms: number;
}

const stats = new Map<string, QueryStat>();
let prepareMs = 0;
let prepares = 0;

/** A short name for a statement: verb and table, plus `for update` / `on conflict` / `returning`. */
function kindOf(sqlText: string): string {
  const s = sqlText.toLowerCase().replace(/\s+/g, ' ');
  const table = /(?:from|into|update) "?([a-z_]+)"?/.exec(s)?.[1] ?? '';
  const verb = s.split(' ')[0] ?? '?';
  const extras = [
    s.includes('for update') && 'for update',
    s.includes('on conflict') && 'on conflict',
    s.includes('returning') && 'returning',
  ]
    .filter(Boolean)
    .join(', ');
  return `${verb} ${table}${extras ? ` (${extras})` : ''}`.trim();
}

function onTimed(key: string, ms: number): void {
  const s = stats.get(key) ?? { count: 0, ms: 0 };
  s.count++;
  s.ms += ms;
  stats.set(key, s);
}

const onLog = (event: LogEvent): void => onTimed(kindOf(event.query.sql), event.queryDurationMillis);

/** kyoyu's openDatabase, with the query log on (and, for SQLite, prepare() timed). */
function openLogged(target: Target): Database {
  if (target.dialect === 'sqlite') {
    const sqlite = new SQLite(target.url.slice('sqlite:'.length));
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 10000');
    sqlite.pragma('cache_size = -65536');
    // Statements are cached as kyoyu's openDatabase does (src/platform/db/database.ts withStatementCache).
    const cache = new Map<string, SQLite.Statement>();
    const timed = {
      prepare: (text: string) => {
        let statement = cache.get(text);
        if (!statement) {
          const t = performance.now();
          statement = sqlite.prepare(text);
          prepareMs += performance.now() - t;
          prepares++;
          cache.set(text, statement);
        }
        return statement;
      },
      close: () => sqlite.close(),
    };
    const db = new Kysely<DB>({
      dialect: new SqliteDialect({ database: timed }),
      log: onLog,
    });
    // kyoyu's bulk writes use the connection directly (cached prepared statements): time each run().
    const bulk = {
      prepare: (text: string) => {
        const statement = sqlite.prepare(text);
        const kind = `${kindOf(text)} (prepared, per row)`;
        const timedCall = <R>(call: () => R): R => {
          const t = performance.now();
          const result = call();
          onTimed(kind, performance.now() - t);
          return result;
        };
        // The whole SqliteStatement: the audit trail and the API's new-incident path read through it too.
        return {
          reader: statement.reader,
          run: (...params: unknown[]) => timedCall(() => statement.run(...params)),
          all: (...params: unknown[]) => timedCall(() => statement.all(...params)),
          iterate: (...params: unknown[]) => statement.iterate(...params),
        };
      },
    } as unknown as SqliteConnection;
    return { db, dialect: sqliteDialect(db, bulk), description: target.url, close: () => db.destroy() };
  }
  const url = new URL(target.url);
  url.searchParams.delete('schema');
  const pool = new pg.Pool({
    connectionString: url.toString(),
    max: 16,
    options: `-c search_path=${target.schema}`,
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), log: onLog });
  // The one-statement write runs named on the pool, past Kysely's log: timed here.
  const runNamed = async (query: { name?: string; text: string; values: unknown[] }) => {
    const start = performance.now();
    const result = await pool.query(query);
    onTimed(`${kindOf(query.text)} (named)`, performance.now() - start);
    return result;
  };
  return {
    db,
    dialect: postgresDialect(runNamed, new StatementNames()),
    description: target.url,
    close: () => db.destroy(),
  };
}

function printStats(totalMs: number, per: number, perLabel: string): void {
  const rows = [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const dbMs = rows.reduce((s, [, v]) => s + v.ms, 0);
  log(
    `  ${'statement'.padEnd(48)} ${'count'.padStart(9)} ${'total ms'.padStart(10)} ${'ms each'.padStart(8)} ${`per ${perLabel}`.padStart(12)}`,
  );
  for (const [k, v] of rows) {
    log(
      `  ${k.padEnd(48)} ${fmt(v.count).padStart(9)} ${fmt(v.ms).padStart(10)} ${(v.ms / v.count).toFixed(3).padStart(8)} ${(v.count / per).toFixed(2).padStart(12)}`,
    );
  }
  log(
    `  queries: ${fmt(rows.reduce((s, [, v]) => s + v.count, 0))}, in driver ${fmt(dbMs)} ms of ${fmt(totalMs)} ms (${((100 * dbMs) / totalMs).toFixed(0)}%)`,
  );
  if (prepares > 0)
    log(
      `  of which better-sqlite3 prepare(): ${fmt(prepares)} statements prepared (cache misses), ${fmt(prepareMs)} ms`,
    );
}

async function profileImport(target: Target, n: number, workDir: string): Promise<void> {
  const taxonomy = loadTaxonomy();
  const vocab = vocabularyOf(taxonomy);
  const orgs = benchOrganizations(200);
  const file = join(workDir, 'profile.jsonl');
  await writeJsonl(file, generateIncidents(n, vocab, orgs), n);
  const database = openLogged(target);
  await migrate(database);
  stats.clear();
  [prepareMs, prepares] = [0, 0];
  const services = createServices(benchConfig(target.url), database);
  const t = performance.now();
  const summary = await services.imports.importFile(file, { source: BENCH_SOURCE });
  const ms = performance.now() - t;
  log(
    `import of ${fmt(n)} incidents (${fmt(summary.lines)} lines) on ${target.dialect}: ${fmt(ms)} ms = ${fmt(n / (ms / 1000))} incidents/s`,
  );
  printStats(ms, n / 1000, '1k incidents');
  await database.close();
}

async function profileSubmit(target: Target, n: number): Promise<void> {
  const taxonomy = loadTaxonomy();
  const vocab = vocabularyOf(taxonomy);
  const org = benchOrganizations(1)[0]!;
  const database = openLogged(target);
  await migrate(database);
  const services = createServices(benchConfig(target.url), database);
  await services.accounts.createUser({
    email: 'profile@bench.kyoyu.example',
    organization: org.name,
    role: 'operator',
  });
  const token = await services.accounts.createToken('profile@bench.kyoyu.example', { label: 'profile' });
  const rng = mulberry32(3);
  const one = async (i: number) => {
    const actor = await services.accounts.actorForToken(token);
    await services.incidents.submit(actor!, apiLine(rng, vocab, org, `PROF-${i}`));
  };
  for (let i = 0; i < 200; i++) await one(-i - 1); // warm-up
  stats.clear();
  [prepareMs, prepares] = [0, 0];
  const t = performance.now();
  for (let i = 0; i < n; i++) await one(i);
  const ms = performance.now() - t;
  log(
    `${fmt(n)} sequential submissions (auth + submit, no HTTP) on ${target.dialect}: ${(ms / n).toFixed(3)} ms each = ${fmt(n / (ms / 1000))}/s`,
  );
  printStats(ms, n, 'request');
  await database.close();
}

const [mode = 'submit', dialectArg = 'sqlite', countArg] = process.argv.slice(2);
const dialect = dialectArg as DialectName;
const workDir = join(tmpdir(), `kyoyu-profile-${process.pid}`);
mkdirSync(workDir, { recursive: true });
const target = await createTarget(dialect, workDir, 'profile');
try {
  if (mode === 'import') await profileImport(target, Number(countArg ?? 100_000), workDir);
  else await profileSubmit(target, Number(countArg ?? 2000));
} finally {
  await target.drop();
  rmSync(workDir, { recursive: true, force: true });
}
