import { timingSafeEqual } from 'node:crypto';
import type { Config } from '../../config.js';
import type { Database } from '../../platform/db/database.js';
import { AppError } from '../../platform/errors.js';
import type { AuditService, AuditWho } from '../audit/index.js';
import { whoOf } from '../audit/index.js';
import { inTransaction } from '../../platform/db/transaction.js';
import type { AccountService } from './account.service.js';
import type { CredentialService, PasswordOptions } from './credentials.service.js';
import { verifyPassword } from './password.js';
import type { SessionPrincipal, SignIn } from './session.helpers.js';
import {
  buildPrincipal,
  freshSessionIds,
  isLocked,
  locked,
  lockUntil,
  renewSessionIn,
  sha256,
} from './session.helpers.js';
import type { SessionRow } from './session.repository.js';
import { SessionRepository } from './session.repository.js';
import { verifyTotp } from './totp.js';

export type { MfaState, SessionPrincipal, SignIn } from './session.helpers.js';
export { FREE_FAILURES, lockUntil, mfaRequiredFor } from './session.helpers.js';

export interface ClientMeta {
  ip?: string | undefined;
  userAgent?: string | undefined;
  requestId?: string | undefined;
}

const LOGIN_WINDOW_MS = 10 * 60_000;
const TOKEN_WINDOW_MS = 60_000;
const TOUCH_EVERY_MS = 60_000;

/**
 * Sign-in with a password, the second factor, sessions and their expiry. A session lives in the
 * database (several processes share it) and is found by the hash of its cookie value. Each change
 * and its audit entry are one transaction.
 */
export class SessionService {
  private readonly repo: SessionRepository;

  constructor(
    private readonly database: Database,
    private readonly accounts: AccountService,
    private readonly config: Config,
    private readonly audit: AuditService,
    readonly credentials: CredentialService,
  ) {
    this.repo = new SessionRepository(database.db);
  }

  /**
   * One answer for every refusal: an unknown email, a wrong password, a disabled or a locked
   * account all get 401 invalid_credentials after the same password-hash work, so neither the
   * answer nor its timing tells which accounts exist or are locked.
   */
  async login(email: string, password: string, meta: ClientMeta, now = Date.now()): Promise<SignIn> {
    if (meta.ip)
      await this.throttle(
        `login:${meta.ip}`,
        LOGIN_WINDOW_MS,
        this.config.loginAttemptsPer10Minutes,
        now,
        'too many sign-in attempts from this address',
      );
    const user = await this.repo.findUserByEmail(email.trim().toLowerCase());
    const lockedNow = user !== undefined && isLocked(user, now);
    // A locked account's real hash is not even tried: the right password does not open it early.
    const ok = await verifyPassword(password, lockedNow ? null : (user?.password_hash ?? null));
    const who: AuditWho = {
      userId: user?.id ?? null,
      label: user?.email ?? 'unknown',
      ...(meta.ip ? { ip: meta.ip } : {}),
      ...(meta.requestId ? { requestId: meta.requestId } : {}),
    };
    if (!user || !ok || user.disabled_at || lockedNow) {
      await inTransaction(this.database, async (trx) => {
        const repo = new SessionRepository(trx);
        const failures =
          user && !lockedNow
            ? await repo.recordFailure(user.id, (n) => lockUntil(n, now))
            : (user?.failed_logins ?? 0);
        await this.audit.append(trx, who, {
          action: 'auth.login_failed',
          details: { failures, ...(lockedNow ? { locked: true } : {}) },
        });
      });
      throw new AppError('invalid_credentials', 'wrong email or password');
    }
    const ids = freshSessionIds();
    const iso = new Date(now).toISOString();
    const session: SessionRow = {
      id_hash: ids.idHash,
      user_id: user.id,
      csrf_token: ids.csrfToken,
      created_at: iso,
      expires_at: new Date(now + this.config.sessionMaxHours * 3_600_000).toISOString(),
      last_seen_at: iso,
      mfa_at: null,
      ip: meta.ip ?? null,
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
    };
    await inTransaction(this.database, async (trx) => {
      const repo = new SessionRepository(trx);
      await repo.clearFailures(user.id);
      await repo.insertSession(session);
      await this.audit.append(trx, who, { action: 'auth.login', objectType: 'user', objectId: user.id });
    });
    if (Math.random() < 0.01) await this.repo.deleteExpiredSessions(iso);
    return { cookieValue: ids.cookieValue, principal: await buildPrincipal(this.accounts, session, user) };
  }

  /** The signed-in principal behind a cookie value, or null when unknown, expired or idle too long. */
  async principalFor(cookieValue: string, now = Date.now()): Promise<SessionPrincipal | null> {
    if (!cookieValue.startsWith('kys_') || cookieValue.length > 100) return null;
    const session = await this.repo.findSession(sha256(cookieValue));
    if (!session) return null;
    const idleLimit = Date.parse(session.last_seen_at) + this.config.sessionIdleMinutes * 60_000;
    if (Date.parse(session.expires_at) <= now || idleLimit <= now) {
      await this.repo.deleteSession(session.id_hash);
      return null;
    }
    if (now - Date.parse(session.last_seen_at) > TOUCH_EVERY_MS) {
      session.last_seen_at = new Date(now).toISOString();
      await this.repo.touchSession(session.id_hash, { last_seen_at: session.last_seen_at });
    }
    const user = await this.repo.findUserById(session.user_id);
    if (!user || user.disabled_at) return null;
    return buildPrincipal(this.accounts, session, user);
  }

  /**
   * The second factor of a signed-in session. Failures count towards the account's lockout. On
   * success the session gets a new id and CSRF token (the caller sets the new cookie).
   */
  async verifyMfa(p: SessionPrincipal, code: string, now = Date.now()): Promise<SignIn> {
    const user = await this.repo.findUserById(p.session.user_id);
    if (!user) throw new AppError('unauthenticated', 'signed out');
    if (!user.totp_secret || !user.totp_enabled_at)
      throw new AppError('mfa_not_enrolled', 'no second factor set up');
    const secret = this.credentials.openSeed(user.id, user.totp_secret);
    if (isLocked(user, now)) throw locked(user.locked_until!, now);
    const step = verifyTotp(secret, code.trim(), now, user.totp_last_step);
    const mfaAt = new Date(now).toISOString();
    const renewed = await inTransaction(this.database, async (trx) => {
      const repo = new SessionRepository(trx);
      if (step === null || !(await repo.acceptTotpStep(user.id, step))) {
        await repo.recordFailure(user.id, (n) => lockUntil(n, now));
        await this.audit.append(trx, whoOf(p.actor), {
          action: 'auth.mfa_failed',
          objectType: 'user',
          objectId: user.id,
        });
        return null;
      }
      await repo.clearFailures(user.id);
      const next = await renewSessionIn(repo, p.session, mfaAt);
      await this.audit.append(trx, whoOf(p.actor), {
        action: 'auth.mfa',
        objectType: 'user',
        objectId: user.id,
      });
      return next;
    });
    if (!renewed) throw new AppError('mfa_invalid', 'wrong one-time code');
    return {
      cookieValue: renewed.cookieValue,
      principal: await buildPrincipal(this.accounts, renewed.row, user),
    };
  }

  /**
   * Counts a bearer token that matched nothing, per client address; past the limit the address is
   * answered 429 for the rest of the minute. Valid tokens never reach this: they are not slowed.
   */
  async noteBadToken(ip: string, now = Date.now()): Promise<void> {
    await this.throttle(
      `token:${ip}`,
      TOKEN_WINDOW_MS,
      this.config.badTokensPerMinute,
      now,
      'too many unknown tokens from this address',
    );
  }

  // Kept here so that the CLI, the demo and tests keep one entry point for accounts' credentials.
  setPassword(userId: number, password: string, who?: AuditWho, options?: PasswordOptions): Promise<void> {
    return this.credentials.setPassword(userId, password, who, options);
  }
  enrolTotp(userId: number, secret?: string): Promise<string> {
    return this.credentials.enrolTotp(userId, secret);
  }
  resetMfa(userId: number, who?: AuditWho): Promise<void> {
    return this.credentials.resetMfa(userId, who);
  }
  unlock(userId: number, who?: AuditWho): Promise<void> {
    return this.credentials.unlock(userId, who);
  }

  async endSessionsOf(userId: number): Promise<void> {
    await this.repo.deleteSessionsOf(userId);
  }

  async logout(p: SessionPrincipal): Promise<void> {
    await inTransaction(this.database, async (trx) => {
      await new SessionRepository(trx).deleteSession(p.session.id_hash);
      await this.audit.append(trx, whoOf(p.actor), {
        action: 'auth.logout',
        objectType: 'user',
        objectId: p.actor.userId,
      });
    });
  }

  csrfMatches(p: SessionPrincipal, token: string | undefined): boolean {
    if (!token) return false;
    const a = Buffer.from(p.session.csrf_token);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  private async throttle(
    bucket: string,
    windowMs: number,
    max: number,
    now: number,
    message: string,
  ): Promise<void> {
    // Windows are numbered (not timestamped): the number fits a 32-bit integer column.
    const window = Math.floor(now / windowMs);
    const n = await this.repo.bump(bucket, window);
    if (n > max) {
      throw new AppError('rate_limited', message, {
        retry_after_seconds: Math.ceil(((window + 1) * windowMs - now) / 1000),
      });
    }
  }
}
