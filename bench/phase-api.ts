import { mulberry32 } from '../src/demo/rng.js';
import type { BenchOrg, Vocabulary } from './generate.js';
import { apiLine } from './generate.js';
import { runLoad } from './load.js';
import { openRawSqlite } from './raw-import.js';
import { rawWriters } from './raw-writers.js';
import type { Metric } from './report.js';
import { fmt, log, metric, percentile } from './report.js';
import { startServer } from './server.js';
import type { Target } from './targets.js';
import { openBench, rawPgPool } from './targets.js';

export const API_TARGET = 1_000;

interface ApiOptions {
  clients: number;
  durationMs: number;
  warmupMs: number;
  /** Extra node flags for the server child, e.g. --cpu-prof. */
  serverNodeArgs: string[];
}

/** Refs with a prefix stored under a source, for the durability check. */
async function storedRefs(target: Target, source: string, prefix: string): Promise<Set<string>> {
  if (target.dialect === 'sqlite') {
    const db = openRawSqlite(target);
    try {
      const rows = db
        .prepare('select ref from incidents where source = ? and ref like ?')
        .all(source, `${prefix}%`) as Array<{ ref: string }>;
      return new Set(rows.map((r) => r.ref));
    } finally {
      db.close();
    }
  }
  const pool = rawPgPool(target, 1);
  try {
    const { rows } = await pool.query<{ ref: string }>(
      'select ref from incidents where source = $1 and ref like $2',
      [source, `${prefix}%`],
    );
    return new Set(rows.map((r) => r.ref));
  } finally {
    await pool.end();
  }
}

/**
 * Phase 2: 16 keep-alive clients POST new incidents to a `kyoyu serve` child process on the database
 * holding the imported incidents; then every 201 is looked up in the database. Baseline: the same
 * rows committed one incident per transaction through the raw driver on the raw database.
 */
export async function apiPhase(
  kyoyu: Target,
  raw: Target,
  org: BenchOrg,
  vocab: Vocabulary,
  opts: ApiOptions,
): Promise<{ metrics: Metric[]; details: Record<string, unknown> }> {
  const dialect = kyoyu.dialect;
  log(
    `\n[2] API: ${opts.clients} keep-alive clients POST /api/v1/incidents for ${opts.durationMs / 1000} s on ${dialect} (server = child process)`,
  );

  const services = await openBench(kyoyu.url);
  let token: string;
  let orgId: number;
  try {
    const email = `bench-${Date.now()}@bench.kyoyu.example`;
    await services.accounts.createUser({ email, organization: org.name, role: 'operator' });
    token = await services.accounts.createToken(email, { label: 'bench' });
    const row = await services.database.db
      .selectFrom('organizations')
      .select('id')
      .where('name', '=', org.name)
      .executeTakeFirstOrThrow();
    orgId = row.id;
  } finally {
    await services.database.close();
  }
  const source = `org:${orgId}`;
  const rng = mulberry32(7);
  const body = (prefix: string) => (c: number, seq: number) => {
    const ref = `${prefix}-${c}-${seq}`;
    return { ref, json: JSON.stringify(apiLine(rng, vocab, org, ref)) };
  };

  const server = await startServer(kyoyu.url, opts.serverNodeArgs);
  let warm;
  let load;
  let exitCode: number | null;
  try {
    warm = await runLoad({
      baseUrl: server.url,
      token,
      clients: opts.clients,
      durationMs: opts.warmupMs,
      body: body('APIWARM'),
    });
    load = await runLoad({
      baseUrl: server.url,
      token,
      clients: opts.clients,
      durationMs: opts.durationMs,
      body: body('API'),
    });
  } finally {
    exitCode = await server.stop();
  }
  const rate = load.created.length / (load.durationMs / 1000);
  const p50 = percentile(load.latencies, 50);
  const p99 = percentile(load.latencies, 99);
  log(
    `    kyoyu: ${fmt(load.created.length)} x 201 in ${(load.durationMs / 1000).toFixed(1)} s -> ${fmt(rate)} incidents/s, ` +
      `p50 ${fmt(p50, 1)} ms, p99 ${fmt(p99, 1)} ms; statuses ${JSON.stringify(load.statuses)} ` +
      `(warm-up ${fmt(warm.created.length)} x 201 in ${(opts.warmupMs / 1000).toFixed(0)} s, not counted); server exit code ${exitCode}`,
  );
  for (const e of [...warm.errors, ...load.errors]) log(`    error answer: ${e}`);

  // Durability: after a graceful stop, every 201 must be in the database.
  const createdRefs = [...warm.created, ...load.created];
  const stored = await storedRefs(kyoyu, source, 'API');
  const missing = createdRefs.filter((r) => !stored.has(r));
  const extra = stored.size - new Set(createdRefs).size;
  const durable = missing.length === 0;
  log(
    `    durability: ${fmt(createdRefs.length)} refs answered 201, ${fmt(createdRefs.length - missing.length)} found in the database, ` +
      `${fmt(missing.length)} missing, ${fmt(extra)} stored without a 201 -> ${durable ? 'OK' : 'FAILED'}` +
      (missing.length ? ` (e.g. ${missing.slice(0, 3).join(', ')})` : ''),
  );

  const rawRng = mulberry32(7);
  const baseline = await rawWriters({
    target: raw,
    org,
    source,
    clients: opts.clients,
    durationMs: opts.durationMs,
    line: (c, seq) => apiLine(rawRng, vocab, org, `RAW-${c}-${seq}`),
  });
  const rawRate = baseline.committed / (baseline.durationMs / 1000);
  const rawStored = await storedRefs(raw, source, 'RAW-');
  log(
    `    raw ${dialect === 'sqlite' ? '1 connection, 1 txn per incident, synchronous=FULL' : `${opts.clients} connections, BEGIN; INSERTs; COMMIT per incident`}: ` +
      `${fmt(baseline.committed)} commits in ${(baseline.durationMs / 1000).toFixed(1)} s -> ${fmt(rawRate)} incidents/s, ` +
      `p50 ${fmt(percentile(baseline.latencies, 50), 2)} ms, p99 ${fmt(percentile(baseline.latencies, 99), 2)} ms (commit only, no HTTP); ` +
      `${fmt(rawStored.size)} found in the database`,
  );
  return {
    metrics: [
      metric('API POST throughput (201s)', dialect, 'incidents/s', rate, rawRate, {
        op: '>=',
        value: API_TARGET,
      }),
      metric('API POST latency p50', dialect, 'ms', p50, percentile(baseline.latencies, 50), null),
      metric('API POST latency p99', dialect, 'ms', p99, percentile(baseline.latencies, 99), null),
      {
        metric: 'API durability (201 refs stored)',
        dialect,
        unit: 'refs',
        kyoyu: createdRefs.length - missing.length,
        raw: null,
        ratio: null,
        target: `all ${fmt(createdRefs.length)} 201s`,
        met: durable,
      },
    ],
    details: {
      clients: opts.clients,
      duration_ms: Math.round(load.durationMs),
      created: load.created.length,
      statuses: load.statuses,
      warmup_created: warm.created.length,
      latency_ms: { p50, p90: percentile(load.latencies, 90), p99, max: load.latencies.at(-1) ?? null },
      durability: {
        answered_201: createdRefs.length,
        missing: missing.length,
        stored_without_201: extra,
        ok: durable,
      },
      raw: {
        committed: baseline.committed,
        duration_ms: Math.round(baseline.durationMs),
        latency_ms: { p50: percentile(baseline.latencies, 50), p99: percentile(baseline.latencies, 99) },
        found: rawStored.size,
      },
      errors: [...warm.errors, ...load.errors],
    },
  };
}
