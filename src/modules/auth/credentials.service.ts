import type { Kysely } from 'kysely';
import type { Config } from '../../config.js';
import type { Database } from '../../platform/db/database.js';
import type { DB } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import type { AuditService, AuditWho } from '../audit/index.js';
import { cliWho, whoOf } from '../audit/index.js';
import { inTransaction } from '../../platform/db/transaction.js';
import type { AccountService } from './account.service.js';
import { checkPasswordRules, hashPassword, verifyPassword } from './password.js';
import type { SessionPrincipal, SignIn } from './session.helpers.js';
import { buildPrincipal, isLocked, locked, lockUntil, renewSessionIn } from './session.helpers.js';
import type { UserRow } from './session.repository.js';
import { SessionRepository } from './session.repository.js';
import { loadSecretKey, SecretBox } from './secret-box.js';
import { newTotpSecret, otpauthUri, verifyTotp } from './totp.js';

export interface PasswordOptions {
  /** A password someone else chose (an admin's reset): the user must change it at the next sign-in. */
  temporary?: boolean;
}

/**
 * A user's credentials: the password and the second factor. Every change and its audit entry are
 * one transaction (an entry exists exactly when the change committed); the slow password hashing
 * is done before the transaction opens, so that it holds no lock while it runs.
 */
export class CredentialService {
  private box: SecretBox | undefined;
  private readonly repo: SessionRepository;

  constructor(
    private readonly database: Database,
    private readonly accounts: AccountService,
    private readonly config: Config,
    private readonly audit: AuditService,
  ) {
    this.repo = new SessionRepository(database.db);
  }

  /**
   * The current password again, before a change to the credentials: a session left open (or
   * taken over) must not be enough to replace the second factor or the password. A wrong one
   * counts towards the account's lockout like a wrong one at sign-in.
   */
  async reauthenticate(p: SessionPrincipal, password: string, now = Date.now()): Promise<UserRow> {
    const user = await this.userOf(p);
    if (isLocked(user, now)) throw locked(user.locked_until!, now);
    if (await verifyPassword(password, user.password_hash)) return user;
    await inTransaction(this.database, async (trx) => {
      await new SessionRepository(trx).recordFailure(user.id, (n) => lockUntil(n, now));
      await this.audit.append(trx, whoOf(p.actor), {
        action: 'auth.reauth_failed',
        objectType: 'user',
        objectId: user.id,
      });
    });
    throw new AppError('invalid_credentials', 'wrong password');
  }

  /** Starts TOTP enrolment (after the password): a new secret, shown once, active after a first good code. */
  async startTotpSetup(
    p: SessionPrincipal,
    password: string,
  ): Promise<{ secret: string; otpauth_uri: string }> {
    const user = await this.reauthenticate(p, password);
    if (user.totp_enabled_at) {
      throw new AppError('conflict', 'a second factor is already set up; remove it first to change it');
    }
    const secret = newTotpSecret();
    await this.repo.updateUser(user.id, {
      totp_secret: this.sealSeed(user.id, secret),
      totp_last_step: null,
    });
    return { secret, otpauth_uri: otpauthUri(secret, user.email) };
  }

  /** Confirms the set-up with a first code; the session counts as verified and gets a new id. */
  async enableTotp(p: SessionPrincipal, code: string, now = Date.now()): Promise<SignIn> {
    const user = await this.userOf(p);
    if (user.totp_enabled_at) throw new AppError('conflict', 'a second factor is already set up');
    if (!user.totp_secret) throw new AppError('mfa_not_enrolled', 'start the set-up first');
    const step = verifyTotp(this.openSeed(user.id, user.totp_secret), code.trim(), now, null);
    if (step === null) throw new AppError('mfa_invalid', 'wrong one-time code');
    const iso = new Date(now).toISOString();
    const renewed = await inTransaction(this.database, async (trx) => {
      const repo = new SessionRepository(trx);
      await repo.updateUser(user.id, { totp_enabled_at: iso, totp_last_step: step });
      // The user's other sessions were opened without this factor: they end.
      await repo.deleteOtherSessionsOf(user.id, p.session.id_hash);
      const next = await renewSessionIn(repo, p.session, iso);
      await this.audit.append(trx, whoOf(p.actor), {
        action: 'auth.totp_enabled',
        objectType: 'user',
        objectId: user.id,
      });
      return next;
    });
    return {
      cookieValue: renewed.cookieValue,
      principal: await buildPrincipal(this.accounts, renewed.row, { ...user, totp_enabled_at: iso }),
    };
  }

  /**
   * Removes the user's own second factor (after the password). The other sessions end; this one
   * must set up a new factor where the role needs one (that is how a factor is changed).
   */
  async removeTotp(p: SessionPrincipal, password: string): Promise<SignIn> {
    const user = await this.reauthenticate(p, password);
    if (!user.totp_enabled_at) throw new AppError('mfa_not_enrolled', 'no second factor set up');
    const renewed = await inTransaction(this.database, async (trx) => {
      const repo = new SessionRepository(trx);
      await repo.updateUser(user.id, { totp_secret: null, totp_enabled_at: null, totp_last_step: null });
      await repo.deleteOtherSessionsOf(user.id, p.session.id_hash);
      const next = await renewSessionIn(repo, p.session, null);
      await this.audit.append(trx, whoOf(p.actor), {
        action: 'auth.totp_removed',
        objectType: 'user',
        objectId: user.id,
      });
      return next;
    });
    return {
      cookieValue: renewed.cookieValue,
      principal: await buildPrincipal(this.accounts, renewed.row, {
        ...user,
        totp_secret: null,
        totp_enabled_at: null,
      }),
    };
  }

  async changePassword(p: SessionPrincipal, current: string, next: string): Promise<void> {
    const user = await this.reauthenticate(p, current);
    if (current === next)
      throw new AppError('weak_password', 'the new password must differ from the old one');
    await this.setPassword(user.id, next, whoOf(p.actor));
  }

  /** Sets a password and ends every session of the user (used by the admin CLI and by users). */
  async setPassword(
    userId: number,
    password: string,
    who: AuditWho = cliWho('admin'),
    options: PasswordOptions = {},
  ): Promise<void> {
    const hash = await this.hashChecked(password);
    await inTransaction(this.database, (trx) =>
      this.applyPasswordIn(trx, userId, hash, who, options.temporary === true),
    );
  }

  /** The password rules, then the hash: done before a transaction that stores it. */
  async hashChecked(password: string): Promise<string> {
    checkPasswordRules(password);
    return hashPassword(password);
  }

  /** Stores a hashed password in the caller's transaction, ends the sessions, records it. */
  async applyPasswordIn(
    trx: Kysely<DB>,
    userId: number,
    hash: string,
    who: AuditWho,
    temporary: boolean,
  ): Promise<void> {
    const repo = new SessionRepository(trx);
    await repo.updateUser(userId, {
      password_hash: hash,
      password_changed_at: new Date().toISOString(),
      password_must_change: temporary ? 1 : 0,
      failed_logins: 0,
      locked_until: null,
    });
    await repo.deleteSessionsOf(userId);
    await this.audit.append(trx, who, {
      action: 'auth.password_set',
      objectType: 'user',
      objectId: userId,
      ...(temporary ? { details: { temporary: true } } : {}),
    });
  }

  /**
   * Enrols a second factor directly (the demo's accounts); returns the secret to show once. Only
   * the demo passes a secret (its seed-derived one); everything else gets a random one.
   */
  async enrolTotp(userId: number, secret: string = newTotpSecret()): Promise<string> {
    await this.repo.updateUser(userId, {
      totp_secret: this.sealSeed(userId, secret),
      totp_enabled_at: new Date().toISOString(),
      totp_last_step: null,
    });
    return secret;
  }

  async resetMfa(userId: number, who: AuditWho = cliWho('admin')): Promise<void> {
    await inTransaction(this.database, (trx) => this.applyMfaResetIn(trx, userId, who));
  }

  async applyMfaResetIn(trx: Kysely<DB>, userId: number, who: AuditWho): Promise<void> {
    const repo = new SessionRepository(trx);
    await repo.updateUser(userId, { totp_secret: null, totp_enabled_at: null, totp_last_step: null });
    await repo.deleteSessionsOf(userId);
    await this.audit.append(trx, who, { action: 'auth.mfa_reset', objectType: 'user', objectId: userId });
  }

  async unlock(userId: number, who: AuditWho = cliWho('admin')): Promise<void> {
    await inTransaction(this.database, async (trx) => {
      await new SessionRepository(trx).clearFailures(userId);
      await this.audit.append(trx, who, { action: 'auth.unlock', objectType: 'user', objectId: userId });
    });
  }

  /** Seeds are sealed to their user: a seed copied to another user's row does not open. */
  private sealSeed(userId: number, seed: string): string {
    return this.secrets().seal(seed, `totp:${userId}`);
  }

  openSeed(userId: number, stored: string): string {
    try {
      return this.secrets().open(stored, `totp:${userId}`);
    } catch {
      throw new AppError(
        'mfa_not_enrolled',
        'the second factor cannot be read (another key?); an admin can reset it',
      );
    }
  }

  /** Loaded on first use: commands that never touch a second factor need no key. */
  private secrets(): SecretBox {
    this.box ??= new SecretBox(loadSecretKey(this.config.secretKey, this.config.dataDir));
    return this.box;
  }

  private async userOf(p: SessionPrincipal): Promise<UserRow> {
    const user = await this.repo.findUserById(p.session.user_id);
    if (!user) throw new AppError('unauthenticated', 'signed out');
    return user;
  }
}
