import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Taxonomy } from '../../domain/taxonomy.js';
import { AppError } from '../../errors.js';
import { AccountRepository } from './account.repository.js';
import type { Actor, Role } from './policy.js';
import { ROLES } from './policy.js';
import { generateToken, hashToken, looksLikeToken, sameHash } from './tokens.js';

export interface CreateUserInput {
  email: string;
  organization: string;
  role: string;
  sectors?: string[];
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;

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
    db: Kysely<DB>,
    private readonly taxonomy: Taxonomy,
  ) {
    this.repo = new AccountRepository(db);
  }

  async createUser(input: CreateUserInput): Promise<{ id: number }> {
    const email = input.email.trim().toLowerCase();
    if (!EMAIL.test(email))
      throw new AppError(400, 'validation_failed', `not an email address: ${input.email}`);
    if (!(ROLES as readonly string[]).includes(input.role)) {
      throw new AppError(400, 'validation_failed', `role must be one of ${ROLES.join(', ')}`);
    }
    const sectors = input.sectors ?? [];
    const unknown = sectors.filter((s) => !this.taxonomy.sectorCodes.has(s));
    if (unknown.length > 0)
      throw new AppError(400, 'validation_failed', `unknown sector: ${unknown.join(', ')}`);
    if (input.role === 'sector_desk' && sectors.length === 0) {
      throw new AppError(400, 'validation_failed', 'a sector desk needs at least one --sector');
    }
    if (!input.organization.trim()) throw new AppError(400, 'validation_failed', 'organization is required');
    if (await this.repo.findUserByEmail(email)) throw new AppError(409, 'conflict', `user ${email} exists`);
    const now = new Date().toISOString();
    const organizationId = await this.repo.ensureOrganization(input.organization.trim(), null, now);
    const id = await this.repo.insertUser({ email, organizationId, role: input.role, sectors, now });
    return { id };
  }

  /** Issues a new token; the plain token is returned once and only its hash is kept. */
  async createToken(email: string, label = 'cli'): Promise<string> {
    const user = await this.repo.findUserByEmail(email.trim().toLowerCase());
    if (!user) throw new AppError(404, 'not_found', `no user ${email}`);
    const token = generateToken();
    await this.repo.insertToken(user.id, hashToken(token), label, new Date().toISOString());
    return token;
  }

  async revokeTokens(email: string): Promise<number> {
    const user = await this.repo.findUserByEmail(email.trim().toLowerCase());
    if (!user) throw new AppError(404, 'not_found', `no user ${email}`);
    const result = await this.repo.revokeTokensOf(user.id, new Date().toISOString());
    this.verified.clear();
    return Number(result.numUpdatedRows);
  }

  async actorForToken(token: string): Promise<Actor | null> {
    if (!looksLikeToken(token)) return null;
    const hash = hashToken(token);
    const now = Date.now();
    const cached = this.verified.get(hash);
    if (cached && cached.until > now) return cached.actor;
    const row = await this.repo.findActorByTokenHash(hash);
    if (!row || !sameHash(row.token_hash, hash)) {
      this.verified.delete(hash);
      return null;
    }
    const actor: Actor = {
      userId: row.userId,
      email: row.email,
      organizationId: row.organizationId,
      organizationName: row.organizationName,
      role: row.role as Role,
      sectors: row.sectors,
    };
    if (this.verified.size >= 10_000) this.verified.clear();
    this.verified.set(hash, { actor, until: now + TOKEN_CACHE_MS });
    return actor;
  }
}
