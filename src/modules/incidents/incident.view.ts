import type { LifecycleState } from '../../domain/lifecycle.js';
import type { RecordAction } from '../../access/index.js';
import type { Tlp } from '../../domain/tlp.js';
import type { Classification } from '../../domain/counting.js';
import { decideClassification } from '../../domain/counting.js';
import type { FiscalCalendar } from '../../domain/fiscal-calendar.js';
import { splitCodes } from './fingerprint.js';
import type { IncidentRecord, StageRecord } from './incident.repository.js';
import { centerClassificationOf, reporterClassificationOf } from './incident.rows.js';

export interface ClassificationView {
  event: string;
  causes: string[];
  attack_type: string | null;
}

export interface IncidentView {
  id: number;
  ref: string;
  channel: string;
  organization: string | null;
  sector: string | null;
  title: string;
  description: string;
  stage: string | null;
  first_received_at: string;
  last_received_at: string;
  fiscal_year: number;
  fiscal_quarter: number;
  classification: (ClassificationView & { by: 'center' | 'reporter' }) | null;
  reporter_classification: ClassificationView | null;
  center_classification: (ClassificationView & { classified_at: string | null }) | null;
  tlp: Tlp;
  state: LifecycleState;
  state_reason: string | null;
  state_note: string | null;
  state_changed_at: string | null;
  final_received_at: string | null;
  version: number;
  created_at: string;
  updated_at: string;
  /** What the caller may do with this incident (from src/access): the UI offers exactly these. */
  actions: RecordAction[];
  reports?: StageView[];
}

/**
 * The answer to a write made with a token that may not read (a classify-only or write-only token):
 * which record, its version now, and what the write set; none of the record's content.
 */
export type WriteReceipt = Pick<IncidentView, 'id' | 'ref' | 'channel' | 'tlp' | 'version' | 'updated_at'> &
  Partial<Pick<IncidentView, 'center_classification'>>;

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

export interface StageView {
  id: number;
  stage: string | null;
  received_at: string;
  received_at_as_sent: string;
  organization: string | null;
  sector: string | null;
  title: string;
  description: string;
  classification: ClassificationView | null;
  created_at: string;
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
    created_at: s.created_at,
  };
}
