import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AdvisoryView } from '../../../src/modules/advisories/index.js';
import { collectionIdOf } from '../../../src/modules/taxii/index.js';
import type { TestUser } from '../../support/api.js';
import { as, makeUser, testApp } from '../../support/api.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';
import { stixProblems } from '../../support/stix-rules.js';
import { ROOT, taxii } from '../taxii/taxii-support.js';

interface Envelope {
  objects?: { type: string; id: string; name?: string; modified?: string }[];
}

/**
 * An advisory is published as STIX into exactly the TAXII collections whose readers its audience
 * holds: its sectors' (and everyone's only when addressed to everyone); a revision adds a version
 * there, and a narrowed audience withdraws it from the collections it no longer reaches.
 */
describeEachDialect('advisories in TAXII collections on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let center: TestUser;
  let power: TestUser;
  let water: TestUser;

  beforeAll(async () => {
    ctx = await testServices(dialect);
    app = await testApp(ctx.services);
    center = await makeUser(ctx.services, 'center_analyst', 'Taxii Center');
    power = await makeUser(ctx.services, 'operator', 'Taxii Power');
    water = await makeUser(ctx.services, 'operator', 'Taxii Water');
    const { db } = ctx.services.database;
    await db
      .updateTable('organizations')
      .set({ sector: 'electricity' })
      .where('name', '=', 'Taxii Power')
      .execute();
    await db
      .updateTable('organizations')
      .set({ sector: 'water' })
      .where('name', '=', 'Taxii Water')
      .execute();
    ctx.services.accounts.forgetVerifiedTokens();
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.services.notifications.outbox.stop();
    await ctx?.close();
  });

  const objects = async (who: TestUser, key: string, query = '') => {
    const res = await taxii(app, who).get(`${ROOT}/collections/${collectionIdOf(key)}/objects/${query}`);
    return {
      status: res.statusCode,
      objects: res.statusCode === 200 ? (res.json<Envelope>().objects ?? []) : [],
    };
  };
  const reports = async (who: TestUser, key: string, query = '') =>
    (await objects(who, key, query)).objects.filter((o) => o.type === 'report');

  const body = (title: string, sectors: string[]) => ({
    tlp: 'AMBER',
    severity: 'high',
    audience: { everyone: false, sectors, organizations: [] },
    content: {
      title: { ja: title },
      body: { ja: '悪用が確認されています。' },
      cves: ['CVE-2024-3400'],
      indicators: [{ type: 'ipv4', value: '203.0.113.7' }],
      recommended_actions: [{ ja: '修正版を適用する' }],
    },
  });

  it('reaches its sectors’ collections only, readable by their operators, as valid STIX', async () => {
    const res = await as(app, center).post('/api/v1/advisories', {
      kind: 'advisory',
      ...body('VPN装置の脆弱性', ['electricity', 'finance']),
    });
    expect(res.statusCode, res.body).toBe(201);
    for (const key of ['sector:electricity', 'sector:finance'])
      expect((await reports(center, key)).map((r) => r.name)).toEqual(['VPN装置の脆弱性']);
    for (const key of ['sector:water', 'public']) expect(await reports(center, key)).toEqual([]);
    // The electricity operator reads its sector's collection; the water operator may not (404, as missing).
    const seen = await objects(power, 'sector:electricity');
    expect(seen.status).toBe(200);
    expect(seen.objects.map((o) => o.type)).toEqual(
      expect.arrayContaining(['report', 'vulnerability', 'indicator', 'course-of-action']),
    );
    expect(
      stixProblems({
        type: 'bundle',
        id: 'bundle--6f2d7c1e-7c55-4f0e-9a43-3b1d3d4a1f00',
        objects: seen.objects,
      }),
    ).toEqual([]);
    expect((await objects(water, 'sector:electricity')).status).toBe(404);
    // Where a notification (which names the record) leads: the advisory of that record, if seen.
    const { id, incident_id } = res.json<AdvisoryView>();
    const of = (who: TestUser) =>
      as(app, who)
        .get(`/api/v1/advisories?incident_id=${incident_id}`)
        .then((r) => r.json<{ items: { id: number }[] }>().items.map((a) => a.id));
    expect(await of(power)).toEqual([id]);
    expect(await of(water)).toEqual([]);
    expect(await reports(water, 'sector:water')).toEqual([]);
  });

  it('a revision adds a version where it still reaches and withdraws it where it no longer does', async () => {
    const created = await as(app, center).post('/api/v1/advisories', {
      kind: 'advisory',
      ...body('DDoS予告', ['electricity', 'water']),
    });
    const advisory = created.json<AdvisoryView>();
    expect((await reports(water, 'sector:water')).map((r) => r.name)).toEqual(['DDoS予告']);
    const revised = await as(app, center).put(
      `/api/v1/advisories/${advisory.id}`,
      body('DDoS予告（第2版）', ['electricity']),
      {
        'if-match': '"r1"',
      },
    );
    expect(revised.statusCode, revised.body).toBe(200);
    const versions = (await reports(power, 'sector:electricity', '?match[version]=all')).filter((r) =>
      r.name?.startsWith('DDoS予告'),
    );
    expect(versions.map((r) => r.name).sort()).toEqual(['DDoS予告', 'DDoS予告（第2版）']);
    expect(new Set(versions.map((r) => r.id)).size).toBe(1);
    // No longer addressed to water: nothing of it stays in the water collection.
    expect(await reports(water, 'sector:water', '?match[version]=all')).toEqual([]);
    expect((await objects(water, 'sector:water')).objects.filter((o) => o.type === 'indicator')).toEqual([]);
  });

  it('a RED advisory, for named recipients only, goes into no collection', async () => {
    const powerOrg = await ctx.services.database.db
      .selectFrom('organizations')
      .select('id')
      .where('name', '=', 'Taxii Power')
      .executeTakeFirstOrThrow();
    const red = {
      kind: 'advisory',
      ...body('名指しの警告', []),
      tlp: 'RED',
      audience: { everyone: false, sectors: [], organizations: [powerOrg.id] },
    };
    expect((await as(app, center).post('/api/v1/advisories', red)).statusCode).toBe(201);
    for (const key of [`org:${powerOrg.id}`, 'sector:electricity', 'public'])
      expect((await reports(center, key)).map((r) => r.name)).not.toContain('名指しの警告');
  });
});
