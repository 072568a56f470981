import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { collectionIdOf } from '../src/modules/taxii/index.js';
import { inTransaction } from '../src/platform/db/transaction.js';
import { openRawSqlite } from './raw-import.js';
import type { Metric } from './report.js';
import { fmt, log, metric, percentile } from './report.js';
import { startServer } from './server.js';
import type { Target } from './targets.js';
import { openBench, rawPgPool } from './targets.js';

interface TaxiiOptions {
  objects: number;
  clients: number;
  durationMs: number;
  pageSize: number;
  /** Extra node flags for the server child, e.g. --cpu-prof. */
  serverNodeArgs: string[];
}

const objectOf = (i: number) => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--${'00000000'}-0000-4000-8000-${String(i).padStart(12, '0')}`,
  created: '2024-01-01T00:00:00.000Z',
  modified: '2024-01-01T00:00:00.000Z',
  name: `bench indicator ${i}`,
  pattern: `[ipv4-addr:value = '10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}']`,
  pattern_type: 'stix',
  valid_from: '2024-01-01T00:00:00Z',
});

function get(agent: http.Agent, url: URL, auth: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        headers: { authorization: auth, accept: 'application/taxii+json;version=2.1' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** `clients` walkers, each paging through the collection with `next` (from the start again at its end). */
async function walk(
  clients: number,
  durationMs: number,
  page: (cursor: string | null) => Promise<string | null>,
): Promise<{ requests: number; latencies: number[]; durationMs: number }> {
  const latencies: number[] = [];
  const start = performance.now();
  const end = start + durationMs;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      let cursor: string | null = null;
      while (performance.now() < end) {
        const t = performance.now();
        cursor = await page(cursor);
        latencies.push(performance.now() - t);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, latencies, durationMs: performance.now() - start };
}

/**
 * TAXII phase (issue 12): a collection of `objects` STIX objects; `clients` keep-alive clients read
 * pages of `pageSize` through GET …/objects/?limit=&next= on a `kyoyu serve` child for the
 * duration. Floor: the same pages (same query, the same (date_added, id) position and last-version
 * match) read with plain prepared statements on the same database, their texts joined into a body.
 */
export async function taxiiPhase(
  kyoyu: Target,
  opts: TaxiiOptions,
): Promise<{ metrics: Metric[]; details: Record<string, unknown> }> {
  const dialect = kyoyu.dialect;
  log(
    `\n[5] TAXII: ${fmt(opts.objects)} objects, ${opts.clients} clients reading pages of ${opts.pageSize} for ${opts.durationMs / 1000} s on ${dialect}`,
  );
  const services = await openBench(kyoyu.url);
  const email = `taxii-bench-${Date.now()}@bench.kyoyu.example`;
  let token: string;
  const fillStart = performance.now();
  try {
    await services.accounts.createUser({ email, organization: 'TAXII Bench', role: 'operator' });
    token = await services.accounts.createToken(email, { label: 'bench' });
    for (let i = 0; i < opts.objects; i += 5000) {
      const chunk = Array.from({ length: Math.min(5000, opts.objects - i) }, (_, k) => objectOf(i + k));
      await inTransaction(services.database, (trx) => services.taxiiStore.addObjects(trx, 'public', chunk));
    }
    // The planner's statistics of the new rows (ANALYZE is the same statement on both databases).
    await sql`analyze taxii_objects`.execute(services.database.db);
  } finally {
    await services.database.close();
  }
  log(`    filled in ${((performance.now() - fillStart) / 1000).toFixed(1)} s`);

  const collection = collectionIdOf('public');
  const server = await startServer(kyoyu.url, opts.serverNodeArgs);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.clients });
  const statuses: Record<string, number> = {};
  let load;
  try {
    const base = new URL(`/taxii2/api/collections/${collection}/objects/`, server.url);
    const page = async (cursor: string | null) => {
      const url = new URL(base);
      url.searchParams.set('limit', String(opts.pageSize));
      if (cursor) url.searchParams.set('next', cursor);
      const res = await get(agent, url, `Bearer ${token}`);
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      return res.status === 200 ? ((JSON.parse(res.body) as { next?: string }).next ?? null) : null;
    };
    await walk(opts.clients, 2000, page);
    load = await walk(opts.clients, opts.durationMs, page);
  } finally {
    agent.destroy();
    await server.stop();
  }
  const rate = load.requests / (load.durationMs / 1000);
  const p99 = percentile(load.latencies, 99);
  log(
    `    kyoyu: ${fmt(load.requests)} pages in ${(load.durationMs / 1000).toFixed(1)} s -> ${fmt(rate)} pages/s, p50 ${fmt(percentile(load.latencies, 50), 1)} ms, p99 ${fmt(p99, 1)} ms; statuses ${JSON.stringify(statuses)}`,
  );

  const pageSql = (p: (i: number) => string) =>
    `select o.id, o.date_added, o.object from taxii_objects o where o.collection_id = ${p(1)} and o.deleted = 0 ` +
    `and (o.date_added, o.id) > (${p(2)}, ${p(3)}) and o.version = (select max(v.version) from taxii_objects v ` +
    `where v.collection_id = o.collection_id and v.stix_id = o.stix_id and v.deleted = 0) order by o.date_added, o.id limit ${p(4)}`;
  type Row = { id: number; date_added: string; object: string };
  // What any server must do with a page's rows at the least: join the stored texts into one body.
  const envelopeOf = (rows: Row[]) => `{"objects":[${rows.map((r) => r.object).join(',')}]}`;
  let raw;
  const next = (rows: Row[]) =>
    rows.length > opts.pageSize
      ? `${rows[opts.pageSize - 1]!.date_added}|${rows[opts.pageSize - 1]!.id}`
      : null;
  const at = (cursor: string | null): [string, number] =>
    cursor ? [cursor.split('|')[0]!, Number(cursor.split('|')[1])] : ['', 0];
  if (dialect === 'sqlite') {
    const db = openRawSqlite(kyoyu);
    try {
      const stmt = db.prepare(pageSql(() => '?'));
      // better-sqlite3 is synchronous: one connection answers one page at a time, as kyoyu's does.
      raw = await walk(1, opts.durationMs, (cursor) => {
        const rows = stmt.all(collection, ...at(cursor), opts.pageSize + 1) as Row[];
        envelopeOf(rows);
        return Promise.resolve(next(rows));
      });
    } finally {
      db.close();
    }
  } else {
    const pool = rawPgPool(kyoyu, opts.clients);
    try {
      const text = pageSql((i) => `$${i}`);
      raw = await walk(opts.clients, opts.durationMs, async (cursor) => {
        const { rows } = await pool.query<Row>({
          name: 'taxii_page',
          text,
          values: [collection, ...at(cursor), opts.pageSize + 1],
        });
        envelopeOf(rows);
        return next(rows);
      });
    } finally {
      await pool.end();
    }
  }
  const rawRate = raw.requests / (raw.durationMs / 1000);
  const rawP99 = percentile(raw.latencies, 99);
  log(
    `    raw prepared statement: ${fmt(raw.requests)} pages -> ${fmt(rawRate)} pages/s, p99 ${fmt(rawP99, 2)} ms (no HTTP, no auth; the page's texts joined)`,
  );
  return {
    metrics: [
      metric(
        `TAXII pages of ${opts.pageSize} (${fmt(opts.objects)} objects)`,
        dialect,
        'pages/s',
        rate,
        rawRate,
        null,
      ),
      metric('TAXII page latency p99', dialect, 'ms', p99, rawP99, null),
    ],
    details: {
      objects: opts.objects,
      clients: opts.clients,
      page_size: opts.pageSize,
      requests: load.requests,
      statuses,
      latency_ms: { p50: percentile(load.latencies, 50), p99 },
      raw: { requests: raw.requests, p99: rawP99 },
    },
  };
}
