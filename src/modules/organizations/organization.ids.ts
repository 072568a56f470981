import type { Kysely } from 'kysely';
import { onCommit } from '../../platform/db/transaction.js';
import type { DB } from '../../platform/db/schema.js';
import { ensureOrganization } from './organization.repository.js';

/** Beyond this many names the cache starts afresh: a bound on memory, not a correctness matter. */
const MAX_REMEMBERED = 50_000;

/**
 * Organisation name -> id, so that a report naming a known organisation costs no query. Ids are
 * remembered only once the transaction that resolved them has committed (organisations are never
 * deleted or renamed, so a committed id stays right): an id from a rolled-back insert would point
 * at nothing. Within its transaction a new id is known at once.
 */
export class OrganizationIds {
  private readonly committed = new Map<string, number>();
  private readonly pending = new WeakMap<Kysely<DB>, Map<string, number>>();

  /** The id, without a query, when it is known already; undefined when not. */
  known(trx: Kysely<DB>, name: string): number | undefined {
    return this.committed.get(name) ?? this.pending.get(trx)?.get(name);
  }

  /** The id, the organisation created inside `trx` when new. */
  async resolve(trx: Kysely<DB>, name: string, sector: string | null, now: string): Promise<number> {
    const known = this.known(trx, name);
    if (known !== undefined) return known;
    const id = await ensureOrganization(trx, name, sector, now);
    const pending = this.pending.get(trx);
    if (pending) {
      pending.set(name, id);
      return id;
    }
    const resolved = new Map([[name, id]]);
    this.pending.set(trx, resolved);
    onCommit(trx, () => {
      this.pending.delete(trx);
      if (this.committed.size > MAX_REMEMBERED) this.committed.clear();
      for (const [n, i] of resolved) this.committed.set(n, i);
    });
    return id;
  }
}
