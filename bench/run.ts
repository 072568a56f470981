/**
 * kyoyu benchmark: import throughput, API throughput (real server, real HTTP) and statistics latency
 * on SQLite and PostgreSQL, each beside a raw-driver baseline. `npm run bench`; see bench/README.md.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DialectName } from '../src/platform/db/dialect.js';
import { loadTaxonomy } from '../src/domain/taxonomy.js';
import { benchOrganizations, generateIncidents, vocabularyOf, writeJsonl } from './generate.js';
import { installInterruptCleanup, onInterrupt } from './cleanup.js';
import { apiPhase } from './phase-api.js';
import { importPhase, plansFactory } from './phase-import.js';
import { statsPhase } from './phase-stats.js';
import { uiPhase } from './phase-ui.js';
import { taxiiPhase } from './phase-taxii.js';
import type { Metric } from './report.js';
import { fmt, log, seconds, summaryTable, writeJson } from './report.js';
import { REPO_ROOT } from './server.js';
import type { Target } from './targets.js';
import { createTarget, pgReachable, pgSettings, PG_BASE_URL } from './targets.js';

function intEnv(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
  return value;
}

const listEnv = (name: string, fallback: string[]): string[] =>
  process.env[name]
    ? process.env[name]
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : fallback;

const settings = {
  incidents: intEnv('BENCH_INCIDENTS', 1_000_000),
  dialects: listEnv('BENCH_DIALECTS', ['sqlite', 'postgres']).map((d): DialectName => {
    if (d !== 'sqlite' && d !== 'postgres') throw new Error(`BENCH_DIALECTS: unknown dialect ${d}`);
    return d;
  }),
  phases: listEnv('BENCH_PHASES', ['import', 'stats', 'api', 'ui']),
  apiSeconds: intEnv('BENCH_API_SECONDS', 20),
  apiWarmupSeconds: intEnv('BENCH_API_WARMUP_SECONDS', 2, 0),
  apiClients: intEnv('BENCH_API_CLIENTS', 16),
  statsRuns: intEnv('BENCH_STATS_RUNS', 20),
  statsRawRuns: intEnv('BENCH_STATS_RAW_RUNS', 5),
  uiRuns: intEnv('BENCH_UI_RUNS', 5),
  taxiiObjects: intEnv('BENCH_TAXII_OBJECTS', 100_000),
  taxiiSeconds: intEnv('BENCH_TAXII_SECONDS', 20),
  keep: process.env.BENCH_KEEP === '1',
  serverCpuProfDir: process.env.BENCH_SERVER_CPU_PROF ?? '',
};

const STATS_YEARS = [2023, 2024];

/** The code under test (read-only git): src/ may change under a long run, and the server child loads it when spawned. */
function codeVersion(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
    const dirty = git('status', '--porcelain', '--', 'src').split('\n').filter(Boolean).length;
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ` + ${dirty} uncommitted file(s) in src/` : ''}`;
  } catch {
    return 'unknown';
  }
}
const OUT_FILE = join(REPO_ROOT, 'bench', 'out', 'latest.json');

async function main(): Promise<void> {
  const startedAt = new Date();
  const t0 = performance.now();
  const workDir = process.env.BENCH_WORK_DIR ?? join(tmpdir(), `kyoyu-bench-${process.pid}`);
  mkdirSync(workDir, { recursive: true });
  installInterruptCleanup();
  if (!settings.keep && !process.env.BENCH_WORK_DIR)
    onInterrupt(() => rmSync(workDir, { recursive: true, force: true }));
  const version = codeVersion();
  log(
    `kyoyu bench: ${fmt(settings.incidents)} incidents, dialects ${settings.dialects.join(',')}, phases ${settings.phases.join(',')}`,
  );
  log(
    `node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${fmt(totalmem() / 2 ** 30, 1)} GiB RAM; work dir ${workDir}`,
  );
  log(`code ${version}`);

  const metrics: Metric[] = [];
  const details: Record<string, unknown> = {};
  const skipped: string[] = [];
  let pgInfo: Record<string, string> | null = null;

  const taxonomy = loadTaxonomy();
  const vocab = vocabularyOf(taxonomy);
  const orgs = benchOrganizations(200);
  const plans = plansFactory(settings.incidents, vocab, orgs);
  const file = join(workDir, 'incidents.jsonl');
  const genStart = performance.now();
  const { lines, bytes } = await writeJsonl(
    file,
    generateIncidents(settings.incidents, vocab, orgs),
    settings.incidents,
  );
  log(
    `generated ${file}: ${fmt(lines)} lines, ${fmt(bytes / 1e6, 1)} MB, ${orgs.length} organisations, in ${seconds(performance.now() - genStart)}`,
  );

  try {
    for (const dialect of settings.dialects) {
      log(`\n=== ${dialect} ===`);
      if (dialect === 'postgres') {
        const version = await pgReachable();
        if (!version) {
          const line = `PostgreSQL skipped: ${PG_BASE_URL.replace(/:[^:@/]*@/, ':***@')} is unreachable`;
          log(line);
          skipped.push(line);
          continue;
        }
        pgInfo = { version, ...(await pgSettings()) };
        log(
          `PostgreSQL ${version}: ${Object.entries(pgInfo)
            .filter(([k]) => k !== 'version')
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')}`,
        );
      }
      const targets: Target[] = [];
      const forgets: Array<() => void> = [];
      const dialectStart = performance.now();
      try {
        const kyoyu = await createTarget(dialect, workDir, 'kyoyu');
        targets.push(kyoyu);
        const forgetKyoyu = onInterrupt(() => kyoyu.drop());
        const raw = await createTarget(dialect, workDir, 'raw');
        targets.push(raw);
        const forgetRaw = onInterrupt(() => raw.drop());
        forgets.push(forgetKyoyu, forgetRaw);
        const d: Record<string, unknown> = {};
        details[dialect] = d;
        // Import is the fixture of the other phases: it always runs.
        const imported = await importPhase(
          kyoyu,
          raw,
          file,
          { n: settings.incidents, lines, fileBytes: bytes },
          plans,
          orgs,
          (label) => createTarget(dialect, workDir, label),
        );
        metrics.push(...imported.metrics);
        d.import = imported.details;
        if (settings.phases.includes('stats')) {
          const stats = await statsPhase(kyoyu, STATS_YEARS, {
            warmups: 2,
            runs: settings.statsRuns,
            rawRuns: settings.statsRawRuns,
          });
          metrics.push(...stats.metrics);
          d.stats = stats.details;
        }
        const serverNodeArgs = settings.serverCpuProfDir
          ? ['--cpu-prof', '--cpu-prof-dir', settings.serverCpuProfDir]
          : [];
        if (settings.phases.includes('api')) {
          const api = await apiPhase(kyoyu, raw, orgs[0]!, vocab, {
            clients: settings.apiClients,
            durationMs: settings.apiSeconds * 1000,
            warmupMs: settings.apiWarmupSeconds * 1000,
            serverNodeArgs,
          });
          metrics.push(...api.metrics);
          d.api = api.details;
        }
        if (settings.phases.includes('taxii')) {
          const taxii = await taxiiPhase(kyoyu, {
            objects: settings.taxiiObjects,
            clients: settings.apiClients,
            durationMs: settings.taxiiSeconds * 1000,
            pageSize: 100,
            serverNodeArgs,
          });
          metrics.push(...taxii.metrics);
          d.taxii = taxii.details;
        }
        if (settings.phases.includes('ui')) {
          const ui = await uiPhase(kyoyu.url, dialect, orgs[0]!, { runs: settings.uiRuns });
          metrics.push(...ui.metrics);
          d.ui = ui.details;
        }
        d.elapsed_ms = Math.round(performance.now() - dialectStart);
        log(`\n${dialect} done in ${seconds(performance.now() - dialectStart)}`);
      } finally {
        if (settings.keep) log(`kept: ${targets.map((t) => t.url).join(' ')}`);
        else for (const t of targets) await t.drop();
        forgets.forEach((forget) => forget());
      }
    }
  } finally {
    if (!settings.keep && !process.env.BENCH_WORK_DIR) rmSync(workDir, { recursive: true, force: true });
  }

  const elapsedMs = performance.now() - t0;
  const versionAtEnd = codeVersion();
  if (versionAtEnd !== version)
    log(
      `\nWARNING: the code changed during the run (${version} -> ${versionAtEnd}); figures may mix versions`,
    );
  log(`\n=== summary (${fmt(settings.incidents)} incidents, total run time ${seconds(elapsedMs)}) ===`);
  for (const s of skipped) log(s);
  log(summaryTable(metrics));
  writeJson(OUT_FILE, {
    started_at: startedAt.toISOString(),
    elapsed_s: Math.round(elapsedMs / 100) / 10,
    settings,
    environment: {
      node: process.version,
      cpus: cpus().length,
      cpu_model: cpus()[0]?.model,
      total_mem_bytes: totalmem(),
      postgres: pgInfo,
    },
    data: { incidents: settings.incidents, lines, file_bytes: bytes, organizations: orgs.length },
    skipped,
    metrics,
    details,
  });
  log(`\nwritten ${OUT_FILE}`);
  const missed = metrics.filter((m) => m.met === false);
  if (missed.length > 0) log(`targets missed: ${missed.map((m) => `${m.metric} (${m.dialect})`).join('; ')}`);
}

await main();
