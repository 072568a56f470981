import type { Config } from './config.js';
import { openDatabase } from './platform/db/database.js';
import { migrate } from './platform/db/migrate.js';
import type { Services } from './services.js';
import { createServices } from './services.js';

/**
 * Opens the configured database, applies migrations, and checks that the statistics rollup was
 * kept in the configured time zone (the month an incident counts in depends on it).
 */
export async function openServices(config: Config): Promise<Services & { migrated: string[] }> {
  const database = openDatabase(config.databaseUrl, { pgPoolSize: config.pgPoolSize });
  try {
    const migrated = await migrate(database);
    const row = await database.db
      .selectFrom('meta')
      .select('value')
      .where('key', '=', 'rollup_time_zone')
      .executeTakeFirst();
    if (!row) {
      await database.db
        .insertInto('meta')
        .values({ key: 'rollup_time_zone', value: config.timeZone })
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
    } else if (row.value !== config.timeZone) {
      throw new Error(
        `this database counts months in ${row.value} but KYOYU_TIME_ZONE is ${config.timeZone}; ` +
          `set KYOYU_TIME_ZONE=${row.value} (changing the time zone of existing statistics is not supported yet)`,
      );
    }
    const services = createServices(config, database);
    // The fixed TAXII collections (public, the center's inbox, each sector) exist from the start;
    // an organisation's is made on its first use, so a restored backup reopens exactly as saved.
    await services.taxiiStore.ensureAudienceCollections(database.db, { organizations: false });
    return { ...services, migrated };
  } catch (error) {
    await database.close();
    throw error;
  }
}
