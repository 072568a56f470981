import { cliWho } from '../modules/audit/audit.service.js';
import type { Services } from '../services.js';

/**
 * Closes every quarter that has ended, from the first fiscal year holding records that is not a
 * published year, so that users outside the center see figures; the running quarter stays open.
 */
export async function closeEndedQuarters(services: Services, now = new Date()): Promise<number> {
  const { db } = services.database;
  const first = await db
    .selectFrom('stat_rollup')
    .select((eb) => eb.fn.min('month').as('m'))
    .executeTakeFirst();
  if (!first?.m) return 0;
  const published = new Set(
    (await db.selectFrom('published_aggregates').select('fiscal_year').distinct().execute()).map((r) =>
      Number(r.fiscal_year),
    ),
  );
  const current = services.calendar.periodOf(now).fiscalYear;
  let closed = 0;
  for (let fy = services.calendar.periodOfMonthKey(String(first.m)).fiscalYear; fy <= current; fy++) {
    if (published.has(fy)) continue;
    for (const quarter of [1, 2, 3, 4] as const) {
      if (now.getTime() < services.calendar.rangeOf(fy, quarter).end.getTime()) continue;
      await services.periods.close(cliWho('demo'), fy, quarter, now);
      closed++;
    }
  }
  return closed;
}
