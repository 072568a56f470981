import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DialectName } from '../dialect.js';

// Frozen in time: later changes are new migrations, never edits here.
// Free-text search on PostgreSQL: a trigram index over title, description and ref (one index, one
// expression, written exactly as the list query writes it: TEXT_SEARCH_DOCUMENT_PG). Without it a
// search that matches little reads every incident the caller may see: 3 to 4 s at 1,000,000.
// pg_trgm ships with PostgreSQL and is a trusted extension (a database owner may create it); where
// it cannot be created, the migration goes on without the index and searches scan, as on SQLite.
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`savepoint text_search`.execute(db);
  try {
    await sql`create extension if not exists pg_trgm`.execute(db);
  } catch (error) {
    await sql`rollback to savepoint text_search`.execute(db);
    process.emitWarning(
      `pg_trgm is not available (${(error as Error).message}): free-text search will read every incident`,
      { code: 'KYOYU_NO_PG_TRGM' },
    );
    return;
  }
  await sql`create index incidents_text_trgm_idx on incidents using gin ((title || chr(31) || description || chr(31) || ref) gin_trgm_ops)`.execute(
    db,
  );
}
