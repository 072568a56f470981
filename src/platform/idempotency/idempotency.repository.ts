import type { Kysely } from 'kysely';
import type { DB, IdempotencyKeyTable } from '../db/schema.js';

/** `status` of a row whose request is still executing; an answered row holds the HTTP status (>= 100). */
export const PENDING = 0;

export type KeyRow = Pick<
  IdempotencyKeyTable,
  'request_hash' | 'status' | 'content_type' | 'body' | 'created_at'
>;

export interface KeyId {
  userId: number;
  key: string;
}

/**
 * The queries on `idempotency_keys`. A pending row keeps a random claim token in `body`: only the
 * request holding that token may answer or release the row, so a request that was taken over (after
 * the pending timeout) cannot overwrite the answer of the one that took it over.
 */
export class IdempotencyRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** Inserts a pending row unless the key exists (atomic on both dialects); whether it was inserted. */
  async insertPending(id: KeyId, requestHash: string, token: string, createdAt: string): Promise<boolean> {
    const result = await this.db
      .insertInto('idempotency_keys')
      .values({
        user_id: id.userId,
        key: id.key,
        request_hash: requestHash,
        status: PENDING,
        content_type: null,
        body: token,
        created_at: createdAt,
      })
      .onConflict((oc) => oc.columns(['user_id', 'key']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  find(id: KeyId): Promise<KeyRow | undefined> {
    return this.db
      .selectFrom('idempotency_keys')
      .select(['request_hash', 'status', 'content_type', 'body', 'created_at'])
      .where('user_id', '=', id.userId)
      .where('key', '=', id.key)
      .executeTakeFirst();
  }

  /** Compare-and-swap: makes `seen` (still unchanged) a fresh pending row of this request. */
  async takeOver(
    id: KeyId,
    seen: KeyRow,
    requestHash: string,
    token: string,
    createdAt: string,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('idempotency_keys')
      .set({
        request_hash: requestHash,
        status: PENDING,
        content_type: null,
        body: token,
        created_at: createdAt,
      })
      .where('user_id', '=', id.userId)
      .where('key', '=', id.key)
      .where('status', '=', seen.status)
      .where('created_at', '=', seen.created_at)
      .where('body', '=', seen.body)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async answer(
    id: KeyId,
    token: string,
    answer: { status: number; contentType: string | null; body: string },
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('idempotency_keys')
      .set({ status: answer.status, content_type: answer.contentType, body: answer.body })
      .where('user_id', '=', id.userId)
      .where('key', '=', id.key)
      .where('status', '=', PENDING)
      .where('body', '=', token)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async release(id: KeyId, token: string): Promise<void> {
    await this.db
      .deleteFrom('idempotency_keys')
      .where('user_id', '=', id.userId)
      .where('key', '=', id.key)
      .where('status', '=', PENDING)
      .where('body', '=', token)
      .execute();
  }

  /** One user's expired keys: a range of the primary key, not a scan of the whole table. */
  async deleteExpired(userId: number, createdBefore: string): Promise<void> {
    await this.db
      .deleteFrom('idempotency_keys')
      .where('user_id', '=', userId)
      .where('created_at', '<', createdBefore)
      .execute();
  }
}
