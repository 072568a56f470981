import type { FiscalCalendar, MonthKey } from './fiscal-calendar.js';
import type { Channel, Stage } from './taxonomy.js';

/**
 * The counting rules of the information-sharing statistics, as pure functions:
 * - an incident counts once, in the local month (hence fiscal quarter) of its earliest received report;
 * - its classification is the center's where set, else its latest stage report's;
 * - events and attack types are single choice, causes multiple choice; only operator reports carry them;
 * - an incident counts under attack types only when its classification names one.
 */
export const STAT_TABLES = ['channels', 'events', 'causes', 'attack_types'] as const;
export type StatTable = (typeof STAT_TABLES)[number];
/**
 * What the rollup keeps: the four published tables, plus operator reports per sector (not
 * published, but every dashboard wants it, and counting it from the incidents grows with them).
 */
export type RollupTable = StatTable | 'sectors';

export interface Classification {
  event: string;
  causes: string[];
  attackType: string | null;
}

export interface StageFacts extends Partial<Classification> {
  stage: Stage;
  receivedAt: number;
  /** Insertion order, the last tie-breaker between reports received at the same instant. */
  seq: number;
}

const STAGE_RANK: Record<Stage, number> = { initial: 0, update: 1, final: 2 };

/** The report that speaks last: latest received, then the later stage, then the later stored. */
export function latestStage<T extends StageFacts>(stages: readonly T[]): T {
  if (stages.length === 0) throw new RangeError('an incident has at least one report');
  return stages.reduce((a, b) => (compareStages(b, a) > 0 ? b : a));
}

export function compareStages(a: StageFacts, b: StageFacts): number {
  return a.receivedAt - b.receivedAt || STAGE_RANK[a.stage] - STAGE_RANK[b.stage] || a.seq - b.seq;
}

export function firstReceivedAt(stages: readonly StageFacts[]): number {
  if (stages.length === 0) throw new RangeError('an incident has at least one report');
  return Math.min(...stages.map((s) => s.receivedAt));
}

/** What a report (or a stored set of classification columns) says, as far as counting is concerned. */
export interface ClassificationFacts {
  event?: string | null;
  causes?: readonly string[] | null;
  attackType?: string | null;
}

/** A report classifies its incident only when it names an event and at least one cause. */
export function classificationOf(facts: ClassificationFacts): Classification | null {
  if (!facts.event || !facts.causes || facts.causes.length === 0) return null;
  return { event: facts.event, causes: [...facts.causes], attackType: facts.attackType ?? null };
}

export function reporterClassification(stages: readonly StageFacts[]): Classification | null {
  return classificationOf(latestStage(stages));
}

/** Whose classification counts: the center's where it set one, else the reporter's (if any). */
export function decideClassification(
  center: Classification | null,
  reporter: Classification | null,
): { classification: Classification; by: 'center' | 'reporter' } | null {
  if (center) return { classification: center, by: 'center' };
  if (reporter) return { classification: reporter, by: 'reporter' };
  return null;
}

export function effectiveClassification(
  stages: readonly StageFacts[],
  center: Classification | null,
): Classification | null {
  return decideClassification(center, center ? null : reporterClassification(stages))?.classification ?? null;
}

export interface CountedIncident {
  channel: Channel;
  firstReceivedAt: number;
  classification: Classification | null;
  /** The local month of firstReceivedAt, when the caller has it already (saves a time-zone lookup). */
  month?: MonthKey;
  /** The sector of an operator report (counted in the `sectors` rollup table). */
  sector?: string | null;
  /** False for a record the center rejected or that was withdrawn: it counts nowhere. */
  counts?: boolean;
}

export interface Contribution {
  month: MonthKey;
  table: RollupTable;
  code: string;
}

/** The sector code under which an operator report without one is counted. */
export const UNKNOWN_SECTOR = 'unknown';

/** What one incident adds to the statistics; the rollup is the sum of these over all incidents. */
export function contributionsOf(incident: CountedIncident, calendar: FiscalCalendar): Contribution[] {
  if (incident.counts === false) return [];
  const month = incident.month ?? calendar.monthKeyOf(incident.firstReceivedAt);
  const out: Contribution[] = [{ month, table: 'channels', code: incident.channel }];
  if (incident.channel !== 'operator_report') return out;
  out.push({ month, table: 'sectors', code: incident.sector ?? UNKNOWN_SECTOR });
  const c = incident.classification;
  if (!c) return out;
  out.push({ month, table: 'events', code: c.event });
  for (const cause of new Set(c.causes)) out.push({ month, table: 'causes', code: cause });
  if (c.attackType) out.push({ month, table: 'attack_types', code: c.attackType });
  return out;
}

/** Adds `sign` times each contribution to a delta map keyed `month|table|code`. */
export function accumulate(deltas: Map<string, number>, contributions: Contribution[], sign: 1 | -1): void {
  for (const { month, table, code } of contributions) {
    const key = `${month}|${table}|${code}`;
    deltas.set(key, (deltas.get(key) ?? 0) + sign);
  }
}

export function parseDeltaKey(key: string): Contribution {
  const [month, table, code] = key.split('|') as [string, RollupTable, string];
  return { month, table, code };
}
