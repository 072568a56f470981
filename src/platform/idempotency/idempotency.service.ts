import { randomUUID } from 'node:crypto';
import type { Database } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import type { KeyId } from './idempotency.repository.js';
import { IdempotencyRepository, PENDING } from './idempotency.repository.js';
import { keyMaterial, requestDigest, seal, unseal } from './sealing.js';

/** A key is remembered this long; afterwards the same key is a new request. */
export const KEY_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * A pending row older than this belongs to a request that died (process killed, connection to the
 * database lost before the answer was stored): another request with the key may take it over.
 * Far above any request kyoyu serves, so a live request is practically never taken over; if one
 * were, both would execute, which the incident writes tolerate (see the crash window below).
 */
export const PENDING_TIMEOUT_MS = 60 * 1000;
/** How often, per user and process, a new key also deletes that user's expired keys. */
const SWEEP_INTERVAL_MS = 10 * 60 * 1000;

/** A key this request holds: it executes, then stores its answer (or releases the key). */
export interface Claim extends KeyId {
  token: string;
  /** Seals the answer; derived from the client's key, kept in memory only. */
  secret: Buffer;
}

export interface StoredAnswer {
  status: number;
  contentType: string | null;
  body: string;
}

export type ClaimOutcome =
  | { kind: 'execute'; claim: Claim }
  | ({ kind: 'replay' } & StoredAnswer)
  | { kind: 'reused' }
  | { kind: 'in_progress' };

export interface IdempotencyOptions {
  ttlMs?: number;
  pendingTimeoutMs?: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Idempotency keys (Stripe's semantics): the first request with a key executes and its answer is
 * stored; a retry with the same key and the same request gets that answer again and executes
 * nothing. Every answer is stored except 5xx: a 4xx is as final as a 2xx, whereas a 5xx says the
 * server could not tell, so the retry executes again. A request refused before it executes
 * (authentication, validation, a key in use) stores nothing.
 *
 * Everything lives in the database, so it holds across processes on one PostgreSQL: a request first
 * inserts a pending row (insert-on-conflict-do-nothing, atomic), and only the request whose insert
 * won executes; a second one with the key meanwhile is told to retry (409).
 *
 * The crash window: the answer is stored after the request's own transaction has committed, in a
 * separate statement (an app-level mechanism cannot join every route's transaction). If the
 * process dies between the two, the write is durable and the key row stays pending; once the
 * pending timeout has passed, the retry takes the row over and executes again. For
 * `POST /api/v1/incidents` that is still safe: a report is deduplicated by its content fingerprint
 * (and a missing ref is derived from the content), so the second execution stores no second
 * report and answers 200 with the same incident instead of 201. A future POST route whose effect is
 * not naturally idempotent must deduplicate the same way, or write its key row in its own
 * transaction.
 */
export class IdempotencyService {
  private readonly ttlMs: number;
  private readonly pendingTimeoutMs: number;
  private readonly lastSweep = new Map<number, number>();

  constructor(
    private readonly database: Database,
    options: IdempotencyOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? KEY_TTL_MS;
    this.pendingTimeoutMs = options.pendingTimeoutMs ?? PENDING_TIMEOUT_MS;
  }

  /** `key` as the client sent it; `request` the canonical request (see canonicalRequest). */
  claim(userId: number, key: string, request: string): Promise<ClaimOutcome> {
    const { keyHash, secret } = keyMaterial(userId, key);
    const id: KeyId = { userId, key: keyHash };
    const requestHash = requestDigest(secret, request);
    // Grouped: on SQLite the claim shares a commit (one fsync) with concurrent writes.
    return inTransaction(
      this.database,
      async (trx) => {
        const repo = new IdempotencyRepository(trx);
        const token = randomUUID();
        const claim = { kind: 'execute' as const, claim: { ...id, token, secret } };
        // The row may vanish between the insert and the read (a 5xx released it): insert again.
        for (let attempt = 0; attempt < 3; attempt++) {
          const now = Date.now();
          if (await repo.insertPending(id, requestHash, token, iso(now))) {
            if (this.sweepDue(userId, now)) await repo.deleteExpired(userId, iso(now - this.ttlMs));
            return claim;
          }
          const row = await repo.find(id);
          if (!row) continue;
          const expired = row.created_at < iso(now - this.ttlMs);
          if (!expired && row.request_hash !== requestHash) return { kind: 'reused' };
          if (!expired && row.status !== PENDING) {
            const body = unseal(secret, row.body);
            return { kind: 'replay', status: row.status, contentType: row.content_type, body };
          }
          const abandoned = row.status === PENDING && row.created_at < iso(now - this.pendingTimeoutMs);
          if (!expired && !abandoned) return { kind: 'in_progress' };
          // Expired (a new request) or abandoned (its owner died): whoever swaps first executes.
          if (await repo.takeOver(id, row, requestHash, token, iso(now))) return claim;
          return { kind: 'in_progress' };
        }
        return { kind: 'in_progress' };
      },
      { grouped: true },
    );
  }

  /** Stores the answer of an executed request; a 5xx releases the key instead, so a retry executes. */
  async complete(claim: Claim, answer: StoredAnswer): Promise<void> {
    if (answer.status >= 500) return this.release(claim);
    const sealed = { ...answer, body: seal(claim.secret, answer.body) };
    await inTransaction(
      this.database,
      (trx) => new IdempotencyRepository(trx).answer(claim, claim.token, sealed),
      { grouped: true },
    );
  }

  async release(claim: Claim): Promise<void> {
    await inTransaction(this.database, (trx) => new IdempotencyRepository(trx).release(claim, claim.token), {
      grouped: true,
    });
  }

  /** Expired keys are deleted now and then on a new key (and taken over when met meanwhile). */
  private sweepDue(userId: number, now: number): boolean {
    const last = this.lastSweep.get(userId);
    if (last !== undefined && now - last < SWEEP_INTERVAL_MS) return false;
    if (this.lastSweep.size > 100_000) this.lastSweep.clear();
    this.lastSweep.set(userId, now);
    return true;
  }
}
