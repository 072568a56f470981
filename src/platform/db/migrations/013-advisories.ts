import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

// Frozen in time: later changes are new migrations, never edits here.
// Advisories (the center's provisions) and agency shares: each is an `incidents` row (so it counts
// once in its channel's statistics row) with its own tables beside it. `incidents.audience` says
// how a record reaches others: 'community' (the TLP rule, as before) or 'addressed' (exactly the
// members in `record_audience`: all, sector:<code>, org:<id>). Every revision of an advisory is
// kept; the newest is current. A receipt per recipient organisation is made when the advisory
// reaches it, so the center's follow-up view is one query.
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema
    .alterTable('incidents')
    .addColumn('audience', 'text', (c) => c.notNull().defaultTo('community'))
    .execute();
  // The list's branch for addressed records reads its own index in order (as the TLP branches do).
  await db.schema
    .createIndex('incidents_audience_time_idx')
    .on('incidents')
    .columns(['audience', 'first_received_at', 'id'])
    .execute();

  await db.schema
    .createTable('record_audience')
    .addColumn('incident_id', 'integer', (c) => c.notNull().references('incidents.id'))
    .addColumn('member', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('record_audience_pk', ['incident_id', 'member'])
    .execute();

  await db.schema
    .createTable('advisories')
    .addColumn('id', dialect.idType, dialect.idColumn)
    .addColumn('incident_id', 'integer', (c) => c.notNull().unique().references('incidents.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('advisories_kind_idx').on('advisories').columns(['kind', 'id']).execute();

  await db.schema
    .createTable('advisory_revisions')
    .addColumn('advisory_id', 'integer', (c) => c.notNull().references('advisories.id'))
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('tlp', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('author_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('advisory_revisions_pk', ['advisory_id', 'revision'])
    .execute();

  await db.schema
    .createTable('advisory_receipts')
    .addColumn('advisory_id', 'integer', (c) => c.notNull().references('advisories.id'))
    .addColumn('organization_id', 'integer', (c) => c.notNull().references('organizations.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .addColumn('read_by', 'integer', (c) => c.references('users.id'))
    .addColumn('acknowledged_at', 'text')
    .addColumn('acknowledged_by', 'integer', (c) => c.references('users.id'))
    .addColumn('action_status', 'text')
    .addColumn('action_note', 'text')
    .addColumn('action_at', 'text')
    .addColumn('action_by', 'integer', (c) => c.references('users.id'))
    .addPrimaryKeyConstraint('advisory_receipts_pk', ['advisory_id', 'organization_id'])
    .execute();
  // "Unread for my organisation" reads the organisation's receipts.
  await db.schema
    .createIndex('advisory_receipts_org_idx')
    .on('advisory_receipts')
    .columns(['organization_id', 'advisory_id'])
    .execute();
}
