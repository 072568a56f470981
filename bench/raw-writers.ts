import { performance } from 'node:perf_hooks';
import type { BenchOrg } from './generate.js';
import {
  ensureOrgsPg,
  ensureOrgsSqlite,
  openRawSqlite,
  sqliteWriter,
  upsertRollupPg,
  writePgBatch,
} from './raw-import.js';
import type { RawIncident } from './raw-rows.js';
import { addContributions, rawIncident } from './raw-rows.js';
import type { ReportLine } from '../src/domain/report-line.js';
import { planOfLine } from './raw-rows.js';
import type { Target } from './targets.js';
import { rawPgPool } from './targets.js';

export interface RawWriteResult {
  durationMs: number;
  committed: number;
  latencies: number[];
}

interface Options {
  target: Target;
  org: BenchOrg;
  source: string;
  clients: number;
  durationMs: number;
  line: (client: number, seq: number) => ReportLine;
}

function toRaw(line: ReportLine, orgId: number, source: string): RawIncident {
  return rawIncident(planOfLine(line), orgId, new Date().toISOString(), source);
}

/**
 * The API's writes without kyoyu: one incident (incident, stage report, causes, rollup) committed per
 * transaction. SQLite: one connection (writes serialise anyway), synchronous=FULL as kyoyu.
 * PostgreSQL: `clients` connections, each BEGIN; INSERTs; COMMIT in a loop, rollup on a random shard.
 */
export async function rawWriters(opts: Options): Promise<RawWriteResult> {
  return opts.target.dialect === 'sqlite' ? rawWritersSqlite(opts) : rawWritersPg(opts);
}

function rawWritersSqlite(opts: Options): Promise<RawWriteResult> {
  const db = openRawSqlite(opts.target);
  try {
    const orgId = ensureOrgsSqlite(db, [opts.org], new Date().toISOString()).get(opts.org.name)!;
    const writer = sqliteWriter(db);
    const one = db.transaction((raw: RawIncident) => {
      writer.write(raw);
      const deltas = new Map<string, number>();
      addContributions(deltas, raw.contributions);
      writer.rollup(deltas);
    });
    const latencies: number[] = [];
    const started = performance.now();
    const deadline = started + opts.durationMs;
    // The same round-robin over clients as 16 callers queued on one connection would give.
    for (let seq = 0; performance.now() < deadline; seq++) {
      const raw = toRaw(opts.line(seq % opts.clients, Math.floor(seq / opts.clients)), orgId, opts.source);
      const t = performance.now();
      one.immediate(raw);
      latencies.push(performance.now() - t);
    }
    const durationMs = performance.now() - started;
    latencies.sort((a, b) => a - b);
    return Promise.resolve({ durationMs, committed: latencies.length, latencies });
  } finally {
    db.close();
  }
}

async function rawWritersPg(opts: Options): Promise<RawWriteResult> {
  const pool = rawPgPool(opts.target, opts.clients);
  try {
    const orgId = await (async () => {
      const c = await pool.connect();
      try {
        return (await ensureOrgsPg(c, [opts.org], new Date().toISOString())).get(opts.org.name)!;
      } finally {
        c.release();
      }
    })();
    const latencies: number[] = [];
    const started = performance.now();
    const deadline = started + opts.durationMs;
    const worker = async (c: number) => {
      const client = await pool.connect();
      try {
        for (let seq = 0; performance.now() < deadline; seq++) {
          const raw = toRaw(opts.line(c, seq), orgId, opts.source);
          const t = performance.now();
          await client.query('begin');
          try {
            await writePgBatch(client, [raw]);
            const deltas = new Map<string, number>();
            addContributions(deltas, raw.contributions);
            await upsertRollupPg(client, deltas, Math.floor(Math.random() * 16));
            await client.query('commit');
          } catch (error) {
            await client.query('rollback');
            throw error;
          }
          latencies.push(performance.now() - t);
        }
      } finally {
        client.release();
      }
    };
    await Promise.all(Array.from({ length: opts.clients }, (_, c) => worker(c)));
    const durationMs = performance.now() - started;
    latencies.sort((a, b) => a - b);
    return { durationMs, committed: latencies.length, latencies };
  } finally {
    await pool.end();
  }
}
