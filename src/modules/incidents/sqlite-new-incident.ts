import type { Kysely } from 'kysely';
import { preparedInsert, preparedText } from '../../platform/db/bulk-insert.js';
import type { DB } from '../../platform/db/schema.js';
import type { SqliteConnection } from '../../platform/db/sqlite-connection.js';
import type { IncidentRecord, StageRecord } from './incident.repository.js';
import { planReports } from './incident.plan.js';
import type { ReportSubmission, WriterContext } from './incident.writer.js';
import { stageRow } from './incident.writer.js';
import { applyRollupDeltas } from '../stats/rollup.repository.js';

/**
 * A report that opens a new incident, written on SQLite through prepared statements on the
 * transaction's own connection (inside the caller's transaction or group-commit savepoint): one
 * lookup of the ref, the incident, its stage report, its causes and its rollup counts. The general
 * path builds and compiles each query through Kysely and then reads the incident back for the
 * answer; here the answer is made of the rows just written. Returns null when the ref exists (the
 * caller then takes the general path, which adds a stage or finds a repeat).
 */
export async function insertNewIncidentSqlite(
  trx: Kysely<DB>,
  sqlite: SqliteConnection,
  ctx: WriterContext,
  source: string,
  submission: ReportSubmission,
): Promise<{ incident: IncidentRecord; stage: StageRecord } | null> {
  const lookup = preparedText(sqlite, 'select 1 from incidents where source = ? and ref = ?');
  if (lookup.all([source, submission.line.ref]).length > 0) return null;
  const deltas = new Map<string, number>();
  const plan = await planReports(ctx, source, [submission], new Map(), new Map(), deltas);
  const planned = plan.inserts[0];
  if (!planned || planned.newStages.length !== 1) return null;
  const row = planned.row as Record<string, unknown>;
  const id = Number(preparedInsert(sqlite, 'incidents', Object.keys(row)).run(row).lastInsertRowid);
  const stage = stageRow(planned.newStages[0]!, id, ctx.now);
  const stageId = Number(
    preparedInsert(sqlite, 'stage_reports', Object.keys(stage)).run(stage).lastInsertRowid,
  );
  const cause = preparedText(sqlite, 'insert into incident_causes (incident_id, cause) values (?, ?)');
  for (const c of planned.causes) cause.run([id, c]);
  await applyRollupDeltas(trx, 'sqlite', deltas, sqlite);
  return {
    incident: {
      ...(planned.row as IncidentRecord),
      id,
      organization_name: submission.line.organization ?? null,
    },
    stage: { ...(stage as StageRecord), id: stageId },
  };
}
