import type { Kysely } from 'kysely';

// Frozen in time: later changes are new migrations, never edits here.
// Reporting duties per incident (issue 15): the organisation flags and incident facts that decide
// which regimes apply; each regime confirmed (or declined) for an incident, with the operator's
// consent to share that report with the center; each stage submitted (with the recipient's
// reference) or not required (with a reason); the reminders already sent; and the admins'
// changes to the shipped regimes.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('organization_flags')
    .addColumn('organization_id', 'integer', (c) => c.notNull().references('organizations.id'))
    .addColumn('flag', 'text', (c) => c.notNull())
    .addColumn('set_by', 'integer', (c) => c.references('users.id'))
    .addColumn('set_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('organization_flags_pk', ['organization_id', 'flag'])
    .execute();
  await db.schema
    .createTable('incident_facts')
    .addColumn('incident_id', 'integer', (c) => c.primaryKey().references('incidents.id'))
    .addColumn('facts', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('incident_obligations')
    .addColumn('incident_id', 'integer', (c) => c.notNull().references('incidents.id'))
    .addColumn('regime_code', 'text', (c) => c.notNull())
    .addColumn('regime_version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('share_with_center', 'integer', (c) => c.notNull())
    .addColumn('decided_by', 'integer', (c) => c.references('users.id'))
    .addColumn('decided_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('incident_obligations_pk', ['incident_id', 'regime_code'])
    .execute();
  await db.schema
    .createIndex('incident_obligations_open_idx')
    .on('incident_obligations')
    .columns(['status', 'incident_id'])
    .execute();
  await db.schema
    .createTable('obligation_stages')
    .addColumn('incident_id', 'integer', (c) => c.notNull().references('incidents.id'))
    .addColumn('regime_code', 'text', (c) => c.notNull())
    .addColumn('stage_code', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text')
    .addColumn('reference', 'text')
    .addColumn('reason', 'text')
    .addColumn('recorded_by', 'integer', (c) => c.references('users.id'))
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('obligation_stages_pk', ['incident_id', 'regime_code', 'stage_code'])
    .execute();
  await db.schema
    .createTable('obligation_reminders')
    .addColumn('incident_id', 'integer', (c) => c.notNull().references('incidents.id'))
    .addColumn('regime_code', 'text', (c) => c.notNull())
    .addColumn('stage_code', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('obligation_reminders_pk', ['incident_id', 'regime_code', 'stage_code', 'kind'])
    .execute();
  await db.schema
    .createTable('regime_overrides')
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('regime_overrides_pk', ['code', 'version'])
    .execute();
}
