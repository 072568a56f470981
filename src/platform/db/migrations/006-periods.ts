import type { Kysely } from 'kysely';

// Frozen in time: later changes are new migrations, never edits here.
// Period closing: the center closes a fiscal quarter once its figures are final. Closing stores a
// snapshot of the quarter's rollup rows (summed over shards), which the statistics read from then
// on, so that a late filing changes only the live rollup until the center reopens the quarter.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('closed_periods')
    .addColumn('fiscal_year', 'integer', (c) => c.notNull())
    .addColumn('quarter', 'integer', (c) => c.notNull())
    .addColumn('closed_at', 'text', (c) => c.notNull())
    .addColumn('closed_by', 'integer')
    .addColumn('closed_by_label', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('closed_periods_pk', ['fiscal_year', 'quarter'])
    .execute();
  await db.schema
    .createTable('period_snapshots')
    .addColumn('fiscal_year', 'integer', (c) => c.notNull())
    .addColumn('quarter', 'integer', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('tbl', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('period_snapshots_pk', ['fiscal_year', 'quarter', 'month', 'tbl', 'code'])
    .execute();
  // Late filings are the incidents changed after a closing: few, found from the newest changes
  // rather than by reading a whole quarter.
  await db.schema
    .createIndex('incidents_updated_idx')
    .on('incidents')
    .columns(['updated_at', 'id'])
    .execute();
}
