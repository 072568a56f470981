import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

// Frozen in time: later changes are new migrations, never edits here.
// The audit entry's id joins its hash (hash version 2). Entries written before keep version 1 and
// their hashes as they are, rather than being re-chained here: re-hashing every entry would bless
// whatever the trail holds at upgrade time (an entry altered before it would verify from then on),
// would invalidate every copy of the chain heads kept elsewhere, and would rewrite millions of rows
// in one migration. The version is part of the canonical form of a version-2 entry, and a chain may
// not go back to version 1 after a version-2 entry, so it cannot be lowered unnoticed.
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema
    .alterTable('audit_log')
    .addColumn('hash_version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
}
