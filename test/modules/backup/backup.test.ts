import { copyFileSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServices } from '../../../src/bootstrap.js';
import { main } from '../../../src/cli/main.js';
import { backupDatabase, restoreDatabase } from '../../../src/modules/backup/backup.service.js';
import type { Services } from '../../../src/services.js';
import type { TestUser } from '../../support/api.js';
import { as, makeUser, testApp } from '../../support/api.js';
import { MIGRATION_NAMES } from '../../../src/platform/db/migrate.js';
import { openSqliteConnection } from '../../../src/platform/db/sqlite-connection.js';
import { rollupMismatches } from '../../support/consistency.js';
import { freshDatabase, testConfig } from '../../support/databases.js';
import type { TestDatabase } from '../../support/databases.js';

const samples = readFileSync(new URL('../../fixtures/sample-reports.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as Record<string, unknown>);
/** A sample operator report as the test operator sends it (its own organisation, implied). */
const ownReport = (i: number, ref: string) => ({
  ...samples.filter((l) => l.channel === 'operator_report')[i % 10],
  organization: undefined,
  sector: 'water',
  ref,
});

/**
 * Every table, every row, in storage order: what "the data equals the backup" compares. Read
 * through a connection of its own (the services' one is the SQLite dialect's), which sees what is
 * committed: every write here has returned.
 */
function dump(services: Services): Record<string, unknown[]> {
  const sqlite = openSqliteConnection(services.config.databaseUrl.slice('sqlite:'.length));
  try {
    const tables = sqlite
      .prepare("select name from sqlite_master where type = 'table' order by name")
      .all([]) as Array<{ name: string }>;
    return Object.fromEntries(
      tables.map(({ name }) => [name, sqlite.prepare(`select * from "${name}" order by rowid`).all([])]),
    );
  } finally {
    sqlite.close();
  }
}

describe('kyoyu backup and restore on SQLite', () => {
  let database: TestDatabase;
  let services: Services;
  let app: FastifyInstance;
  let center: TestUser;
  let operator: TestUser;
  const dir = mkdtempSync(join(tmpdir(), 'kyoyu-backup-'));
  const stats = async () =>
    (await as(app, center).get('/api/v1/stats/info-sharing?fy=2023&history=0')).json<unknown>();

  const reopen = async () => {
    services = await openServices(testConfig(database.url));
    app = await testApp(services);
  };
  const shut = async () => {
    await app.close();
    await services.database.close();
  };

  beforeAll(async () => {
    database = await freshDatabase('sqlite');
    await reopen();
    center = await makeUser(services, 'center_analyst', 'National Center');
    operator = await makeUser(services, 'operator', 'Backup Water Works');
  });
  afterAll(async () => {
    await shut();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('round trip: backup while serving, change and delete data, restore: data and statistics as backed up', async () => {
    for (const line of samples)
      expect((await as(app, center).post('/api/v1/incidents', line)).statusCode).toBeLessThan(300);
    const own = await as(app, operator).post('/api/v1/incidents', ownReport(0, 'OWN-1'));
    expect(own.statusCode).toBe(201);
    // Statistics first: a read may write (token use, rate limits), and the dump must come after it.
    const beforeStats = await stats();
    const before = { rows: dump(services), stats: beforeStats };
    expect(before.rows.incidents!.length).toBe(samples.length - 2 + 1); // two samples are later stages

    const file = join(dir, 'round-trip.kyoyu-backup');
    const result = await backupDatabase(database.url, file); // the app is open: an online backup
    expect(result.summary).toMatchObject({
      incidents: 15,
      users: 2,
      migrations: [...MIGRATION_NAMES],
    });

    // Change: new incidents, a stage, a center classification; delete: an incident and its reports.
    const added = await as(app, operator).post('/api/v1/incidents', ownReport(1, 'OWN-2'));
    expect(added.statusCode).toBe(201);
    const id = own.json<{ id: number }>().id;
    const etag = (await as(app, center).get(`/api/v1/incidents/${id}`)).headers.etag as string;
    const put = await app.inject({
      method: 'PUT',
      url: `/api/v1/incidents/${id}/classification`,
      headers: { authorization: `Bearer ${center.token}`, 'if-match': etag },
      payload: { event: 'availability.disruption', causes: ['intentional.ddos'], attack_type: 'ddos' },
    });
    expect(put.statusCode).toBe(200);
    const victim = before.rows.incidents![0] as { id: number };
    await services.database.db.deleteFrom('incident_causes').where('incident_id', '=', victim.id).execute();
    await services.database.db.deleteFrom('stage_reports').where('incident_id', '=', victim.id).execute();
    await services.database.db.deleteFrom('incidents').where('id', '=', victim.id).execute();
    expect(dump(services)).not.toEqual(before.rows);
    expect(await stats()).not.toEqual(before.stats);

    // The server still has the database open: restore refuses rather than pull it from under it.
    await expect(restoreDatabase(database.url, file, { force: true })).rejects.toThrow(/in use/);
    await shut();
    await expect(restoreDatabase(database.url, file, { force: false })).rejects.toThrow(
      /holds data.*--force/,
    );
    const restored = await restoreDatabase(database.url, file, { force: true });
    expect(restored.summary).toEqual(result.summary);

    await reopen();
    expect(dump(services)).toEqual(before.rows);
    expect(await stats()).toEqual(before.stats);
    expect(await rollupMismatches(services)).toEqual([]);
    // Tokens came back with the data: the restored operator can work at once.
    expect((await as(app, operator).get(`/api/v1/incidents/${id}`)).statusCode).toBe(200);
  });

  it('a backup taken while 16 clients write is consistent: intact, rollup equal to its incidents', async () => {
    let writing = true;
    let written = 0;
    const writers = Array.from({ length: 16 }, async (_, c) => {
      for (let seq = 0; writing; seq++) {
        const res = await as(app, operator).post('/api/v1/incidents', ownReport(seq, `LOAD-${c}-${seq}`));
        expect(res.statusCode).toBe(201);
        written++;
      }
    });
    const until = async (done: () => boolean) => {
      for (let waited = 0; !done() && waited < 20_000; waited += 10)
        await new Promise((r) => setTimeout(r, 10));
    };
    await until(() => written >= 50);
    const file = join(dir, 'under-load.kyoyu-backup');
    const result = await backupDatabase(database.url, file);
    const atBackup = written;
    await until(() => written >= atBackup + 50);
    writing = false;
    await Promise.all(writers);
    // Writes landed both before the snapshot and after it.
    expect(result.summary.incidents).toBeGreaterThanOrEqual(15 + 50);
    expect(written).toBeGreaterThan(result.summary.incidents - 15);

    const copy = await freshDatabase('sqlite');
    try {
      await restoreDatabase(copy.url, file, { force: false }); // a new file: nothing to overwrite
      const restored = await openServices(testConfig(copy.url));
      try {
        expect(await rollupMismatches(restored)).toEqual([]);
        const orphans = await restored.database.db
          .selectFrom('incidents')
          .select('id')
          .where((eb) =>
            eb.not(
              eb.exists(
                eb.selectFrom('stage_reports').select('id').whereRef('incident_id', '=', 'incidents.id'),
              ),
            ),
          )
          .execute();
        expect(orphans).toEqual([]);
      } finally {
        await restored.database.close();
      }
    } finally {
      await copy.drop();
    }
  });

  it('refuses: an existing backup file, a damaged or foreign backup, PostgreSQL (printing the pg_dump route)', async () => {
    const file = join(dir, 'round-trip.kyoyu-backup');
    await expect(backupDatabase(database.url, file)).rejects.toThrow(/never overwrites/);

    const damaged = join(dir, 'damaged.kyoyu-backup');
    copyFileSync(file, damaged);
    const fd = openSync(damaged, 'r+');
    writeSync(fd, Buffer.alloc(4096 * 3, 0xa5), 0, 4096 * 3, 4096 * 2); // pages 3-5 overwritten
    const target = await freshDatabase('sqlite');
    try {
      await expect(restoreDatabase(target.url, damaged, { force: true })).rejects.toThrow(
        /integrity_check|not a readable SQLite database|malformed/,
      );
      const foreign = join(dir, 'foreign.sqlite');
      const other = await openServices(testConfig(`sqlite:${foreign}`));
      await other.database.db.schema.dropTable('kyoyu_migrations').execute();
      await other.database.close();
      await expect(restoreDatabase(target.url, foreign, { force: true })).rejects.toThrow(
        /not a kyoyu database/,
      );
    } finally {
      await target.drop();
    }

    const out: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => out.push(t), env: {} };
    const pg = 'postgres://kyoyu:secret@db.internal:5432/kyoyu?schema=prod';
    expect(await main(['node', 'kyoyu', 'backup', 'kyoyu.dump', '--db', pg], io)).toBe(1);
    expect(await main(['node', 'kyoyu', 'restore', 'kyoyu.dump', '--db', pg, '--force'], io)).toBe(1);
    const text = out.join('');
    expect(text).toContain("pg_dump -Fc --dbname='postgres://kyoyu@db.internal:5432/kyoyu' --schema=prod");
    expect(text).toContain('pg_restore --clean --if-exists');
    expect(text).not.toContain('secret');
  });
});
