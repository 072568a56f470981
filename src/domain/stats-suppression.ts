import type { StatTable } from './counting.js';
import { STAT_TABLES } from './counting.js';
import type { InfoSharingStats } from './info-sharing-stats.js';
import type { Relation } from './suppression.js';
import { suppressSmallCells } from './suppression.js';

/**
 * Small-cell suppression of the four information-sharing tables for a public edition (pure).
 * The relations a reader knows from the published tables themselves:
 * - each row's quarters add up to its fiscal-year total;
 * - the event types of a column add up to that column's operator_report figure (one event each);
 * - the attack types add up to their `total` row.
 * The causes are multiple choice: their column sums are no figure anyone knows.
 */

/** The text of a hidden cell: the primary ones say their bound, the secondary ones only that they are hidden. */
export interface SuppressedStats extends InfoSharingStats {
  /** Per table and row, the text shown instead of each hidden figure (null where the figure is shown). */
  marks: Record<StatTable, Record<string, Array<string | null>>>;
  threshold: number;
}

export function suppressInfoSharing(stats: InfoSharingStats, threshold: number): SuppressedStats {
  const cells: Array<{ table: StatTable; code: string }> = [];
  for (const table of STAT_TABLES)
    for (const row of stats.labels[table]) cells.push({ table, code: row.code });
  const index = new Map(cells.map((c, i) => [`${c.table}/${c.code}`, i]));
  const values = cells.map(({ table, code }) => stats.tables[table][code]!.map((v) => v));
  const relations = infoSharingRelations(stats, index);
  const { states } = suppressSmallCells({ values, relations, threshold });
  const tables = {} as SuppressedStats['tables'];
  const marks = {} as SuppressedStats['marks'];
  cells.forEach(({ table, code }, r) => {
    (tables[table] ??= {})[code] = values[r]!.map((v, c) => (states[r]![c] === 'shown' ? v : null));
    (marks[table] ??= {})[code] = values[r]!.map((v, c) =>
      states[r]![c] !== 'suppressed'
        ? null
        : v !== null && v > 0 && v < threshold
          ? `≤${threshold - 1}`
          : 'x',
    );
  });
  return { ...stats, tables, marks, threshold };
}

/** The known relations over the rows of all four tables (numbered as `index` says). */
export function infoSharingRelations(
  stats: InfoSharingStats,
  index: ReadonlyMap<string, number>,
): Relation[] {
  const relations: Relation[] = [];
  const fy = stats.fiscal_year;
  const quarterColumns = [1, 2, 3, 4].map((q) => stats.columns.indexOf(`FY${fy}Q${q}`));
  const totalColumn = stats.columns.indexOf(`FY${fy}`);
  if (totalColumn >= 0 && quarterColumns.every((c) => c >= 0)) {
    for (const r of index.values())
      relations.push([...quarterColumns.map((c) => [r, c, 1] as const), [r, totalColumn, -1] as const]);
  }
  const rowsOf = (table: StatTable) => stats.labels[table].map((l) => index.get(`${table}/${l.code}`)!);
  const operatorReports = index.get('channels/operator_report');
  const attackTotal = index.get('attack_types/total');
  for (let c = 0; c < stats.columns.length; c++) {
    if (operatorReports !== undefined)
      relations.push([...rowsOf('events').map((r) => [r, c, 1] as const), [operatorReports, c, -1] as const]);
    if (attackTotal !== undefined)
      relations.push([
        ...rowsOf('attack_types')
          .filter((r) => r !== attackTotal)
          .map((r) => [r, c, 1] as const),
        [attackTotal, c, -1] as const,
      ]);
  }
  return relations;
}
