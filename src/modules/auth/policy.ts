import type { Channel } from '../../domain/taxonomy.js';

/**
 * Who may do what, in one place. Routes name an action; services ask for the object-level answers.
 * An object the caller may not see is reported as not found, never as forbidden.
 */
export const ROLES = ['operator', 'sector_desk', 'center_analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Actor {
  userId: number;
  email: string;
  organizationId: number;
  organizationName: string;
  role: Role;
  /** Sectors a sector desk reads. */
  sectors: readonly string[];
  /** The request this actor is acting in (for the audit trail); absent for CLI work. */
  requestId?: string;
  ip?: string;
}

export const ACTIONS = [
  'public',
  'me:read',
  'incidents:read',
  'incidents:write',
  'incidents:classify',
  'shares:agency',
  'shares:center',
  'stats:read',
  'taxonomy:read',
  'audit:read',
] as const;
export type Action = (typeof ACTIONS)[number];

const GRANTS: Record<Role, ReadonlySet<Action>> = {
  operator: new Set(['me:read', 'incidents:read', 'incidents:write', 'stats:read', 'taxonomy:read']),
  sector_desk: new Set(['me:read', 'incidents:read', 'shares:agency', 'stats:read', 'taxonomy:read']),
  center_analyst: new Set([
    'me:read',
    'incidents:read',
    'incidents:write',
    'incidents:classify',
    'shares:agency',
    'shares:center',
    'stats:read',
    'taxonomy:read',
  ]),
  admin: new Set([
    'me:read',
    'incidents:read',
    'incidents:write',
    'incidents:classify',
    'shares:agency',
    'shares:center',
    'stats:read',
    'taxonomy:read',
    'audit:read',
  ]),
};

export function isAllowed(actor: Actor | null, action: Action): boolean {
  if (action === 'public') return true;
  return actor !== null && GRANTS[actor.role].has(action);
}

/** Whether the actor sees every record (the center) rather than a slice of them. */
export function seesEverything(actor: Actor): boolean {
  return actor.role === 'center_analyst' || actor.role === 'admin';
}

/** The slice of records an actor may read, as a filter the repository turns into SQL. */
export type Visibility =
  { kind: 'all' } | { kind: 'scoped'; organizationId: number; sectors: readonly string[] };

export function visibilityOf(actor: Actor): Visibility {
  if (seesEverything(actor)) return { kind: 'all' };
  // An operator sees its own organisation's records; a sector desk also its sectors' operator reports.
  return {
    kind: 'scoped',
    organizationId: actor.organizationId,
    sectors: actor.role === 'sector_desk' ? actor.sectors : [],
  };
}

export function canSee(
  actor: Actor,
  record: { organizationId: number | null; sector: string | null; channel: string },
): boolean {
  const v = visibilityOf(actor);
  if (v.kind === 'all') return true;
  if (record.organizationId === v.organizationId) return true;
  return record.channel === 'operator_report' && record.sector !== null && v.sectors.includes(record.sector);
}

/** Whether the actor may add reports to a record it can see. */
export function canWrite(actor: Actor, record: { organizationId: number | null; channel: string }): boolean {
  if (seesEverything(actor)) return true;
  return (
    actor.role === 'operator' &&
    record.channel === 'operator_report' &&
    record.organizationId === actor.organizationId
  );
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
