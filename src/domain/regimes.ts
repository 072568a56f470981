import type { Period } from './deadline.js';
import { dueAt } from './deadline.js';
import type { HolidayCalendar } from './deadline.js';
import { TimeZone } from './time-zone.js';

/**
 * Reporting regimes (pure): who a duty applies to, and when each of its stages falls due for an
 * incident, from the incident's times and the stages already submitted. The duties themselves are
 * data (data/regimes.json, read by src/modules/regimes).
 */

/** The times given on their own (incident.timeline.ts); occurred and aware come with the reports. */
export const GIVEN_TIMES = [
  'management_informed',
  'hq_established',
  'restored',
  'classified_major',
  'ransom_paid',
] as const;
/** The times an incident carries that a deadline can be counted from. */
export const INCIDENT_TIMES = ['occurred', 'aware', ...GIVEN_TIMES] as const;
export type IncidentTime = (typeof INCIDENT_TIMES)[number];

/** Facts about an incident or its organisation that decide whether a duty applies. */
export const REGIME_FACTS = [
  'cyber_attack',
  'personal_data',
  'service_outage',
  'secrecy_of_communications',
  'significant_incident',
  'major_incident',
  'ransom_paid',
] as const;
export type RegimeFact = (typeof REGIME_FACTS)[number];

export const ORGANIZATION_FLAGS = ['designated_operator', 'eu_entity', 'us_covered_entity'] as const;
export type OrganizationFlag = (typeof ORGANIZATION_FLAGS)[number];

export type Confidence = 'law' | 'guidance' | 'secondary';
type Bilingual = { ja: string; en: string };

export interface Applicability {
  sectors?: string[];
  flags?: OrganizationFlag[];
  facts_any?: RegimeFact[];
}

export type StartPoint = { time: IncidentTime } | { stage: string };

export interface RegimeStage {
  code: string;
  name: Bilingual;
  /** 速やかに: as soon as possible; with `within`, that is the latest it may be. */
  promptly?: boolean;
  from: StartPoint;
  /** A different start where facts say so (telecom: a secrecy leak counts from awareness). */
  from_if?: Array<{ facts_any: RegimeFact[]; from: StartPoint }>;
  within?: Period;
  within_if?: Array<{ facts_any: RegimeFact[]; within: Period }>;
  /** A second limit; the stage is due at the earlier of the two (DORA: 4 h after classification, 24 h after awareness at the latest). */
  latest?: { from: StartPoint; within: Period };
  /** The stage applies only where these facts hold (CIRCIA's ransom payment report). */
  when?: { facts_any: RegimeFact[] };
  items: string[];
}

export interface Regime {
  code: string;
  version: number;
  effective_from: string;
  effective_to?: string;
  name: Bilingual;
  authority: Bilingual;
  applies_to: Applicability;
  time_zone: string;
  holidays?: string;
  stages: RegimeStage[];
  items: Record<string, Bilingual & { field: string }>;
  source: { url: string; read_on: string; confidence: Confidence; note?: string };
}

export interface IncidentFacts {
  sector: string | null;
  flags: ReadonlySet<OrganizationFlag>;
  facts: ReadonlySet<RegimeFact>;
}

const any = <T>(wanted: readonly T[] | undefined, have: ReadonlySet<T>) =>
  !wanted || wanted.some((w) => have.has(w));

/** Whether a regime (in force on `date`, YYYY-MM-DD) applies to an incident with these facts. */
export function applies(regime: Regime, facts: IncidentFacts, date: string): boolean {
  if (date < regime.effective_from || (regime.effective_to !== undefined && date >= regime.effective_to))
    return false;
  const a = regime.applies_to;
  if (a.sectors && !(facts.sector !== null && a.sectors.includes(facts.sector))) return false;
  if (a.flags && !a.flags.every((f) => facts.flags.has(f))) return false;
  return any(a.facts_any, facts.facts);
}

export interface StageDue {
  stage: string;
  /** false: the stage does not apply to these facts. */
  required: boolean;
  promptly: boolean;
  /** Epoch ms; null while what it counts from is not known yet (or for a prompt stage without a limit). */
  due: number | null;
  /** What it counts from, and what is missing when `due` is null. */
  basis: StartPoint;
  waitingFor: StartPoint | null;
}

export interface StageInput {
  times: Partial<Record<IncidentTime, number>>;
  /** When each stage already submitted was submitted (epoch ms). */
  submitted: Readonly<Record<string, number>>;
  facts: ReadonlySet<RegimeFact>;
}

function startOf(point: StartPoint, input: StageInput): number | undefined {
  return 'time' in point ? input.times[point.time] : input.submitted[point.stage];
}

/** The due time of each stage of a regime for an incident. */
export function stageDues(
  regime: Regime,
  input: StageInput,
  holidays: HolidayCalendar = () => false,
): StageDue[] {
  const zone = new TimeZone(regime.time_zone);
  return regime.stages.map((stage): StageDue => {
    const required = any(stage.when?.facts_any, input.facts);
    const from = stage.from_if?.find((c) => any(c.facts_any, input.facts))?.from ?? stage.from;
    const within = stage.within_if?.find((c) => any(c.facts_any, input.facts))?.within ?? stage.within;
    const start = startOf(from, input);
    const limits: number[] = [];
    let waitingFor: StartPoint | null = null;
    if (within) {
      if (start === undefined) waitingFor = from;
      else limits.push(dueAt(start, within, zone, holidays));
    }
    if (stage.latest) {
      const latestStart = startOf(stage.latest.from, input);
      if (latestStart !== undefined) limits.push(dueAt(latestStart, stage.latest.within, zone, holidays));
    }
    // With a second limit known, the earlier one already binds even while the first cannot be counted.
    if (limits.length > 0 && waitingFor !== null && stage.latest) waitingFor = null;
    return {
      stage: stage.code,
      required,
      promptly: stage.promptly ?? false,
      due: limits.length > 0 ? Math.min(...limits) : null,
      basis: from,
      waitingFor,
    };
  });
}
