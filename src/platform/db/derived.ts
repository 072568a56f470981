import type { RawBuilder } from 'kysely';
import { sql } from 'kysely';
import type { DerivedRows } from './dialect.js';

/** The insert-select of rows derived from a record whose id is known (its text the same for every id). */
export function derivedInsert(derived: DerivedRows, id: number): RawBuilder<unknown> {
  return sql`insert into ${sql.table(derived.table)} (${sql.join(derived.columns.map((c) => sql.ref(c)))})
    ${derived.select(sql<number>`${id}`)}`;
}
