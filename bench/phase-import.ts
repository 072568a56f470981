import { performance } from 'node:perf_hooks';
import type { BenchOrg, IncidentPlan, Vocabulary } from './generate.js';
import { BENCH_SOURCE, generateIncidents } from './generate.js';
import { rawImportPg, rawImportSqlite } from './raw-import.js';
import { rawIncident } from './raw-rows.js';
import type { Metric } from './report.js';
import { fmt, log, metric, seconds } from './report.js';
import type { Target } from './targets.js';
import { openBench } from './targets.js';

export const IMPORT_TARGET = 20_000;

export interface ImportFacts {
  n: number;
  lines: number;
  fileBytes: number;
}

/** Phase 1: the JSONL file through ImportService into a fresh database, then the raw-driver baseline. */
export async function importPhase(
  kyoyu: Target,
  raw: Target,
  file: string,
  facts: ImportFacts,
  plans: () => Iterable<IncidentPlan>,
  orgs: readonly BenchOrg[],
): Promise<{ metrics: Metric[]; details: Record<string, unknown> }> {
  const dialect = kyoyu.dialect;
  log(
    `\n[1] import ${fmt(facts.n)} incidents (${fmt(facts.lines)} lines, ${fmt(facts.fileBytes / 1e6, 1)} MB) on ${dialect}`,
  );

  // kyoyu: the real ImportService (reads, validates and stores in one transaction).
  const services = await openBench(kyoyu.url);
  let kyoyuMs: number;
  let summary;
  try {
    const started = performance.now();
    summary = await services.imports.importFile(file, { source: BENCH_SOURCE });
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

  // The baseline's own row derivation, timed alone, so its DB share can be read off.
  const now = new Date().toISOString();
  const genStart = performance.now();
  for (const plan of plans()) rawIncident(plan, 1, now);
  const genMs = performance.now() - genStart;

  // The baseline gets kyoyu's schema (tables, indexes), created by its migrations.
  await (await openBench(raw.url)).database.close();
  const rawStart = performance.now();
  const count =
    dialect === 'sqlite' ? rawImportSqlite(raw, plans(), orgs) : await rawImportPg(raw, plans(), orgs);
  const rawMs = performance.now() - rawStart;
  const rawRate = count / (rawMs / 1000);
  log(
    `    raw ${dialect === 'sqlite' ? 'better-sqlite3 prepared statements, 1 txn' : 'pg multi-row INSERT x1000, 1 txn'}: ` +
      `${seconds(rawMs)} -> ${fmt(rawRate)} incidents/s, ${fmt(facts.lines / (rawMs / 1000))} lines/s ` +
      `(of which generating rows in memory ${seconds(genMs)})`,
  );
  const [kyoyuSize, rawSize] = [await kyoyu.sizeBytes(), await raw.sizeBytes()];
  log(`    database size: kyoyu ${fmt(kyoyuSize / 1e6)} MB, raw ${fmt(rawSize / 1e6)} MB`);
  return {
    metrics: [
      metric('import throughput', dialect, 'incidents/s', kyoyuRate, rawRate, {
        op: '>=',
        value: IMPORT_TARGET,
      }),
      metric(
        'import throughput (lines)',
        dialect,
        'lines/s',
        summary.lines / (kyoyuMs / 1000),
        facts.lines / (rawMs / 1000),
        null,
      ),
    ],
    details: {
      incidents: facts.n,
      lines: facts.lines,
      file_bytes: facts.fileBytes,
      kyoyu_ms: Math.round(kyoyuMs),
      raw_ms: Math.round(rawMs),
      raw_row_generation_ms: Math.round(genMs),
      summary,
      kyoyu_db_bytes: kyoyuSize,
      raw_db_bytes: rawSize,
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
