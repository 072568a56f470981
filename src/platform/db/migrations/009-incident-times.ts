import type { Kysely } from 'kysely';

// Frozen in time: later changes are new migrations, never edits here.
// When the incident happened (発生日時) and when it was detected (検知日時), besides when its reports
// were received. Both are optional and stored as UTC instants (ISO 8601, `toISOString()`, which
// sort as text), like received_at. Each stage report keeps what it said (a later report may fill
// in or correct them); the incident holds the values of the latest report that named them, so a
// list or an export reads them from the one row. No index: nothing filters or sorts on them yet.
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['incidents', 'stage_reports'])
    for (const column of ['occurred_at', 'detected_at'])
      await db.schema.alterTable(table).addColumn(column, 'text').execute();
}
