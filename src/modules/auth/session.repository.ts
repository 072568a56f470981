import type { Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { DB, SessionTable, UserTable } from '../../platform/db/schema.js';

export type UserRow = Selectable<UserTable>;
export type SessionRow = Selectable<SessionTable>;

/** Queries behind sign-in: users' credentials and lockout state, sessions, shared counters. */
export class SessionRepository {
  constructor(private readonly db: Kysely<DB>) {}

  findUserByEmail(email: string) {
    return this.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  }

  findUserById(id: number) {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async recordFailure(userId: number, lockedUntil: (failures: number) => string | null): Promise<number> {
    const row = await this.db
      .updateTable('users')
      .set({ failed_logins: sql`failed_logins + 1` })
      .where('id', '=', userId)
      .returning('failed_logins')
      .executeTakeFirstOrThrow();
    const until = lockedUntil(row.failed_logins);
    if (until)
      await this.db.updateTable('users').set({ locked_until: until }).where('id', '=', userId).execute();
    return row.failed_logins;
  }

  clearFailures(userId: number) {
    return this.db
      .updateTable('users')
      .set({ failed_logins: 0, locked_until: null })
      .where('id', '=', userId)
      .execute();
  }

  updateUser(userId: number, values: Partial<Omit<UserRow, 'id'>>) {
    return this.db.updateTable('users').set(values).where('id', '=', userId).execute();
  }

  /** Accepts a TOTP step only if it is later than the last one accepted (atomic: one winner). */
  async acceptTotpStep(userId: number, step: number): Promise<boolean> {
    const result = await this.db
      .updateTable('users')
      .set({ totp_last_step: step })
      .where('id', '=', userId)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  insertSession(row: SessionRow) {
    return this.db.insertInto('sessions').values(row).execute();
  }

  findSession(idHash: string) {
    return this.db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
  }

  touchSession(idHash: string, values: Partial<Pick<SessionRow, 'last_seen_at' | 'mfa_at'>>) {
    return this.db.updateTable('sessions').set(values).where('id_hash', '=', idHash).execute();
  }

  deleteSession(idHash: string) {
    return this.db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
  }

  deleteSessionsOf(userId: number) {
    return this.db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  }

  deleteOtherSessionsOf(userId: number, keepIdHash: string) {
    return this.db
      .deleteFrom('sessions')
      .where('user_id', '=', userId)
      .where('id_hash', '!=', keepIdHash)
      .execute();
  }

  deleteExpiredSessions(now: string) {
    return this.db.deleteFrom('sessions').where('expires_at', '<', now).execute();
  }

  /**
   * Adds one to a fixed-window counter and returns the new count. In the database, so that several
   * processes behind one load balancer share the limit.
   */
  async bump(bucket: string, windowStart: number): Promise<number> {
    const row = await this.db
      .insertInto('rate_limits')
      .values({ bucket, window_start: windowStart, n: 1 })
      .onConflict((oc) => oc.columns(['bucket', 'window_start']).doUpdateSet({ n: sql`rate_limits.n + 1` }))
      .returning('n')
      .executeTakeFirstOrThrow();
    if (row.n === 1) {
      // Only this kind's old windows: kinds count in windows of different lengths (sign-ins per
      // 10 minutes, bad tokens per minute), so their window numbers are not comparable.
      const kind = `${bucket.split(':')[0]}:%`;
      await this.db
        .deleteFrom('rate_limits')
        .where('bucket', 'like', kind)
        .where('window_start', '<', windowStart)
        .execute();
    }
    return row.n;
  }
}
