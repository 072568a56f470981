import type { ClassificationView, InfoSharingStats, StatTable } from '../../../shared/api/types.js';

/** The rows of the statistics one classification counts under (as the server's counting rules do). */
export function contributions(channel: string, c: ClassificationView | null): Array<[StatTable, string]> {
  if (channel !== 'operator_report' || !c) return [];
  const out: Array<[StatTable, string]> = [['events', c.event]];
  for (const cause of new Set(c.causes)) out.push(['causes', cause]);
  if (c.attack_type) out.push(['attack_types', c.attack_type]);
  return out;
}

export interface ImpactRow {
  table: StatTable;
  code: string;
  before: number;
  after: number;
}

/**
 * What a new classification changes in the quarter's counts: the rows the old one counted under lose
 * one, the rows of the new one gain one (a row in both is unchanged and left out). `before` is the
 * count published now for the incident's fiscal quarter.
 */
export function impactOf(
  stats: InfoSharingStats | undefined,
  incident: { channel: string; fiscal_year: number; fiscal_quarter: number },
  previous: ClassificationView | null,
  next: ClassificationView | null,
): ImpactRow[] {
  const deltas = new Map<string, number>();
  const key = (table: StatTable, code: string) => `${table}|${code}`;
  for (const [table, code] of contributions(incident.channel, previous))
    deltas.set(key(table, code), (deltas.get(key(table, code)) ?? 0) - 1);
  for (const [table, code] of contributions(incident.channel, next))
    deltas.set(key(table, code), (deltas.get(key(table, code)) ?? 0) + 1);
  const column = stats?.columns.indexOf(`FY${incident.fiscal_year}Q${incident.fiscal_quarter}`) ?? -1;
  const rows: ImpactRow[] = [];
  for (const [k, delta] of deltas) {
    if (delta === 0) continue;
    const [table, code] = k.split('|') as [StatTable, string];
    const before = column >= 0 ? (stats?.tables[table][code]?.[column] ?? 0) : 0;
    rows.push({ table, code, before, after: before + delta });
  }
  const order: StatTable[] = ['channels', 'events', 'causes', 'attack_types'];
  return rows.sort((a, b) => order.indexOf(a.table) - order.indexOf(b.table));
}
