import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe } from 'vitest';
import { openServices } from '../../src/bootstrap.js';
import type { Config } from '../../src/config.js';
import { loadConfig } from '../../src/config.js';
import type { DialectName } from '../../src/platform/db/dialect.js';
import type { Services } from '../../src/services.js';

/**
 * The dialects a run covers: SQLite always, PostgreSQL when KYOYU_TEST_POSTGRES_URL is set.
 * KYOYU_TEST_DIALECTS=sqlite (or postgres) narrows it.
 */
const only = process.env.KYOYU_TEST_DIALECTS?.split(',').map((s) => s.trim());
const pgUrl = process.env.KYOYU_TEST_POSTGRES_URL;

/**
 * `describe` once per dialect. Without KYOYU_TEST_POSTGRES_URL the PostgreSQL block is still
 * declared but skipped, so the run reports its tests as skipped rather than silently dropping them.
 */
export function describeEachDialect(title: string, body: (dialect: DialectName) => void): void {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    if (only && !only.includes(dialect)) continue;
    const name = title.replace('%s', dialect);
    if (dialect === 'postgres' && !pgUrl)
      describe.skip(`${name} (SKIPPED: KYOYU_TEST_POSTGRES_URL is not set)`, () => body(dialect));
    else describe(name, () => body(dialect));
  }
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database: a temp SQLite file, or a new schema in the test PostgreSQL. */
export async function freshDatabase(dialect: DialectName): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'kyoyu-test-'));
    return {
      url: `sqlite:${join(dir, 'kyoyu.sqlite')}`,
      drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
    };
  }
  const schema = `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  await client.query(`create schema ${schema}`);
  await client.end();
  const sep = pgUrl!.includes('?') ? '&' : '?';
  return {
    url: `${pgUrl}${sep}schema=${schema}`,
    drop: async () => {
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    },
  };
}

export function testConfig(databaseUrl: string, env: NodeJS.ProcessEnv = {}): Config {
  return loadConfig({ KYOYU_DATABASE_URL: databaseUrl, ...env });
}

export interface TestContext {
  services: Services;
  url: string;
  close(): Promise<void>;
}

/** Services on a fresh database; close() drops it. */
export async function testServices(dialect: DialectName, env: NodeJS.ProcessEnv = {}): Promise<TestContext> {
  const database = await freshDatabase(dialect);
  const services = await openServices(testConfig(database.url, env));
  return {
    services,
    url: database.url,
    close: async () => {
      await services.database.close();
      await database.drop();
    },
  };
}
