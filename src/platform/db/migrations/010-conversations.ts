import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

// Frozen in time: later changes are new migrations, never edits here.
// An incident's conversation: messages between the reporting organisation, the center and the
// sector desk. Each message keeps who wrote it (user, organisation, role, side) and the incident's
// TLP marking at the time, so a message stays marked as what it was said under. A read marker per
// user and incident (the last message id read) gives the unread counts without a row per message
// and reader.
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('incident_messages')
    .addColumn('id', dialect.idType, dialect.idColumn)
    .addColumn('incident_id', 'integer', (c) => c.notNull().references('incidents.id'))
    .addColumn('author_user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('author_organization_id', 'integer', (c) => c.notNull().references('organizations.id'))
    .addColumn('author_role', 'text', (c) => c.notNull())
    .addColumn('author_side', 'text', (c) => c.notNull())
    .addColumn('tlp', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('incident_messages_incident_idx')
    .on('incident_messages')
    .columns(['incident_id', 'id'])
    .execute();

  await db.schema
    .createTable('conversation_reads')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('incident_id', 'integer', (c) => c.notNull().references('incidents.id'))
    .addColumn('last_read_id', 'integer', (c) => c.notNull())
    .addColumn('read_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('conversation_reads_pk', ['user_id', 'incident_id'])
    .execute();
}
