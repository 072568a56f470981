import type { LifecycleState } from '../../domain/lifecycle.js';
import type { RecordAction } from '../../access/index.js';
import type { Tlp } from '../../domain/tlp.js';
import type { Classification } from '../../domain/counting.js';
import { decideClassification } from '../../domain/counting.js';
import type { FiscalCalendar } from '../../domain/fiscal-calendar.js';
import type { IndicatorView } from '../indicators/index.js';
import { splitCodes } from './fingerprint.js';
import type { ClassificationView, IncidentView, StageView, WriteReceipt } from './incident.schema.js';
import type { IncidentRecord, StageRecord } from './incident.repository.js';
import { centerClassificationOf, reporterClassificationOf } from './incident.rows.js';

// The answers' types come from their zod schemas (incident.schema.ts), the one source of the shapes.
export type { ClassificationView, IncidentView, StageView, WriteReceipt } from './incident.schema.js';

/** `view` cut down to a receipt; `classified`: the write was a classification (echo what it set). */
export function receiptOf(view: IncidentView, classified: boolean): WriteReceipt {
  const { id, ref, channel, tlp, version, updated_at } = view;
  return {
    id,
    ref,
    channel,
    tlp,
    version,
    updated_at,
    ...(classified ? { center_classification: view.center_classification } : {}),
  };
}

const viewOf = (c: Classification): ClassificationView => ({
  event: c.event,
  causes: c.causes,
  attack_type: c.attackType,
});

/** What a stage report said, whether or not it classifies (only one with causes counts). */
const asReported = (s: StageRecord): ClassificationView | null =>
  s.event ? { event: s.event, causes: splitCodes(s.causes), attack_type: s.attack_type } : null;

export function incidentView(
  r: IncidentRecord,
  calendar: FiscalCalendar,
  actions: RecordAction[],
  stages?: StageRecord[],
  indicators?: IndicatorView[],
): IncidentView {
  const period = calendar.periodOf(Date.parse(r.first_received_at));
  const center = centerClassificationOf(r);
  const reporter = reporterClassificationOf(r);
  // The counting rule decides which one the incident has, and says whose it is.
  const decided = decideClassification(center, reporter);
  return {
    id: r.id,
    ref: r.ref,
    channel: r.channel,
    organization: r.organization_name,
    sector: r.sector,
    title: r.title,
    description: r.description,
    stage: r.stage,
    first_received_at: r.first_received_at,
    last_received_at: r.last_received_at,
    occurred_at: r.occurred_at,
    detected_at: r.detected_at,
    fiscal_year: period.fiscalYear,
    fiscal_quarter: period.quarter,
    classification: decided ? { ...viewOf(decided.classification), by: decided.by } : null,
    reporter_classification: reporter ? viewOf(reporter) : null,
    center_classification: center ? { ...viewOf(center), classified_at: r.center_classified_at } : null,
    tlp: r.tlp as Tlp,
    state: r.state as LifecycleState,
    state_reason: r.state_reason,
    state_note: r.state_note,
    state_changed_at: r.state_changed_at,
    final_received_at: r.final_received_at,
    version: r.version,
    created_at: r.created_at,
    updated_at: r.updated_at,
    actions,
    ...(stages ? { reports: stages.map(stageView) } : {}),
    ...(indicators ? { indicators } : {}),
  };
}

function stageView(s: StageRecord): StageView {
  return {
    id: s.id,
    stage: s.stage,
    received_at: s.received_at,
    received_at_as_sent: s.received_at_text,
    organization: s.organization_name,
    sector: s.sector,
    title: s.title,
    description: s.description,
    classification: asReported(s),
    occurred_at: s.occurred_at,
    detected_at: s.detected_at,
    created_at: s.created_at,
  };
}
