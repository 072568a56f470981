import type { Kysely, RawBuilder } from 'kysely';
import { sql } from 'kysely';
import { rollupShards } from '../../platform/db/dialect.js';
import type { DB } from '../../platform/db/schema.js';
import type { ObjectIdInStatement } from '../audit/audit.repository.js';
import { parseDeltaKey } from '../../domain/counting.js';
import type { IncidentRecord, StageRecord } from './incident.repository.js';
import { planReports } from './incident.plan.js';
import type { ReportSubmission, WriterContext } from './incident.writer.js';
import { stageRow } from './incident.writer.js';

const list = (values: readonly unknown[]) => sql.join(values.map((v) => sql`${v}`));
const columns = (names: readonly string[]) => sql.join(names.map((n) => sql.ref(n)));

/**
 * A report that opens a new incident, written on PostgreSQL in ONE statement in autocommit: the
 * incident, its stage report, its causes and its rollup counts as data-modifying CTEs. Each round
 * trip to the server costs more than the work it carries here, and the general path (a transaction
 * with a lookup, three inserts, the rollup and the commit) takes eight. `ON CONFLICT DO NOTHING`
 * makes the statement a no-op when the ref exists (or is being inserted concurrently): the caller
 * then takes the general path. Returns the stored records, or null when nothing was written.
 *
 * The audit entry is part of the same statement (`audit`: its CTEs, given where the new id is), so
 * it exists exactly when the incident does. Nothing is written without a chain head to lock (a fresh
 * database): the general path then creates the heads.
 */
export async function insertNewIncidentPg(
  db: Kysely<DB>,
  ctx: WriterContext,
  source: string,
  submission: ReportSubmission,
  audit: (objectId: ObjectIdInStatement) => { lock: RawBuilder<unknown>; write: RawBuilder<unknown> },
): Promise<{ incident: IncidentRecord; stage: StageRecord } | null> {
  const deltas = new Map<string, number>();
  const plan = await planReports(ctx, source, [submission], new Map(), new Map(), deltas);
  const planned = plan.inserts[0];
  if (!planned || planned.newStages.length !== 1) return null;
  const row = planned.row as Record<string, unknown>;
  const rowColumns = Object.keys(row);
  const stage = stageRow(planned.newStages[0]!, 0, ctx.now) as Record<string, unknown>;
  const stageColumns = Object.keys(stage).filter((c) => c !== 'incident_id');
  const keys = [...deltas.keys()].filter((k) => deltas.get(k) !== 0).sort();
  const rollup = keys.map(parseDeltaKey);
  const shard = Math.floor(Math.random() * rollupShards('postgres'));
  const text = (values: unknown[]): RawBuilder<unknown> => sql`${values}::text[]`;
  const entry = audit({ expression: sql`inc.id`, from: sql`inc` });

  const result = await sql<{ incident_id: number; stage_id: number }>`
    with ${entry.lock}, inc as (
      insert into incidents (${columns(rowColumns)})
      select ${list(rowColumns.map((c) => row[c] ?? null))} where exists (select 1 from audit_prev)
      on conflict (source, ref) do nothing
      returning id
    ), st as (
      insert into stage_reports (incident_id, ${columns(stageColumns)})
      select inc.id, ${list(stageColumns.map((c) => stage[c] ?? null))} from inc
      returning id
    ), ca as (
      insert into incident_causes (incident_id, cause)
      select inc.id, c from inc, unnest(${text(planned.causes)}) as c
    ), ru as (
      insert into stat_rollup (month, tbl, code, shard, n)
      select m, t, c, ${shard}, n
      from unnest(${text(rollup.map((r) => r.month))}, ${text(rollup.map((r) => r.table))}, ${text(rollup.map((r) => r.code))},
                  ${keys.map((k) => deltas.get(k)!)}::int[]) as u(m, t, c, n)
      where exists (select 1 from inc)
      order by m, t, c
      on conflict (month, tbl, code, shard) do update set n = stat_rollup.n + excluded.n
    ), ${entry.write}
    select inc.id as incident_id, st.id as stage_id from inc, st`.execute(db);
  const ids = result.rows[0];
  if (!ids) return null;
  ctx.committed?.();
  return {
    incident: {
      ...(planned.row as IncidentRecord),
      id: ids.incident_id,
      organization_name: submission.line.organization ?? null,
    },
    stage: { ...(stage as StageRecord), id: ids.stage_id, incident_id: ids.incident_id },
  };
}
