import type { FiscalCalendar } from './fiscal-calendar.js';
import type { ColumnState, RollupCount } from './info-sharing-stats.js';
import { quarterKey } from './info-sharing-stats.js';
import type { CellState } from './suppression.js';
import { rowAndColumnTotals, suppressSmallCells } from './suppression.js';
import type { Taxonomy } from './taxonomy.js';

/** Who reads the statistics: the center (everything) or anyone else (closed quarters, small counts suppressed). */
export type StatsViewer = 'center' | 'outside';

export interface SectorRow {
  code: string;
  ja: string;
  en: string;
  /** null where the cell is withheld (open quarter) or suppressed; `states` says which. */
  values: Array<number | null>;
  states: CellState[];
}

export interface SectorBreakdown {
  fiscal_year: number;
  columns: string[];
  column_states: ColumnState[];
  /** The threshold applied (counts 1 .. min_cell-1 are suppressed); 0 for the center. */
  min_cell: number;
  rows: SectorRow[];
}

export interface SectorBreakdownInput {
  fiscalYear: number;
  calendar: FiscalCalendar;
  taxonomy: Taxonomy;
  /** The counted rollup: closed quarters from their snapshots. */
  rollup: readonly RollupCount[];
  closedQuarters: ReadonlySet<string>;
  viewer: StatsViewer;
  minCell: number;
}

/**
 * Operator reports per sector for Q1..Q4 and the year. Outside the center an open quarter (and the
 * year until every quarter is closed) is withheld, and counts below the threshold are suppressed
 * together with enough others that none can be recovered from the totals shown: each sector's year
 * total in its row, and each quarter's operator_report figure of the channel table.
 */
export function sectorBreakdown(input: SectorBreakdownInput): SectorBreakdown {
  const { fiscalYear, calendar, taxonomy, viewer } = input;
  const counts = new Map<string, number[]>();
  const row = (code: string) => {
    let r = counts.get(code);
    if (!r) counts.set(code, (r = [0, 0, 0, 0, 0]));
    return r;
  };
  for (const s of taxonomy.data.sectors) row(s.code);
  for (const r of input.rollup) {
    if (r.table !== 'sectors') continue;
    const { fiscalYear: fy, quarter } = calendar.periodOfMonthKey(r.month);
    if (fy !== fiscalYear) continue;
    const counted = row(r.code);
    counted[quarter - 1]! += r.n;
    counted[4]! += r.n;
  }
  const quarterStates = ([1, 2, 3, 4] as const).map((q): ColumnState =>
    input.closedQuarters.has(quarterKey(fiscalYear, q)) ? 'closed' : 'open',
  );
  const column_states = [
    ...quarterStates,
    quarterStates.every((s) => s === 'closed') ? 'closed' : 'open',
  ] as ColumnState[];
  const entries = [...counts];
  const outside = viewer !== 'center';
  const values = entries.map(([, v]) => v.map((n, c) => (outside && column_states[c] === 'open' ? null : n)));
  const states: CellState[][] = outside
    ? suppressSmallCells({
        values,
        relations: rowAndColumnTotals(values.length, 5),
        threshold: input.minCell,
      }).states
    : values.map((r) => r.map(() => 'shown' as const));
  return {
    fiscal_year: fiscalYear,
    columns: ['Q1', 'Q2', 'Q3', 'Q4', 'total'],
    column_states,
    min_cell: outside && input.minCell > 1 ? input.minCell : 0,
    rows: entries.map(([code], r) => {
      const sector = taxonomy.sector(code);
      return {
        code,
        ja: sector?.ja ?? (code === 'unknown' ? '不明' : code),
        en: sector?.en ?? code,
        values: values[r]!.map((v, c) => (states[r]![c] === 'shown' ? v : null)),
        states: states[r]!,
      };
    }),
  };
}
