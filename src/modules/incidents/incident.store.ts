import type { Kysely } from 'kysely';
import type { ChainEntry } from '../../platform/db/chain.js';
import type { AddRows, Dialect, NewRecordWrite, Row } from '../../platform/db/dialect.js';
import type { DB } from '../../platform/db/schema.js';
import type { Stage } from '../../domain/taxonomy.js';
import { reportedIndicatorRows, storedKeys } from '../indicators/index.js';
import { splitCodes } from './fingerprint.js';
import type {
  IncidentRow,
  PlannedInsert,
  PlannedUpdate,
  ReportPlan,
  ReportSubmission,
  StageFact,
  SubmissionResult,
} from './incident.plan.js';
import type { IncidentRecord, StageRecord } from './incident.repository.js';
import { stageRow } from './incident.rows.js';

/** The rows of a plan written through the dialect, and the stored stages a plan is made from. */

/** Per submission, what happened; and, when one report opened an incident, the rows written for it. */
export interface WrittenReports {
  results: SubmissionResult[];
  created?: { incident: IncidentRecord; stage: StageRecord };
}

type StageLookupRow = Pick<
  StageRecord,
  | 'id'
  | 'incident_id'
  | 'stage'
  | 'received_at'
  | 'event'
  | 'causes'
  | 'attack_type'
  | 'fingerprint'
  | 'occurred_at'
  | 'detected_at'
>;

type StageRow = ReturnType<typeof stageRow>;

const CHUNK = 1000;

/** Whether any new report of the plan carries indicators (else none is looked up or written). */
const carriesIndicators = (c: PlannedInsert | PlannedUpdate) =>
  c.newStages.some((s) => (s.details?.indicators?.length ?? 0) > 0);

/**
 * A planned incident's child rows: its new stage reports, (new) causes and the indicators its new
 * reports carry (none it holds already: `stored`), without its id yet.
 */
function childRows(
  c: PlannedInsert | PlannedUpdate,
  now: string,
  withCauses: boolean,
  stored?: ReadonlySet<string>,
) {
  return {
    stages: c.newStages.map((s) => stageRow(s, now)),
    causes: withCauses ? c.causes.map((cause) => ({ cause })) : [],
    // The import's hot path: no per-incident arrays for the many reports without indicators.
    indicators: carriesIndicators(c)
      ? reportedIndicatorRows(
          c.newStages.map((s) => ({ indicators: s.details?.indicators, createdBy: s.createdBy ?? null })),
          c.row.tlp,
          now,
          stored,
        )
      : [],
  };
}

const withId = <T extends object>(rows: readonly T[], incidentId: number) =>
  rows.map((r) => ({ incident_id: incidentId, ...r }));

/**
 * A new incident as ONE write set for Dialect.writeOne: the rows the transaction path writes for
 * it, its rollup rows and its audit entry.
 */
export function newIncidentWrite(
  planned: PlannedInsert,
  now: string,
  adds: AddRows,
  chain: ChainEntry,
): { write: NewRecordWrite; stages: StageRow[] } {
  const { stages, causes, indicators } = childRows(planned, now, true);
  const write: NewRecordWrite = {
    table: 'incidents',
    row: planned.row,
    unique: ['source', 'ref'],
    children: [
      { table: 'stage_reports', parentColumn: 'incident_id', rows: stages },
      { table: 'incident_causes', parentColumn: 'incident_id', rows: causes },
      // Only when the report carries some: a report without indicators writes the statement it did.
      ...(indicators.length > 0
        ? [{ table: 'incident_indicators' as const, parentColumn: 'incident_id', rows: indicators }]
        : []),
    ],
    adds,
    chain,
  };
  return { write, stages };
}

/** Writes a plan in the caller's transaction: new and updated incidents, their new stage reports and causes. */
export async function writePlan(
  trx: Kysely<DB>,
  dialect: Dialect,
  plan: ReportPlan,
  now: string,
  knownRefs: Set<string> | undefined,
  single: ReportSubmission | undefined,
): Promise<WrittenReports> {
  const { results, inserts, updates } = plan;
  const stageRows: Array<StageRow & { incident_id: number }> = [];
  const causeRows: Row[] = [];
  const indicatorRows: Row[] = [];
  const idOf = await dialect.insertReturningKeys(
    trx,
    'incidents',
    inserts.map((c) => c.row),
    'ref',
  );
  for (const c of inserts) {
    const id = idOf.get(c.ref)!;
    knownRefs?.add(c.ref);
    for (const k of c.indexes) results[k] = { incidentId: id, created: true, stageAdded: true };
    const { stages, causes, indicators } = childRows(c, now, true);
    stageRows.push(...withId(stages, id));
    causeRows.push(...withId(causes, id));
    indicatorRows.push(...withId(indicators, id));
  }
  // What the updated incidents hold already (their rows are locked): read only when reports bring some.
  const withIndicators = updates.filter(carriesIndicators).map((u) => u.row.id);
  const stored = await storedKeys(trx, withIndicators);
  const causesReplaced: number[] = [];
  for (const u of updates) {
    const id = u.row.id;
    for (const k of u.indexes) results[k] = { incidentId: id, created: false, stageAdded: true };
    if (u.causesChanged) causesReplaced.push(id);
    const { stages, causes, indicators } = childRows(u, now, u.causesChanged, stored.get(id));
    stageRows.push(...withId(stages, id));
    causeRows.push(...withId(causes, id));
    indicatorRows.push(...withId(indicators, id));
  }
  if (updates.length > 0)
    await dialect.updateRows(
      trx,
      'incidents',
      updates.map((u) => u.row),
    );
  for (let i = 0; i < causesReplaced.length; i += CHUNK) {
    await trx
      .deleteFrom('incident_causes')
      .where('incident_id', 'in', causesReplaced.slice(i, i + CHUNK))
      .execute();
  }
  // One report that opened an incident is answered from the rows written: its stage's id is asked for.
  const opened = single && inserts.length === 1 && stageRows.length === 1 ? inserts[0]! : undefined;
  const stageIds = await dialect.insertRows(trx, 'stage_reports', stageRows, { returnIds: !!opened });
  await dialect.insertRows(trx, 'incident_causes', causeRows);
  await dialect.insertRows(trx, 'incident_indicators', indicatorRows);
  if (!opened) return { results };
  const id = idOf.get(opened.ref)!;
  const stage = { ...stageRows[0]!, id: stageIds[0]! };
  return { results, created: createdRecords(opened.row, id, single!, stage) };
}

/** The new incident and its stage as a read would return them. */
export function createdRecords(
  row: Omit<IncidentRow, 'id'>,
  id: number,
  submission: ReportSubmission,
  stage: StageRecord,
): NonNullable<WrittenReports['created']> {
  return {
    incident: { ...row, id, organization_name: submission.line.organization ?? null },
    stage,
  };
}

export async function loadStageFacts(
  trx: Kysely<DB>,
  dialect: Dialect,
  ids: number[],
): Promise<Map<number, StageFact[]>> {
  const out = new Map<number, StageFact[]>();
  const rows = await dialect.rowsByKeys<StageLookupRow>(trx, 'stage_reports', 'incident_id', ids, {
    columns: [
      'id',
      'incident_id',
      'stage',
      'received_at',
      'event',
      'causes',
      'attack_type',
      'fingerprint',
      'occurred_at',
      'detected_at',
    ],
  });
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
      occurredAt: r.occurred_at ? Date.parse(r.occurred_at) : null,
      detectedAt: r.detected_at ? Date.parse(r.detected_at) : null,
    });
    out.set(r.incident_id, list);
  }
  return out;
}
