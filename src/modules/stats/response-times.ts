import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { FiscalCalendar, Quarter } from '../../domain/fiscal-calendar.js';
import type { TimedIncident } from '../../domain/response-times.js';
import { INTERVALS, slowest, summarize, summarizeBySector } from '../../domain/response-times.js';
import type { DB } from '../../platform/db/schema.js';

/**
 * Response times of a fiscal quarter's counted operator reports (issue 15): awareness to the first
 * report, to management, to a headquarters; occurrence to restoration. Medians and 90th
 * percentiles, for the quarter and per sector, and the slowest escalations (the lessons' candidates).
 */

const summary = z.object({
  interval: z.enum(INTERVALS.map((i) => i.code) as [string, ...string[]]),
  count: z.number(),
  median_minutes: z.number().nullable(),
  p90_minutes: z.number().nullable(),
});
export const responseTimesSchema = z.object({
  fiscal_year: z.number(),
  quarter: z.number(),
  incidents: z.number().describe('counted operator reports of the quarter'),
  intervals: z.array(summary),
  sectors: z.array(z.object({ sector: z.string().nullable(), intervals: z.array(summary) })),
  slowest_escalations: z
    .array(z.object({ id: z.number(), ref: z.string(), minutes: z.number() }))
    .describe('aware to management informed, at or above its 90th percentile, slowest first'),
});
export const responseTimesQuery = z.strictObject({
  fy: z.coerce.number().int().min(1900).max(9999),
  quarter: z.coerce.number().int().min(1).max(4),
});
export type ResponseTimes = z.infer<typeof responseTimesSchema>;

export async function readTimedIncidents(
  db: Kysely<DB>,
  calendar: FiscalCalendar,
  fy: number,
  quarter: Quarter,
): Promise<Array<TimedIncident & { ref: string }>> {
  const months = calendar.monthsOf(fy, quarter);
  const rows = await db
    .selectFrom('incidents')
    .select(['id', 'ref', 'sector', 'occurred_at', 'detected_at', 'first_received_at'])
    .where('channel', '=', 'operator_report')
    .where('state', '=', 'received')
    .where('month', 'in', months)
    .execute();
  const given = await db
    .selectFrom('incident_times')
    .innerJoin('incidents', 'incidents.id', 'incident_times.incident_id')
    .select(['incident_times.incident_id', 'incident_times.kind', 'incident_times.at'])
    .where('incidents.channel', '=', 'operator_report')
    .where('incidents.state', '=', 'received')
    .where('incidents.month', 'in', months)
    .where('incident_times.kind', 'in', ['management_informed', 'hq_established', 'restored'])
    .execute();
  const byId = new Map<number, TimedIncident & { ref: string }>();
  for (const r of rows) {
    const times: TimedIncident['times'] = { first_report: Date.parse(r.first_received_at) };
    if (r.occurred_at) times.occurred = Date.parse(r.occurred_at);
    if (r.detected_at) times.aware = Date.parse(r.detected_at);
    byId.set(r.id, { id: r.id, ref: r.ref, sector: r.sector, times });
  }
  for (const g of given) {
    const incident = byId.get(g.incident_id);
    if (incident)
      incident.times[g.kind as 'management_informed' | 'hq_established' | 'restored'] = Date.parse(g.at);
  }
  return [...byId.values()];
}

export async function responseTimes(
  db: Kysely<DB>,
  calendar: FiscalCalendar,
  fy: number,
  quarter: Quarter,
): Promise<ResponseTimes> {
  const incidents = await readTimedIncidents(db, calendar, fy, quarter);
  const refOf = new Map(incidents.map((i) => [i.id, i.ref]));
  return {
    fiscal_year: fy,
    quarter,
    incidents: incidents.length,
    intervals: summarize(incidents),
    sectors: summarizeBySector(incidents),
    slowest_escalations: slowest(incidents, 'aware_to_management').map((s) => ({
      ...s,
      ref: refOf.get(s.id)!,
    })),
  };
}
