import { checkIncidentTimes } from '../../../../../src/domain/incident-times.js';
import {
  OPERATOR_REPORT_REQUIRED,
  STAGE_REPORT_REQUIRED,
} from '../../../../../src/domain/report-required.js';
import type { FieldName, FieldProblem, ReportMode } from './report-model';

/**
 * The form's required fields and its time and sector rules, derived from the server's own
 * (src/domain/report-line.ts, src/domain/incident-times.ts): a mark or a check written by hand per
 * field would drift from what the server refuses.
 */

/**
 * The fields the user must fill in: the server's required list, less what the form sets itself
 * (the stage of a new report is always the initial one) and the organisation unless the center
 * names one.
 */
export function requiredFields(mode: ReportMode, needsOrganization: boolean): ReadonlySet<FieldName> {
  const fields: readonly string[] =
    mode === 'new'
      ? OPERATOR_REPORT_REQUIRED.filter((f) => f !== 'stage' && (f !== 'organization' || needsOrganization))
      : STAGE_REPORT_REQUIRED;
  return new Set(fields as FieldName[]);
}

/** What a required field says when it is left empty: chosen controls ask for a choice. */
export function missingProblem(name: FieldName): FieldProblem {
  if (name === 'causes') return { code: 'select_some' };
  if (name === 'sector' || name === 'event') return { code: 'select_one' };
  return { code: 'required' };
}

/**
 * Which sectors the form offers: the center, or an organisation with no sector recorded, any;
 * an organisation with one sector gets it fixed (shown, not chosen); with several, those.
 */
export type SectorChoice =
  { kind: 'fixed'; sector: string } | { kind: 'choose'; sectors: readonly string[] | null };

export function sectorChoice(organizationSectors: readonly string[], reportsForAny: boolean): SectorChoice {
  if (reportsForAny || organizationSectors.length === 0) return { kind: 'choose', sectors: null };
  if (organizationSectors.length === 1) return { kind: 'fixed', sector: organizationSectors[0]! };
  return { kind: 'choose', sectors: organizationSectors };
}

/** What the incident already holds, for a stage report: the times it says and its first report. */
export interface HeldTimes {
  occurred_at: string | null;
  detected_at: string | null;
  first_received_at: string;
}

const ms = (iso: string | null | undefined) => (iso ? Date.parse(iso) : null);

/**
 * The order of the times as the server checks it: occurred <= detected <= received, none in the
 * future; for a stage report together with what the incident holds and its first report.
 */
export function timeProblem(
  iso: { occurred_at: string | null; detected_at: string | null; received_at: string | null },
  held: HeldTimes | undefined,
  nowMs = Date.now(),
): { field: 'occurred_at' | 'detected_at'; problem: FieldProblem } | null {
  const received = ms(iso.received_at);
  if (received === null || (!iso.occurred_at && !iso.detected_at)) return null;
  const first = held ? Math.min(received, Date.parse(held.first_received_at)) : received;
  const found = checkIncidentTimes(
    {
      occurredMs: ms(iso.occurred_at) ?? ms(held?.occurred_at),
      detectedMs: ms(iso.detected_at) ?? ms(held?.detected_at),
      receivedMs: first,
    },
    0,
    nowMs,
  );
  if (!found) return null;
  // A rule broken by what the incident holds is shown at the field this report filled in.
  const field = iso[found.field]
    ? found.field
    : found.field === 'occurred_at'
      ? 'detected_at'
      : 'occurred_at';
  return { field, problem: { code: found.code } };
}
