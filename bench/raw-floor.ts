import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { BenchOrg, IncidentPlan } from './generate.js';
import { ensureOrgsPg, ensureOrgsSqlite, openRawSqlite, sqliteWriter, upsertRollupPg } from './raw-import.js';
import type { RawIncident, Value } from './raw-rows.js';
import { INCIDENT_COLUMNS, STAGE_COLUMNS, addContributions, rawIncident } from './raw-rows.js';
import type { Target } from './targets.js';
import { rawPgPool } from './targets.js';

/**
 * The import floor (issue 14): the rows kyoyu stores for each incident, written by the best plain
 * means of each database, with the rows derived before the clock runs. Derivation happens in
 * batches (so memory stays bounded at 1M) and only the database's work is timed: SQLite prepared
 * statements with positional parameters in one transaction; PostgreSQL COPY in one transaction.
 * Two modes: every index and foreign key maintained during the load, or the secondary indexes and
 * foreign keys dropped first and rebuilt (and so validated) after it, timed as part of the load.
 */
export type FloorMode = 'maintained' | 'after_load';

export interface FloorResult {
  mode: FloorMode;
  count: number;
  /** The timed part: writes, the rollup, index and constraint rebuilds, the commit. */
  ms: number;
  /** Of which: rebuilding indexes and checking foreign keys after the load (after_load only). */
  rebuildMs: number;
  /** Deriving the rows in memory (not timed in `ms`). */
  deriveMs: number;
  peakRssMb: number;
}

const BATCH = 20_000;
const rssMb = () => process.memoryUsage().rss / 1e6;

/** Derives the next batch of rows (untimed); `deltas` gathers the rollup. */
function* batches(
  plans: Iterable<IncidentPlan>,
  orgIds: Map<string, number>,
  now: string,
  deltas: Map<string, number>,
  clock: { deriveMs: number },
): Generator<RawIncident[]> {
  let batch: RawIncident[] = [];
  let started = performance.now();
  for (const plan of plans) {
    const raw = rawIncident(plan, orgIds.get(plan.org.name)!, now);
    addContributions(deltas, raw.contributions);
    batch.push(raw);
    if (batch.length >= BATCH) {
      clock.deriveMs += performance.now() - started;
      yield batch;
      batch = [];
      started = performance.now();
    }
  }
  clock.deriveMs += performance.now() - started;
  if (batch.length > 0) yield batch;
}

const TABLES = ['incidents', 'stage_reports', 'incident_causes'];

export function sqliteFloor(
  target: Target,
  plans: Iterable<IncidentPlan>,
  orgs: readonly BenchOrg[],
  mode: FloorMode,
): FloorResult {
  const db = openRawSqlite(target);
  try {
    const now = new Date().toISOString();
    const orgIds = ensureOrgsSqlite(db, orgs, now);
    // Secondary indexes (those with their own CREATE INDEX; constraint indexes stay) and the
    // foreign-key checks, for the after-load mode.
    const indexes = db
      .prepare(
        `select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (${TABLES.map(() => '?').join(',')})`,
      )
      .all(...TABLES) as Array<{ name: string; sql: string }>;
    if (mode === 'after_load') {
      for (const i of indexes) db.exec(`drop index "${i.name}"`);
      db.pragma('foreign_keys = OFF');
    }
    const writer = sqliteWriter(db);
    const deltas = new Map<string, number>();
    const clock = { deriveMs: 0 };
    let ms = 0;
    let count = 0;
    let peak = rssMb();
    db.exec('begin');
    for (const batch of batches(plans, orgIds, now, deltas, clock)) {
      const started = performance.now();
      for (const raw of batch) writer.write(raw);
      ms += performance.now() - started;
      count += batch.length;
      peak = Math.max(peak, rssMb());
    }
    const started = performance.now();
    writer.rollup(deltas);
    let rebuildMs = 0;
    if (mode === 'after_load') {
      const rebuild = performance.now();
      for (const i of indexes) db.exec(i.sql);
      const broken = db.pragma('foreign_key_check') as unknown[];
      if (broken.length > 0) throw new Error(`floor: ${broken.length} foreign keys broken`);
      rebuildMs = performance.now() - rebuild;
    }
    db.exec('commit');
    if (mode === 'after_load') db.pragma('foreign_keys = ON');
    ms += performance.now() - started;
    return { mode, count, ms, rebuildMs, deriveMs: clock.deriveMs, peakRssMb: Math.max(peak, rssMb()) };
  } finally {
    db.close();
  }
}

/** A value in COPY's text format. */
function copyValue(v: Value): string {
  if (v === null) return '\\N';
  if (typeof v === 'number') return String(v);
  return v.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}
const copyLine = (values: readonly Value[]) => values.map(copyValue).join('\t') + '\n';

async function copy(client: pg.ClientBase, table: string, columns: readonly string[], text: string) {
  if (text.length === 0) return;
  await pipeline(
    Readable.from([text]),
    client.query(copyFrom(`copy ${table} (${columns.join(',')}) from stdin`)),
  );
}

interface PgConstraint {
  table: string;
  name: string;
  definition: string;
}

export async function pgFloor(
  target: Target,
  plans: Iterable<IncidentPlan>,
  orgs: readonly BenchOrg[],
  mode: FloorMode,
): Promise<FloorResult> {
  const pool = rawPgPool(target, 1);
  const client = await pool.connect();
  try {
    const now = new Date().toISOString();
    await client.query('begin');
    const orgIds = await ensureOrgsPg(client, orgs, now);
    const { rows: indexes } = await client.query<{ name: string; definition: string }>(
      `select i.indexname as name, i.indexdef as definition from pg_indexes i
        where i.schemaname = current_schema() and i.tablename = any($1)
          and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`,
      [TABLES],
    );
    const { rows: foreign } = await client.query<PgConstraint>(
      `select c.conrelid::regclass::text as table, c.conname as name, pg_get_constraintdef(c.oid) as definition
         from pg_constraint c join pg_class t on t.oid = c.conrelid
        where c.contype = 'f' and t.relname = any($1) and t.relnamespace = current_schema()::regnamespace`,
      [TABLES],
    );
    if (mode === 'after_load') {
      for (const i of indexes) await client.query(`drop index "${i.name}"`);
      for (const f of foreign) await client.query(`alter table ${f.table} drop constraint "${f.name}"`);
    }
    const { rows: seq } = await client.query<{ next: string }>(
      `select coalesce(max(id), 0) + 1 as next from incidents`,
    );
    let id = Number(seq[0]!.next);
    const deltas = new Map<string, number>();
    const clock = { deriveMs: 0 };
    let ms = 0;
    let count = 0;
    let peak = rssMb();
    for (const batch of batches(plans, orgIds, now, deltas, clock)) {
      // The COPY texts are derivation too: built before the clock runs.
      const derive = performance.now();
      let incidents = '';
      let stages = '';
      let causes = '';
      for (const raw of batch) {
        const own = id++;
        incidents += copyLine([own, ...raw.incident]);
        for (const s of raw.stages) stages += copyLine([own, ...s]);
        for (const c of raw.causes) causes += copyLine([own, c]);
      }
      clock.deriveMs += performance.now() - derive;
      peak = Math.max(peak, rssMb());
      const started = performance.now();
      await copy(client, 'incidents', ['id', ...INCIDENT_COLUMNS], incidents);
      await copy(client, 'stage_reports', STAGE_COLUMNS, stages);
      await copy(client, 'incident_causes', ['incident_id', 'cause'], causes);
      ms += performance.now() - started;
      count += batch.length;
    }
    const started = performance.now();
    await client.query(`select setval(pg_get_serial_sequence('incidents', 'id'), $1)`, [id - 1]);
    await upsertRollupPg(client, deltas, 0);
    let rebuildMs = 0;
    if (mode === 'after_load') {
      const rebuild = performance.now();
      for (const i of indexes) await client.query(i.definition);
      for (const f of foreign)
        await client.query(`alter table ${f.table} add constraint "${f.name}" ${f.definition}`);
      rebuildMs = performance.now() - rebuild;
    }
    await client.query('commit');
    ms += performance.now() - started;
    return { mode, count, ms, rebuildMs, deriveMs: clock.deriveMs, peakRssMb: Math.max(peak, rssMb()) };
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
    await pool.end();
  }
}
