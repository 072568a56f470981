import { existsSync } from 'node:fs';
import { sql } from 'kysely';
import pg from 'pg';
import { benchOrganizations, generateIncidents, vocabularyOf, writeJsonl } from './generate.js';
import { loadTaxonomy } from '../src/domain/taxonomy.js';
import { openServices } from '../src/bootstrap.js';
import { loadConfig } from '../src/config.js';
const N = Number(process.env.N ?? 100000);
const file = `/tmp/b${N}.jsonl`;
if (!existsSync(file))
  await writeJsonl(file, generateIncidents(N, vocabularyOf(loadTaxonomy()), benchOrganizations(200)), N);
const dialect = process.env.D ?? 'sqlite';
let url = `sqlite:/tmp/prof-${Date.now()}.sqlite`;
if (dialect === 'postgres') {
  const c = new pg.Client('postgres://postgres@127.0.0.1:5432/test');
  await c.connect();
  await c.query('drop schema if exists prof cascade; create schema prof');
  await c.end();
  url = 'postgres://postgres@127.0.0.1:5432/test?schema=prof';
}
const s = await openServices(loadConfig({ KYOYU_DATABASE_URL: url }));
if (process.env.NOCKPT && s.database.dialect.name === 'sqlite')
  await sql`PRAGMA wal_autocheckpoint=0`.execute(s.database.db);
const t = performance.now();
const r = await s.imports.importFile(file);
const total = performance.now() - t;
// Reading and checking run in a worker during the writes, so one total is all there is to report.
console.log(
  dialect,
  r.incidents_created,
  'total',
  Math.round(total),
  'incidents/s',
  Math.round((N / total) * 1000),
);
await s.database.close();
