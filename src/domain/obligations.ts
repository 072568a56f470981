import type { HolidayCalendar } from './deadline.js';
import type { IncidentFacts, IncidentTime, Regime, RegimeFact, StartPoint } from './regimes.js';
import { applies, stageDues } from './regimes.js';
import { TimeZone } from './time-zone.js';

/**
 * Where an incident stands with each of its reporting duties (pure): per stage, whether it is
 * still waiting for what it counts from, due, overdue, submitted (on time or late) or not
 * required. The service reads the records; this decides.
 */

export const STAGE_STATES = ['waiting', 'due', 'overdue', 'submitted', 'not_required'] as const;
export type StageState = (typeof STAGE_STATES)[number];

/** What was recorded for a stage: submitted (when, with the recipient's reference) or not required (why). */
export type StageRecord =
  | { state: 'submitted'; submittedAt: number; reference: string | null }
  | { state: 'not_required'; reason: string };

export interface StageStatus {
  stage: string;
  state: StageState;
  promptly: boolean;
  /** Epoch ms, null while it cannot be counted (or a prompt stage without a limit). */
  due: number | null;
  basis: StartPoint;
  waitingFor: StartPoint | null;
  submittedAt: number | null;
  reference: string | null;
  reason: string | null;
  /** Submitted after its due time. */
  late: boolean;
}

export interface ObligationInput {
  times: Partial<Record<IncidentTime, number>>;
  facts: ReadonlySet<RegimeFact>;
  records: Readonly<Record<string, StageRecord>>;
}

/** Each stage's status at `now`. A stage counted from an earlier one waits for its submission. */
export function stageStatuses(
  regime: Regime,
  input: ObligationInput,
  now: number,
  holidays?: HolidayCalendar,
): StageStatus[] {
  const submitted: Record<string, number> = {};
  for (const [code, r] of Object.entries(input.records))
    if (r.state === 'submitted') submitted[code] = r.submittedAt;
  return stageDues(regime, { times: input.times, submitted, facts: input.facts }, holidays).map((d) => {
    const record = input.records[d.stage];
    const base = {
      stage: d.stage,
      promptly: d.promptly,
      due: d.due,
      basis: d.basis,
      waitingFor: d.waitingFor,
      submittedAt: null,
      reference: null,
      reason: null,
      late: false,
    };
    if (record?.state === 'submitted')
      return {
        ...base,
        state: 'submitted',
        submittedAt: record.submittedAt,
        reference: record.reference,
        late: d.due !== null && record.submittedAt > d.due,
      };
    if (record?.state === 'not_required') return { ...base, state: 'not_required', reason: record.reason };
    if (!d.required) return { ...base, state: 'not_required', reason: 'facts' };
    if (d.due === null) return { ...base, state: d.waitingFor ? 'waiting' : 'due' };
    return { ...base, state: now > d.due ? 'overdue' : 'due' };
  });
}

/** The day (YYYY-MM-DD, in the regime's zone) that decides which version of a regime is in force. */
export function regimeDay(regime: Pick<Regime, 'time_zone'>, at: number): string {
  const d = new TimeZone(regime.time_zone).local(at);
  return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/**
 * The regimes that apply to an incident, one version per code: the version in force on the day it
 * became known (or happened, or was first reported), in that regime's own time zone.
 */
export function applicableRegimes(regimes: readonly Regime[], facts: IncidentFacts, at: number): Regime[] {
  return regimes.filter((r) => applies(r, facts, regimeDay(r, at)));
}

/** The next open stage with a due time: what a reminder and the overdue views are about. */
export function nextDue(statuses: readonly StageStatus[]): StageStatus | null {
  const open = statuses.filter((s) => (s.state === 'due' || s.state === 'overdue') && s.due !== null);
  return open.sort((a, b) => a.due! - b.due!)[0] ?? null;
}
