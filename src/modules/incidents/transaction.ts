import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import type { DB } from '../../db/schema.js';

// unique_violation, serialization_failure, deadlock_detected: a concurrent writer won a race; try again.
const RETRYABLE = new Set(['23505', '40001', '40P01']);

/**
 * Runs `fn` in a transaction; the 2xx is sent only after this resolves, i.e. after the commit is on
 * disk (synchronous=FULL on SQLite, synchronous_commit on PostgreSQL).
 */
export async function inTransaction<T>(
  database: Database,
  fn: (trx: Kysely<DB>) => Promise<T>,
  attempts = 3,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await database.db.transaction().execute(fn);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= attempts || typeof code !== 'string' || !RETRYABLE.has(code)) throw error;
    }
  }
}
