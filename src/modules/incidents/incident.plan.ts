import {
  classificationOf,
  compareStages,
  decideClassification,
  firstReceivedAt,
  latestStage,
} from '../../domain/counting.js';
import type { FiscalCalendar } from '../../domain/fiscal-calendar.js';
import { checkTimeOrder } from '../../domain/incident-times.js';
import type { ReportLine } from '../../domain/report-line.js';
import { optionalInstant as instantOf } from '../../domain/report-line.js';
import type { Channel } from '../../domain/taxonomy.js';
import { defaultTlp } from '../../domain/tlp.js';
import { AppError } from '../../platform/errors.js';
import type { RollupChange } from '../stats/index.js';
import { rollupChange } from '../stats/index.js';
import { closureAfter, refuseIfNotReceived } from './incident.closure.js';
import { fingerprintOf, joinCodes } from './fingerprint.js';
import type { IncidentRow, StageFact } from './incident.rows.js';
import { centerClassificationOf, counted, isoOrNull } from './incident.rows.js';

export type { IncidentRow, StageFact } from './incident.rows.js';

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

/** What planning needs besides the reports: the calendar, the write's instant, organisation ids. */
export interface PlanContext {
  calendar: FiscalCalendar;
  now: string;
  /** The organisation's id: at once when known, else once it is resolved (created if new). */
  organizationId(name: string, sector: string | null): number | Promise<number>;
}

export interface PlannedInsert {
  ref: string;
  row: Omit<IncidentRow, 'id'>;
  causes: string[];
  indexes: number[];
  newStages: StageFact[];
}

export interface PlannedUpdate {
  row: IncidentRow;
  causesChanged: boolean;
  causes: string[];
  indexes: number[];
  newStages: StageFact[];
}

/** What a batch of reports changes: results known so far (repeats), incidents to insert and to update. */
export interface ReportPlan {
  results: SubmissionResult[];
  inserts: PlannedInsert[];
  updates: PlannedUpdate[];
}

/**
 * Derives, from the stored incidents and stages of the batch's refs and the new reports, every
 * incident the batch creates or changes, and adds its statistics change. No writes happen here:
 * this is the one derivation of an incident's row, whichever way its reports arrive.
 */
export async function planReports(
  ctx: PlanContext,
  source: string,
  submissions: readonly ReportSubmission[],
  existing: ReadonlyMap<string, IncidentRow>,
  stages: ReadonlyMap<number, StageFact[]>,
  change: RollupChange,
): Promise<ReportPlan> {
  const results: SubmissionResult[] = new Array<SubmissionResult>(submissions.length);
  const inserts: PlannedInsert[] = [];
  const updates: PlannedUpdate[] = [];
  const byRef = new Map<string, number[]>();
  submissions.forEach((s, i) => {
    const list = byRef.get(s.line.ref);
    if (list) list.push(i);
    else byRef.set(s.line.ref, [i]);
  });

  for (const [ref, indexes] of byRef) {
    const current = existing.get(ref);
    const channel = (current?.channel ?? submissions[indexes[0]!]!.line.channel) as Channel;
    const known = current ? (stages.get(current.id) ?? []) : [];
    const seen = new Set<string>();
    for (const s of known) seen.add(s.fingerprint);
    const fresh: StageFact[] = [];
    const lineNos: Array<number | undefined> = [];
    for (const i of indexes) {
      const sub = submissions[i]!;
      if (sub.line.channel !== channel) {
        throw new AppError(
          'ref_channel_conflict',
          `ref ${ref} is a ${channel} record; this report says ${sub.line.channel}`,
          {
            ref,
            ...(sub.lineNo ? { line: sub.lineNo } : {}),
          },
        );
      }
      const fingerprint = sub.fingerprint ?? fingerprintOf(sub.line, sub.receivedAtMs);
      if (seen.has(fingerprint)) continue;
      seen.add(fingerprint);
      // A repeat of a stored report stays a harmless repeat; anything new must find the record open.
      if (current) refuseIfNotReceived(ref, current.state, sub.lineNo);
      lineNos.push(sub.lineNo);
      fresh.push(toFact(sub, fingerprint, known.length + fresh.length));
    }
    if (fresh.length === 0) {
      for (const i of indexes) results[i] = { incidentId: current!.id, created: false, stageAdded: false };
      continue;
    }
    const closed = closureAfter(
      ref,
      current?.final_received_at ?? null,
      fresh.map((fact, k) => ({ fact, lineNo: lineNos[k] })),
    );
    const all = known.length > 0 ? [...known, ...fresh] : fresh;
    const latest = latestStage(all);
    const reporter = classificationOf(latest);
    const center = current ? centerClassificationOf(current) : null;
    const effective = decideClassification(center, reporter)?.classification ?? null;
    const first = firstReceivedAt(all);
    const details = latest.details;
    // Most names are known: looked up without an await per incident.
    const organization = details?.organization
      ? ctx.organizationId(details.organization, details.sector ?? null)
      : (current?.organization_id ?? null);
    const organizationId =
      typeof organization === 'number' || organization === null ? organization : await organization;
    let last = all[0]!.receivedAt;
    for (const s of all) if (s.receivedAt > last) last = s.receivedAt;
    const month = ctx.calendar.monthKeyOf(first);
    const occurred = latestNamed(all, 'occurredAt');
    const detected = latestNamed(all, 'detectedAt');
    if (occurred !== null || detected !== null) refuseOutOfOrder(ref, occurred, detected, first, lineNos);
    const derived = {
      channel,
      organization_id: organizationId,
      sector: details ? (details.sector ?? null) : (current?.sector ?? null),
      title: details ? details.title : current!.title,
      description: details ? details.description : current!.description,
      stage: channel === 'operator_report' ? latest.stage : null,
      first_received_at: new Date(first).toISOString(),
      last_received_at: new Date(last).toISOString(),
      month,
      reporter_event: reporter?.event ?? null,
      reporter_causes: joinCodes(reporter?.causes),
      reporter_attack_type: reporter?.attackType ?? null,
      event: effective?.event ?? null,
      causes: joinCodes(effective?.causes),
      attack_type: effective?.attackType ?? null,
      updated_at: ctx.now,
      // The latest report that names a marking decides it; without one the record keeps its own.
      tlp: details?.tlp ?? current?.tlp ?? defaultTlp(channel),
      final_received_at: closed,
      occurred_at: isoOrNull(occurred),
      detected_at: isoOrNull(detected),
    };
    if (current) {
      const row: IncidentRow = { ...current, ...derived, version: current.version + 1 };
      rollupChange(ctx.calendar, counted(current), counted(row), change);
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
        state: 'received',
        // Addressed records (advisories) set their audience in the write that creates them.
        audience: 'community',
        state_reason: null,
        state_note: null,
        state_changed_at: null,
        state_changed_by: null,
        version: 1,
        created_at: ctx.now,
      };
      const counts = {
        channel,
        firstReceivedAt: first,
        classification: effective,
        month,
        sector: derived.sector,
      };
      rollupChange(ctx.calendar, null, counts, change);
      inserts.push({ ref, row, causes: effective?.causes ?? [], indexes, newStages: fresh });
    }
  }

  return { results, inserts, updates };
}

/** The value of the latest report that names it: a later report fills in or corrects an earlier one. */
function latestNamed(stages: readonly StageFact[], key: 'occurredAt' | 'detectedAt'): number | null {
  let best: StageFact | undefined;
  for (const s of stages) if (s[key] != null && (!best || compareStages(s, best) > 0)) best = s;
  return best?.[key] ?? null;
}

/**
 * The incident's times as its reports together say them, against its first report: each report was
 * checked alone when it arrived, but a correction pairs with what an earlier report said.
 */
function refuseOutOfOrder(
  ref: string,
  occurredMs: number | null,
  detectedMs: number | null,
  receivedMs: number,
  lineNos: ReadonlyArray<number | undefined>,
): void {
  const problem = checkTimeOrder({ occurredMs, detectedMs, receivedMs });
  if (!problem) return;
  const line = lineNos.find((n) => n !== undefined);
  const where = line ? `line ${line}, ref ${ref}` : `ref ${ref}`;
  throw new AppError(problem.code, `${where}: ${problem.message}`, [
    { field: problem.field, code: problem.code, message: problem.message },
  ]);
}

function toFact(sub: ReportSubmission, fingerprint: string, seq: number): StageFact {
  const l = sub.line;
  return {
    occurredAt: instantOf(l.occurred_at),
    detectedAt: instantOf(l.detected_at),
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
