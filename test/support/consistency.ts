import { contributionsOf } from '../../src/domain/counting.js';
import { counted } from '../../src/modules/incidents/incident.rows.js';
import type { Services } from '../../src/services.js';

/**
 * Where the statistics rollup as stored differs from the rollup recomputed from the incident rows,
 * as `month|table|code: stored N, expected M`; empty when every write was applied whole (an
 * incident without its counts, or counts without their incident, shows up here).
 */
export async function rollupMismatches(services: Services): Promise<string[]> {
  const db = services.database.db;
  const expected = new Map<string, number>();
  for (const row of await db.selectFrom('incidents').selectAll().execute())
    for (const c of contributionsOf(counted(row), services.calendar)) {
      const key = `${c.month}|${c.table}|${c.code}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
  const stored = new Map<string, number>();
  for (const r of await db.selectFrom('stat_rollup').selectAll().execute()) {
    const key = `${r.month}|${r.tbl}|${r.code}`;
    stored.set(key, (stored.get(key) ?? 0) + Number(r.n));
  }
  const keys = new Set([...expected.keys(), ...stored.keys()]);
  return [...keys]
    .filter((k) => (stored.get(k) ?? 0) !== (expected.get(k) ?? 0))
    .sort()
    .map((k) => `${k}: stored ${stored.get(k) ?? 0}, expected ${expected.get(k) ?? 0}`);
}
