import { parseInstant } from '../src/domain/report-line.js';
import type { ReportLine } from '../src/domain/report-line.js';
import { fingerprintOf } from '../src/modules/incidents/fingerprint.js';
import type { IncidentPlan } from './generate.js';
import { BENCH_SOURCE, jstMonth } from './generate.js';

/**
 * The rows kyoyu stores for one incident, derived directly (the baseline's own code, not kyoyu's):
 * the latest report speaks for the incident, the earliest decides its month. Column order below.
 */
export const INCIDENT_COLUMNS = [
  'source',
  'ref',
  'channel',
  'organization_id',
  'sector',
  'title',
  'description',
  'stage',
  'first_received_at',
  'last_received_at',
  'month',
  'reporter_event',
  'reporter_causes',
  'reporter_attack_type',
  'center_event',
  'center_causes',
  'center_attack_type',
  'center_classified_at',
  'center_classified_by',
  'event',
  'causes',
  'attack_type',
  'version',
  'created_at',
  'updated_at',
] as const;

export const STAGE_COLUMNS = [
  'incident_id',
  'stage',
  'received_at',
  'received_at_text',
  'organization_name',
  'sector',
  'title',
  'description',
  'event',
  'causes',
  'attack_type',
  'fingerprint',
  'created_by',
  'created_at',
] as const;

export type Value = string | number | null;

export interface RawIncident {
  ref: string;
  incident: Value[];
  /** Stage rows without their leading incident_id. */
  stages: Value[][];
  causes: string[];
  contributions: string[];
}

const joined = (codes: readonly string[] | undefined): string | null =>
  codes && codes.length > 0 ? codes.join(';') : null;

function stageValues(line: ReportLine, ms: number, now: string, createdBy: number | null): Value[] {
  return [
    line.stage ?? null,
    new Date(ms).toISOString(),
    line.received_at,
    line.organization ?? null,
    line.sector ?? null,
    line.title,
    line.description,
    line.event ?? null,
    joined(line.causes),
    line.attack_type ?? null,
    fingerprintOf(line, ms),
    createdBy,
    now,
  ];
}

export function rawIncident(
  plan: Pick<IncidentPlan, 'ref' | 'initial' | 'initialMs' | 'final' | 'finalMs'>,
  organizationId: number,
  now: string,
  source = BENCH_SOURCE,
  createdBy: number | null = null,
): RawIncident {
  const latest = plan.final ?? plan.initial;
  const lastMs = plan.finalMs ?? plan.initialMs;
  const month = jstMonth(plan.initialMs);
  const causes = latest.causes ?? [];
  const event = latest.event ?? null;
  const attackType = latest.attack_type ?? null;
  const incident: Value[] = [
    source,
    plan.ref,
    'operator_report',
    organizationId,
    latest.sector ?? null,
    latest.title,
    latest.description,
    latest.stage ?? null,
    new Date(plan.initialMs).toISOString(),
    new Date(lastMs).toISOString(),
    month,
    event,
    joined(causes),
    attackType,
    null,
    null,
    null,
    null,
    null,
    event,
    joined(causes),
    attackType,
    1,
    now,
    now,
  ];
  const stages = [stageValues(plan.initial, plan.initialMs, now, createdBy)];
  if (plan.final) stages.push(stageValues(plan.final, plan.finalMs!, now, createdBy));
  const contributions = [`${month}|channels|operator_report`];
  if (event) {
    contributions.push(`${month}|events|${event}`);
    for (const c of causes) contributions.push(`${month}|causes|${c}`);
    if (attackType) contributions.push(`${month}|attack_types|${attackType}`);
  }
  return { ref: plan.ref, incident, stages, causes, contributions };
}

/** A line posted through the API, as an incident plan (its time parsed the way kyoyu parses it). */
export function planOfLine(line: ReportLine): Pick<IncidentPlan, 'ref' | 'initial' | 'initialMs'> {
  const parsed = parseInstant(line.received_at);
  if (!parsed.ok) throw new Error(`bad time ${line.received_at}`);
  return { ref: line.ref, initial: line, initialMs: parsed.epochMs };
}

export function addContributions(deltas: Map<string, number>, keys: readonly string[]): void {
  for (const k of keys) deltas.set(k, (deltas.get(k) ?? 0) + 1);
}

export function rollupRows(deltas: Map<string, number>, shard: number): Value[][] {
  return [...deltas.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, n]) => {
      const [month, tbl, code] = key.split('|') as [string, string, string];
      return [month, tbl, code, shard, n];
    });
}

/** `($1,$2,..),(...)` for a multi-row PostgreSQL INSERT. */
export function placeholders(rows: number, columns: number, offset = 0): string {
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    const cols: string[] = [];
    for (let c = 1; c <= columns; c++) cols.push(`$${offset + r * columns + c}`);
    out.push(`(${cols.join(',')})`);
  }
  return out.join(',');
}

export const INSERT_INCIDENT_SQL = `insert into incidents (${INCIDENT_COLUMNS.join(',')}) values `;
export const INSERT_STAGE_SQL = `insert into stage_reports (${STAGE_COLUMNS.join(',')}) values `;
export const INSERT_CAUSE_SQL = 'insert into incident_causes (incident_id, cause) values ';
export const UPSERT_ROLLUP_SQL = 'insert into stat_rollup (month, tbl, code, shard, n) values ';
export const ROLLUP_CONFLICT_SQL =
  ' on conflict (month, tbl, code, shard) do update set n = stat_rollup.n + excluded.n';
