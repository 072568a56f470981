import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Dialect } from '../dialect.js';

// Frozen in time: later changes are new migrations, never edits here.
// Free-text search on PostgreSQL: a trigram index over title, description and ref (one index, one
// expression, written exactly as the list query writes it: TEXT_SEARCH_DOCUMENT_PG). Without it a
// search that matches little reads every incident the caller may see: 3 to 4 s at 1,000,000.
// pg_trgm ships with PostgreSQL and is a trusted extension (a database owner may create it). It is
// database-wide: kyoyu uses it where it is, or installs it in `public` (not in kyoyu's own schema,
// whose removal would take it away from every other schema). Where it cannot be had, the migration
// goes on without the index and searches read the table, as on SQLite. New entries gather in the
// index's pending list (up to 32 MB, merged in bulk) rather than each going into the tree: maintained
// entry by entry, the index cost 25 % of import and 18 % of API write throughput; with the list,
// writes run as fast as without the index. Imports merge the list when they finish.
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect.name !== 'postgres') return;
  const installed = await sql<{ schema: string }>`
    select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace
    where e.extname = 'pg_trgm'`.execute(db);
  let schema = installed.rows[0]?.schema;
  if (!schema) {
    await sql`savepoint text_search`.execute(db);
    try {
      await sql`create extension pg_trgm schema public`.execute(db);
      schema = 'public';
    } catch (error) {
      await sql`rollback to savepoint text_search`.execute(db);
      process.emitWarning(
        `pg_trgm could not be installed (${(error as Error).message}): free-text search will read the table`,
        { code: 'KYOYU_NO_PG_TRGM' },
      );
      return;
    }
  }
  await sql`create index incidents_text_trgm_idx on incidents using gin ((title || chr(31) || description || chr(31) || ref) ${sql.id(schema, 'gin_trgm_ops')}) with (gin_pending_list_limit = 32768)`.execute(
    db,
  );
}
