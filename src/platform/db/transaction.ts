import type { ControlledTransaction, Kysely } from 'kysely';
import type { Database } from './database.js';
import type { DB } from './schema.js';

// unique_violation, serialization_failure, deadlock_detected: a concurrent writer won a race; try again.
const RETRYABLE = new Set(['23505', '40001', '40P01']);

export interface TransactionOptions {
  attempts?: number;
  /** Small writes from concurrent requests may share one commit on SQLite (see GroupCommit). */
  grouped?: boolean;
}

/**
 * Runs `fn` in a transaction; the caller's 2xx is sent only after this resolves, i.e. after the
 * commit is on disk (synchronous=FULL on SQLite, synchronous_commit on PostgreSQL).
 */
export async function inTransaction<T>(
  database: Database,
  fn: (trx: Kysely<DB>) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  if (options.grouped && database.dialect === 'sqlite') return groupCommitOf(database).run(fn);
  const attempts = options.attempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    try {
      return await database.db.transaction().execute(fn);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= attempts || typeof code !== 'string' || !RETRYABLE.has(code)) throw error;
    }
  }
}

interface Job {
  fn: (trx: Kysely<DB>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

const MAX_BATCH = 64;

/**
 * Group commit for SQLite. A durable commit costs an fsync (~0.3 ms here), more than the rest of a
 * small write; writes that arrive while one commit is in progress wait and then share the next
 * one. Each write runs in its own savepoint, so a failing write is rolled back alone, and no caller
 * is answered before the commit that holds its write has returned. An idle server commits each
 * write at once: no write waits for company.
 */
export class GroupCommit {
  private readonly queue: Job[] = [];
  private running = false;

  constructor(private readonly db: Kysely<DB>) {}

  run<T>(fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        let trx: ControlledTransaction<DB>;
        try {
          trx = await this.db.startTransaction().execute();
        } catch (error) {
          for (const job of this.queue.splice(0)) job.reject(error);
          return;
        }
        // Writers that were waiting for the connection (their token lookup, say) queue up meanwhile;
        // one turn of the event loop lets those already past it join this commit.
        await new Promise((resolve) => setImmediate(resolve));
        await this.batch(trx, this.queue.splice(0, MAX_BATCH));
      }
    } finally {
      this.running = false;
    }
  }

  private async batch(trx: ControlledTransaction<DB>, jobs: Job[]): Promise<void> {
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    for (const [i, job] of jobs.entries()) {
      const name = `w${i}`;
      const savepoint = (await trx.savepoint(name).execute()) as unknown as ControlledTransaction<
        DB,
        string[]
      >;
      try {
        outcomes.push({ ok: true, value: await job.fn(savepoint) });
        await savepoint.releaseSavepoint(name as never).execute();
      } catch (error) {
        outcomes.push({ ok: false, error });
        await savepoint.rollbackToSavepoint(name as never).execute();
      }
    }
    try {
      await trx.commit().execute();
    } catch (error) {
      await trx
        .rollback()
        .execute()
        .catch(() => undefined);
      for (const job of jobs) job.reject(error);
      return;
    }
    outcomes.forEach((outcome, i) =>
      outcome.ok ? jobs[i]!.resolve(outcome.value) : jobs[i]!.reject(outcome.error),
    );
  }
}

const groups = new WeakMap<Database, GroupCommit>();

function groupCommitOf(database: Database): GroupCommit {
  let group = groups.get(database);
  if (!group) groups.set(database, (group = new GroupCommit(database.db)));
  return group;
}
