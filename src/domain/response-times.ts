/**
 * How fast incidents were escalated and resolved (pure): per incident the intervals between its
 * times, and per group (a quarter, a sector) their median and 90th percentile. An interval is
 * measured only where both ends are known; a negative one (a report before awareness, when the
 * reporter gave awareness later) is measured as given: the timeline's own check keeps them in order.
 */

export const INTERVALS = [
  { code: 'aware_to_report', from: 'aware', to: 'first_report' },
  { code: 'aware_to_management', from: 'aware', to: 'management_informed' },
  { code: 'aware_to_hq', from: 'aware', to: 'hq_established' },
  { code: 'occurred_to_restored', from: 'occurred', to: 'restored' },
] as const;
export type IntervalCode = (typeof INTERVALS)[number]['code'];
export type TimelinePoint = (typeof INTERVALS)[number]['from'] | (typeof INTERVALS)[number]['to'];

export interface TimedIncident {
  id: number;
  sector: string | null;
  times: Partial<Record<TimelinePoint, number>>;
}

export interface IntervalSummary {
  interval: IntervalCode;
  /** Incidents with both ends known. */
  count: number;
  median_minutes: number | null;
  p90_minutes: number | null;
}

/** The minutes from one time to another of an incident, or null when either is unknown. */
export function intervalMinutes(
  incident: TimedIncident,
  interval: (typeof INTERVALS)[number],
): number | null {
  const from = incident.times[interval.from];
  const to = incident.times[interval.to];
  return from === undefined || to === undefined ? null : (to - from) / 60_000;
}

/** The nearest-rank percentile (p in 0..100) of sorted values: a value that occurred, never an interpolation. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export function summarize(incidents: readonly TimedIncident[]): IntervalSummary[] {
  return INTERVALS.map((interval) => {
    const values = incidents
      .map((i) => intervalMinutes(i, interval))
      .filter((v): v is number => v !== null)
      .sort((a, b) => a - b);
    return {
      interval: interval.code,
      count: values.length,
      median_minutes: percentile(values, 50),
      p90_minutes: percentile(values, 90),
    };
  });
}

/** The summaries per sector (sectors with incidents only), in the order given. */
export function summarizeBySector(
  incidents: readonly TimedIncident[],
): Array<{ sector: string | null; intervals: IntervalSummary[] }> {
  const sectors = [...new Set(incidents.map((i) => i.sector))];
  return sectors.map((sector) => ({
    sector,
    intervals: summarize(incidents.filter((i) => i.sector === sector)),
  }));
}

/** The incidents slowest on an interval, at or above its 90th percentile: the escalations that stand out. */
export function slowest(
  incidents: readonly TimedIncident[],
  code: IntervalCode,
  limit = 5,
): Array<{ id: number; minutes: number }> {
  const interval = INTERVALS.find((i) => i.code === code)!;
  const measured = incidents
    .map((i) => ({ id: i.id, minutes: intervalMinutes(i, interval) }))
    .filter((m): m is { id: number; minutes: number } => m.minutes !== null);
  const p90 = percentile(
    measured.map((m) => m.minutes).sort((a, b) => a - b),
    90,
  );
  if (p90 === null) return [];
  return measured
    .filter((m) => m.minutes >= p90)
    .sort((a, b) => b.minutes - a.minutes || a.id - b.id)
    .slice(0, limit);
}
