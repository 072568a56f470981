import { AppError, forbidden, notFound } from '../platform/errors.js';
import type { Actor } from './actor.js';
import { conversationSide } from './conversation.js';
import type { Action } from './grants.js';
import { isAllowed, seesEverything } from './grants.js';
import type { VisibleRecord } from './visibility.js';
import { canSee } from './visibility.js';

/**
 * What a caller may do with one record it sees. Each names the route action it needs (the role's
 * grant and the token's scope), who among those who see the record may do it, and which records
 * it applies to at all. Services call `authorize` inside their writing transaction, on the row they
 * locked; answers carry `actionsOn` so that the UI offers exactly what the server will accept.
 */
export const RECORD_ACTIONS = ['add_report', 'classify', 'change_state', 'read_conversation'] as const;
export type RecordAction = (typeof RECORD_ACTIONS)[number];

interface RecordRule {
  needs: Action;
  /** Among those who see the record and hold `needs`: who may (else 403). */
  permits: (actor: Actor, record: VisibleRecord) => boolean;
  /** Whether the action makes sense for the record at all (else 409), whoever asks. */
  applies: (record: VisibleRecord) => boolean;
  notApplicable: string;
  /**
   * Whether the record takes the action in its present state (offered in `actions`); when not,
   * the service refuses it with its own 409 code after `authorize`.
   */
  open?: (record: VisibleRecord) => boolean;
}

const operatorReport = (r: VisibleRecord) => r.channel === 'operator_report';

const RULES: Record<RecordAction, RecordRule> = {
  add_report: {
    needs: 'incidents:write',
    // The center reports on any record it sees; an operator only on its own organisation's.
    permits: (actor, r) => seesEverything(actor) || r.organization_id === actor.organizationId,
    applies: operatorReport,
    notApplicable: 'only operator reports have stages',
    // Not on a rejected or withdrawn record, nor after the final report until the center reopens.
    open: (r) => r.state === 'received' && r.final_received_at == null,
  },
  classify: {
    needs: 'incidents:classify',
    permits: () => true,
    applies: operatorReport,
    notApplicable: 'only operator reports are classified',
  },
  // Reject, withdraw, restore, reopen: whether one applies to the record's state is the
  // lifecycle's own answer (409 with its code), after this.
  change_state: {
    needs: 'incidents:lifecycle',
    permits: () => true,
    applies: () => true,
    notApplicable: '',
  },
  // Its conversation: for its participants only (`authorizeConversation` guards the routes).
  read_conversation: {
    needs: 'incidents:read',
    permits: (actor, r) => conversationSide(actor, r) !== null,
    applies: () => true,
    notApplicable: '',
  },
};

/**
 * Refuses (throws) unless the actor may take `action` on `record`. A record the actor does not see
 * is "not found", exactly like a missing one, and nothing else is checked first: a refusal never
 * tells whether the record exists. `record` undefined (no such row) is not found too.
 */
export function authorize<R extends VisibleRecord>(
  actor: Actor,
  action: RecordAction,
  record: R | undefined,
): asserts record is R {
  if (!record || !canSee(actor, record)) throw notFound();
  const rule = RULES[action];
  if (!isAllowed(actor, rule.needs) || !rule.permits(actor, record))
    throw forbidden(`you may read this incident but not ${action.replace('_', ' ')} it`);
  if (!rule.applies(record)) throw new AppError('conflict', rule.notApplicable);
}

/** The record actions the actor may take on a record it sees (for the answer's `actions`). */
export function actionsOn(actor: Actor, record: VisibleRecord): RecordAction[] {
  if (!canSee(actor, record)) return [];
  return RECORD_ACTIONS.filter((action) => {
    const rule = RULES[action];
    return (
      isAllowed(actor, rule.needs) &&
      rule.permits(actor, record) &&
      rule.applies(record) &&
      (rule.open?.(record) ?? true)
    );
  });
}
