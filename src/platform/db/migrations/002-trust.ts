import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Dialect } from '../dialect.js';

// Frozen in time: later changes are new migrations, never edits here.
// Accounts (passwords, second factor, lockout), sessions, token scopes and expiry, TLP on records,
// the hash-chained audit trail, idempotency keys and shared rate-limit counters.
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const id = dialect.idType;
  const pk = dialect.idColumn;
  for (const [col, type] of [
    ['password_hash', 'text'],
    ['password_changed_at', 'text'],
    ['totp_secret', 'text'],
    ['totp_enabled_at', 'text'],
    ['totp_last_step', 'integer'],
    ['locked_until', 'text'],
    ['disabled_at', 'text'],
  ] as const) {
    await db.schema.alterTable('users').addColumn(col, type).execute();
  }
  await db.schema
    .alterTable('users')
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .alterTable('api_tokens')
    .addColumn('scopes', 'text', (c) => c.notNull().defaultTo('read,write'))
    .execute();
  await db.schema.alterTable('api_tokens').addColumn('expires_at', 'text').execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('mfa_at', 'text')
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();

  await db.schema
    .alterTable('incidents')
    .addColumn('tlp', 'text', (c) => c.notNull().defaultTo('AMBER'))
    .execute();
  // Lists of other organisations' CLEAR/GREEN records (an operator's view) read this index.
  await db.schema
    .createIndex('incidents_tlp_time_idx')
    .on('incidents')
    .columns(['tlp', 'first_received_at', 'id'])
    .execute();

  // One chain per shard: concurrent writers on PostgreSQL append to different chains instead of all
  // queueing on one head row; each chain is verified on its own.
  await db.schema
    .createTable('audit_log')
    .addColumn('id', id, pk)
    .addColumn('chain', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'integer')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('object_type', 'text')
    .addColumn('object_id', 'text')
    .addColumn('ip', 'text')
    .addColumn('request_id', 'text')
    .addColumn('details', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addUniqueConstraint('audit_log_chain_seq_uq', ['chain', 'seq'])
    .execute();
  await db.schema
    .createIndex('audit_log_object_idx')
    .on('audit_log')
    .columns(['object_type', 'object_id', 'id'])
    .execute();
  await db.schema
    .createTable('audit_heads')
    .addColumn('chain', 'integer', (c) => c.primaryKey())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('content_type', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['user_id', 'key'])
    .execute();

  // Operator reports per sector join the rollup (the dashboard's breakdown); existing data counted once.
  await sql`insert into stat_rollup (month, tbl, code, shard, n)
    select month, 'sectors', coalesce(sector, 'unknown'), 0, count(*) from incidents
    where channel = 'operator_report' group by month, coalesce(sector, 'unknown')`.execute(db);

  // Counters that must hold across processes (login attempts per address): fixed windows.
  await db.schema
    .createTable('rate_limits')
    .addColumn('bucket', 'text', (c) => c.notNull())
    .addColumn('window_start', 'integer', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_limits_pk', ['bucket', 'window_start'])
    .execute();
}
