import { randomBytes } from 'node:crypto';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { openServices } from '../src/bootstrap.js';
import type { Config } from '../src/config.js';
import { loadConfig } from '../src/config.js';
import type { DialectName } from '../src/platform/db/dialect.js';
import type { Services } from '../src/services.js';

/** A fresh, empty benchmark database: a SQLite file in the work directory or a new PostgreSQL schema. */
export interface Target {
  dialect: DialectName;
  label: string;
  url: string;
  /** PostgreSQL only: the schema to point raw clients at. */
  schema?: string;
  drop(): Promise<void>;
  sizeBytes(): Promise<number>;
}

export const PG_BASE_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The configuration the real server would use, without reading this process's environment. */
export function benchConfig(databaseUrl: string, env: Record<string, string> = {}): Config {
  return loadConfig({ KYOYU_TIME_ZONE: 'Asia/Tokyo', KYOYU_LOG_LEVEL: 'warn', ...env }, { databaseUrl });
}

export async function openBench(url: string, env: Record<string, string> = {}): Promise<Services> {
  return openServices(benchConfig(url, env));
}

export async function pgReachable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: PG_BASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ v: string }>("select current_setting('server_version') as v");
    return rows[0]?.v ?? 'unknown';
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function pgSettings(): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: PG_BASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string; setting: string; unit: string | null }>(
      `select name, setting, unit from pg_settings where name in ('synchronous_commit','fsync','shared_buffers','max_wal_size','work_mem')`,
    );
    return Object.fromEntries(rows.map((r) => [r.name, r.setting + (r.unit ?? '')]));
  } finally {
    await client.end();
  }
}

export async function createTarget(dialect: DialectName, workDir: string, label: string): Promise<Target> {
  if (dialect === 'sqlite') {
    const file = join(workDir, `${label}.sqlite`);
    for (const s of ['', '-wal', '-shm']) rmSync(file + s, { force: true });
    return {
      dialect,
      label,
      url: `sqlite:${file}`,
      drop: () => {
        for (const s of ['', '-wal', '-shm']) rmSync(file + s, { force: true });
        return Promise.resolve();
      },
      sizeBytes: () => {
        let total = 0;
        for (const s of ['', '-wal']) {
          try {
            total += statSync(file + s).size;
          } catch {
            // not there
          }
        }
        return Promise.resolve(total);
      },
    };
  }
  const schema = `bench_${label}_${randomBytes(4).toString('hex')}`;
  await pgAdmin(`create schema ${schema}`);
  const sep = PG_BASE_URL.includes('?') ? '&' : '?';
  return {
    dialect,
    label,
    // application_name tags every connection to this schema (ours, the server's): an interrupted run can end them.
    url: `${PG_BASE_URL}${sep}schema=${schema}&application_name=${schema}`,
    schema,
    drop: async () => {
      await pgAdmin(
        `select pg_terminate_backend(pid) from pg_stat_activity where application_name = '${schema}'`,
      );
      await pgAdmin(`drop schema if exists ${schema} cascade`);
    },
    sizeBytes: async () => {
      const client = new pg.Client({ connectionString: PG_BASE_URL });
      await client.connect();
      try {
        const { rows } = await client.query<{ n: string }>(
          `select coalesce(sum(pg_total_relation_size(c.oid)), 0)::text as n from pg_class c
           join pg_namespace s on s.oid = c.relnamespace where s.nspname = $1 and c.relkind = 'r'`,
          [schema],
        );
        return Number(rows[0]?.n ?? 0);
      } finally {
        await client.end();
      }
    },
  };
}

async function pgAdmin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_BASE_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A raw pg pool on a target's schema (search_path set per connection, as kyoyu does). */
export function rawPgPool(target: Target, max: number): pg.Pool {
  const pool = new pg.Pool({
    connectionString: PG_BASE_URL,
    max,
    options: `-c search_path=${target.schema}`,
    application_name: target.schema,
  });
  pool.on('error', () => undefined);
  return pool;
}
