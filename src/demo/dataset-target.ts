import type { Quarter } from '../domain/fiscal-calendar.js';
import type { AggregateValue } from '../domain/info-sharing-stats.js';
import type { Channel } from '../domain/taxonomy.js';
import { CHANNELS } from '../domain/taxonomy.js';

/** What one fiscal quarter of a generated dataset must count to, table by table. */
export interface QuarterTarget {
  channels: Record<Channel, number>;
  events: Record<string, number>;
  causes: Record<string, number>;
  /** Per attack type, without the total (which is their sum by definition). */
  attackTypes: Record<string, number>;
}

/** Q1..Q4 in order. */
export type FiscalYearTarget = [QuarterTarget, QuarterTarget, QuarterTarget, QuarterTarget];

export const QUARTERS = [1, 2, 3, 4] as const satisfies readonly Quarter[];

export function emptyQuarterTarget(): QuarterTarget {
  return {
    channels: Object.fromEntries(CHANNELS.map((c) => [c, 0])) as Record<Channel, number>,
    events: {},
    causes: {},
    attackTypes: {},
  };
}

/** The per-quarter target of a fiscal year from published aggregates (its FYnnnnQn columns). */
export function fiscalYearTarget(
  aggregates: readonly AggregateValue[],
  fiscalYear: number,
): FiscalYearTarget {
  const target = QUARTERS.map(emptyQuarterTarget) as FiscalYearTarget;
  let found = false;
  for (const a of aggregates) {
    if (a.fiscalYear !== fiscalYear || a.quarter === 0) continue;
    found = true;
    const q = target[a.quarter - 1]!;
    if (a.table === 'channels') q.channels[a.code as Channel] = a.value;
    else if (a.table === 'events') q.events[a.code] = a.value;
    else if (a.table === 'causes') q.causes[a.code] = a.value;
    else if (a.code !== 'total') q.attackTypes[a.code] = a.value;
  }
  if (!found) throw new RangeError(`no quarterly aggregates for FY${fiscalYear}`);
  return target;
}

const sum = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);

/**
 * Refuses a quarter that no set of incidents can count to: one event per operator incident, at
 * most one attack type per incident, each cause at most once per incident and at least one cause
 * per incident. These conditions are also sufficient (see planQuarterClassifications).
 */
export function checkQuarterTarget(t: QuarterTarget, label: string): void {
  const n = t.channels.operator_report;
  const where = (what: string) => `${label}: ${what}`;
  for (const [table, counts] of Object.entries(t) as Array<[string, Record<string, number>]>) {
    for (const [code, v] of Object.entries(counts)) {
      if (!Number.isInteger(v) || v < 0)
        throw new RangeError(where(`${table}.${code} = ${v} is not an integer >= 0`));
    }
  }
  if (sum(t.events) !== n) {
    throw new RangeError(where(`events add up to ${sum(t.events)}, not to the ${n} operator reports`));
  }
  if (sum(t.attackTypes) > n) {
    throw new RangeError(where(`${sum(t.attackTypes)} attack types for only ${n} operator reports`));
  }
  for (const [code, v] of Object.entries(t.causes)) {
    if (v > n) throw new RangeError(where(`cause ${code} counted ${v} times but only ${n} operator reports`));
  }
  if (n > 0 && sum(t.causes) < n) {
    throw new RangeError(
      where(`${sum(t.causes)} causes cannot give each of ${n} operator reports at least one`),
    );
  }
}
