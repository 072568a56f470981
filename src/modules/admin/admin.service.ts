import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { AppError, notFound } from '../../errors.js';
import type { AuditService } from '../audit/audit.service.js';
import { whoOf } from '../audit/audit.service.js';
import type { AccountService, CreateUserInput, TokenOptions } from '../auth/account.service.js';
import { AccountRepository } from '../auth/account.repository.js';
import { generatePassword } from '../auth/password.js';
import type { Actor } from '../../access/index.js';
import type { SessionService } from '../auth/session.service.js';

/**
 * What an admin does to accounts through the API (the UI's administration page); the CLI does the
 * same through the account and session services. Every change is in the audit trail.
 */
export class AdminService {
  private readonly repo: AccountRepository;

  constructor(
    db: Kysely<DB>,
    private readonly accounts: AccountService,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
  ) {
    this.repo = new AccountRepository(db);
  }

  async users() {
    const rows = await this.repo.listUsers();
    const now = Date.now();
    return rows.map((u) => ({
      id: u.id,
      email: u.email,
      role: u.role,
      organization: u.organization,
      sectors: u.sectors,
      mfa_enabled: u.totp_enabled_at !== null,
      locked: u.locked_until !== null && Date.parse(u.locked_until) > now,
      disabled: u.disabled_at !== null,
      created_at: u.created_at,
    }));
  }

  organizations() {
    return this.repo.listOrganizations();
  }

  async createUser(actor: Actor, input: CreateUserInput): Promise<{ id: number }> {
    const created = await this.accounts.createUser(input);
    await this.record(actor, 'admin.user_create', created.id, { email: input.email, role: input.role });
    return created;
  }

  /** A new temporary password, returned once; the user's sessions end. */
  async resetPassword(actor: Actor, userId: number): Promise<string> {
    await this.userOf(userId);
    const password = generatePassword();
    await this.sessions.setPassword(userId, password, whoOf(actor));
    return password;
  }

  async resetMfa(actor: Actor, userId: number): Promise<void> {
    await this.userOf(userId);
    await this.sessions.resetMfa(userId, whoOf(actor));
  }

  async unlock(actor: Actor, userId: number): Promise<void> {
    await this.userOf(userId);
    await this.sessions.unlock(userId, whoOf(actor));
  }

  /** A disabled user can neither sign in nor use a token; its sessions end at once. */
  async setDisabled(actor: Actor, userId: number, disabled: boolean): Promise<void> {
    await this.userOf(userId);
    if (userId === actor.userId && disabled)
      throw new AppError(409, 'conflict', 'you cannot disable yourself');
    await this.repo.setDisabled(userId, disabled ? new Date().toISOString() : null);
    if (disabled) await this.sessions.endSessionsOf(userId);
    this.accounts.forgetVerifiedTokens();
    await this.record(actor, disabled ? 'admin.user_disable' : 'admin.user_enable', userId);
  }

  async tokens(userId: number) {
    await this.userOf(userId);
    const rows = await this.repo.listTokens(userId);
    return rows.map((t) => ({ ...t, scopes: t.scopes.split(',') }));
  }

  /** A new token for the user, returned once; only its hash is kept. */
  async createToken(actor: Actor, userId: number, options: TokenOptions): Promise<string> {
    const user = await this.userOf(userId);
    const token = await this.accounts.createToken(user.email, options);
    await this.record(actor, 'admin.token_create', userId, { label: options.label ?? null });
    return token;
  }

  async revokeToken(actor: Actor, userId: number, tokenId: number): Promise<void> {
    const result = await this.repo.revokeToken(userId, tokenId, new Date().toISOString());
    if (Number(result.numUpdatedRows) === 0) throw notFound('token');
    this.accounts.forgetVerifiedTokens();
    await this.record(actor, 'admin.token_revoke', userId, { token_id: tokenId });
  }

  private async userOf(userId: number) {
    const user = await this.repo.findUserById(userId);
    if (!user) throw notFound('user');
    return user;
  }

  private record(actor: Actor, action: string, userId: number, details?: Record<string, unknown>) {
    return this.audit.record(whoOf(actor), {
      action,
      objectType: 'user',
      objectId: userId,
      ...(details ? { details } : {}),
    });
  }
}
