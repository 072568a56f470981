import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import { characterErrors } from '../../domain/field-errors.js';
import type { Taxonomy } from '../../domain/taxonomy.js';
import { AppError } from '../../platform/errors.js';
import { AccountRepository } from './account.repository.js';
import { ensureOrganization } from '../organizations/index.js';
import type { Actor, Role, Scope } from '../../access/index.js';
import { ROLE_SCOPES, ROLES, SCOPES } from '../../access/index.js';
import { generateToken, hashToken, looksLikeToken, sameHash } from './tokens.js';

export interface CreateUserInput {
  email: string;
  organization: string;
  role: string;
  sectors?: string[];
}

export interface TokenOptions {
  label?: string;
  scopes?: Scope[];
  /** null: never expires (for machine accounts whose tokens are rotated by other means). */
  expiresInDays?: number | null;
}

export interface NewUser {
  email: string;
  organization: string;
  role: Role;
  sectors: string[];
}

export const DEFAULT_TOKEN_DAYS = 90;
const isScope = (s: string): s is Scope => (SCOPES as readonly string[]).includes(s);

const actorOf = (row: {
  userId: number;
  email: string;
  role: string;
  organizationId: number;
  organizationName: string;
  organizationSector: string | null;
  sectors: string[];
}): Actor => ({
  userId: row.userId,
  email: row.email,
  organizationId: row.organizationId,
  organizationName: row.organizationName,
  organizationSectors: row.organizationSector ? [row.organizationSector] : [],
  role: row.role as Role,
  sectors: row.sectors,
});

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;

/** The text rule of every input (src/domain/text-rules.ts), also for the CLI, which has no schema. */
function refuseForbiddenCharacters(fields: Record<string, string | undefined>): void {
  const errors = characterErrors(fields);
  if (errors.length > 0)
    throw new AppError('validation_failed', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
}

/**
 * How long a verified token is trusted without asking the database again. Every API request
 * carries a token, and on PostgreSQL the lookup is a round trip as costly as the write itself; a
 * revoked token therefore stops working within this time in other processes (at once in this one).
 */
export const TOKEN_CACHE_MS = 2000;

export class AccountService {
  private readonly repo: AccountRepository;
  private readonly verified = new Map<string, { actor: Actor; until: number }>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly taxonomy: Taxonomy,
  ) {
    this.repo = new AccountRepository(db);
  }

  /** Checks a new user and normalises it (lower-case email, known sectors, a desk with sectors). */
  async checkNewUser(input: CreateUserInput, db: Kysely<DB> = this.db): Promise<NewUser> {
    refuseForbiddenCharacters({ email: input.email, organization: input.organization });
    // NFC as every text the API takes (its schemas normalise), so the CLI and the API store the same.
    const email = input.email.normalize('NFC').trim().toLowerCase();
    if (!EMAIL.test(email)) throw new AppError('validation_failed', `not an email address: ${input.email}`);
    const sectors = this.checkRole(input.role, input.sectors ?? []);
    if (!input.organization.trim()) throw new AppError('validation_failed', 'organization is required');
    if (await new AccountRepository(db).findUserByEmail(email))
      throw new AppError('conflict', `user ${email} exists`);
    return {
      email,
      organization: input.organization.normalize('NFC').trim(),
      role: input.role as Role,
      sectors,
    };
  }

  /** A role and the sectors it reads: a sector desk needs at least one, the others none. */
  checkRole(role: string, sectors: readonly string[]): string[] {
    if (!(ROLES as readonly string[]).includes(role)) {
      throw new AppError('validation_failed', `role must be one of ${ROLES.join(', ')}`);
    }
    const unknown = sectors.filter((s) => !this.taxonomy.sectorCodes.has(s));
    if (unknown.length > 0) throw new AppError('validation_failed', `unknown sector: ${unknown.join(', ')}`);
    if (role === 'sector_desk' && sectors.length === 0) {
      throw new AppError('validation_failed', 'a sector desk needs at least one --sector');
    }
    return [...sectors];
  }

  /** Stores a checked user in the caller's transaction. */
  async insertUserIn(trx: Kysely<DB>, user: NewUser): Promise<number> {
    const repo = new AccountRepository(trx);
    const now = new Date().toISOString();
    const organizationId = await ensureOrganization(trx, user.organization, null, now);
    return repo.insertUser({ ...user, organizationId, now });
  }

  async createUser(input: CreateUserInput): Promise<{ id: number }> {
    const user = await this.checkNewUser(input);
    return { id: await this.db.transaction().execute((trx) => this.insertUserIn(trx, user)) };
  }

  /**
   * Issues a new token (the CLI's bootstrap path); the plain token is returned once and only its
   * hash is kept. Scopes default to everything the role may do and can only narrow it.
   */
  async createToken(email: string, options: TokenOptions = {}, preset?: string): Promise<string> {
    const user = await this.repo.findUserByEmail(email.trim().toLowerCase());
    if (!user) throw new AppError('not_found', `no user ${email}`);
    return this.insertTokenIn(this.db, { id: user.id, role: user.role as Role }, options, preset);
  }

  /**
   * Checks the options against the role, stores the hash in `db` (a transaction), returns the token.
   * `preset` is the demo's seed-derived token (so that it is the same on every start); every other
   * caller leaves it out and gets a random one.
   */
  async insertTokenIn(
    db: Kysely<DB>,
    user: { id: number; role: Role },
    options: TokenOptions,
    preset?: string,
  ): Promise<string> {
    const allowed = ROLE_SCOPES[user.role];
    const scopes = options.scopes ?? allowed;
    const refused = scopes.filter((s) => !(allowed as readonly string[]).includes(s));
    if (refused.length > 0 || scopes.length === 0) {
      throw new AppError(
        'validation_failed',
        `scopes for a ${user.role} are some of ${allowed.join(', ')}${refused.length ? `; not ${refused.join(', ')}` : ''}`,
      );
    }
    refuseForbiddenCharacters({ label: options.label });
    const days = options.expiresInDays === undefined ? DEFAULT_TOKEN_DAYS : options.expiresInDays;
    if (days !== null && (!Number.isInteger(days) || days < 1 || days > 3650)) {
      throw new AppError('validation_failed', 'a token lives 1 to 3650 days');
    }
    const now = Date.now();
    if (preset !== undefined && !looksLikeToken(preset)) throw new RangeError('not a token');
    const token = preset ?? generateToken();
    await new AccountRepository(db).insertToken({
      userId: user.id,
      tokenHash: hashToken(token),
      label: options.label ?? 'cli',
      scopes,
      expiresAt: days === null ? null : new Date(now + days * 86_400_000).toISOString(),
      now: new Date(now).toISOString(),
    });
    return token;
  }

  /** The user's id, for admin commands that name a user by email. */
  async userIdOf(email: string): Promise<number> {
    const user = await this.repo.findUserByEmail(email.trim().toLowerCase());
    if (!user) throw new AppError('not_found', `no user ${email}`);
    return user.id;
  }

  /** The actor of a signed-in user (sessions carry every scope of the role). */
  async actorForUser(userId: number): Promise<Actor | null> {
    const row = await this.repo.findActorByUserId(userId);
    return row && !row.disabled_at ? actorOf(row) : null;
  }

  async revokeTokens(email: string): Promise<number> {
    const user = await this.repo.findUserByEmail(email.trim().toLowerCase());
    if (!user) throw new AppError('not_found', `no user ${email}`);
    const result = await this.repo.revokeTokensOf(user.id, new Date().toISOString());
    this.forgetVerifiedTokens();
    return Number(result.numUpdatedRows);
  }

  /** After a revocation or a disabled user: this process asks the database again at once. */
  forgetVerifiedTokens(): void {
    this.verified.clear();
  }

  async actorForToken(token: string): Promise<Actor | null> {
    if (!looksLikeToken(token)) return null;
    const hash = hashToken(token);
    const now = Date.now();
    const cached = this.verified.get(hash);
    if (cached && cached.until > now) return cached.actor;
    const row = await this.repo.findActorByTokenHash(hash);
    const expired = row?.expires_at != null && Date.parse(row.expires_at) <= now;
    if (!row || !sameHash(row.token_hash, hash) || expired || row.disabled_at) {
      this.verified.delete(hash);
      return null;
    }
    const actor: Actor = { ...actorOf(row), scopes: new Set(row.scopes.split(',').filter(isScope)) };
    // A token near its expiry is trusted from the cache no longer than it lives.
    const until = Math.min(now + TOKEN_CACHE_MS, row.expires_at ? Date.parse(row.expires_at) : Infinity);
    if (this.verified.size >= 10_000) this.verified.clear();
    this.verified.set(hash, { actor, until });
    return actor;
  }
}
