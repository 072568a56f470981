import SQLite from 'better-sqlite3';
import type pg from 'pg';
import type { BenchOrg } from './generate.js';
import type { RawIncident, Value } from './raw-rows.js';
import {
  INCIDENT_COLUMNS,
  INSERT_CAUSE_SQL,
  INSERT_INCIDENT_SQL,
  INSERT_STAGE_SQL,
  ROLLUP_CONFLICT_SQL,
  STAGE_COLUMNS,
  UPSERT_ROLLUP_SQL,
  placeholders,
  rollupRows,
} from './raw-rows.js';
import type { Target } from './targets.js';

/** SQLite with kyoyu's own connection settings: WAL, synchronous=FULL, foreign keys on. */
export function openRawSqlite(target: Target): SQLite.Database {
  const db = new SQLite(target.url.slice('sqlite:'.length));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 10000');
  db.pragma('cache_size = -65536');
  return db;
}

export function ensureOrgsSqlite(
  db: SQLite.Database,
  orgs: readonly BenchOrg[],
  now: string,
): Map<string, number> {
  const insert = db.prepare(
    'insert into organizations (name, sector, created_at) values (?, ?, ?) on conflict (name) do nothing',
  );
  db.transaction(() => orgs.forEach((o) => insert.run(o.name, o.sector, now)))();
  const rows = db.prepare('select id, name from organizations').all() as Array<{ id: number; name: string }>;
  return new Map(rows.map((r) => [r.name, r.id]));
}

export async function ensureOrgsPg(
  client: pg.ClientBase,
  orgs: readonly BenchOrg[],
  now: string,
): Promise<Map<string, number>> {
  const values = orgs.flatMap((o) => [o.name, o.sector, now]);
  await client.query(
    `insert into organizations (name, sector, created_at) values ${placeholders(orgs.length, 3)} on conflict (name) do nothing`,
    values,
  );
  const { rows } = await client.query<{ id: number; name: string }>('select id, name from organizations');
  return new Map(rows.map((r) => [r.name, r.id]));
}

/** Prepared statements for one incident's rows on SQLite (shared by the bulk and per-transaction baselines). */
export function sqliteWriter(db: SQLite.Database) {
  const q = (n: number) => new Array<string>(n).fill('?').join(',');
  const incident = db.prepare(`${INSERT_INCIDENT_SQL}(${q(INCIDENT_COLUMNS.length)})`);
  const stage = db.prepare(`${INSERT_STAGE_SQL}(${q(STAGE_COLUMNS.length)})`);
  const cause = db.prepare(`${INSERT_CAUSE_SQL}(?, ?)`);
  const rollup = db.prepare(`${UPSERT_ROLLUP_SQL}(?, ?, ?, ?, ?)${ROLLUP_CONFLICT_SQL}`);
  return {
    write(raw: RawIncident): number {
      const id = Number(incident.run(raw.incident).lastInsertRowid);
      for (const s of raw.stages) stage.run(id, ...s);
      for (const c of raw.causes) cause.run(id, c);
      return id;
    },
    rollup(deltas: Map<string, number>): void {
      for (const row of rollupRows(deltas, 0)) rollup.run(row);
    },
  };
}

const statementCache = new Map<string, string>();

async function insertMany(
  client: pg.ClientBase,
  prefix: string,
  rows: Value[][],
  columns: number,
  suffix = '',
  returning = false,
) {
  const maxRows = Math.floor(65_000 / columns);
  const out: Array<{ id: number; ref: string }> = [];
  for (let i = 0; i < rows.length; i += maxRows) {
    const chunk = rows.slice(i, i + maxRows);
    const key = `${prefix}|${chunk.length}|${columns}|${suffix}|${returning}`;
    let text = statementCache.get(key);
    if (!text) {
      text = prefix + placeholders(chunk.length, columns) + suffix + (returning ? ' returning id, ref' : '');
      statementCache.set(key, text);
    }
    const result = await client.query<{ id: number; ref: string }>(text, chunk.flat());
    if (returning) out.push(...result.rows);
  }
  return out;
}

/** Writes a batch of incidents with multi-row INSERTs on one client (inside the caller's transaction). */
export async function writePgBatch(client: pg.ClientBase, batch: RawIncident[]): Promise<void> {
  const ids = await insertMany(
    client,
    INSERT_INCIDENT_SQL,
    batch.map((b) => b.incident),
    INCIDENT_COLUMNS.length,
    '',
    true,
  );
  const idOf = new Map(ids.map((r) => [r.ref, r.id]));
  const stages: Value[][] = [];
  const causes: Value[][] = [];
  for (const b of batch) {
    const id = idOf.get(b.ref)!;
    for (const s of b.stages) stages.push([id, ...s]);
    for (const c of b.causes) causes.push([id, c]);
  }
  await insertMany(client, INSERT_STAGE_SQL, stages, STAGE_COLUMNS.length);
  if (causes.length > 0) await insertMany(client, INSERT_CAUSE_SQL, causes, 2);
}

export async function upsertRollupPg(
  client: pg.ClientBase,
  deltas: Map<string, number>,
  shard: number,
): Promise<void> {
  const rows = rollupRows(deltas, shard);
  if (rows.length > 0) await insertMany(client, UPSERT_ROLLUP_SQL, rows, 5, ROLLUP_CONFLICT_SQL);
}
