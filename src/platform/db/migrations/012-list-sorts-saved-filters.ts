import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Dialect } from '../dialect.js';

// Frozen in time: later changes are new migrations, never edits here.
// The incident list sorts by sector and by stage as well as by received time, and pages through
// either with a keyset cursor. Each sort reads its own index in order and stops after a page: the
// index is on the sort key exactly as the list query writes it (src/modules/incidents/list-sort.ts),
// with no NULLs in it (provisions and shares have no sector and no stage), so that both databases
// order and compare the key the same way, then the received time and the id as the tie-breakers.
// Stages sort in their order of filing (initial, update, final), not alphabetically.
// Saved filters: a user's named list filters, private to that user.
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await sql`create index incidents_sector_sort_idx on incidents ((coalesce(sector, '')), first_received_at, id)`.execute(
    db,
  );
  await sql`create index incidents_stage_sort_idx on incidents ((case stage when 'initial' then 1 when 'update' then 2 when 'final' then 3 else 0 end), first_received_at, id)`.execute(
    db,
  );

  await db.schema
    .createTable('saved_filters')
    .addColumn('id', dialect.idType, dialect.idColumn)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('filter', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('saved_filters_user_name_uq', ['user_id', 'name'])
    .execute();
}
