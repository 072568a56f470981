import type { Selectable } from 'kysely';
import type { IncidentTable } from '../../platform/db/schema.js';
import type { Classification, CountedIncident, StageFacts } from '../../domain/counting.js';
import { classificationOf } from '../../domain/counting.js';
import { counts as countsInState } from '../../domain/lifecycle.js';
import type { ReportLine } from '../../domain/report-line.js';
import type { Channel } from '../../domain/taxonomy.js';
import { joinCodes, splitCodes } from './fingerprint.js';

/**
 * Between stored rows and the domain's terms: what an incident row counts as, the classifications
 * its columns hold, and the stage report row a new report is stored as.
 */

export type IncidentRow = Selectable<IncidentTable>;
export type StageFact = StageFacts & {
  details?: ReportLine;
  fingerprint: string;
  createdBy?: number | null;
  /** What the report said of when the incident happened and was detected (epoch ms), if anything. */
  occurredAt?: number | null;
  detectedAt?: number | null;
};

type Columns<K extends keyof IncidentRow> = Pick<IncidentRow, K>;

export function reporterClassificationOf(
  row: Columns<'reporter_event' | 'reporter_causes' | 'reporter_attack_type'>,
): Classification | null {
  return classificationOf({
    event: row.reporter_event,
    causes: splitCodes(row.reporter_causes),
    attackType: row.reporter_attack_type,
  });
}

export function centerClassificationOf(
  row: Columns<'center_event' | 'center_causes' | 'center_attack_type'>,
): Classification | null {
  return classificationOf({
    event: row.center_event,
    causes: splitCodes(row.center_causes),
    attackType: row.center_attack_type,
  });
}

/** The incident as the counting rules see it: its effective classification, its state, its first report. */
export function counted(
  row: Columns<'channel' | 'first_received_at' | 'event' | 'causes' | 'attack_type' | 'sector' | 'state'>,
): CountedIncident {
  return {
    channel: row.channel as Channel,
    sector: row.sector,
    counts: countsInState(row.state),
    firstReceivedAt: Date.parse(row.first_received_at),
    classification: classificationOf({
      event: row.event,
      causes: splitCodes(row.causes),
      attackType: row.attack_type,
    }),
  };
}

export const isoOrNull = (ms: number | null | undefined): string | null =>
  ms == null ? null : new Date(ms).toISOString();

/** The stored row of a new stage report (its incident's id is added by the write). */
export function stageRow(s: StageFact, now: string) {
  const l = s.details!;
  return {
    stage: l.stage ?? null,
    received_at: new Date(s.receivedAt).toISOString(),
    received_at_text: l.received_at,
    organization_name: l.organization ?? null,
    sector: l.sector ?? null,
    title: l.title,
    description: l.description,
    event: l.event ?? null,
    causes: joinCodes(l.causes),
    attack_type: l.attack_type ?? null,
    fingerprint: s.fingerprint,
    created_by: s.createdBy ?? null,
    created_at: now,
    occurred_at: isoOrNull(s.occurredAt),
    detected_at: isoOrNull(s.detectedAt),
  };
}
