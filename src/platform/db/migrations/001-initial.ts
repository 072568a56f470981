import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Dialect } from '../dialect.js';

// Frozen in time: later changes are new migrations, never edits here.
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const id = dialect.idType;
  const pk = dialect.idColumn;
  await db.schema
    .createTable('organizations')
    .addColumn('id', id, pk)
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('sector', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('users')
    .addColumn('id', id, pk)
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('organization_id', 'integer', (c) => c.notNull().references('organizations.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('user_sectors')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('sector', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_sectors_pk', ['user_id', 'sector'])
    .execute();
  await db.schema
    .createTable('api_tokens')
    .addColumn('id', id, pk)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();

  let incidents = db.schema
    .createTable('incidents')
    .addColumn('id', id, pk)
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('ref', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('organization_id', 'integer', (c) => c.references('organizations.id'))
    .addColumn('sector', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('stage', 'text')
    .addColumn('first_received_at', 'text', (c) => c.notNull())
    .addColumn('last_received_at', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull());
  for (const col of [
    'reporter_event',
    'reporter_causes',
    'reporter_attack_type',
    'center_event',
    'center_causes',
  ]) {
    incidents = incidents.addColumn(col, 'text');
  }
  await incidents
    .addColumn('center_attack_type', 'text')
    .addColumn('center_classified_at', 'text')
    .addColumn('center_classified_by', 'integer', (c) => c.references('users.id'))
    .addColumn('event', 'text')
    .addColumn('causes', 'text')
    .addColumn('attack_type', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('incidents_source_ref_uq', ['source', 'ref'])
    .execute();
  // Lists are ordered newest first and filtered by one dimension and a time range.
  for (const col of ['channel', 'organization_id', 'sector']) {
    await db.schema
      .createIndex(`incidents_${col}_time_idx`)
      .on('incidents')
      .columns([col, 'first_received_at', 'id'])
      .execute();
  }
  await db.schema
    .createIndex('incidents_time_idx')
    .on('incidents')
    .columns(['first_received_at', 'id'])
    .execute();

  await db.schema
    .createTable('incident_causes')
    .addColumn('incident_id', 'integer', (c) => c.notNull().references('incidents.id'))
    .addColumn('cause', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('incident_causes_pk', ['incident_id', 'cause'])
    .execute();
  await db.schema
    .createIndex('incident_causes_cause_idx')
    .on('incident_causes')
    .columns(['cause', 'incident_id'])
    .execute();

  await db.schema
    .createTable('stage_reports')
    .addColumn('id', id, pk)
    .addColumn('incident_id', 'integer', (c) => c.notNull().references('incidents.id'))
    .addColumn('stage', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('received_at_text', 'text', (c) => c.notNull())
    .addColumn('organization_name', 'text')
    .addColumn('sector', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('event', 'text')
    .addColumn('causes', 'text')
    .addColumn('attack_type', 'text')
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('stage_reports_fingerprint_uq', ['incident_id', 'fingerprint'])
    .execute();

  await db.schema
    .createTable('stat_rollup')
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('tbl', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('shard', 'integer', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('stat_rollup_pk', ['month', 'tbl', 'code', 'shard'])
    .execute();
  await db.schema
    .createTable('published_aggregates')
    .addColumn('fiscal_year', 'integer', (c) => c.notNull())
    .addColumn('quarter', 'integer', (c) => c.notNull())
    .addColumn('tbl', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('value', 'integer', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('published_aggregates_pk', ['fiscal_year', 'quarter', 'tbl', 'code'])
    .execute();
  await db.schema
    .createTable('meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
  if (dialect.name === 'sqlite') await sql`PRAGMA optimize`.execute(db);
}
