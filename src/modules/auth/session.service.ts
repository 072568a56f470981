import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Config } from '../../config.js';
import type { DB } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import type { AuditService, AuditWho } from '../audit/audit.service.js';
import { cliWho, whoOf } from '../audit/audit.service.js';
import type { AccountService } from './account.service.js';
import { checkPasswordRules, hashPassword, verifyPassword } from './password.js';
import type { Actor } from './policy.js';
import type { SessionRow, UserRow } from './session.repository.js';
import { SessionRepository } from './session.repository.js';
import { loadSecretKey, SecretBox } from './secret-box.js';
import { newTotpSecret, otpauthUri, verifyTotp } from './totp.js';

/** Where the second factor stands in a session: done, still to enter, or still to set up. */
export type MfaState = 'verified' | 'required' | 'setup_required' | 'not_required';

export interface SessionPrincipal {
  actor: Actor;
  session: SessionRow;
  mfa: MfaState;
}

export interface SignIn {
  cookieValue: string;
  principal: SessionPrincipal;
}

export interface ClientMeta {
  ip?: string | undefined;
  userAgent?: string | undefined;
  requestId?: string | undefined;
}

/** Consecutive failures before an account is locked; each further failure doubles the lock. */
export const FREE_FAILURES = 5;
const MAX_LOCK_MS = 60 * 60_000;
const LOGIN_WINDOW_MS = 10 * 60_000;
const TOUCH_EVERY_MS = 60_000;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export function mfaRequiredFor(user: Pick<UserRow, 'role' | 'totp_enabled_at'>): boolean {
  return user.role === 'center_analyst' || user.role === 'admin' || user.totp_enabled_at !== null;
}

/**
 * Sign-in with a password, the second factor, sessions and their expiry. A session lives in the
 * database (several processes share it) and is found by the hash of its cookie value.
 */
export class SessionService {
  private readonly repo: SessionRepository;
  private box: SecretBox | undefined;

  constructor(
    db: Kysely<DB>,
    private readonly accounts: AccountService,
    private readonly config: Config,
    private readonly audit: AuditService,
  ) {
    this.repo = new SessionRepository(db);
  }

  async login(email: string, password: string, meta: ClientMeta, now = Date.now()): Promise<SignIn> {
    if (meta.ip) await this.throttle(`login:${meta.ip}`, now);
    const user = await this.repo.findUserByEmail(email.trim().toLowerCase());
    if (user?.locked_until && Date.parse(user.locked_until) > now) throw locked(user.locked_until, now);
    const ok = await verifyPassword(password, user?.password_hash ?? null);
    const who = {
      userId: user?.id ?? null,
      label: user?.email ?? 'unknown',
      ip: meta.ip,
      requestId: meta.requestId,
    };
    if (!user || !ok || user.disabled_at) {
      const failures = user ? await this.repo.recordFailure(user.id, (n) => lockUntil(n, now)) : 0;
      await this.audit.record(who, { action: 'auth.login_failed', details: { failures } });
      throw new AppError(401, 'invalid_credentials', 'wrong email or password');
    }
    await this.repo.clearFailures(user.id);
    await this.audit.record(who, { action: 'auth.login', objectType: 'user', objectId: user.id });
    const cookieValue = `kys_${randomBytes(32).toString('base64url')}`;
    const iso = new Date(now).toISOString();
    const session: SessionRow = {
      id_hash: sha256(cookieValue),
      user_id: user.id,
      csrf_token: randomBytes(32).toString('base64url'),
      created_at: iso,
      expires_at: new Date(now + this.config.sessionMaxHours * 3_600_000).toISOString(),
      last_seen_at: iso,
      mfa_at: null,
      ip: meta.ip ?? null,
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
    };
    await this.repo.insertSession(session);
    if (Math.random() < 0.01) await this.repo.deleteExpiredSessions(iso);
    return { cookieValue, principal: await this.principal(session, user) };
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
    return this.principal(session, user);
  }

  /** The second factor of a signed-in session. Failures count towards the account's lockout. */
  async verifyMfa(p: SessionPrincipal, code: string, now = Date.now()): Promise<SessionPrincipal> {
    const user = await this.userOf(p);
    if (!user.totp_secret || !user.totp_enabled_at)
      throw new AppError(409, 'mfa_not_enrolled', 'no second factor set up');
    const secret = this.openSeed(user.id, user.totp_secret);
    if (user.locked_until && Date.parse(user.locked_until) > now) throw locked(user.locked_until, now);
    const step = verifyTotp(secret, code.trim(), now, user.totp_last_step);
    if (step === null || !(await this.repo.acceptTotpStep(user.id, step))) {
      await this.repo.recordFailure(user.id, (n) => lockUntil(n, now));
      await this.audit.record(whoOf(p.actor), {
        action: 'auth.mfa_failed',
        objectType: 'user',
        objectId: user.id,
      });
      throw new AppError(401, 'mfa_invalid', 'wrong one-time code');
    }
    await this.repo.clearFailures(user.id);
    await this.audit.record(whoOf(p.actor), { action: 'auth.mfa', objectType: 'user', objectId: user.id });
    return this.markVerified(p, user, now);
  }

  /** Starts (or restarts) TOTP enrolment: a new secret, shown once, active after a first good code. */
  async startTotpSetup(p: SessionPrincipal): Promise<{ secret: string; otpauth_uri: string }> {
    const user = await this.userOf(p);
    if (user.totp_enabled_at) {
      throw new AppError(409, 'conflict', 'a second factor is already set up; an admin can reset it');
    }
    const secret = newTotpSecret();
    await this.repo.updateUser(user.id, {
      totp_secret: this.sealSeed(user.id, secret),
      totp_last_step: null,
    });
    return { secret, otpauth_uri: otpauthUri(secret, user.email) };
  }

  async enableTotp(p: SessionPrincipal, code: string, now = Date.now()): Promise<SessionPrincipal> {
    const user = await this.userOf(p);
    if (user.totp_enabled_at) throw new AppError(409, 'conflict', 'a second factor is already set up');
    if (!user.totp_secret) throw new AppError(409, 'mfa_not_enrolled', 'start the set-up first');
    const step = verifyTotp(this.openSeed(user.id, user.totp_secret), code.trim(), now, null);
    if (step === null) throw new AppError(401, 'mfa_invalid', 'wrong one-time code');
    const iso = new Date(now).toISOString();
    await this.repo.updateUser(user.id, { totp_enabled_at: iso, totp_last_step: step });
    await this.audit.record(whoOf(p.actor), {
      action: 'auth.totp_enabled',
      objectType: 'user',
      objectId: user.id,
    });
    return this.markVerified(p, { ...user, totp_enabled_at: iso }, now);
  }

  async changePassword(p: SessionPrincipal, current: string, next: string): Promise<void> {
    const user = await this.userOf(p);
    if (user.locked_until && Date.parse(user.locked_until) > Date.now())
      throw locked(user.locked_until, Date.now());
    if (!(await verifyPassword(current, user.password_hash))) {
      // Guessing the current password from a session left open counts like guessing at sign-in.
      await this.repo.recordFailure(user.id, (n) => lockUntil(n, Date.now()));
      throw new AppError(401, 'invalid_credentials', 'wrong password');
    }
    await this.setPassword(user.id, next, whoOf(p.actor));
  }

  /** Sets a password and ends every session of the user (used by the admin CLI and by users). */
  async setPassword(userId: number, password: string, who: AuditWho = cliWho('admin')): Promise<void> {
    checkPasswordRules(password);
    const hash = await hashPassword(password);
    await this.repo.updateUser(userId, {
      password_hash: hash,
      password_changed_at: new Date().toISOString(),
      failed_logins: 0,
      locked_until: null,
    });
    await this.repo.deleteSessionsOf(userId);
    await this.audit.record(who, { action: 'auth.password_set', objectType: 'user', objectId: userId });
  }

  /** Enrols a second factor directly (the demo's accounts); returns the secret to show once. */
  async enrolTotp(userId: number): Promise<string> {
    const secret = newTotpSecret();
    await this.repo.updateUser(userId, {
      totp_secret: this.sealSeed(userId, secret),
      totp_enabled_at: new Date().toISOString(),
      totp_last_step: null,
    });
    return secret;
  }

  async resetMfa(userId: number, who: AuditWho = cliWho('admin')): Promise<void> {
    await this.repo.updateUser(userId, { totp_secret: null, totp_enabled_at: null, totp_last_step: null });
    await this.repo.deleteSessionsOf(userId);
    await this.audit.record(who, {
      action: 'auth.mfa_reset',
      objectType: 'user',
      objectId: userId,
    });
  }

  async unlock(userId: number, who: AuditWho = cliWho('admin')): Promise<void> {
    await this.repo.clearFailures(userId);
    await this.audit.record(who, { action: 'auth.unlock', objectType: 'user', objectId: userId });
  }
  async endSessionsOf(userId: number): Promise<void> {
    await this.repo.deleteSessionsOf(userId);
  }

  async logout(p: SessionPrincipal): Promise<void> {
    await this.repo.deleteSession(p.session.id_hash);
    await this.audit.record(whoOf(p.actor), {
      action: 'auth.logout',
      objectType: 'user',
      objectId: p.actor.userId,
    });
  }

  csrfMatches(p: SessionPrincipal, token: string | undefined): boolean {
    if (!token) return false;
    const a = Buffer.from(p.session.csrf_token);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** Seeds are sealed to their user: a seed copied to another user's row does not open. */
  private sealSeed(userId: number, seed: string): string {
    return this.secrets().seal(seed, `totp:${userId}`);
  }

  private openSeed(userId: number, stored: string): string {
    try {
      return this.secrets().open(stored, `totp:${userId}`);
    } catch {
      throw new AppError(
        409,
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

  private async throttle(bucket: string, now: number): Promise<void> {
    // Windows are numbered (not timestamped): the number fits a 32-bit integer column.
    const window = Math.floor(now / LOGIN_WINDOW_MS);
    const n = await this.repo.bump(bucket, window);
    if (n > this.config.loginAttemptsPer10Minutes) {
      throw new AppError(429, 'rate_limited', 'too many sign-in attempts from this address', {
        retry_after_seconds: Math.ceil(((window + 1) * LOGIN_WINDOW_MS - now) / 1000),
      });
    }
  }

  private async userOf(p: SessionPrincipal): Promise<UserRow> {
    const user = await this.repo.findUserById(p.session.user_id);
    if (!user) throw new AppError(401, 'unauthenticated', 'signed out');
    return user;
  }

  private async markVerified(p: SessionPrincipal, user: UserRow, now: number): Promise<SessionPrincipal> {
    const mfaAt = new Date(now).toISOString();
    await this.repo.touchSession(p.session.id_hash, { mfa_at: mfaAt });
    return this.principal({ ...p.session, mfa_at: mfaAt }, user);
  }

  private async principal(session: SessionRow, user: UserRow): Promise<SessionPrincipal> {
    const actor = await this.accounts.actorForUser(user.id);
    if (!actor) throw new AppError(401, 'unauthenticated', 'signed out');
    let mfa: MfaState = 'not_required';
    if (session.mfa_at) mfa = 'verified';
    else if (mfaRequiredFor(user)) mfa = user.totp_enabled_at ? 'required' : 'setup_required';
    return { actor, session, mfa };
  }
}

/** 1 minute after the free failures, doubling each time, at most an hour. */
export function lockUntil(failures: number, now: number): string | null {
  if (failures < FREE_FAILURES) return null;
  const ms = Math.min(MAX_LOCK_MS, 60_000 * 2 ** (failures - FREE_FAILURES));
  return new Date(now + ms).toISOString();
}

function locked(until: string, now: number): AppError {
  return new AppError(429, 'account_locked', 'too many failed sign-ins; try again later', {
    retry_after_seconds: Math.max(1, Math.ceil((Date.parse(until) - now) / 1000)),
  });
}
