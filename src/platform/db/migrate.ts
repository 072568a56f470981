import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from './database.js';
import type { Dialect } from './dialect.js';
import type { DB } from './schema.js';
import * as m001 from './migrations/001-initial.js';
import * as m002 from './migrations/002-trust.js';
import * as m003 from './migrations/003-review-queue.js';
import * as m004 from './migrations/004-text-search.js';
import * as m005 from './migrations/005-lifecycle.js';
import * as m006 from './migrations/006-periods.js';
import * as m007 from './migrations/007-accounts.js';
import * as m008 from './migrations/008-audit.js';
import * as m009 from './migrations/009-incident-times.js';
import * as m010 from './migrations/010-conversations.js';
import * as m011 from './migrations/011-notifications.js';
import * as m012 from './migrations/012-list-sorts-saved-filters.js';
import * as m013 from './migrations/013-advisories.js';
import * as m014 from './migrations/014-indicators.js';
import * as m015 from './migrations/015-intel-objects.js';
import * as m016 from './migrations/016-taxii.js';
import * as m017 from './migrations/017-taxii-publication.js';
import * as m018 from './migrations/018-publication.js';
import * as m019 from './migrations/019-incident-times.js';
import * as m020 from './migrations/020-obligations.js';

interface Migration {
  name: string;
  up(db: Kysely<any>, dialect: Dialect): Promise<void>;
}

const MIGRATIONS: Migration[] = [
  { name: '001-initial', up: m001.up },
  { name: '002-trust', up: m002.up },
  { name: '003-review-queue', up: m003.up },
  { name: '004-text-search', up: m004.up },
  { name: '005-lifecycle', up: m005.up },
  { name: '006-periods', up: m006.up },
  { name: '007-accounts', up: m007.up },
  { name: '008-audit', up: m008.up },
  { name: '009-incident-times', up: m009.up },
  { name: '010-conversations', up: m010.up },
  { name: '011-notifications', up: m011.up },
  { name: '012-list-sorts-saved-filters', up: m012.up },
  { name: '013-advisories', up: m013.up },
  { name: '014-indicators', up: m014.up },
  { name: '015-intel-objects', up: m015.up },
  { name: '016-taxii', up: m016.up },
  { name: '017-taxii-publication', up: m017.up },
  { name: '018-publication', up: m018.up },
  { name: '019-incident-times', up: m019.up },
  { name: '020-obligations', up: m020.up },
];

/** Every migration, in the order they apply. */
export const MIGRATION_NAMES: readonly string[] = MIGRATIONS.map((m) => m.name);

/** Applies pending migrations, each in its own transaction; returns the names applied. */
export async function migrate(database: Database): Promise<string[]> {
  const db = database.db as unknown as Kysely<any>;
  await sql`create table if not exists kyoyu_migrations (name text primary key, applied_at text not null)`.execute(
    db,
  );
  const applied: string[] = [];
  for (const migration of MIGRATIONS) {
    const done = await db.transaction().execute(async (trx) => {
      // Several processes may start at once on one PostgreSQL: one migrates, the others wait and skip.
      await database.dialect.migrationLock(trx as Kysely<DB>);
      const row = await trx
        .selectFrom('kyoyu_migrations')
        .select('name')
        .where('name', '=', migration.name)
        .executeTakeFirst();
      if (row) return false;
      await migration.up(trx, database.dialect);
      await trx
        .insertInto('kyoyu_migrations')
        .values({ name: migration.name, applied_at: new Date().toISOString() })
        .execute();
      return true;
    });
    if (done) applied.push(migration.name);
  }
  return applied;
}
