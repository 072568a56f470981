import { hash } from 'node:crypto';
import { normalIndicators } from '../../domain/indicator-input.js';
import type { Classification } from '../../domain/counting.js';
import type { ReportLine } from '../../domain/report-line.js';
import { IdRanges } from '../audit/index.js';
import type { AuditEvent, AuditWho } from '../audit/index.js';
import type { SubmissionResult } from './incident.plan.js';

/** What the audit trail records about incidents: one entry per write and per read. */

/** Bulk loads without a signed-in caller (the demo). */
export const SYSTEM: AuditWho = { userId: null, label: 'system' };

/** A report stored for a caller: a new incident, or a stage (or a repeat) on an existing one. */
export function reportEvent(
  source: string,
  line: ReportLine,
  result: Pick<SubmissionResult, 'created' | 'stageAdded'> & { incidentId?: number },
): AuditEvent {
  const facts = {
    source,
    ref: line.ref,
    channel: line.channel,
    stage: line.stage ?? null,
    ...indicatorFacts(line),
  };
  return {
    action: result.created ? 'incident.create' : 'incident.report',
    objectType: 'incident',
    objectId: result.incidentId,
    details: result.created ? facts : { ...facts, stage_added: result.stageAdded },
  };
}

/**
 * The indicators a report carried, when it carried any: how many and a digest of their normal
 * forms, so the entry covers exactly what was given without copying (possibly RED) values into
 * the trail, which its readers may not otherwise receive.
 */
function indicatorFacts(line: ReportLine): { indicators?: { count: number; sha256: string } } {
  if (!line.indicators || line.indicators.length === 0) return {};
  const normal = normalIndicators(line.indicators).map((i) => [i.type, i.value, i.tlp]);
  return {
    indicators: { count: normal.length, sha256: hash('sha256', JSON.stringify(normal), 'hex') },
  };
}

/** Many reports stored at once without a caller: one entry with the counts, not one per report. */
export function loadEvent(source: string, results: readonly SubmissionResult[]): AuditEvent {
  const created = new IdRanges();
  const reported = new IdRanges();
  for (const r of results) {
    if (r.created) created.add(r.incidentId);
    else if (r.stageAdded) reported.add(r.incidentId);
  }
  return {
    action: 'incidents.load',
    details: {
      source,
      reports: results.length,
      incidents_created: new Set(results.filter((r) => r.created).map((r) => r.incidentId)).size,
      reports_added: results.filter((r) => r.stageAdded).length,
      // Which incidents this entry created: verify checks that every incident has its entry.
      created_ids: created.toArray(),
      // Which existing incidents it added a stage to: with created_ids, what this entry changed.
      reported_ids: reported.toArray(),
    },
  };
}

export function classifyEvent(
  id: number,
  classification: Classification | null,
  version: number,
): AuditEvent {
  return {
    action: classification ? 'incident.classify' : 'incident.classification_clear',
    objectType: 'incident',
    objectId: id,
    details: classification
      ? {
          event: classification.event,
          causes: classification.causes,
          attack_type: classification.attackType,
          version,
        }
      : { version },
  };
}

export const readEvent = (id: number): AuditEvent => ({
  action: 'incident.read',
  objectType: 'incident',
  objectId: id,
});

/** A list request: the filter it asked with, not the rows it got. */
export const listEvent = (query: object, returned: number): AuditEvent => ({
  action: 'incidents.list',
  objectType: 'incident',
  details: { filter: query, returned },
});

/** An export of the filtered list (CSV): the filter it asked with; every matching row was sent. */
export const exportEvent = (query: object): AuditEvent => ({
  action: 'incidents.export',
  objectType: 'incident',
  details: { filter: query },
});
