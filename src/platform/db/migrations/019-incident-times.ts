import type { Kysely } from 'kysely';

// Frozen in time: later changes are new migrations, never edits here.
// The times of an incident beyond occurred and detected (issue 15): when management was told, a
// response headquarters set up, service restored, the incident classified as major, a ransom paid;
// each with who gave it and when, one row per kind (the audit trail keeps earlier values).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('incident_times')
    .addColumn('incident_id', 'integer', (c) => c.notNull().references('incidents.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('given_by', 'integer', (c) => c.references('users.id'))
    .addColumn('given_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('incident_times_pk', ['incident_id', 'kind'])
    .execute();
}
