import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

// Frozen in time: later changes are new migrations, never edits here.
// Incoming intelligence: STIX 2.1 objects received from a bundle file, over TAXII or through the
// API, kept as they arrived (the object's JSON) for the center to triage. One row per object
// version: the same id with the same `modified` again is the same version (unique), so receiving
// a feed twice stores nothing twice. `modified` holds the object's modified (its created where it
// has none, as a marking definition; '' for a versionless cyber observable).
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('intel_objects')
    .addColumn('id', dialect.idType, dialect.idColumn)
    .addColumn('stix_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('spec_version', 'text', (c) => c.notNull())
    .addColumn('modified', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('object', 'text', (c) => c.notNull())
    .addColumn('triage_state', 'text', (c) => c.notNull().defaultTo('new'))
    .addColumn('decided_by', 'integer', (c) => c.references('users.id'))
    .addColumn('decided_at', 'text')
    .addUniqueConstraint('intel_objects_version_uq', ['stix_id', 'modified'])
    .execute();
  await db.schema
    .createIndex('intel_objects_triage_idx')
    .on('intel_objects')
    .columns(['triage_state', 'id'])
    .execute();
}
