import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';

/** Organisations: created on first use (a user's, a report's), never renamed or deleted. */
export function findOrganizationByName(db: Kysely<DB>, name: string) {
  return db.selectFrom('organizations').selectAll().where('name', '=', name).executeTakeFirst();
}

/** The organisation's id, created in `db` (the caller's transaction) when it does not exist yet. */
export async function ensureOrganization(
  db: Kysely<DB>,
  name: string,
  sector: string | null,
  now: string,
): Promise<number> {
  await db
    .insertInto('organizations')
    .values({ name, sector, created_at: now })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await findOrganizationByName(db, name);
  if (!row) throw new Error(`organization ${name} vanished`);
  return row.id;
}

export function listOrganizations(db: Kysely<DB>) {
  return db
    .selectFrom('organizations')
    .select(['id', 'name', 'sector', 'created_at'])
    .orderBy('name')
    .execute();
}
