import type { Insertable, Kysely, Selectable } from 'kysely';
import type { DialectName } from '../../db/dialect.js';
import type { BulkTarget } from '../../db/bulk-insert.js';
import { bulkInsert, bulkInsertIncidents } from '../../db/bulk-insert.js';
import type { DB, IncidentTable } from '../../db/schema.js';
import type { Classification, StageFacts } from '../../domain/counting.js';
import { accumulate, contributionsOf, firstReceivedAt, latestStage } from '../../domain/counting.js';
import type { FiscalCalendar } from '../../domain/fiscal-calendar.js';
import type { ReportLine } from '../../domain/report-line.js';
import type { Channel, Stage } from '../../domain/taxonomy.js';
import { AppError } from '../../errors.js';
import { fingerprintOf, joinCodes, splitCodes } from './fingerprint.js';

/** One validated report to store: a new incident, a further stage of one, or a repeat (ignored). */
export interface ReportSubmission {
  line: ReportLine;
  receivedAtMs: number;
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
}

type IncidentRow = Selectable<IncidentTable>;
type StageFact = StageFacts & { details?: ReportLine; fingerprint: string; createdBy?: number | null };

const CHUNK = 1000;

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
  const byRef = new Map<string, number[]>();
  submissions.forEach((s, i) => byRef.set(s.line.ref, [...(byRef.get(s.line.ref) ?? []), i]));
  const known = ctx.knownRefs;
  const lookup = known ? [...byRef.keys()].filter((ref) => known.has(ref)) : [...byRef.keys()];
  const existing = await loadIncidents(trx, ctx.dialect, source, lookup);
  const stages = await loadStageFacts(
    trx,
    [...existing.values()].map((r) => r.id),
  );

  const results: SubmissionResult[] = new Array<SubmissionResult>(submissions.length);
  const inserts: Array<{
    ref: string;
    row: Omit<IncidentRow, 'id'>;
    causes: string[];
    indexes: number[];
    newStages: StageFact[];
  }> = [];
  const updates: Array<{
    row: IncidentRow;
    causesChanged: boolean;
    causes: string[];
    indexes: number[];
    newStages: StageFact[];
  }> = [];

  for (const [ref, indexes] of byRef) {
    const current = existing.get(ref);
    const channel = (current?.channel ?? submissions[indexes[0]!]!.line.channel) as Channel;
    const known = current ? (stages.get(current.id) ?? []) : [];
    const seen = new Set(known.map((s) => s.fingerprint));
    const fresh: StageFact[] = [];
    for (const i of indexes) {
      const sub = submissions[i]!;
      if (sub.line.channel !== channel) {
        throw new AppError(
          409,
          'ref_channel_conflict',
          `ref ${ref} is a ${channel} record; this report says ${sub.line.channel}`,
          {
            ref,
            ...(sub.lineNo ? { line: sub.lineNo } : {}),
          },
        );
      }
      const fingerprint = fingerprintOf(sub.line, sub.receivedAtMs);
      if (seen.has(fingerprint)) continue;
      seen.add(fingerprint);
      fresh.push(toFact(sub, fingerprint, known.length + fresh.length));
    }
    if (fresh.length === 0) {
      for (const i of indexes) results[i] = { incidentId: current!.id, created: false, stageAdded: false };
      continue;
    }
    const all = [...known, ...fresh];
    const latest = latestStage(all);
    const reporter = classificationOf(latest);
    const center = current ? centerClassificationOf(current) : null;
    const effective = center ?? reporter;
    const first = firstReceivedAt(all);
    const details = latest.details;
    const organizationId = details?.organization
      ? await ctx.resolveOrganization(details.organization, details.sector ?? null)
      : (current?.organization_id ?? null);
    const derived = {
      channel,
      organization_id: organizationId,
      sector: details ? (details.sector ?? null) : (current?.sector ?? null),
      title: details ? details.title : current!.title,
      description: details ? details.description : current!.description,
      stage: channel === 'operator_report' ? latest.stage : null,
      first_received_at: new Date(first).toISOString(),
      last_received_at: new Date(Math.max(...all.map((s) => s.receivedAt))).toISOString(),
      month: ctx.calendar.monthKeyOf(first),
      reporter_event: reporter?.event ?? null,
      reporter_causes: joinCodes(reporter?.causes),
      reporter_attack_type: reporter?.attackType ?? null,
      event: effective?.event ?? null,
      causes: joinCodes(effective?.causes),
      attack_type: effective?.attackType ?? null,
      updated_at: ctx.now,
    };
    if (current) {
      accumulate(deltas, contributionsOf(counted(current), ctx.calendar), -1);
      const row: IncidentRow = { ...current, ...derived, version: current.version + 1 };
      accumulate(deltas, contributionsOf(counted(row), ctx.calendar), 1);
      updates.push({
        row,
        causesChanged: row.causes !== current.causes,
        causes: effective?.causes ?? [],
        indexes,
        newStages: fresh,
      });
    } else {
      const row = {
        ...derived,
        source,
        ref,
        center_event: null,
        center_causes: null,
        center_attack_type: null,
        center_classified_at: null,
        center_classified_by: null,
        version: 1,
        created_at: ctx.now,
      };
      accumulate(deltas, contributionsOf(counted(row), ctx.calendar), 1);
      inserts.push({ ref, row, causes: effective?.causes ?? [], indexes, newStages: fresh });
    }
  }

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
  for (const u of updates) {
    const { id, ...values } = u.row;
    await trx.updateTable('incidents').set(values).where('id', '=', id).execute();
    for (const k of u.indexes) results[k] = { incidentId: id, created: false, stageAdded: true };
    stageRows.push(...u.newStages.map((s) => stageRow(s, id, ctx.now)));
    if (u.causesChanged) {
      await trx.deleteFrom('incident_causes').where('incident_id', '=', id).execute();
      causeRows.push(...u.causes.map((cause) => ({ incident_id: id, cause })));
    }
  }
  await bulkInsert(trx, ctx.bulk, 'stage_reports', stageRows);
  await bulkInsert(trx, ctx.bulk, 'incident_causes', causeRows);
  return results;
}

function toFact(sub: ReportSubmission, fingerprint: string, seq: number): StageFact {
  const l = sub.line;
  return {
    // Shares and provisions have no stages; ranking them as initial lets time and order decide.
    stage: l.stage ?? 'initial',
    receivedAt: sub.receivedAtMs,
    seq: 1_000_000 + seq,
    event: l.event,
    causes: l.causes,
    attackType: l.attack_type ?? null,
    details: l,
    fingerprint,
    createdBy: sub.createdBy,
  };
}

function classificationOf(s: StageFact): Classification | null {
  if (!s.event || !s.causes || s.causes.length === 0) return null;
  return { event: s.event, causes: [...s.causes], attackType: s.attackType ?? null };
}

export function centerClassificationOf(
  row: Pick<IncidentRow, 'center_event' | 'center_causes' | 'center_attack_type'>,
): Classification | null {
  if (!row.center_event) return null;
  return {
    event: row.center_event,
    causes: splitCodes(row.center_causes),
    attackType: row.center_attack_type,
  };
}

export function counted(
  row: Pick<IncidentRow, 'channel' | 'first_received_at' | 'event' | 'causes' | 'attack_type'>,
) {
  return {
    channel: row.channel as Channel,
    firstReceivedAt: Date.parse(row.first_received_at),
    classification: row.event
      ? { event: row.event, causes: splitCodes(row.causes), attackType: row.attack_type }
      : null,
  };
}

function stageRow(s: StageFact, incidentId: number, now: string) {
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
  for (let i = 0; i < refs.length; i += CHUNK) {
    const rows = await trx
      .selectFrom('incidents')
      .selectAll()
      .where('source', '=', source)
      .where('ref', 'in', refs.slice(i, i + CHUNK))
      // Two writers adding stages to one incident must not both derive it from the same old row.
      .$if(dialect === 'postgres', (q) => q.forUpdate())
      .execute();
    for (const r of rows) out.set(r.ref, r);
  }
  return out;
}

async function loadStageFacts(trx: Kysely<DB>, ids: number[]): Promise<Map<number, StageFact[]>> {
  const out = new Map<number, StageFact[]>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await trx
      .selectFrom('stage_reports')
      .select(['id', 'incident_id', 'stage', 'received_at', 'event', 'causes', 'attack_type', 'fingerprint'])
      .where('incident_id', 'in', ids.slice(i, i + CHUNK))
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
