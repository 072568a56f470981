import { forbidden, notFound } from '../platform/errors.js';
import type { Actor } from './actor.js';
import { isAllowed, seesEverything } from './grants.js';
import type { VisibleRecord } from './visibility.js';
import { canSee } from './visibility.js';

/**
 * Indicators on a record (issue 12): each carries its own TLP marking, which may be stricter than
 * the record's. A caller receives one when it sees the record AND the record, were it marked as
 * the indicator is, would still reach it: the same visibility rule, no second one.
 */
export function mayReceiveIndicator(actor: Actor, record: VisibleRecord, tlp: string): boolean {
  return canSee(actor, record) && canSee(actor, { ...record, tlp });
}

/** The indicators of a record that the caller may receive, in their order. */
export function receivableIndicators<T extends { tlp: string }>(
  actor: Actor,
  record: VisibleRecord,
  indicators: readonly T[],
): T[] {
  if (!canSee(actor, record)) return [];
  return indicators.filter((i) => canSee(actor, { ...record, tlp: i.tlp }));
}

/**
 * Who may adopt indicators found in a record's text: those who report on it, i.e. the owner
 * organisation's users and the center (with the write grant and scope). For the answers' `may_adopt`.
 */
export function mayAdoptIndicators(actor: Actor, record: VisibleRecord): boolean {
  return (
    canSee(actor, record) &&
    isAllowed(actor, 'incidents:write') &&
    (seesEverything(actor) || record.organization_id === actor.organizationId)
  );
}

/**
 * Refuses (throws) unless the actor may adopt indicators on `record` (the row its transaction
 * locked): unseen or missing is 404 alike, checked before anything else; seen but not theirs, 403.
 */
export function authorizeIndicatorAdoption<R extends VisibleRecord>(
  actor: Actor,
  record: R | undefined,
): asserts record is R {
  if (!record || !canSee(actor, record)) throw notFound();
  if (!mayAdoptIndicators(actor, record))
    throw forbidden('you may read this incident but not adopt indicators on it');
}
