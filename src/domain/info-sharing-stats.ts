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
/**
 * Whether a column's figures are final: `published` (imported published aggregates, frozen),
 * `closed` (a quarter the center has closed, or a year all of whose quarters are closed), `open`
 * (the center's working numbers; withheld from everyone else).
 */
export type ColumnState = 'published' | 'closed' | 'open';

/** A fiscal year shown from its published figures, and how many records it holds beside them. */
export interface PublishedYear {
  fiscal_year: number;
  /** null outside the center: the records arrive live, and their count would tell of new filings. */
  records: number | null;
}

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
  column_states: ColumnState[];
  /** null: not available to this caller (an open quarter outside the center), or not published. */
  tables: Record<StatTable, Record<string, Array<number | null>>>;
  labels: Record<StatTable, RowLabel[]>;
  /** Every published year among the columns, with the records it holds (not counted in its figures). */
  published_years: PublishedYear[];
}

/** The state of one quarter of the statistics' fiscal year. */
export interface QuarterState {
  quarter: Quarter;
  state: ColumnState;
  /** Whether the quarter has ended (only an ended quarter can be closed). */
  ended: boolean;
  closed_at: string | null;
  /** For the center: records counted in the closed quarter that arrived or changed after its closing. */
  late_filings: number | null;
}

/** The statistics as the API answers them: the tables and the state of the year's quarters. */
export type InfoSharingAnswer = InfoSharingStats & { quarters: QuarterState[] };

export interface BuildStatsInput {
  fiscalYear: number;
  history: number;
  calendar: FiscalCalendar;
  taxonomy: Taxonomy;
  rollup: readonly RollupCount[];
  aggregates: readonly AggregateValue[];
  /** Closed quarters, as quarterKey(fy, q); the rollup of their months is already their snapshot. */
  closedQuarters?: ReadonlySet<string>;
}

export const quarterKey = (fiscalYear: number, quarter: Quarter): string => `${fiscalYear}Q${quarter}`;

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
 * year's quarters and its total. A fiscal year with published aggregates is shown from them,
 * whatever records it holds: published numbers are history, and a late or backdated record must
 * not rewrite them (the records are counted in `published_years` instead).
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
  /** `fy|quarter` for which any figure was published (a year may be published as a total only). */
  const publishedPeriods = new Set<string>();
  for (const a of input.aggregates) {
    published.set(`${a.fiscalYear}|${a.quarter}|${a.table}|${a.code}`, a.value);
    yearsWithAggregates.add(a.fiscalYear);
    publishedPeriods.add(`${a.fiscalYear}|${a.quarter}`);
  }

  const column_sources: ColumnSource[] = columns.map((c) =>
    yearsWithAggregates.has(c.fiscalYear)
      ? 'aggregates'
      : yearsWithRecords.has(c.fiscalYear)
        ? 'records'
        : 'none',
  );
  const closed = input.closedQuarters ?? new Set<string>();
  const column_states: ColumnState[] = columns.map((c) => {
    if (yearsWithAggregates.has(c.fiscalYear)) return 'published';
    const quarters = c.quarter === 0 ? ([1, 2, 3, 4] as const) : [c.quarter];
    return quarters.every((q) => closed.has(quarterKey(c.fiscalYear, q))) ? 'closed' : 'open';
  });
  const tables = Object.fromEntries(STAT_TABLES.map((t) => [t, {}])) as InfoSharingStats['tables'];
  for (const table of STAT_TABLES) {
    for (const { code } of labels[table]) {
      tables[table][code] = columns.map((c, i) => {
        if (column_sources[i] === 'aggregates')
          return publishedPeriods.has(`${c.fiscalYear}|${c.quarter}`)
            ? (published.get(`${c.fiscalYear}|${c.quarter}|${table}|${code}`) ?? 0)
            : null;
        if (column_sources[i] === 'records')
          return counts.get(c.fiscalYear)?.get(c.quarter)?.get(`${table}|${code}`) ?? 0;
        return 0;
      });
    }
  }
  const published_years = [...new Set(columns.map((c) => c.fiscalYear))]
    .filter((fy) => yearsWithAggregates.has(fy))
    .map((fy) => ({
      fiscal_year: fy,
      records: [...(counts.get(fy)?.get(0) ?? new Map<string, number>())]
        .filter(([key]) => key.startsWith('channels|'))
        .reduce((n, [, v]) => n + v, 0),
    }));
  return {
    fiscal_year: fiscalYear,
    columns: columns.map((c) => c.label),
    column_sources,
    column_states,
    tables,
    labels,
    published_years,
  };
}

/**
 * What a caller outside the center may see: the figures of published and closed columns; an open
 * column's cells become null (its state says why), and nothing tells whether it holds records
 * (its source reads `none`), nor how many records a published year holds beside its figures.
 */
export function withholdOpenColumns(stats: InfoSharingStats): InfoSharingStats {
  const open = stats.column_states.map((s) => s === 'open');
  const column_sources = stats.column_sources.map((s, i) => (open[i] ? 'none' : s));
  const published_years = stats.published_years.map((p) => ({ ...p, records: null }));
  const tables = Object.fromEntries(
    STAT_TABLES.map((t) => [
      t,
      Object.fromEntries(
        Object.entries(stats.tables[t]).map(([code, values]) => [
          code,
          values.map((v, i) => (open[i] ? null : v)),
        ]),
      ),
    ]),
  ) as InfoSharingStats['tables'];
  return { ...stats, column_sources, tables, published_years };
}
