import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DerivedRows } from './dialect.js';
import type { DB } from './schema.js';

/** Writes rows derived from a record whose id is known (inside the caller's transaction). */
export async function insertDerived(trx: Kysely<DB>, derived: DerivedRows, id: number): Promise<void> {
  await sql`insert into ${sql.table(derived.table)} (${sql.join(derived.columns.map((c) => sql.ref(c)))})
    ${derived.select(sql<number>`${id}`)}`.execute(trx);
}
