import type { Channel } from '../../domain/taxonomy.js';
import type { Tlp } from '../../domain/tlp.js';
import { tlpLevelsFor } from '../../domain/tlp.js';

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
  /** Set when the caller authenticated with an API token: what the token may do within the role. */
  scopes?: ReadonlySet<Scope>;
}

/**
 * What an API token may do, within its user's role: a read-only token for a dashboard script
 * cannot write even if its user could. A session (signed-in browser) has every scope of its role.
 */
export const SCOPES = ['read', 'write', 'classify', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  operator: ['read', 'write'],
  sector_desk: ['read', 'write'],
  center_analyst: ['read', 'write', 'classify'],
  admin: ['read', 'write', 'classify', 'admin'],
};

export const ACTIONS = [
  'public',
  'auth:session',
  'me:read',
  'incidents:read',
  'incidents:write',
  'incidents:classify',
  'shares:agency',
  'shares:center',
  'stats:read',
  'taxonomy:read',
  'periods:read',
  'periods:manage',
  'audit:read',
  'admin:users',
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
    // Closing and reopening quarters is the center's: admins administer accounts, not content.
    'periods:read',
    'periods:manage',
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
    'admin:users',
  ]),
};

/** The scope an action needs; 'auth:session' (a caller's own sign-in state) needs none. */
export function scopeOf(action: Action): Scope | null {
  if (action === 'public' || action === 'auth:session') return null;
  if (action === 'incidents:classify') return 'classify';
  if (action.startsWith('admin:') || action.startsWith('audit:')) return 'admin';
  if (action.endsWith(':read')) return 'read';
  return 'write';
}

export function isAllowed(actor: Actor | null, action: Action): boolean {
  if (action === 'public') return true;
  if (actor === null) return false;
  if (action === 'auth:session') return true;
  if (!GRANTS[actor.role].has(action)) return false;
  const scope = scopeOf(action);
  return !actor.scopes || scope === null || actor.scopes.has(scope);
}

/** Whether the actor sees every record (the center) rather than a slice of them. */
export function seesEverything(actor: Actor): boolean {
  return actor.role === 'center_analyst' || actor.role === 'admin';
}

/**
 * The slice of records an actor may read, as a filter the repository turns into SQL: its own
 * organisation's records (whatever their marking), records whose TLP marking reaches everyone it
 * reaches, and for a sector desk the operator reports of its sectors whose marking reaches desks.
 */
export type Visibility =
  | { kind: 'all' }
  | {
      kind: 'scoped';
      organizationId: number;
      /** Markings this actor receives from anyone. */
      anyTlps: readonly Tlp[];
      sectors: readonly string[];
      /** Markings this actor receives within its sectors. */
      sectorTlps: readonly Tlp[];
    };

const COMMUNITY = tlpLevelsFor('community');
const DESKS = tlpLevelsFor('sectorDesks');
const ADMINS = tlpLevelsFor('admins');

export function visibilityOf(actor: Actor): Visibility {
  switch (actor.role) {
    case 'center_analyst':
      return { kind: 'all' };
    case 'admin':
      // Admins see what the center sees except RED, which is for named recipients only.
      return {
        kind: 'scoped',
        organizationId: actor.organizationId,
        anyTlps: ADMINS,
        sectors: [],
        sectorTlps: [],
      };
    case 'sector_desk':
      return {
        kind: 'scoped',
        organizationId: actor.organizationId,
        anyTlps: COMMUNITY,
        sectors: actor.sectors,
        sectorTlps: DESKS,
      };
    case 'operator':
      return {
        kind: 'scoped',
        organizationId: actor.organizationId,
        anyTlps: COMMUNITY,
        sectors: [],
        sectorTlps: [],
      };
  }
}

export interface VisibleRecord {
  organizationId: number | null;
  sector: string | null;
  channel: string;
  tlp: string;
}

/** The same rule as visibilityOf, for one record in memory (must agree with the SQL filter). */
export function canSee(actor: Actor, record: VisibleRecord): boolean {
  const v = visibilityOf(actor);
  if (v.kind === 'all') return true;
  if (record.organizationId === v.organizationId) return true;
  const tlp = record.tlp as Tlp;
  if (v.anyTlps.includes(tlp)) return true;
  return (
    record.channel === 'operator_report' &&
    record.sector !== null &&
    v.sectors.includes(record.sector) &&
    v.sectorTlps.includes(tlp)
  );
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
