import type { FiscalCalendar, Quarter } from './fiscal-calendar.js';
import type { RollupTable, StatTable } from './counting.js';
import { STAT_TABLES } from './counting.js';
import type { Taxonomy } from './taxonomy.js';

/** One row of the rollup: how many incidents a month contributes to one row of one table. */
export interface RollupCount {
  month: string;
  table: RollupTable;
  code: string;
  n: number;
}

/** A published figure: quarter 0 is the fiscal-year total. */
export interface AggregateValue {
  fiscalYear: number;
  quarter: 0 | Quarter;
  table: StatTable;
  code: string;
  value: number;
}

export type ColumnSource = 'records' | 'aggregates' | 'none';

export interface RowLabel {
  code: string;
  ja: string;
  en: string;
  group?: string;
  group_ja?: string;
  group_en?: string;
}

export interface InfoSharingStats {
  fiscal_year: number;
  columns: string[];
  /** Where each column's figures come from: the incident records, imported published aggregates, or neither. */
  column_sources: ColumnSource[];
  tables: Record<StatTable, Record<string, number[]>>;
  labels: Record<StatTable, RowLabel[]>;
}

export interface BuildStatsInput {
  fiscalYear: number;
  history: number;
  calendar: FiscalCalendar;
  taxonomy: Taxonomy;
  rollup: readonly RollupCount[];
  aggregates: readonly AggregateValue[];
}

interface Column {
  label: string;
  fiscalYear: number;
  quarter: 0 | Quarter;
}

export function statsColumns(fiscalYear: number, history: number): Column[] {
  const columns: Column[] = [];
  for (let fy = fiscalYear - history; fy < fiscalYear; fy++)
    columns.push({ label: `FY${fy}`, fiscalYear: fy, quarter: 0 });
  for (const q of [1, 2, 3, 4] as const)
    columns.push({ label: `FY${fiscalYear}Q${q}`, fiscalYear, quarter: q });
  columns.push({ label: `FY${fiscalYear}`, fiscalYear, quarter: 0 });
  return columns;
}

export function rowLabels(taxonomy: Taxonomy): Record<StatTable, RowLabel[]> {
  const t = taxonomy.data;
  const plain = ({ code, ja, en }: RowLabel): RowLabel => ({ code, ja, en });
  const grouped = (group: { code: string; ja: string; en: string } | undefined, row: RowLabel): RowLabel => ({
    ...plain(row),
    ...(group ? { group: group.code, group_ja: group.ja, group_en: group.en } : {}),
  });
  return {
    channels: t.channels.map(plain),
    events: t.events.map((e) => grouped(taxonomy.eventGroup(e.group), e)),
    causes: t.causes.map((c) => grouped(taxonomy.causeGroup(c.group), c)),
    attack_types: [{ code: 'total', ja: '総計', en: 'Total' }, ...t.attack_types.map(plain)],
  };
}

/**
 * The four published tables for a fiscal year: `history` past fiscal years as totals, then the
 * year's quarters and its total. A fiscal year without any record is shown from published aggregates.
 */
export function buildInfoSharingStats(input: BuildStatsInput): InfoSharingStats {
  const { fiscalYear, history, calendar, taxonomy } = input;
  const columns = statsColumns(fiscalYear, history);
  const labels = rowLabels(taxonomy);

  // counts[fy][quarter][table|code]; quarter 0 accumulates the year.
  const counts = new Map<number, Map<number, Map<string, number>>>();
  const yearsWithRecords = new Set<number>();
  for (const row of input.rollup) {
    if (row.n === 0) continue;
    const { fiscalYear: fy, quarter } = calendar.periodOfMonthKey(row.month);
    if (row.table === 'channels') yearsWithRecords.add(fy);
    const byQuarter = counts.get(fy) ?? new Map<number, Map<string, number>>();
    counts.set(fy, byQuarter);
    for (const q of [0, quarter]) {
      const cell = byQuarter.get(q) ?? new Map<string, number>();
      byQuarter.set(q, cell);
      const key = `${row.table}|${row.code}`;
      cell.set(key, (cell.get(key) ?? 0) + row.n);
      if (row.table === 'attack_types')
        cell.set('attack_types|total', (cell.get('attack_types|total') ?? 0) + row.n);
    }
  }
  const published = new Map<string, number>();
  const yearsWithAggregates = new Set<number>();
  for (const a of input.aggregates) {
    published.set(`${a.fiscalYear}|${a.quarter}|${a.table}|${a.code}`, a.value);
    yearsWithAggregates.add(a.fiscalYear);
  }

  const column_sources: ColumnSource[] = columns.map((c) =>
    yearsWithRecords.has(c.fiscalYear)
      ? 'records'
      : yearsWithAggregates.has(c.fiscalYear)
        ? 'aggregates'
        : 'none',
  );
  const tables = Object.fromEntries(STAT_TABLES.map((t) => [t, {}])) as InfoSharingStats['tables'];
  for (const table of STAT_TABLES) {
    for (const { code } of labels[table]) {
      tables[table][code] = columns.map((c, i) => {
        if (column_sources[i] === 'records')
          return counts.get(c.fiscalYear)?.get(c.quarter)?.get(`${table}|${code}`) ?? 0;
        if (column_sources[i] === 'aggregates')
          return published.get(`${c.fiscalYear}|${c.quarter}|${table}|${code}`) ?? 0;
        return 0;
      });
    }
  }
  return { fiscal_year: fiscalYear, columns: columns.map((c) => c.label), column_sources, tables, labels };
}
