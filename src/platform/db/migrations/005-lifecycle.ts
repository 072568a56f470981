import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: later changes are new migrations, never edits here.
// The record lifecycle: an incident is `received` until the center rejects it (duplicate, test, not
// critical infrastructure, ...) or withdraws it at the reporter's request; either can be restored.
// Who changed the state, when, why (a code from a closed list) and a free-text note are kept with
// the record, which stays stored as evidence. `final_received_at` is the received time of the final
// report (最終報) that closed the incident: a report received after it is refused until the center
// reopens the incident (cleared again). Incidents whose latest stage is final are closed at it.
// Lists of rejected or withdrawn records (a small part of all) read their own partial index in
// list order instead of the whole time index.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('incidents')
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('received'))
    .execute();
  for (const column of ['state_reason', 'state_note', 'state_changed_at', 'final_received_at'])
    await db.schema.alterTable('incidents').addColumn(column, 'text').execute();
  await db.schema
    .alterTable('incidents')
    .addColumn('state_changed_by', 'integer', (c) => c.references('users.id'))
    .execute();
  await sql`update incidents set final_received_at = last_received_at where stage = 'final'`.execute(db);
  await db.schema
    .createIndex('incidents_not_received_time_idx')
    .on('incidents')
    .columns(['first_received_at', 'id'])
    .where(sql<boolean>`state <> 'received'`)
    .execute();
}
