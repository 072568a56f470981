import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ChainEntry, HashedText } from './chain.js';
import { GENESIS_HASH } from './chain.js';
import { Statement, idents } from './pg-statement.js';
import type { DB } from './schema.js';

/** A new record's id, known only inside the statement that inserts it (`expression` over `from`). */
export interface IdInStatement {
  expression: string;
  from: string;
}

/**
 * The audit chain append on PostgreSQL as CTEs of `st`: `lock` first (the statement's other writes
 * may then require `exists (select 1 from audit_prev)`), `write` after them. The entry's hash is
 * computed by PostgreSQL from the entry's hashed text, under the head's row lock.
 */
export function chainCtes(
  st: Statement,
  entry: ChainEntry,
  chains: number,
  newId?: IdInStatement,
): { lock: string; write: string } {
  return { lock: chainLock(st, chains), write: chainWrite(st, entry, newId) };
}

/**
 * CTEs `audit_free`, `audit_prev`: lock a chain head. Starting from a random chain, the first head
 * no other transaction holds (`skip locked`), so concurrent writers spread over the chains and only
 * wait when every chain is busy (then on the random one).
 */
function chainLock(st: Statement, chains: number): string {
  const start = st.param(randomInt(chains), 'int');
  return `audit_free as (
      select chain from audit_heads order by (chain + ${start}) % ${chains} limit 1 for update skip locked
    ), audit_prev as (
      select chain, seq, hash, nextval(pg_get_serial_sequence('audit_log', 'id')) as next_id from audit_heads
      where chain = coalesce((select chain from audit_free), ${start})
      for update
    )`;
}

/**
 * CTEs `audit_head`, `audit_entry`: advance the locked head and insert the entry. With `newId`,
 * the entry's object is that record, and nothing is written unless its `from` yields a row.
 */
function chainWrite(st: Statement, entry: ChainEntry, newId?: IdInStatement): string {
  const ofNew = entry.ofNewRecord ? newId : undefined;
  if (entry.ofNewRecord && !ofNew) throw new Error('an entry about a new record needs its id');
  const objectId = ofNew ? `(${ofNew.expression})::text` : st.param(entry.values.object_id, 'text');
  const objectIdJson = ofNew
    ? `coalesce(to_json(${objectId})::text, 'null')`
    : st.param(JSON.stringify(entry.values.object_id), 'text');
  const columns = Object.keys(entry.values).filter((c) => c !== 'object_id');
  return `audit_head as (
      update audit_heads h
      set seq = p.seq + 1, hash = ${hashSql(st, entry.hashed, objectIdJson)}
      from audit_prev p${ofNew ? `, ${ofNew.from}` : ''}
      where h.chain = p.chain
      returning p.next_id, h.chain, h.seq, h.hash, p.hash as prev_hash, ${objectId} as object_id
    ), audit_entry as (
      insert into audit_log (id, chain, seq, object_id, ${idents(columns)}, prev_hash, hash, hash_version)
      select next_id, chain, seq, object_id, ${columns.map((c) => st.param(entry.values[c])).join(', ')},
             prev_hash, hash, ${Math.trunc(entry.hashVersion)}
      from audit_head
      returning id
    )`;
}

/** sha256 (hex) of the hashed text, its slots filled from the locked head (`p`). */
function hashSql(st: Statement, text: HashedText, objectIdJson: string): string {
  const parts = text.map((piece) => {
    if (typeof piece === 'string') return st.param(piece, 'text');
    switch (piece.slot) {
      case 'prev_hash':
        return 'p.hash';
      case 'id':
        return 'p.next_id::text';
      case 'chain':
        return 'p.chain::text';
      case 'seq':
        return '(p.seq + 1)::text';
      case 'object_id':
        return objectIdJson;
    }
  });
  return `encode(sha256(convert_to(${parts.join(' || ')}, 'UTF8')), 'hex')`;
}

/**
 * Appends one entry in one statement (one round trip; the head stays locked until commit). A fresh
 * database has no heads yet: they are created (idempotently) and the append tried once more.
 */
export async function appendChainPg(db: Kysely<DB>, entry: ChainEntry, chains: number): Promise<void> {
  const append = async () => {
    const st = new Statement();
    const { lock, write } = chainCtes(st, entry, chains);
    return (await st.add(`with ${lock}, ${write} select id from audit_entry`).run(db)).length > 0;
  };
  if (await append()) return;
  await db
    .insertInto('audit_heads')
    .values(Array.from({ length: chains }, (_, chain) => ({ chain, seq: 0, hash: GENESIS_HASH })))
    .onConflict((oc) => oc.column('chain').doNothing())
    .execute();
  if (!(await append())) throw new Error('audit trail: no chain head to append to');
}
