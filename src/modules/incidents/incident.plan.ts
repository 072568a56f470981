import type { Selectable } from 'kysely';
import type { IncidentTable } from '../../platform/db/schema.js';
import type { Classification, StageFacts } from '../../domain/counting.js';
import { accumulate, contributionsOf, firstReceivedAt, latestStage } from '../../domain/counting.js';
import type { ReportLine } from '../../domain/report-line.js';
import type { Channel } from '../../domain/taxonomy.js';
import { defaultTlp } from '../../domain/tlp.js';
import { AppError } from '../../platform/errors.js';
import { counts as countsInState } from '../../domain/lifecycle.js';
import { closureAfter, refuseIfNotReceived } from './incident.closure.js';
import { fingerprintOf, joinCodes, splitCodes } from './fingerprint.js';
import type { ReportSubmission, SubmissionResult, WriterContext } from './incident.writer.js';

export type IncidentRow = Selectable<IncidentTable>;
export type StageFact = StageFacts & { details?: ReportLine; fingerprint: string; createdBy?: number | null };

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
 * incident the batch creates or changes, and adds the statistics deltas. No writes happen here.
 */
export async function planReports(
  ctx: WriterContext,
  source: string,
  submissions: readonly ReportSubmission[],
  existing: ReadonlyMap<string, IncidentRow>,
  stages: ReadonlyMap<number, StageFact[]>,
  deltas: Map<string, number>,
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
    const effective = center ?? reporter;
    const first = firstReceivedAt(all);
    const details = latest.details;
    // Most names are known: look them up without an await per incident.
    const organizationId = details?.organization
      ? (ctx.knownOrganization?.(details.organization) ??
        (await ctx.resolveOrganization(details.organization, details.sector ?? null)))
      : (current?.organization_id ?? null);
    let last = all[0]!.receivedAt;
    for (const s of all) if (s.receivedAt > last) last = s.receivedAt;
    const month = ctx.calendar.monthKeyOf(first);
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
        state: 'received',
        state_reason: null,
        state_note: null,
        state_changed_at: null,
        state_changed_by: null,
        version: 1,
        created_at: ctx.now,
      };
      accumulate(
        deltas,
        contributionsOf(
          { channel, firstReceivedAt: first, classification: effective, month, sector: derived.sector },
          ctx.calendar,
        ),
        1,
      );
      inserts.push({ ref, row, causes: effective?.causes ?? [], indexes, newStages: fresh });
    }
  }

  return { results, inserts, updates };
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

export function reporterClassificationOf(
  row: Pick<IncidentRow, 'reporter_event' | 'reporter_causes' | 'reporter_attack_type'>,
): Classification | null {
  if (!row.reporter_event) return null;
  return {
    event: row.reporter_event,
    causes: splitCodes(row.reporter_causes),
    attackType: row.reporter_attack_type,
  };
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
  row: Pick<
    IncidentRow,
    'channel' | 'first_received_at' | 'event' | 'causes' | 'attack_type' | 'sector' | 'state'
  >,
) {
  return {
    channel: row.channel as Channel,
    sector: row.sector,
    counts: countsInState(row.state),
    firstReceivedAt: Date.parse(row.first_received_at),
    classification: row.event
      ? { event: row.event, causes: splitCodes(row.causes), attackType: row.attack_type }
      : null,
  };
}
