import type { Kysely } from 'kysely';
import { committed, rolledBack, watchCommit } from './commit-hooks.js';
import type { Database } from './database.js';
import type { DB } from './schema.js';

export { onCommit } from './commit-hooks.js';

// unique_violation, serialization_failure, deadlock_detected: a concurrent writer won a race; try again.
const RETRYABLE = new Set(['23505', '40001', '40P01']);

export interface TransactionOptions {
  attempts?: number;
  /** Small writes from concurrent requests may share one commit where the dialect groups them (SQLite). */
  grouped?: boolean;
}

/**
 * Runs `fn` in a transaction; the caller's 2xx is sent only after this resolves, i.e. after the
 * commit is on disk (synchronous=FULL on SQLite, synchronous_commit on PostgreSQL). Hooks that
 * `fn` registers with onCommit run once the commit has returned, never after a rollback.
 */
export async function inTransaction<T>(
  database: Database,
  fn: (trx: Kysely<DB>) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const group = database.dialect.groupCommit;
  if (options.grouped && group) return group.run(fn);
  const attempts = options.attempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    let current: Kysely<DB> | undefined;
    try {
      const value = await database.db.transaction().execute((trx) => {
        current = trx;
        watchCommit(trx);
        return fn(trx);
      });
      committed(current!);
      return value;
    } catch (error) {
      if (current) rolledBack(current);
      const code = (error as { code?: unknown }).code;
      if (attempt >= attempts || typeof code !== 'string' || !RETRYABLE.has(code)) throw error;
    }
  }
}
