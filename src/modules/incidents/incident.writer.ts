import type { Insertable, Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { DialectName } from '../../platform/db/dialect.js';
import type { BulkTarget } from '../../platform/db/bulk-insert.js';
import { bulkInsert, bulkInsertIncidents, bulkUpdateIncidents } from '../../platform/db/bulk-insert.js';
import type { DB, StageReportTable } from '../../platform/db/schema.js';
import type { FiscalCalendar } from '../../domain/fiscal-calendar.js';
import type { ReportLine } from '../../domain/report-line.js';
import type { Stage } from '../../domain/taxonomy.js';
import { joinCodes, splitCodes } from './fingerprint.js';
import type { IncidentRow, ReportPlan, StageFact } from './incident.plan.js';
import { planReports } from './incident.plan.js';

/** One validated report to store: a new incident, a further stage of one, or a repeat (ignored). */
export interface ReportSubmission {
  line: ReportLine;
  receivedAtMs: number;
  /** Content fingerprint, when the caller computed it already (the import does, off the main thread). */
  fingerprint?: string;
  createdBy: number | null;
  /** Line number in an import file, for error messages. */
  lineNo?: number;
}

export interface SubmissionResult {
  incidentId: number;
  created: boolean;
  stageAdded: boolean;
}

export interface WriterContext {
  calendar: FiscalCalendar;
  dialect: DialectName;
  /** Set on SQLite: bulk rows go through prepared statements on this (the transaction's) connection. */
  bulk: BulkTarget;
  /**
   * Every ref the source has, when the caller loaded them (a file import): only these are looked up,
   * so a large import of new incidents makes no per-batch lookups at all. New refs are added here.
   */
  knownRefs?: Set<string>;
  now: string;
  resolveOrganization(name: string, sector: string | null): Promise<number>;
  /** The id of an organisation already resolved, without a query; undefined when not known yet. */
  knownOrganization?(name: string): number | undefined;
  /**
   * Called with the batch's existing incidents, read inside the transaction (locked on PostgreSQL),
   * before anything is planned or written: an API write refuses here (not found, 412) on the row
   * it is about to change.
   */
  checkExisting?(existing: ReadonlyMap<string, IncidentRow>): void;
  /** Call once the writes are committed: remembers the organisation ids resolved on the way. */
  committed?(): void;
}

const CHUNK = 1000;

type StageLookupRow = Pick<
  Selectable<StageReportTable>,
  'id' | 'incident_id' | 'stage' | 'received_at' | 'event' | 'causes' | 'attack_type' | 'fingerprint'
>;

/**
 * Stores a batch of reports of one source inside the caller's transaction and returns, per
 * submission, what happened, plus the statistics deltas to add to the rollup. Import and API share
 * this path, so an incident is derived the same way whichever way its reports arrive.
 */
export async function applyReports(
  trx: Kysely<DB>,
  ctx: WriterContext,
  source: string,
  submissions: readonly ReportSubmission[],
  deltas: Map<string, number>,
): Promise<SubmissionResult[]> {
  const refs = [...new Set(submissions.map((s) => s.line.ref))];
  const known = ctx.knownRefs;
  const lookup = known ? refs.filter((ref) => known.has(ref)) : refs;
  const existing = await loadIncidents(trx, ctx.dialect, source, lookup);
  ctx.checkExisting?.(existing);
  const stages = await loadStageFacts(
    trx,
    ctx.dialect,
    [...existing.values()].map((r) => r.id),
  );

  const plan = await planReports(ctx, source, submissions, existing, stages, deltas);
  return writePlan(trx, ctx, plan);
}

/** Writes a plan: new incidents, updated incidents, their new stage reports and causes. */
export async function writePlan(
  trx: Kysely<DB>,
  ctx: WriterContext,
  plan: ReportPlan,
): Promise<SubmissionResult[]> {
  const { results, inserts, updates } = plan;
  const known = ctx.knownRefs;
  const stageRows: Array<Insertable<DB['stage_reports']>> = [];
  const causeRows: Array<{ incident_id: number; cause: string }> = [];
  const idOf = await bulkInsertIncidents(
    trx,
    ctx.bulk,
    inserts.map((c) => c.row),
  );
  for (const c of inserts) {
    const id = idOf.get(c.ref)!;
    known?.add(c.ref);
    for (const k of c.indexes) results[k] = { incidentId: id, created: true, stageAdded: true };
    stageRows.push(...c.newStages.map((s) => stageRow(s, id, ctx.now)));
    causeRows.push(...c.causes.map((cause) => ({ incident_id: id, cause })));
  }
  const causesReplaced: number[] = [];
  for (const u of updates) {
    const id = u.row.id;
    for (const k of u.indexes) results[k] = { incidentId: id, created: false, stageAdded: true };
    stageRows.push(...u.newStages.map((s) => stageRow(s, id, ctx.now)));
    if (u.causesChanged) {
      causesReplaced.push(id);
      causeRows.push(...u.causes.map((cause) => ({ incident_id: id, cause })));
    }
  }
  await bulkUpdateIncidents(
    trx,
    ctx.bulk,
    updates.map((u) => u.row),
  );
  for (let i = 0; i < causesReplaced.length; i += CHUNK) {
    await trx
      .deleteFrom('incident_causes')
      .where('incident_id', 'in', causesReplaced.slice(i, i + CHUNK))
      .execute();
  }
  await bulkInsert(trx, ctx.bulk, 'stage_reports', stageRows);
  await bulkInsert(trx, ctx.bulk, 'incident_causes', causeRows);
  return results;
}

export function stageRow(s: StageFact, incidentId: number, now: string) {
  const l = s.details!;
  return {
    incident_id: incidentId,
    stage: l.stage ?? null,
    received_at: new Date(s.receivedAt).toISOString(),
    received_at_text: l.received_at,
    organization_name: l.organization ?? null,
    sector: l.sector ?? null,
    title: l.title,
    description: l.description,
    event: l.event ?? null,
    causes: joinCodes(l.causes),
    attack_type: l.attack_type ?? null,
    fingerprint: s.fingerprint,
    created_by: s.createdBy ?? null,
    created_at: now,
  };
}

async function loadIncidents(
  trx: Kysely<DB>,
  dialect: DialectName,
  source: string,
  refs: string[],
): Promise<Map<string, IncidentRow>> {
  const out = new Map<string, IncidentRow>();
  if (dialect === 'postgres' && refs.length > 0) {
    // A join with unnest stays an index lookup even when the planner has no statistics (a large
    // import is one transaction: its own rows are invisible to ANALYZE), where IN (...) turns into
    // a scan that grows with the table. FOR UPDATE: two writers adding stages to one incident must
    // not both derive it from the same old row.
    const result =
      await sql<IncidentRow>`select i.* from incidents i join unnest(${refs}::text[]) as u(ref) on i.ref = u.ref
      where i.source = ${source} for update of i`.execute(trx);
    for (const r of result.rows) out.set(r.ref, r);
    return out;
  }
  for (let i = 0; i < refs.length; i += CHUNK) {
    const rows = await trx
      .selectFrom('incidents')
      .selectAll()
      .where('source', '=', source)
      .where('ref', 'in', refs.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) out.set(r.ref, r);
  }
  return out;
}

async function loadStageFacts(
  trx: Kysely<DB>,
  dialect: DialectName,
  ids: number[],
): Promise<Map<number, StageFact[]>> {
  const out = new Map<number, StageFact[]>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const rows =
      dialect === 'postgres'
        ? (
            await sql<StageLookupRow>`select s.id, s.incident_id, s.stage, s.received_at, s.event, s.causes, s.attack_type, s.fingerprint
              from stage_reports s join unnest(${chunk}::int[]) as u(id) on s.incident_id = u.id`.execute(trx)
          ).rows
        : await trx
            .selectFrom('stage_reports')
            .select([
              'id',
              'incident_id',
              'stage',
              'received_at',
              'event',
              'causes',
              'attack_type',
              'fingerprint',
            ])
            .where('incident_id', 'in', chunk)
            .execute();
    for (const r of rows) {
      const list = out.get(r.incident_id) ?? [];
      list.push({
        stage: (r.stage ?? 'initial') as Stage,
        receivedAt: Date.parse(r.received_at),
        seq: r.id,
        event: r.event ?? undefined,
        causes: r.causes ? splitCodes(r.causes) : undefined,
        attackType: r.attack_type,
        fingerprint: r.fingerprint,
      });
      out.set(r.incident_id, list);
    }
  }
  return out;
}
