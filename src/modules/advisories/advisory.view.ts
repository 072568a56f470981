import type { Actor } from '../../access/index.js';
import { isAllowed, seesEverything } from '../../access/index.js';
import type { Tlp } from '../../domain/tlp.js';
import type { AdvisoryRecord } from './advisory.repository.js';
import type {
  ActionStatus,
  AdvisoryAction,
  AdvisoryContent,
  AdvisoryKind,
  AdvisoryView,
  Audience,
  Severity,
} from './advisory.schema.js';

/**
 * What a caller may do with an advisory it sees (visibility itself is the access rule's, applied in
 * the query): the center revises and follows up its advisories; the filing desk revises its share;
 * a recipient organisation's users (never the center's) acknowledge and record their action.
 */
export function advisoryActions(actor: Actor, a: AdvisoryRecord): AdvisoryAction[] {
  const out: AdvisoryAction[] = [];
  const kind = a.kind as AdvisoryKind;
  if (kind === 'advisory' ? isAllowed(actor, 'advisories:write') : mayReviseShare(actor, a))
    out.push('revise');
  if (mayRespond(actor, a)) out.push('acknowledge', 'set_action');
  if (kind === 'advisory' && isAllowed(actor, 'advisories:follow_up:read')) out.push('follow_up');
  if (kind === 'advisory' && isAllowed(actor, 'advisories:follow_up')) out.push('remind');
  return out;
}

export const mayReviseShare = (actor: Actor, a: Pick<AdvisoryRecord, 'organization_id'>) =>
  isAllowed(actor, 'shares:agency') && a.organization_id === actor.organizationId;

/** A recipient organisation's own users respond; the center (which sees every advisory) does not. */
export const mayRespond = (actor: Actor, a: Pick<AdvisoryRecord, 'receipt_organization'>) =>
  !seesEverything(actor) && isAllowed(actor, 'advisories:respond') && a.receipt_organization !== null;

export function advisoryView(actor: Actor, a: AdvisoryRecord): AdvisoryView {
  return {
    id: a.id,
    incident_id: a.incident_id,
    ref: a.ref,
    kind: a.kind as AdvisoryKind,
    revision: a.revision,
    tlp: a.tlp as Tlp,
    severity: a.severity as Severity,
    audience: JSON.parse(a.audience_json) as Audience,
    content: JSON.parse(a.content) as AdvisoryContent,
    published_at: a.first_received_at,
    updated_at: a.updated_at,
    author_organization: a.author_organization,
    receipt:
      a.receipt_organization === null
        ? null
        : {
            read_at: a.read_at,
            acknowledged_at: a.acknowledged_at,
            action_status: a.action_status as ActionStatus | null,
            action_note: a.action_note,
          },
    actions: advisoryActions(actor, a),
  };
}
