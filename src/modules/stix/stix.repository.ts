import type { Kysely, Selectable } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import type { IntelObjectTable } from '../../platform/db/schema-stix.js';

export type IntelRow = Selectable<IntelObjectTable>;
export type NewIntelRow = Omit<IntelRow, 'id' | 'triage_state' | 'decided_by' | 'decided_at'>;

/** Rows per statement: far below either database's limit on bound values (10 columns a row). */
const CHUNK = 200;

/**
 * Stores object versions not stored before; answers how many were new. The unique (stix_id,
 * modified) decides, inside the statement: two imports of one feed at once store each version once.
 */
export async function insertNewVersions(trx: Kysely<DB>, rows: readonly NewIntelRow[]): Promise<number> {
  let added = 0;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const inserted = await trx
      .insertInto('intel_objects')
      .values(rows.slice(i, i + CHUNK).map((r) => ({ ...r, decided_by: null, decided_at: null })))
      .onConflict((oc) => oc.columns(['stix_id', 'modified']).doNothing())
      .returning('id')
      .execute();
    added += inserted.length;
  }
  return added;
}

export interface IntelFilter {
  state?: string;
  type?: string;
  after?: number;
  limit: number;
}

/** Incoming objects in the order they arrived, by triage state and type, a page at a time. */
export function listIntel(db: Kysely<DB>, f: IntelFilter): Promise<IntelRow[]> {
  return db
    .selectFrom('intel_objects')
    .selectAll()
    .$if(f.state !== undefined, (q) => q.where('triage_state', '=', f.state!))
    .$if(f.type !== undefined, (q) => q.where('type', '=', f.type!))
    .$if(f.after !== undefined, (q) => q.where('id', '>', f.after!))
    .orderBy('id')
    .limit(f.limit)
    .execute();
}

export function findIntel(db: Kysely<DB>, id: number): Promise<IntelRow | undefined> {
  return db.selectFrom('intel_objects').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function setTriage(
  trx: Kysely<DB>,
  id: number,
  state: string,
  by: number,
  at: string,
): Promise<void> {
  await trx
    .updateTable('intel_objects')
    .set({ triage_state: state, decided_by: by, decided_at: at })
    .where('id', '=', id)
    .execute();
}
