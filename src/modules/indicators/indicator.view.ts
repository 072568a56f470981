import type { Actor, VisibleRecord } from '../../access/index.js';
import { receivableIndicators } from '../../access/index.js';
import type { IndicatorType } from '../../domain/indicators.js';
import type { Tlp } from '../../domain/tlp.js';
import type { IndicatorRow } from './indicator.repository.js';
import type { IndicatorSource, IndicatorView } from './indicator.schema.js';

export function indicatorView(
  r: Pick<IndicatorRow, 'id' | 'type' | 'value' | 'tlp' | 'source' | 'created_at'>,
): IndicatorView {
  return {
    id: r.id,
    type: r.type as IndicatorType,
    value: r.value,
    tlp: r.tlp as Tlp,
    source: r.source as IndicatorSource,
    created_at: r.created_at,
  };
}

/** The indicators of a record the caller may receive (the access rule decides), as answers show them. */
export function receivableViews(
  actor: Actor,
  record: VisibleRecord,
  rows: readonly IndicatorRow[],
): IndicatorView[] {
  return receivableIndicators(actor, record, rows).map(indicatorView);
}
