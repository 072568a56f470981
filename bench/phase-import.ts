import { performance } from 'node:perf_hooks';
import type { BenchOrg, IncidentPlan, Vocabulary } from './generate.js';
import { BENCH_SOURCE, generateIncidents } from './generate.js';
import type { FloorMode, FloorResult } from './raw-floor.js';
import { pgFloor, sqliteFloor } from './raw-floor.js';
import type { Metric } from './report.js';
import { fmt, log, metric, seconds } from './report.js';
import type { Target } from './targets.js';
import { openBench } from './targets.js';

export interface ImportFacts {
  n: number;
  lines: number;
  fileBytes: number;
}

/** Phase 1: the JSONL file through ImportService into a fresh database, then the floors beside it. */
export async function importPhase(
  kyoyu: Target,
  raw: Target,
  file: string,
  facts: ImportFacts,
  plans: () => Iterable<IncidentPlan>,
  orgs: readonly BenchOrg[],
  newTarget: (label: string) => Promise<Target>,
): Promise<{ metrics: Metric[]; details: Record<string, unknown> }> {
  const dialect = kyoyu.dialect;
  log(
    `\n[1] import ${fmt(facts.n)} incidents (${fmt(facts.lines)} lines, ${fmt(facts.fileBytes / 1e6, 1)} MB) on ${dialect}`,
  );

  // kyoyu: the real ImportService (reads, validates and stores in one transaction).
  const services = await openBench(kyoyu.url);
  let kyoyuMs: number;
  let kyoyuPeakMb = process.memoryUsage().rss / 1e6;
  let summary;
  try {
    // Peak RSS of the process (kyoyu's import, its worker threads included) while it runs.
    const sampler = setInterval(
      () => (kyoyuPeakMb = Math.max(kyoyuPeakMb, process.memoryUsage().rss / 1e6)),
      50,
    );
    const started = performance.now();
    try {
      summary = await services.imports.importFile(file, { source: BENCH_SOURCE });
    } finally {
      clearInterval(sampler);
    }
    kyoyuMs = performance.now() - started;
  } finally {
    await services.database.close();
  }
  const kyoyuRate = summary.incidents_created / (kyoyuMs / 1000);
  log(
    `    kyoyu ImportService: ${seconds(kyoyuMs)} -> ` +
      `${fmt(kyoyuRate)} incidents/s, ${fmt(summary.lines / (kyoyuMs / 1000))} lines/s ` +
      `[created ${fmt(summary.incidents_created)}, reports ${fmt(summary.reports_added)}, unchanged ${fmt(summary.unchanged)}]`,
  );
  if (summary.incidents_created !== facts.n)
    throw new Error(`import created ${summary.incidents_created}, expected ${facts.n}`);

  // The floors (raw-floor.ts): the same rows by the best plain means of the database, derived
  // before the clock runs; once with every index maintained (on `raw`, which the API phase goes on
  // with), once with secondary indexes and foreign keys rebuilt after the load (on a spare target).
  await (await openBench(raw.url)).database.close();
  const floor = async (target: Target, mode: FloorMode): Promise<FloorResult> =>
    dialect === 'sqlite' ? sqliteFloor(target, plans(), orgs, mode) : pgFloor(target, plans(), orgs, mode);
  const maintained = await floor(raw, 'maintained');
  const spare = await newTarget('floor');
  let afterLoad: FloorResult;
  try {
    await (await openBench(spare.url)).database.close();
    afterLoad = await floor(spare, 'after_load');
  } finally {
    await spare.drop();
  }
  const means = dialect === 'sqlite' ? 'better-sqlite3 prepared statements, 1 txn' : 'COPY, 1 txn';
  for (const f of [maintained, afterLoad]) {
    if (f.count !== facts.n) throw new Error(`floor wrote ${f.count}, expected ${facts.n}`);
    log(
      `    floor (${means}, ${f.mode === 'maintained' ? 'indexes maintained' : 'indexes and foreign keys after the load'}): ` +
        `${seconds(f.ms)} -> ${fmt(facts.n / (f.ms / 1000))} incidents/s` +
        (f.mode === 'after_load' ? ` (of which rebuilding ${seconds(f.rebuildMs)})` : '') +
        `; rows derived beforehand in ${seconds(f.deriveMs)}, not timed; peak RSS ${fmt(f.peakRssMb)} MB`,
    );
  }
  const rate = (f: FloorResult) => facts.n / (f.ms / 1000);
  log(
    `    kyoyu / floor: ${(kyoyuRate / rate(maintained)).toFixed(2)}x (indexes maintained), ` +
      `${(kyoyuRate / rate(afterLoad)).toFixed(2)}x (indexes after the load); bench process peak RSS during kyoyu's import ${fmt(kyoyuPeakMb)} MB`,
  );
  const [kyoyuSize, rawSize] = [await kyoyu.sizeBytes(), await raw.sizeBytes()];
  log(`    database size: kyoyu ${fmt(kyoyuSize / 1e6)} MB, floor ${fmt(rawSize / 1e6)} MB`);
  return {
    metrics: [
      metric('import vs floor (indexes maintained)', dialect, 'incidents/s', kyoyuRate, rate(maintained), {
        op: '>=',
        value: Math.round(0.8 * rate(maintained)),
      }),
      metric('import vs floor (indexes after load)', dialect, 'incidents/s', kyoyuRate, rate(afterLoad), {
        op: '>=',
        value: Math.round(rate(afterLoad)),
      }),
      // The bench process's RSS while kyoyu imports in it (its generator state and loaded code too):
      // an upper bound of the import's own until the import runs in a process of its own.
      metric('import peak RSS (bench process)', dialect, 'MB', kyoyuPeakMb, null, { op: '<=', value: 600 }),
    ],
    details: {
      incidents: facts.n,
      lines: facts.lines,
      file_bytes: facts.fileBytes,
      kyoyu_ms: Math.round(kyoyuMs),
      kyoyu_peak_rss_mb: Math.round(kyoyuPeakMb),
      floors: [maintained, afterLoad].map((f) => ({
        mode: f.mode,
        ms: Math.round(f.ms),
        rebuild_ms: Math.round(f.rebuildMs),
        derive_ms_untimed: Math.round(f.deriveMs),
        peak_rss_mb: Math.round(f.peakRssMb),
      })),
      summary,
      kyoyu_db_bytes: kyoyuSize,
      floor_db_bytes: rawSize,
    },
  };
}

export function plansFactory(
  n: number,
  vocab: Vocabulary,
  orgs: readonly BenchOrg[],
): () => Iterable<IncidentPlan> {
  return () => generateIncidents(n, vocab, orgs);
}
