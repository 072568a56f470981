import type { IndicatorType } from '../../../../../src/domain/indicators.js';
import { checkIndicator, findIndicators } from '../../../../../src/domain/indicators.js';
import type { IndicatorInput } from '../../../../../src/domain/indicator-input.js';
import type { Tlp } from '../../../shared/api/types';

/**
 * The report form's indicators: rows of type, value and marking, checked as typed with the
 * server's own rule (src/domain/indicators.ts), and the indicators its description already names.
 */

export interface IndicatorRowDraft {
  key: number;
  type: IndicatorType;
  value: string;
  /** '' = the incident's marking. */
  tlp: Tlp | '';
}

let nextKey = 1;
export const newRow = (type: IndicatorType = 'ipv4', value = ''): IndicatorRowDraft => ({
  key: nextKey++,
  type,
  value,
  tlp: '',
});

/** Why a row's value is refused (the server's reason), or null; an empty row is left out, not refused. */
export function rowReason(row: IndicatorRowDraft): string | null {
  if (row.value.trim() === '') return null;
  const checked = checkIndicator(row.type, row.value);
  return checked.ok ? null : checked.reason;
}

/** The rows as the request sends them: the filled ones, in order. */
export function indicatorInputs(rows: readonly IndicatorRowDraft[]): IndicatorInput[] {
  return rows
    .filter((r) => r.value.trim() !== '')
    .map((r) => ({ type: r.type, value: r.value.trim(), ...(r.tlp ? { tlp: r.tlp } : {}) }));
}

const keyOf = (type: string, value: string) => `${type}\u0000${value}`;

/** Indicators the text names that no row holds yet (compared in normal form). */
export function foundInText(text: string, rows: readonly IndicatorRowDraft[]) {
  const held = new Set(
    rows.flatMap((r) => {
      const checked = checkIndicator(r.type, r.value);
      return checked.ok ? [keyOf(r.type, checked.value)] : [];
    }),
  );
  return findIndicators(text).filter((f) => !held.has(keyOf(f.type, f.value)));
}
