import type { Tlp } from '../domain/tlp.js';
import { TLP_RECIPIENTS, tlpLevelsFor } from '../domain/tlp.js';
import { forbidden, notFound } from '../platform/errors.js';
import type { Actor } from './actor.js';
import type { Action } from './grants.js';
import { isAllowed, seesEverything } from './grants.js';
import type { Branch, Visibility, VisibleRecord } from './visibility.js';
import { canSee, matchesBranch } from './visibility.js';

/**
 * Who takes part in an incident's conversation: the reporting organisation, the center, and the
 * sector desks of the incident's sector where its TLP lets desks receive it. Seeing an incident is
 * necessary but not enough: an operator of another organisation (or a desk of another sector) that
 * sees a CLEAR or GREEN record as community news reads its description, not what the reporter and
 * the center say to each other. Written as data like the visibility rule, so the unread-count SQL
 * and the in-memory check cannot disagree; it always applies on top of the visibility rule.
 */
export type ConversationSide = 'center' | 'reporter' | 'desk';

/** The branches (on `incidents` columns) whose conversations the actor takes part in, within what it sees. */
export function conversationReach(actor: Actor): Visibility {
  if (seesEverything(actor)) return { branches: [[]] };
  const own: Branch = [{ column: 'organization_id', in: [actor.organizationId] }];
  if (actor.role !== 'sector_desk') return { branches: [own] };
  const desk = actor.sectors.map((sector): Branch => [
    { column: 'channel', in: ['operator_report'] },
    { column: 'sector', in: [sector] },
    { column: 'tlp', in: tlpLevelsFor('sectorDesks') },
  ]);
  return { branches: [own, ...desk] };
}

/** The actor's side in the record's conversation, or null when it takes no part in it. */
export function conversationSide(actor: Actor, record: VisibleRecord): ConversationSide | null {
  if (!canSee(actor, record)) return null;
  if (!conversationReach(actor).branches.some((b) => matchesBranch(b, record))) return null;
  if (seesEverything(actor)) return 'center';
  return record.organization_id === actor.organizationId ? 'reporter' : 'desk';
}

const NEEDS: Record<'read' | 'write', Action> = {
  read: 'incidents:read',
  write: 'conversations:write',
};

/**
 * Refuses (throws) unless the actor may read or write the record's conversation; answers its side.
 * An unseen record is not found, exactly like a missing one; a seen record whose conversation the
 * actor takes no part in is forbidden (the record's existence is no secret to it).
 */
export function authorizeConversation(
  actor: Actor,
  access: 'read' | 'write',
  record: VisibleRecord | undefined,
): ConversationSide {
  if (!record || !canSee(actor, record)) throw notFound();
  const side = conversationSide(actor, record);
  if (!side || !isAllowed(actor, NEEDS[access]))
    throw forbidden(`you may read this incident but not ${access} its conversation`);
  return side;
}

/** Whether a new record reaches the desks of its sector (a new-report notification goes to them). */
export function reachesSectorDesks(record: { channel: string; sector: string | null; tlp: string }): boolean {
  return (
    record.channel === 'operator_report' &&
    record.sector !== null &&
    TLP_RECIPIENTS[record.tlp as Tlp]?.sectorDesks === true
  );
}

/** A stored user as the rules read it (who may be notified about a record), without a session. */
export function actorOfUser(user: {
  id: number;
  email: string;
  organization_id: number;
  role: string;
  sectors: readonly string[];
}): Actor {
  return {
    userId: user.id,
    email: user.email,
    organizationId: user.organization_id,
    organizationName: '',
    role: user.role as Actor['role'],
    sectors: user.sectors,
  };
}
