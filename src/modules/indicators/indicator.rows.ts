import { normalIndicators } from '../../domain/indicator-input.js';
import type { IndicatorInput } from '../../domain/indicator-input.js';
import type { NewIndicatorRow } from './indicator.repository.js';
import { indicatorRows, keyOf } from './indicator.repository.js';

/** What a report gives: its indicators as the line carries them, and who reported. */
export interface ReportedIndicators {
  indicators?: readonly IndicatorInput[];
  createdBy: number | null;
}

/**
 * The indicator rows new reports add to one record (source reported): in normal form, each
 * (type, value) once across the reports, none the record already holds (`stored`). Empty, and no
 * work, for reports without indicators: the report path is benchmarked.
 */
export function reportedIndicatorRows(
  reports: readonly ReportedIndicators[],
  recordTlp: string,
  now: string,
  stored?: ReadonlySet<string>,
): NewIndicatorRow[] {
  const rows: NewIndicatorRow[] = [];
  const seen = new Set<string>(stored);
  for (const report of reports) {
    if (!report.indicators || report.indicators.length === 0) continue;
    const fresh = normalIndicators(report.indicators).filter((i) => !seen.has(keyOf(i)));
    for (const i of fresh) seen.add(keyOf(i));
    rows.push(...indicatorRows(fresh, recordTlp, 'reported', report.createdBy, now));
  }
  return rows;
}
