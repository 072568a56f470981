import { randomInt } from 'node:crypto';
import { RULE_COLUMNS } from '../../access/index.js';
import type { Kysely, RawBuilder } from 'kysely';
import { sql } from 'kysely';
import { preparedText } from '../../platform/db/bulk-insert.js';
import type { DB } from '../../platform/db/schema.js';
import type { SqliteConnection } from '../../platform/db/sqlite-connection.js';
import type { AuditContent, AuditEntry, ChainHead } from './audit.chain.js';
import { canonicalParts, entryHash, GENESIS_HASH, HASH_VERSION } from './audit.chain.js';

export interface AuditFilter {
  objectType?: string;
  objectId?: string;
  actorUserId?: number;
  action?: string;
  /** Instants as stored (UTC ISO strings): from inclusive, to exclusive. */
  from?: string;
  to?: string;
}

/** A new incident's id, known only inside the statement that inserts it (PostgreSQL fast path). */
export interface ObjectIdInStatement {
  /** A text expression over `from`. */
  expression: RawBuilder<unknown>;
  from: RawBuilder<unknown>;
}

const INSERT_ENTRY = `insert into audit_log (id, chain, seq, at, actor_user_id, actor, action, object_type,
  object_id, ip, request_id, details, prev_hash, hash, hash_version)
  values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/**
 * The id the next entry gets, read under the write lock (the head update took it): the hash covers
 * the id, so it must be known before the insert. As AUTOINCREMENT would: above every id ever given.
 */
const NEXT_ID_SQLITE = `select max(coalesce((select seq from sqlite_sequence where name = 'audit_log'), 0),
  coalesce((select max(id) from audit_log), 0)) + 1 as id`;

/**
 * The SQLite append of AuditRepository.appendSqlite, through statements prepared once on the
 * transaction's own connection: every API write pays for it, and building three queries cost
 * more than running them.
 */
export function appendSqliteDirect(sqlite: SqliteConnection, chains: number, c: AuditContent): void {
  const chain = randomInt(chains);
  const [head] = preparedText(
    sqlite,
    'update audit_heads set seq = seq + 1 where chain = ? returning seq, hash',
  ).all([chain]) as Array<{ seq: number; hash: string }>;
  const seq = head ? Number(head.seq) : 1;
  const prev = head?.hash ?? GENESIS_HASH;
  const [next] = preparedText(sqlite, NEXT_ID_SQLITE).all([]) as Array<{ id: number }>;
  const id = Number(next!.id);
  const hash = entryHash(prev, { id, chain, seq, hash_version: HASH_VERSION }, c);
  preparedText(sqlite, INSERT_ENTRY).run([
    id,
    chain,
    seq,
    c.at,
    c.actor_user_id ?? null,
    c.actor,
    c.action,
    c.object_type ?? null,
    c.object_id ?? null,
    c.ip ?? null,
    c.request_id ?? null,
    c.details ?? null,
    prev,
    hash,
    HASH_VERSION,
  ]);
  if (head) preparedText(sqlite, 'update audit_heads set hash = ? where chain = ?').run([hash, chain]);
  else
    preparedText(sqlite, 'insert into audit_heads (chain, seq, hash) values (?, ?, ?)').run([
      chain,
      seq,
      hash,
    ]);
}

/** Queries over audit_log and audit_heads; appends always run inside the caller's transaction. */
export class AuditRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** Head rows for chains 0..chains-1, so that appends on PostgreSQL always find one to lock. */
  async ensureHeads(chains: number): Promise<void> {
    await this.db
      .insertInto('audit_heads')
      .values(Array.from({ length: chains }, (_, chain) => ({ chain, seq: 0, hash: GENESIS_HASH })))
      .onConflict((oc) => oc.column('chain').doNothing())
      .execute();
  }

  /**
   * SQLite: one writer at a time, so three plain statements. The head is written first, which
   * takes the write lock at once. A missing head starts the chain afresh; if the chain has entries
   * after all (its head was deleted) the insert of seq 1 fails on the unique key: fail closed.
   */
  async appendSqlite(chains: number, c: AuditContent): Promise<number> {
    const chain = randomInt(chains);
    const head = await this.db
      .updateTable('audit_heads')
      .set((eb) => ({ seq: eb('seq', '+', 1) }))
      .where('chain', '=', chain)
      .returning(['seq', 'hash'])
      .executeTakeFirst();
    const seq = head?.seq ?? 1;
    const prev = head?.hash ?? GENESIS_HASH;
    const { id } = (await sql<{ id: number }>`${sql.raw(NEXT_ID_SQLITE)}`.execute(this.db)).rows[0]!;
    const place = { id: Number(id), chain, seq, hash_version: HASH_VERSION };
    const hash = entryHash(prev, place, c);
    await this.db
      .insertInto('audit_log')
      .values({ ...c, ...place, prev_hash: prev, hash })
      .execute();
    if (head) await this.db.updateTable('audit_heads').set({ hash }).where('chain', '=', chain).execute();
    else await this.db.insertInto('audit_heads').values({ chain, seq, hash }).execute();
    return place.id;
  }

  /** PostgreSQL: one statement (one round trip, the head locked only until commit). Null when no head exists. */
  async appendPg(chains: number, c: AuditContent): Promise<number | null> {
    const result = await sql<{ id: number }>`
      with ${pgAuditLock(chains)}, ${pgAuditWrite(c)}
      select id from audit_entry`.execute(this.db);
    return result.rows[0]?.id ?? null;
  }

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

/**
 * CTEs `audit_free`, `audit_prev`: lock a chain head. Starting from a random chain, the first head
 * no other transaction holds (`skip locked`), so concurrent writers spread over the chains and only
 * wait when every chain is busy (then on the random one).
 */
export function pgAuditLock(chains: number): RawBuilder<unknown> {
  const start = randomInt(chains);
  return sql`audit_free as (
      select chain from audit_heads order by (chain + ${start}) % ${chains} limit 1 for update skip locked
    ), audit_prev as (
      select chain, seq, hash, nextval(pg_get_serial_sequence('audit_log', 'id')) as next_id from audit_heads
      where chain = coalesce((select chain from audit_free), ${start})
      for update
    )`;
}

/**
 * CTEs `audit_head`, `audit_entry`: advance the locked head and insert the entry, its hash computed
 * by PostgreSQL from the same canonical form as `entryHash` (the verifier recomputes it in JS).
 * With `objectId`, nothing is written unless its `from` yields a row.
 */
export function pgAuditWrite(c: AuditContent, objectId?: ObjectIdInStatement): RawBuilder<unknown> {
  const { before, after } = canonicalParts(c);
  const id = objectId ? sql`(${objectId.expression})::text` : sql`${c.object_id ?? null}::text`;
  const idJson = objectId
    ? sql`coalesce(to_json(${id})::text, 'null')`
    : sql`${JSON.stringify(c.object_id ?? null)}`;
  return sql`audit_head as (
      update audit_heads h
      set seq = p.seq + 1,
          hash = encode(sha256(convert_to(
            p.hash || ${'\n["v2",'} || p.next_id || ',' || p.chain || ',' || (p.seq + 1) || ${`,${before},`} ||
            ${idJson} || ${`,${after}]`},
            'UTF8')), 'hex')
      from audit_prev p${objectId ? sql`, ${objectId.from}` : sql``}
      where h.chain = p.chain
      returning p.next_id, h.chain, h.seq, h.hash, p.hash as prev_hash, ${id} as object_id
    ), audit_entry as (
      insert into audit_log (id, chain, seq, at, actor_user_id, actor, action, object_type, object_id, ip,
                             request_id, details, prev_hash, hash, hash_version)
      select next_id, chain, seq, ${c.at}, ${c.actor_user_id}, ${c.actor}, ${c.action}, ${c.object_type}, object_id,
             ${c.ip}, ${c.request_id}, ${c.details}, prev_hash, hash, ${sql.lit(HASH_VERSION)}
      from audit_head
      returning id
    )`;
}
