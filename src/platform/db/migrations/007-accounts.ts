import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

// Frozen in time: later changes are new migrations, never edits here.
// A temporary password that must be changed at the next sign-in, and the two-person rule's pending
// requests (an admin asks, a second admin approves or rejects).
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('password_must_change', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('admin_approvals')
    .addColumn('id', dialect.idType, dialect.idColumn)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('target_user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('decided_by', 'integer', (c) => c.references('users.id'))
    .addColumn('decided_at', 'text')
    .execute();
  await db.schema
    .createIndex('admin_approvals_status_idx')
    .on('admin_approvals')
    .columns(['status', 'id'])
    .execute();
}
