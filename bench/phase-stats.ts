import { performance } from 'node:perf_hooks';
import type { Metric } from './report.js';
import { fmt, log, metric, percentile } from './report.js';
import { openRawSqlite } from './raw-import.js';
import type { Target } from './targets.js';
import { openBench, rawPgPool } from './targets.js';

export const STATS_TARGET_MS = 50;
const HISTORY = 4;

interface Timing {
  median: number;
  p95: number;
  runs: number;
}

async function time(fn: () => unknown, warmups: number, runs: number): Promise<Timing> {
  for (let i = 0; i < warmups; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return { median: percentile(samples, 50), p95: percentile(samples, 95), runs };
}

/** The same figures counted straight from the incidents (events/attack types) and incident_causes. */
const RAW_MAIN = `select month, channel, event, attack_type, count(*) as n from incidents
  where month >= $1 and month <= $2 group by month, channel, event, attack_type`;
const RAW_CAUSES = `select i.month, c.cause, count(*) as n from incident_causes c join incidents i on i.id = c.incident_id
  where i.month >= $1 and i.month <= $2 and i.channel = 'operator_report' group by i.month, c.cause`;

type RawRow = { month: string; channel?: string; n: number | string };

/** Months of FY(fy - history) .. FY(fy) with an April start. */
const monthRange = (fy: number): [string, string] => [`${fy - HISTORY}-04`, `${fy + 1}-03`];

/** Phase 3: StatsService.infoSharing latency against plain SQL counting over the incidents. */
export async function statsPhase(
  target: Target,
  years: readonly number[],
  opts: { warmups: number; runs: number; rawRuns: number },
): Promise<{ metrics: Metric[]; details: Record<string, unknown> }> {
  const dialect = target.dialect;
  log(
    `\n[3] statistics latency on ${dialect}: infoSharing(fy, ${HISTORY}), ${opts.warmups} warm-ups + ${opts.runs} runs`,
  );
  const services = await openBench(target.url);
  const metrics: Metric[] = [];
  const details: Record<string, unknown> = {};

  const sqlite = dialect === 'sqlite' ? openRawSqlite(target) : null;
  const pool = dialect === 'postgres' ? rawPgPool(target, 2) : null;
  const sqliteStatements =
    sqlite && [RAW_MAIN, RAW_CAUSES].map((text) => sqlite.prepare(text.replace(/\$\d/g, '?')));
  const rawQuery = async (fy: number): Promise<RawRow[][]> => {
    const range = monthRange(fy);
    if (sqliteStatements) return sqliteStatements.map((st) => st.all(...range) as RawRow[]);
    const [a, b] = await Promise.all([
      pool!.query<RawRow>(RAW_MAIN, range),
      pool!.query<RawRow>(RAW_CAUSES, range),
    ]);
    return [a.rows, b.rows];
  };
  try {
    for (const fy of years) {
      const kyoyu = await time(() => services.stats.infoSharing(fy, HISTORY), opts.warmups, opts.runs);
      const raw = await time(() => rawQuery(fy), 1, opts.rawRuns);

      // Sanity: kyoyu's FY total of operator reports equals the count over the incidents.
      const stats = await services.stats.infoSharing(fy, HISTORY);
      const kyoyuTotal = stats.tables.channels['operator_report']?.at(-1) ?? -1;
      const [main] = await rawQuery(fy);
      const fyMonths = (m: string) => m >= `${fy}-04` && m <= `${fy + 1}-03`;
      const rawTotal = main!
        .filter((r) => r.channel === 'operator_report' && fyMonths(r.month))
        .reduce((s, r) => s + Number(r.n), 0);
      const agree = kyoyuTotal === rawTotal;

      log(
        `    FY${fy}: kyoyu median ${fmt(kyoyu.median, 2)} ms, p95 ${fmt(kyoyu.p95, 2)} ms | ` +
          `raw SQL over incidents median ${fmt(raw.median, 1)} ms, p95 ${fmt(raw.p95, 1)} ms (${opts.rawRuns} runs) | ` +
          `check FY${fy} operator reports: kyoyu ${fmt(kyoyuTotal)} vs raw ${fmt(rawTotal)} ${agree ? 'OK' : 'MISMATCH'}`,
      );
      metrics.push(
        metric(`stats infoSharing(${fy},${HISTORY}) median`, dialect, 'ms', kyoyu.median, raw.median, {
          op: '<=',
          value: STATS_TARGET_MS,
        }),
        metric(`stats infoSharing(${fy},${HISTORY}) p95`, dialect, 'ms', kyoyu.p95, raw.p95, null),
      );
      details[`fy${fy}`] = { kyoyu, raw, kyoyu_total: kyoyuTotal, raw_total: rawTotal, totals_agree: agree };
      if (!agree) log(`    WARNING: the statistics disagree with the incidents table for FY${fy}`);
    }
  } finally {
    sqlite?.close();
    await pool?.end();
    await services.database.close();
  }
  return { metrics, details };
}
