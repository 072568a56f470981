import type { FiscalPeriod } from '../../../../../src/domain/fiscal-calendar.js';

/** More lines than this in one chart are a tangle: the rest start hidden, a click on the legend away. */
export const MAX_LINES = 8;

interface Series {
  name: string;
  data: Array<number | null>;
}

const total = (s: Series) => s.data.reduce<number>((n, v) => n + (v ?? 0), 0);

/**
 * The series a chart shows at first: every one for bars (they stack, one bar per category), for
 * lines the `max` largest (by their sum) that have a figure other than 0; ties keep their order.
 */
export function initiallyShown(
  kind: 'bar' | 'line',
  series: readonly Series[],
  max = MAX_LINES,
): Set<string> {
  if (kind === 'bar') return new Set(series.map((s) => s.name));
  const ranked = series
    .map((s, i) => ({ name: s.name, sum: total(s), i }))
    .filter((s) => s.sum > 0)
    .sort((a, b) => b.sum - a.sum || a.i - b.i);
  return new Set(ranked.slice(0, max).map((s) => s.name));
}

/** Whether a chart would draw nothing but zeros and gaps (an axis of 0 to 1 says nothing). */
export function drawsNothing(series: readonly Series[]): boolean {
  return series.every((s) => s.data.every((v) => v === null || v === 0));
}

const COLUMN = /^FY(\d{4})(?:Q([1-4]))?$/;

/**
 * Whether a statistics column (`FY2026`, `FY2026Q3`) lies wholly after the running quarter: such a
 * quarter has no figure yet, drawn as a gap (null), never as 0. A year's total is not future while
 * the year runs: its figure so far is real.
 */
export function isFutureColumn(column: string, now: FiscalPeriod): boolean {
  const m = COLUMN.exec(column);
  if (!m) return false;
  const fy = Number(m[1]);
  if (fy !== now.fiscalYear) return fy > now.fiscalYear;
  return m[2] !== undefined && Number(m[2]) > now.quarter;
}
