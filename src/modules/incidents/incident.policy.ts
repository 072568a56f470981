import type { Actor } from '../../access/index.js';
import { isAllowed } from '../../access/index.js';
import type { FiscalCalendar } from '../../domain/fiscal-calendar.js';
import type { ReportLine } from '../../domain/report-line.js';
import { parseInstant } from '../../domain/report-line.js';
import { AppError } from '../../platform/errors.js';
import { fingerprintOf } from './fingerprint.js';
import { formatReadableRef, parseReadableRef, payloadFromBase64url } from '../../domain/readable-ref.js';
import type { IncidentRecord } from './incident.repository.js';

/** The rules that turn what a caller sends into the report line kyoyu stores. */

export type NewReport = Omit<ReportLine, 'ref'> & { ref?: string };
export type StageInput = Pick<ReportLine, 'received_at' | 'description'> &
  Partial<
    Pick<
      ReportLine,
      | 'title'
      | 'sector'
      | 'stage'
      | 'event'
      | 'causes'
      | 'attack_type'
      | 'occurred_at'
      | 'detected_at'
      | 'indicators'
    >
  >;

/** Source namespace of refs sent through the API: each organisation has its own refs. */
export const apiSource = (actor: Actor): string => `org:${actor.organizationId}`;

/**
 * Whose report it is: the caller's own organisation, except that the center may report an
 * operator's incident for a named organisation (and must name one).
 */
export function reportingOrganization(actor: Actor, input: NewReport): string | undefined {
  let organization = input.organization;
  if (input.channel !== 'operator_report' || !isAllowed(actor, 'incidents:any_organization')) {
    if (organization !== undefined && organization !== actor.organizationName) {
      throw new AppError('organization_mismatch', 'you can report only for your own organisation');
    }
    organization = actor.organizationName;
  }
  if (input.channel === 'operator_report' && organization === undefined) {
    throw new AppError('validation_failed', 'name the reporting organisation', [
      {
        field: 'body.organization',
        code: 'required',
        message: 'organization is required when the center reports',
      },
    ]);
  }
  return organization;
}

/**
 * An operator reports under its organisation's sectors only: another sector would route the report
 * to another ministry's desk. The center (reporting for any organisation) may name any; so may an
 * organisation with no sector recorded.
 */
export function refuseOtherSector(actor: Actor, sector: string | undefined): void {
  const own = actor.organizationSectors ?? [];
  if (sector === undefined || own.length === 0 || own.includes(sector)) return;
  if (isAllowed(actor, 'incidents:any_organization')) return;
  throw new AppError('sector_mismatch', `your organisation reports under ${own.join(', ')}, not ${sector}`, [
    { field: 'body.sector', code: 'invalid_value', message: `not a sector of your organisation: ${sector}` },
  ]);
}

/**
 * The reference of a report sent without one, derived from its content: a client that retries
 * after a lost answer sends the same report, gets the same ref, and the report is stored once.
 */
export function refFor(calendar: FiscalCalendar, line: ReportLine): string {
  const parsed = parseInstant(line.received_at);
  const at = parsed.ok ? parsed.epochMs : 0;
  const fy = calendar.periodOf(at).fiscalYear;
  // Readable aloud (src/domain/readable-ref.ts); refs made before keep their older form.
  return formatReadableRef(fy, payloadFromBase64url(fingerprintOf(line, at)));
}

/**
 * A ref as someone typed or read it out: a readable ref in any forgiving spelling (lower case, I/L
 * for 1, O for 0, hyphens optional) becomes its canonical form; anything else (older refs, a
 * source's own ids) is taken as it is.
 */
export function givenRef(ref: string): string {
  return parseReadableRef(ref) ?? ref;
}

/** A stage report on `current`: what it does not say, the incident as it stands says. */
export function stageLine(current: IncidentRecord, input: StageInput, actor: Actor): ReportLine {
  return {
    ref: current.ref,
    channel: 'operator_report',
    organization: current.organization_name ?? actor.organizationName,
    sector: input.sector ?? current.sector ?? undefined,
    title: input.title ?? current.title,
    description: input.description,
    received_at: input.received_at,
    stage: input.stage ?? 'update',
    event: input.event,
    causes: input.causes,
    attack_type: input.attack_type ?? null,
    ...(input.occurred_at !== undefined ? { occurred_at: input.occurred_at } : {}),
    ...(input.detected_at !== undefined ? { detected_at: input.detected_at } : {}),
    ...(input.indicators !== undefined ? { indicators: input.indicators } : {}),
  };
}
