import type { ControlledTransaction, Kysely } from 'kysely';
import { committed, rolledBack, watchCommit } from './commit-hooks.js';
import type { DB } from './schema.js';

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
    const outcomes: Array<
      { ok: true; value: unknown; savepoint: Kysely<DB> } | { ok: false; error: unknown }
    > = [];
    for (const [i, job] of jobs.entries()) {
      const name = `w${i}`;
      const savepoint = (await trx.savepoint(name).execute()) as unknown as ControlledTransaction<
        DB,
        string[]
      >;
      watchCommit(savepoint);
      try {
        const value = await job.fn(savepoint);
        await savepoint.releaseSavepoint(name as never).execute();
        outcomes.push({ ok: true, value, savepoint });
      } catch (error) {
        rolledBack(savepoint);
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
      for (const outcome of outcomes) if (outcome.ok) rolledBack(outcome.savepoint);
      for (const job of jobs) job.reject(error);
      return;
    }
    outcomes.forEach((outcome, i) => {
      if (!outcome.ok) return jobs[i]!.reject(outcome.error);
      committed(outcome.savepoint);
      jobs[i]!.resolve(outcome.value);
    });
  }
}
