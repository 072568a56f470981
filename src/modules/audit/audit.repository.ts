import { RULE_COLUMNS } from '../../access/index.js';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import type { AuditEntry, ChainHead } from './audit.chain.js';

export interface AuditFilter {
  objectType?: string;
  objectId?: string;
  actorUserId?: number;
  action?: string;
  /** Instants as stored (UTC ISO strings): from inclusive, to exclusive. */
  from?: string;
  to?: string;
}

/** Queries over audit_log and audit_heads; appends go through the dialect (Dialect.appendChain). */
export class AuditRepository {
  constructor(private readonly db: Kysely<DB>) {}

  heads(): Promise<ChainHead[]> {
    return this.db.selectFrom('audit_heads').selectAll().execute();
  }

  /** Entries in (chain, seq) order strictly after `after`: the verifier's keyset pages. */
  page(after: { chain: number; seq: number } | undefined, limit: number): Promise<AuditEntry[]> {
    return this.db
      .selectFrom('audit_log')
      .selectAll()
      .$if(after !== undefined, (q) =>
        q.where((eb) => eb(eb.refTuple('chain', 'seq'), '>', eb.tuple(after!.chain, after!.seq))),
      )
      .orderBy('chain')
      .orderBy('seq')
      .limit(limit)
      .execute();
  }

  /**
   * Ids of incidents, ascending after `afterId`, that no `incident.create` entry names (created by a
   * batch, or without their entry). The probe goes down audit_log_object_idx.
   */
  async incidentsWithoutCreateEntry(afterId: number, limit: number): Promise<number[]> {
    const rows = await this.db
      .selectFrom('incidents as i')
      .select('i.id')
      .where('i.id', '>', afterId)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('audit_log as a')
              .select(sql`1`.as('one'))
              .where('a.object_type', '=', 'incident')
              .where('a.object_id', '=', sql<string>`cast(i.id as text)`)
              .where('a.action', '=', 'incident.create'),
          ),
        ),
      )
      .orderBy('i.id')
      .limit(limit)
      .execute();
    return rows.map((r) => Number(r.id));
  }

  /** What the access rule needs to know of each incident among `ids` (those that exist). */
  incidentsForAccess(ids: readonly number[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('incidents')
      .select(['id', ...RULE_COLUMNS])
      .where('id', 'in', ids)
      .execute();
  }

  /** Newest first, keyset on id (ids grow with every append, whichever chain it went to). */
  list(filter: AuditFilter, limit: number, beforeId?: number): Promise<AuditEntry[]> {
    const f = filter;
    return this.db
      .selectFrom('audit_log')
      .selectAll()
      .$if(f.objectType !== undefined, (q) => q.where('object_type', '=', f.objectType!))
      .$if(f.objectId !== undefined, (q) => q.where('object_id', '=', f.objectId!))
      .$if(f.actorUserId !== undefined, (q) => q.where('actor_user_id', '=', f.actorUserId!))
      .$if(f.action !== undefined, (q) => q.where('action', '=', f.action!))
      .$if(f.from !== undefined, (q) => q.where('at', '>=', f.from!))
      .$if(f.to !== undefined, (q) => q.where('at', '<', f.to!))
      .$if(beforeId !== undefined, (q) => q.where('id', '<', beforeId!))
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }
}
