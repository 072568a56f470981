import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/database.js';
import type { DB } from '../../platform/db/schema.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { AuditService } from '../audit/index.js';
import { whoOf } from '../audit/index.js';
import type { AccountService, CreateUserInput } from '../auth/index.js';
import { AccountRepository } from '../auth/index.js';
import { listOrganizations } from '../organizations/index.js';
import type { OrganizationFlag } from '../../domain/regimes.js';
import { generatePassword } from '../auth/index.js';
import type { Actor } from '../../access/index.js';
import type { SessionService } from '../auth/index.js';
import { SessionRepository } from '../auth/index.js';
import { inTransaction } from '../../platform/db/transaction.js';
import type { ApprovalView } from './approvals.service.js';
import { ApprovalService, PRIVILEGED_ROLES } from './approvals.service.js';

/** A change made at once, or a request that waits for a second admin (the two-person rule). */
export type Pending = { pending: ApprovalView };
export const isPending = (x: unknown): x is Pending => typeof x === 'object' && x !== null && 'pending' in x;

/**
 * What an admin does to accounts through the API (the UI's administration page); the CLI on the
 * server does the same through the account and session services. Admins administer accounts, not
 * content: they issue no tokens for others. Every change and its audit entry are one transaction.
 */
export class AdminService {
  private readonly repo: AccountRepository;
  readonly approvals: ApprovalService;

  constructor(
    private readonly database: Database,
    private readonly accounts: AccountService,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
  ) {
    this.repo = new AccountRepository(database.db);
    this.approvals = new ApprovalService(database, accounts, sessions.credentials, audit);
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

  /** Every organisation, with its flags (designated operator...: which reporting duties its incidents have). */
  async organizations() {
    const [orgs, flags] = await Promise.all([
      listOrganizations(this.database.db),
      this.database.db.selectFrom('organization_flags').select(['organization_id', 'flag']).execute(),
    ]);
    return orgs.map((o) => ({
      ...o,
      flags: flags.filter((f) => f.organization_id === o.id).map((f) => f.flag as OrganizationFlag),
    }));
  }

  /** A center analyst or an admin waits for a second admin; other roles are created at once. */
  async createUser(actor: Actor, input: CreateUserInput): Promise<{ id: number } | Pending> {
    const user = await this.accounts.checkNewUser(input);
    if (PRIVILEGED_ROLES.has(user.role)) {
      return { pending: await this.approvals.request(actor, 'create_user', null, { ...user }) };
    }
    const id = await this.change(async (trx) => {
      const created = await this.accounts.insertUserIn(trx, user);
      await this.record(trx, actor, 'admin.user_create', created, { email: user.email, role: user.role });
      return created;
    });
    return { id };
  }

  /** A new role (and the sectors a desk reads); to the center or admin only with a second admin. */
  async setRole(actor: Actor, userId: number, role: string, sectors: string[] = []): Promise<Pending | null> {
    await this.userOf(userId);
    const checked = this.accounts.checkRole(role, sectors);
    if (PRIVILEGED_ROLES.has(role)) {
      return { pending: await this.approvals.request(actor, 'set_role', userId, { role, sectors: checked }) };
    }
    await this.change(async (trx) => {
      const repo = new AccountRepository(trx);
      await repo.setRole(userId, role);
      await repo.setSectors(userId, checked);
      await this.record(trx, actor, 'admin.user_role', userId, { role, sectors: checked });
    });
    return null;
  }

  /**
   * A new temporary password, returned once, to be changed at the next sign-in; the user's sessions
   * end. For a center analyst or an admin it is a request: the approver gets the password.
   */
  async resetPassword(actor: Actor, userId: number): Promise<string | Pending> {
    const user = await this.userOf(userId);
    if (PRIVILEGED_ROLES.has(user.role)) {
      return { pending: await this.approvals.request(actor, 'reset_password', userId, {}) };
    }
    const password = generatePassword();
    const hash = await this.sessions.credentials.hashChecked(password);
    await this.change((trx) =>
      this.sessions.credentials.applyPasswordIn(trx, userId, hash, whoOf(actor), true),
    );
    return password;
  }

  async resetMfa(actor: Actor, userId: number): Promise<Pending | null> {
    const user = await this.userOf(userId);
    if (PRIVILEGED_ROLES.has(user.role)) {
      return { pending: await this.approvals.request(actor, 'reset_mfa', userId, {}) };
    }
    await this.change((trx) => this.sessions.credentials.applyMfaResetIn(trx, userId, whoOf(actor)));
    return null;
  }

  async unlock(actor: Actor, userId: number): Promise<void> {
    await this.userOf(userId);
    await this.sessions.unlock(userId, whoOf(actor));
  }

  /**
   * A disabled user can neither sign in nor use a token; its sessions end and its tokens are
   * revoked for good (enabling it again revives none: it issues new ones).
   */
  async setDisabled(actor: Actor, userId: number, disabled: boolean): Promise<void> {
    await this.userOf(userId);
    if (userId === actor.userId && disabled) throw new AppError('conflict', 'you cannot disable yourself');
    await this.change(async (trx) => {
      const repo = new AccountRepository(trx);
      const now = new Date().toISOString();
      await repo.setDisabled(userId, disabled ? now : null);
      let revoked = 0;
      if (disabled) {
        revoked = Number((await repo.revokeTokensOf(userId, now)).numUpdatedRows);
        await new SessionRepository(trx).deleteSessionsOf(userId);
      }
      await this.record(
        trx,
        actor,
        disabled ? 'admin.user_disable' : 'admin.user_enable',
        userId,
        disabled ? { tokens_revoked: revoked } : undefined,
      );
    });
    this.accounts.forgetVerifiedTokens();
  }

  async tokens(userId: number) {
    await this.userOf(userId);
    const rows = await this.repo.listTokens(userId);
    return rows.map((t) => ({ ...t, scopes: t.scopes.split(',') }));
  }

  /** Revoking reads no content, so an admin may revoke anyone's token. */
  async revokeToken(actor: Actor, userId: number, tokenId: number): Promise<void> {
    await this.change(async (trx) => {
      const result = await new AccountRepository(trx).revokeToken(userId, tokenId, new Date().toISOString());
      if (Number(result.numUpdatedRows) === 0) throw notFound('token');
      await this.record(trx, actor, 'admin.token_revoke', userId, { token_id: tokenId });
    });
    this.accounts.forgetVerifiedTokens();
  }

  private change<T>(fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
    return inTransaction(this.database, fn);
  }

  private async userOf(userId: number) {
    const user = await this.repo.findUserById(userId);
    if (!user) throw notFound('user');
    return user;
  }

  private record(
    trx: Kysely<DB>,
    actor: Actor,
    action: string,
    userId: number,
    details?: Record<string, unknown>,
  ) {
    return this.audit.append(trx, whoOf(actor), {
      action,
      objectType: 'user',
      objectId: userId,
      ...(details ? { details } : {}),
    });
  }
}
