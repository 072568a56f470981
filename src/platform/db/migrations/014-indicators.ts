import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

// Frozen in time: later changes are new migrations, never edits here.
// The structured indicators of an incident (issue 12, item 2): each in the normal form of its type
// (src/domain/indicators.ts), once per incident; its own TLP marking (the incident's unless the
// reporter named a stricter one); reported with a report, or adopted later from the free text.
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('incident_indicators')
    .addColumn('id', dialect.idType, dialect.idColumn)
    .addColumn('incident_id', 'integer', (c) => c.notNull().references('incidents.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('tlp', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    // Its index also serves the read of one incident's indicators.
    .addUniqueConstraint('incident_indicators_unique', ['incident_id', 'type', 'value'])
    .execute();
  // Which incidents carry an indicator (STIX export, a later search by value).
  await db.schema
    .createIndex('incident_indicators_value_idx')
    .on('incident_indicators')
    .columns(['type', 'value'])
    .execute();
}
