import type { Kysely } from 'kysely';
import { sql } from 'kysely';

// Frozen in time: later changes are new migrations, never edits here.
// Incidents published into TAXII collections (issue 12): each object the publisher adds names the
// record it came from (`source_ref`, e.g. `incident:42`), so that what a record no longer sends to
// a collection is withdrawn by that name; the publisher follows the audit trail, each chain from
// the position it read last (within one entry, when an import listed more than a run takes); the public and sector collections are anonymised by policy.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('taxii_objects').addColumn('source_ref', 'text').execute();
  await db.schema
    .createIndex('taxii_objects_source_idx')
    .on('taxii_objects')
    .column('source_ref')
    .where(sql.ref('source_ref'), 'is not', null)
    .execute();
  await db.schema
    .createTable('taxii_publish_cursors')
    .addColumn('chain', 'integer', (c) => c.primaryKey())
    .addColumn('seq', 'integer', (c) => c.notNull())
    // Of the entry after `seq`, how many of the incidents it lists are published (a large import
    // lists many: a run publishes a bounded number and the next goes on from there).
    .addColumn('skip', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db
    .updateTable('taxii_collections')
    .set({ anonymise: 1 })
    .where((eb) => eb.or([eb('key', '=', 'public'), eb('key', 'like', 'sector:%')]))
    .execute();
}
