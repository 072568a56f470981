import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../../platform/errors.js';
import type { AccountService } from './account.service.js';
import type { Actor } from '../../access/index.js';
import { roleNeedsSecondFactor } from '../../access/index.js';
import type { SessionRepository, SessionRow, UserRow } from './session.repository.js';

/** Consecutive failures before an account is locked; each further failure doubles the lock. */
export const FREE_FAILURES = 5;
const MAX_LOCK_MS = 60 * 60_000;

export const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export function mfaRequiredFor(user: Pick<UserRow, 'role' | 'totp_enabled_at'>): boolean {
  return roleNeedsSecondFactor(user.role) || user.totp_enabled_at !== null;
}

/** 1 minute after the free failures, doubling each time, at most an hour. */
export function lockUntil(failures: number, now: number): string | null {
  if (failures < FREE_FAILURES) return null;
  const ms = Math.min(MAX_LOCK_MS, 60_000 * 2 ** (failures - FREE_FAILURES));
  return new Date(now + ms).toISOString();
}

/** For a signed-in user (who has proved the password): the lock is no secret to them. */
export function locked(until: string, now: number): AppError {
  return new AppError('account_locked', 'too many failed sign-ins; try again later', {
    retry_after_seconds: Math.max(1, Math.ceil((Date.parse(until) - now) / 1000)),
  });
}

export const isLocked = (user: Pick<UserRow, 'locked_until'>, now: number): boolean =>
  user.locked_until !== null && Date.parse(user.locked_until) > now;

/**
 * A fresh session id (the cookie value, of which only the hash is stored) and CSRF token. Made at
 * sign-in and again once the second factor is verified: an id planted or seen before the second
 * factor is worth nothing after it (session fixation).
 */
export function freshSessionIds(): { cookieValue: string; idHash: string; csrfToken: string } {
  const cookieValue = `kys_${randomBytes(32).toString('base64url')}`;
  return {
    cookieValue,
    idHash: sha256(cookieValue),
    csrfToken: randomBytes(32).toString('base64url'),
  };
}

export function renewedSession(session: SessionRow, mfaAt: string | null) {
  const ids = freshSessionIds();
  const row: SessionRow = { ...session, id_hash: ids.idHash, csrf_token: ids.csrfToken, mfa_at: mfaAt };
  return { cookieValue: ids.cookieValue, row };
}

/** The shape both services answer a session with (kept here so neither imports the other). */
export type MfaState = 'verified' | 'required' | 'setup_required' | 'not_required';

export interface SessionPrincipal {
  actor: Actor;
  session: SessionRow;
  mfa: MfaState;
  /** A temporary password is still in use: the session reaches only the password change. */
  passwordChangeRequired: boolean;
}

export interface SignIn {
  cookieValue: string;
  principal: SessionPrincipal;
}

export async function buildPrincipal(
  accounts: AccountService,
  session: SessionRow,
  user: UserRow,
): Promise<SessionPrincipal> {
  const actor = await accounts.actorForUser(user.id);
  if (!actor) throw new AppError('unauthenticated', 'signed out');
  let mfa: MfaState = 'not_required';
  if (session.mfa_at) mfa = 'verified';
  else if (mfaRequiredFor(user)) mfa = user.totp_enabled_at ? 'required' : 'setup_required';
  return { actor, session, mfa, passwordChangeRequired: user.password_must_change === 1 };
}

/** Replaces the session row by one with a new id and CSRF token, in the caller's transaction. */
export async function renewSessionIn(
  repo: SessionRepository,
  session: SessionRow,
  mfaAt: string | null,
): Promise<{ cookieValue: string; row: SessionRow }> {
  const renewed = renewedSession(session, mfaAt);
  await repo.insertSession(renewed.row);
  await repo.deleteSession(session.id_hash);
  return renewed;
}
