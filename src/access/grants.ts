import type { Channel } from '../domain/taxonomy.js';
import type { Actor, Role, Scope } from './actor.js';
import { hasScope } from './actor.js';

/** What a route may need; every route names one (see src/platform/http/auth-hook.ts). */
export const ACTIONS = [
  'public',
  'auth:session',
  'me:read',
  'incidents:read',
  'incidents:write',
  /** Report an operator incident for any organisation (the center), not only one's own. */
  'incidents:any_organization',
  'incidents:classify',
  /** Reject, withdraw, restore, reopen: the center's judgement on a record, not an admin's. */
  'incidents:lifecycle',
  /** Keep one's own saved list filters (a write: a read-only token only reads them). */
  'incidents:filters',
  'shares:agency',
  'shares:center',
  'stats:read',
  /** The closed quarters and their late filings; closing and reopening a quarter (the center's). */
  'periods:read',
  'periods:manage',
  'taxonomy:read',
  'audit:read',
  'admin:users',
  /** Write in an incident's conversation (and move one's read marker): its participants only. */
  'conversations:write',
  /** One's own notifications: the list, the unread count, the mail settings... */
  'notifications:read',
  /** ...and marking them read, changing the settings. */
  'notifications:write',
  /** STIX 2.1 import (issue 12): incoming intelligence, read and triaged by the center... */
  'intel:read',
  /** ...and bundles stored into it, and the triage decisions. */
  'intel:write',
  // Advisories (issue 12): reading those that reach the caller; the center's writing them; a
  // recipient organisation's read / acknowledged / action status; the center's follow-up and reminders.
  'advisories:read',
  'advisories:write',
  'advisories:respond',
  /** The center's follow-up view of who has read, acknowledged and acted (a read)... */
  'advisories:follow_up:read',
  /** ...and the reminders it sends (a write: a read-only token only looks). */
  'advisories:follow_up',
  /** TAXII 2.1 (issue 12): reading and writing collections; which ones is src/access/collections.ts. */
  'taxii:read',
  'taxii:write',
  // The quarterly document (issue 13): part 1's situational items and part 3's lessons are the
  // center's to write; its public edition is everyone's to read, its full edition the center's.
  'situation:read',
  'situation:write',
  'lessons:read',
  'lessons:write',
  'publication:read',
  'publication:full:read',
  // Reporting regimes (issue 15): everyone reads them; admins change them and set organisation flags.
  'regimes:read',
  'regimes:manage',
] as const;
export type Action = (typeof ACTIONS)[number];

/** What every signed-in role may do with conversations and its own notifications. */
const CONVERSING: readonly Action[] = ['conversations:write', 'notifications:read', 'notifications:write'];
/** Advisories per role (issue 12): recipients read and respond; the center writes and follows up. */
const ADVISORIES: Record<Role, readonly Action[]> = {
  operator: ['advisories:read', 'advisories:respond'],
  sector_desk: ['advisories:read', 'advisories:respond'],
  center_analyst: [
    'advisories:read',
    'advisories:write',
    'advisories:follow_up:read',
    'advisories:follow_up',
  ],
  admin: ['advisories:read'],
};
/** TAXII 2.1 (issue 12): every role reaches the TAXII server; each collection decides the rest (collections.ts). */
const TAXII: readonly Action[] = ['taxii:read', 'taxii:write'];
/** The quarterly document: the center writes parts 1 and 3 and reads the full edition. */
const PUBLICATION_CENTER: readonly Action[] = [
  'situation:read',
  'situation:write',
  'lessons:read',
  'lessons:write',
  'publication:read',
  'publication:full:read',
];

/** The actions each role is granted; a token then needs the scope of the action too. */
export const GRANTS: Record<Role, ReadonlySet<Action>> = {
  operator: new Set([
    'me:read',
    'incidents:read',
    'incidents:write',
    'incidents:filters',
    'stats:read',
    'taxonomy:read',
    ...CONVERSING,
    ...TAXII,
    ...ADVISORIES.operator,
    'publication:read',
    'regimes:read',
  ]),
  sector_desk: new Set([
    'me:read',
    'incidents:read',
    'incidents:filters',
    'shares:agency',
    'stats:read',
    'taxonomy:read',
    ...CONVERSING,
    ...TAXII,
    ...ADVISORIES.sector_desk,
    'publication:read',
    'regimes:read',
  ]),
  center_analyst: new Set([
    'me:read',
    'incidents:read',
    'incidents:write',
    'incidents:any_organization',
    'incidents:classify',
    'incidents:lifecycle',
    'incidents:filters',
    'shares:agency',
    'shares:center',
    'stats:read',
    'periods:read',
    'periods:manage',
    'taxonomy:read',
    ...CONVERSING,
    ...TAXII,
    // STIX 2.1 import: the center's analysts triage incoming intelligence (admins administer).
    'intel:read',
    'intel:write',
    ...ADVISORIES.center_analyst,
    ...PUBLICATION_CENTER,
    'regimes:read',
  ]),
  admin: new Set([
    'me:read',
    'incidents:read',
    'incidents:write',
    'incidents:any_organization',
    'incidents:classify',
    'incidents:filters',
    'shares:agency',
    'shares:center',
    'stats:read',
    'taxonomy:read',
    'audit:read',
    'admin:users',
    ...CONVERSING,
    ...TAXII,
    ...ADVISORIES.admin,
    'publication:read',
    'regimes:read',
    'regimes:manage',
  ]),
};

/** The scope an action needs; 'auth:session' (a caller's own sign-in state) needs none. */
export function scopeOf(action: Action): Scope | null {
  if (action === 'public' || action === 'auth:session') return null;
  if (action === 'incidents:classify' || action === 'incidents:lifecycle') return 'classify';
  if (action.startsWith('admin:') || action.startsWith('audit:') || action === 'regimes:manage')
    return 'admin';
  if (action.endsWith(':read')) return 'read';
  return 'write';
}

export function isAllowed(actor: Actor | null, action: Action): boolean {
  if (action === 'public') return true;
  if (actor === null) return false;
  if (action === 'auth:session') return true;
  if (!GRANTS[actor.role].has(action)) return false;
  const scope = scopeOf(action);
  return scope === null || hasScope(actor, scope);
}

/** Every action the caller may take (its grants within its token's scopes), for GET /me and the UI. */
export function allowedActions(actor: Actor): Action[] {
  return ACTIONS.filter((a) => a !== 'public' && a !== 'auth:session' && isAllowed(actor, a));
}

/** Whether the actor acts for the center (sees every record it may, and reports for any organisation). */
export function seesEverything(actor: Actor): boolean {
  return actor.role === 'center_analyst' || actor.role === 'admin';
}

/** Which channel a role may create records in. */
export function canCreateIn(actor: Actor, channel: Channel): boolean {
  switch (channel) {
    case 'operator_report':
      return isAllowed(actor, 'incidents:write');
    case 'agency_share':
      return isAllowed(actor, 'shares:agency');
    case 'center_provision':
      return isAllowed(actor, 'shares:center');
  }
}
