/**
 * Who is calling: a signed-in user (session) or an API token acting for one. Roles say what a user
 * may do at most; a token's scopes narrow that further.
 */
export const ROLES = ['operator', 'sector_desk', 'center_analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The roles that read everything (the center) or administer accounts sign in with a second factor. */
export function roleNeedsSecondFactor(role: string): boolean {
  return role === 'center_analyst' || role === 'admin';
}

export interface Actor {
  userId: number;
  email: string;
  organizationId: number;
  organizationName: string;
  role: Role;
  /** Sectors a sector desk reads. */
  sectors: readonly string[];
  /**
   * The sectors the caller's organisation is registered under (organizations.sector): an operator
   * reports under these only. Empty when none is recorded (then any sector); absent for CLI work.
   */
  organizationSectors?: readonly string[];
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

/** Whether the actor's credentials carry a scope (a session carries all of its role's). */
export const hasScope = (actor: Actor, scope: Scope): boolean => !actor.scopes || actor.scopes.has(scope);
