import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openServices } from '../../../src/bootstrap.js';
import { TaxiiFeeds, TaxiiStore, collectionIdOf } from '../../../src/modules/taxii/index.js';
import { inTransaction } from '../../../src/platform/db/transaction.js';
import type { Services } from '../../../src/services.js';
import type { TestUser } from '../../support/api.js';
import { makeUser } from '../../support/api.js';
import { buildApp } from '../../../src/app.js';
import { cli } from '../../support/cli.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testConfig, testServices } from '../../support/databases.js';
import { indicator } from './taxii-support.js';

/** What a collection holds: every version of every object, as stored. */
async function holdings(services: Services, key: string): Promise<unknown[]> {
  const rows = await services.database.db
    .selectFrom('taxii_objects as o')
    .innerJoin('taxii_collections as c', 'c.id', 'o.collection_id')
    .select(['o.stix_id', 'o.version', 'o.object'])
    .where('c.key', '=', key)
    .where('o.deleted', '=', 0)
    .execute();
  // The objects themselves (parsed: a JSON key order is not a difference).
  return rows
    .sort((a, b) => `${a.stix_id} ${a.version}`.localeCompare(`${b.stix_id} ${b.version}`))
    .map((r) => ({ id: r.stix_id, version: r.version, object: JSON.parse(r.object) as unknown }));
}

describeEachDialect('the TAXII client between two kyoyu on %s', (dialect) => {
  let remote: TestContext;
  let local: TestContext;
  let app: FastifyInstance;
  let partner: TestUser;
  let url: string;
  let objectRequests = 0;
  const publicId = collectionIdOf('public');

  const publish = (objects: unknown[]) =>
    inTransaction(remote.services.database, (trx) =>
      remote.services.taxiiStore.addObjects(trx, 'public', objects),
    );

  beforeAll(async () => {
    remote = await testServices(dialect);
    local = await testServices(dialect);
    app = await buildApp(remote.services);
    app.addHook('onResponse', (request, _reply, done) => {
      if (request.url.includes('/objects/')) objectRequests++;
      done();
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/taxii2/`;
    partner = await makeUser(remote.services, 'operator', 'Partner ISAC');
    const id = 'indicator--1f0e3c9a-2b7d-4c55-8f6a-000000000001';
    await publish([indicator('2024-01-01T00:00:00.000Z', id), indicator('2024-01-02T00:00:00.000Z', id)]);
    await publish(
      Array.from({ length: 1200 }, (_, i) =>
        indicator(`2024-02-01T00:00:00.${String(i % 1000).padStart(3, '0')}Z`),
      ),
    );
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await remote?.close();
    await local?.close();
  });

  const feedKey = () => `feed:${new URL(url).host}/${publicId}`;

  it('pulls every object with paging, then only what is new', async () => {
    const args = [
      'taxii',
      'pull',
      url,
      '--collection',
      publicId,
      '--user',
      partner.email,
      '--password',
      partner.token,
    ];
    const first = await cli(local.url, ...args);
    expect(first.err + first.out).toContain('fetched 1202, new 1202');
    expect(first.code).toBe(0);
    expect(await holdings(local.services, feedKey())).toEqual(await holdings(remote.services, 'public'));
    const again = await cli(local.url, ...args);
    expect(again.out).toBe('fetched 0, new 0\n');
    await publish([indicator('2024-03-01T00:00:00.000Z'), indicator('2024-03-02T00:00:00.000Z')]);
    const third = await cli(
      local.url,
      'taxii',
      'pull',
      url,
      '--collection',
      publicId,
      '--token',
      partner.token,
    );
    expect(third.out).toBe('fetched 2, new 2\n');
    expect(await holdings(local.services, feedKey())).toEqual(await holdings(remote.services, 'public'));
  }, 60_000);

  it('refuses a wrong password with the server’s answer and stores nothing', async () => {
    const before = await holdings(local.services, feedKey());
    const res = await cli(
      local.url,
      'taxii',
      'pull',
      url,
      '--collection',
      publicId,
      '--user',
      partner.email,
      '--password',
      'kyoyu_nope',
    );
    expect(res.code).not.toBe(0);
    expect(res.err).toMatch(/401/);
    expect(await holdings(local.services, feedKey())).toEqual(before);
  });

  it('lets one of two processes pull a due feed, never both', async () => {
    const other = await openServices(testConfig(local.url));
    try {
      await local.services.taxiiFeeds.configure({
        name: 'partner',
        url,
        collection: publicId,
        credentialsRef: 'PARTNER_TAXII',
        intervalSeconds: 3600,
      });
      const env = { PARTNER_TAXII: `${partner.email}:${partner.token}` };
      const secondFeeds = new TaxiiFeeds(other.database, other.taxiiStore, other.audit);
      const before = objectRequests;
      const [a, b] = await Promise.all([local.services.taxiiFeeds.runDue(env), secondFeeds.runDue(env)]);
      const pulled = [a, b].filter((r) => 'partner' in r);
      expect(pulled).toHaveLength(1);
      expect(pulled[0]!.partner).toMatchObject({ fetched: 1204 });
      // 1204 objects in pages of 500: three pages, asked for once.
      expect(objectRequests - before).toBe(3);
      // Not due again until its interval has passed.
      expect(await secondFeeds.runDue(env)).toEqual({});
    } finally {
      await other.database.close();
    }
  }, 60_000);

  it('hands the objects new to an incoming collection to the hook, in the same transaction', async () => {
    const seen: Array<{ source: string; ids: string[] }> = [];
    const store = new TaxiiStore(local.services.taxonomy, (_trx, objects, source) => {
      seen.push({ source, ids: objects.map((o) => o.id) });
      return Promise.resolve();
    });
    const fresh = indicator('2024-04-01T00:00:00.000Z');
    await inTransaction(local.services.database, (trx) =>
      store.addObjects(trx, 'center-inbox', [fresh, fresh]),
    );
    await inTransaction(local.services.database, (trx) => store.addObjects(trx, 'center-inbox', [fresh]));
    await inTransaction(local.services.database, (trx) =>
      store.addObjects(trx, 'public', [indicator('2024-04-02T00:00:00.000Z')]),
    );
    expect(seen).toEqual([{ source: 'taxii:center-inbox', ids: [fresh.id] }]);
  });

  it('configures a scheduled feed from the CLI, refusing a bad one, and the server pulls it when due', async () => {
    const feeds = () => local.services.database.db.selectFrom('taxii_feeds').selectAll().execute();
    const before = await feeds();
    for (const bad of [
      ['scheduled', 'not a url', '--collection', publicId, '--every', '5'],
      ['scheduled', url, '--collection', publicId, '--every', '0'],
      ['bad name!', url, '--collection', publicId, '--every', '5'],
      ['scheduled', url, '--collection', publicId, '--every', '5', '--credentials-env', 'user:secret'],
    ]) {
      const res = await cli(local.url, 'taxii', 'feed', 'add', ...bad);
      expect(res.code, bad.join(' ')).not.toBe(0);
      expect(res.err).toMatch(/validation_failed|not a URL|feed name|--every|--credentials-env/);
    }
    expect(await feeds()).toEqual(before);
    const added = await cli(
      local.url,
      'taxii',
      'feed',
      'add',
      'scheduled',
      url,
      '--collection',
      publicId,
      '--every',
      '5',
      '--credentials-env',
      'SCHEDULED_TAXII',
    );
    expect(added.code, added.err).toBe(0);
    expect(added.out).toBe(`feed scheduled: ${url} collection ${publicId}, every 5 min\n`);
    const ran = await local.services.taxiiFeeds.runDue({
      SCHEDULED_TAXII: `${partner.email}:${partner.token}`,
    });
    expect(Object.keys(ran)).toContain('scheduled');
    const listed = await cli(local.url, 'taxii', 'feed', 'list');
    expect(listed.out).toMatch(
      new RegExp(
        `^scheduled\\t${url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\t${publicId}\\tevery 5 min\\tlast 20`,
        'm',
      ),
    );
  }, 60_000);
});
