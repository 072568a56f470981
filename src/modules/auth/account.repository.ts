import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';

/** What an actor is made of: the user, its organisation, whether it is disabled. */
const ACTOR_COLUMNS = [
  'u.id as userId',
  'u.email',
  'u.role',
  'u.organization_id as organizationId',
  'u.disabled_at',
  'o.name as organizationName',
  'o.sector as organizationSector',
] as const;

export class AccountRepository {
  constructor(private readonly db: Kysely<DB>) {}

  findUserByEmail(email: string) {
    return this.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  }

  /** In the caller's transaction (the user and its sectors are one write). */
  async insertUser(user: {
    email: string;
    organizationId: number;
    role: string;
    sectors: string[];
    now: string;
  }) {
    const row = await this.db
      .insertInto('users')
      .values({
        email: user.email,
        organization_id: user.organizationId,
        role: user.role,
        created_at: user.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await this.setSectors(row.id, user.sectors);
    return row.id;
  }

  async setSectors(userId: number, sectors: readonly string[]) {
    await this.db.deleteFrom('user_sectors').where('user_id', '=', userId).execute();
    if (sectors.length > 0) {
      await this.db
        .insertInto('user_sectors')
        .values(sectors.map((sector) => ({ user_id: userId, sector })))
        .execute();
    }
  }

  setRole(userId: number, role: string) {
    return this.db.updateTable('users').set({ role }).where('id', '=', userId).execute();
  }

  insertToken(token: {
    userId: number;
    tokenHash: string;
    label: string;
    scopes: readonly string[];
    expiresAt: string | null;
    now: string;
  }) {
    return this.db
      .insertInto('api_tokens')
      .values({
        user_id: token.userId,
        token_hash: token.tokenHash,
        label: token.label,
        scopes: token.scopes.join(','),
        expires_at: token.expiresAt,
        created_at: token.now,
        revoked_at: null,
      })
      .execute();
  }

  revokeTokensOf(userId: number, now: string) {
    return this.db
      .updateTable('api_tokens')
      .set({ revoked_at: now })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
  }

  /** The user behind a token not revoked, with organisation, sectors, the token's scopes and expiry. */
  async findActorByTokenHash(tokenHash: string) {
    const row = await this.db
      .selectFrom('api_tokens as t')
      .innerJoin('users as u', 'u.id', 't.user_id')
      .innerJoin('organizations as o', 'o.id', 'u.organization_id')
      .select(ACTOR_COLUMNS)
      .select(['t.token_hash', 't.scopes', 't.expires_at'])
      .where('t.token_hash', '=', tokenHash)
      .where('t.revoked_at', 'is', null)
      .executeTakeFirst();
    if (!row) return undefined;
    return { ...row, sectors: await this.sectorsOf(row.userId) };
  }

  async findActorByUserId(userId: number) {
    const row = await this.db
      .selectFrom('users as u')
      .innerJoin('organizations as o', 'o.id', 'u.organization_id')
      .select(ACTOR_COLUMNS)
      .where('u.id', '=', userId)
      .executeTakeFirst();
    if (!row) return undefined;
    return { ...row, sectors: await this.sectorsOf(row.userId) };
  }

  private async sectorsOf(userId: number): Promise<string[]> {
    const sectors = await this.db
      .selectFrom('user_sectors')
      .select('sector')
      .where('user_id', '=', userId)
      .execute();
    return sectors.map((s) => s.sector);
  }

  /** Every user with organisation, sectors and sign-in state; never a secret. */
  async listUsers() {
    const users = await this.db
      .selectFrom('users as u')
      .innerJoin('organizations as o', 'o.id', 'u.organization_id')
      .select([
        'u.id',
        'u.email',
        'u.role',
        'o.name as organization',
        'u.totp_enabled_at',
        'u.locked_until',
        'u.disabled_at',
        'u.created_at',
      ])
      .orderBy('u.id')
      .execute();
    const sectors = await this.db.selectFrom('user_sectors').selectAll().execute();
    return users.map((u) => ({
      ...u,
      sectors: sectors.filter((s) => s.user_id === u.id).map((s) => s.sector),
    }));
  }

  findUserById(id: number) {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  setDisabled(userId: number, disabledAt: string | null) {
    return this.db.updateTable('users').set({ disabled_at: disabledAt }).where('id', '=', userId).execute();
  }

  /** A user's tokens, without their hashes. */
  listTokens(userId: number) {
    return this.db
      .selectFrom('api_tokens')
      .select(['id', 'label', 'scopes', 'created_at', 'expires_at', 'revoked_at'])
      .where('user_id', '=', userId)
      .orderBy('id')
      .execute();
  }

  revokeToken(userId: number, tokenId: number, now: string) {
    return this.db
      .updateTable('api_tokens')
      .set({ revoked_at: now })
      .where('id', '=', tokenId)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
  }
}
