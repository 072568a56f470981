import type { IncidentTime } from './regimes.js';

/**
 * The order an incident's times must keep (pure): it became known after it happened; management
 * was told, a headquarters set up and the incident classified as major after it became known;
 * service was restored and a ransom paid after it happened. Where `aware` is not known yet, those
 * that follow it are compared with `occurred`. Nothing lies in the future.
 */

/** Each time, the earlier times it may not precede (the first known of the list is compared). */
const AFTER: Record<IncidentTime, readonly IncidentTime[]> = {
  occurred: [],
  aware: ['occurred'],
  management_informed: ['aware', 'occurred'],
  hq_established: ['aware', 'occurred'],
  classified_major: ['aware', 'occurred'],
  restored: ['occurred'],
  ransom_paid: ['occurred'],
};

export interface TimelineProblem {
  code: 'time_in_future' | 'time_out_of_order';
  field: IncidentTime;
  /** The time it may not precede (out of order). */
  before?: IncidentTime;
  message: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function checkTimeline(
  times: Partial<Record<IncidentTime, number>>,
  nowMs: number,
  clockSkewMs: number,
): TimelineProblem | null {
  for (const [field, ms] of Object.entries(times) as Array<[IncidentTime, number | undefined]>) {
    if (ms !== undefined && ms > nowMs + clockSkewMs)
      return { code: 'time_in_future', field, message: `${field} (${iso(ms)}) is in the future` };
  }
  for (const [field, earlier] of Object.entries(AFTER) as Array<[IncidentTime, readonly IncidentTime[]]>) {
    const ms = times[field];
    if (ms === undefined) continue;
    const before = earlier.find((e) => times[e] !== undefined);
    if (before !== undefined && ms < times[before]!)
      return {
        code: 'time_out_of_order',
        field,
        before,
        message: `${field} (${iso(ms)}) is before ${before} (${iso(times[before]!)})`,
      };
  }
  return null;
}
