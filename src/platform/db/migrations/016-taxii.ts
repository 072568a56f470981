import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

// Frozen in time: later changes are new migrations, never edits here.
// TAXII 2.1 (issue 12): collections (one per audience), the objects they hold (every version of
// every STIX object, in the order they were added), the status of each add, and the remote feeds
// the server pulls on a schedule (each with a lease, so that one process pulls a feed at a time).
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('taxii_collections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('title_ja', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('anonymise', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('taxii_objects')
    .addColumn('id', dialect.idType, dialect.idColumn)
    .addColumn('collection_id', 'text', (c) => c.notNull().references('taxii_collections.id'))
    .addColumn('stix_id', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('spec_version', 'text', (c) => c.notNull())
    .addColumn('date_added', 'text', (c) => c.notNull())
    .addColumn('object', 'text', (c) => c.notNull())
    .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // Paging walks (date_added, id) within a collection; one version of one object is stored once.
  await db.schema
    .createIndex('taxii_objects_page_idx')
    .on('taxii_objects')
    .columns(['collection_id', 'date_added', 'id'])
    .execute();
  await db.schema
    .createIndex('taxii_objects_version_idx')
    .on('taxii_objects')
    .columns(['collection_id', 'stix_id', 'version'])
    .unique()
    .execute();

  await db.schema
    .createTable('taxii_status')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('collection_id', 'text', (c) => c.notNull().references('taxii_collections.id'))
    .addColumn('user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('request_timestamp', 'text', (c) => c.notNull())
    .addColumn('total_count', 'integer', (c) => c.notNull())
    .addColumn('success_count', 'integer', (c) => c.notNull())
    .addColumn('failure_count', 'integer', (c) => c.notNull())
    .addColumn('pending_count', 'integer', (c) => c.notNull())
    // JSON arrays of {id, version, message}: the status resource's successes, failures, pendings.
    .addColumn('successes', 'text', (c) => c.notNull())
    .addColumn('failures', 'text', (c) => c.notNull())
    .addColumn('pendings', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('taxii_feeds')
    .addColumn('id', dialect.idType, dialect.idColumn)
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('collection_id', 'text', (c) => c.notNull())
    // Where the credentials are (an environment variable's name), never the credentials themselves.
    .addColumn('credentials_ref', 'text')
    .addColumn('added_after', 'text')
    .addColumn('interval_seconds', 'integer', (c) => c.notNull())
    .addColumn('next_run_at', 'text', (c) => c.notNull())
    .addColumn('lease_until', 'text')
    .addColumn('lease_by', 'text')
    .addColumn('last_run_at', 'text')
    .addColumn('last_result', 'text')
    .execute();
}
