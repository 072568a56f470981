import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Dialect } from '../dialect.js';

// Frozen in time: later changes are new migrations, never edits here.
// In-app notifications per user (a new report in a desk's sector, a question from the center, an
// answer), each also the mail outbox's entry: mail_state is pending until the mailer sent it (sent)
// or gave up after its attempts (failed); null when no mail is due (SMTP not configured, or the
// user turned mail off). mail_next_at is when a pending mail may be tried next: also the lease a
// mailer takes while sending, so that several processes never send one mail at once.
// Per user: the mail language and whether mail is wanted (no row: Japanese, mail on).
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('notifications')
    .addColumn('id', dialect.idType, dialect.idColumn)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('incident_id', 'integer', (c) => c.notNull().references('incidents.id'))
    .addColumn('message_id', 'integer', (c) => c.references('incident_messages.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .addColumn('mail_state', 'text')
    .addColumn('mail_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('mail_next_at', 'text')
    .addColumn('mail_sent_at', 'text')
    .addColumn('mail_error', 'text')
    .execute();
  await db.schema
    .createIndex('notifications_user_idx')
    .on('notifications')
    .columns(['user_id', 'id'])
    .execute();
  // The unread count reads only the unread.
  await db.schema
    .createIndex('notifications_unread_idx')
    .on('notifications')
    .columns(['user_id'])
    .where(sql<boolean>`read_at is null`)
    .execute();
  // The mailer's queue: only the pending, in the order they are due.
  await db.schema
    .createIndex('notifications_mail_due_idx')
    .on('notifications')
    .columns(['mail_next_at'])
    .where(sql<boolean>`mail_state = 'pending'`)
    .execute();

  // A new report's notification looks its sector's desk users up by sector (one index probe, and
  // nothing more where the sector has none): the report path is benchmarked.
  await db.schema
    .createIndex('user_sectors_sector_idx')
    .on('user_sectors')
    .columns(['sector', 'user_id'])
    .execute();

  await db.schema
    .createTable('notification_settings')
    .addColumn('user_id', 'integer', (c) => c.primaryKey().references('users.id'))
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('ja'))
    .addColumn('mail', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}
