import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StixObject } from '../../../src/modules/stix/index.js';
import { collectionIdOf } from '../../../src/modules/taxii/index.js';
import type { TestUser } from '../../support/api.js';
import { as, makeUser, testApp } from '../../support/api.js';
import { cli } from '../../support/cli.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';
import { stixProblems } from '../../support/stix-rules.js';
import { ROOT, taxii } from './taxii-support.js';

/** What must not leave the organisation's own collection: planted in the reports' free text. */
const PLANTED = {
  organization: '暁電力株式会社',
  person: '佐藤花子',
  email: 'sato.hanako@akatsuki-power.example',
  host: 'ems-hist02.akatsuki.local',
};

const report = (ref: string, tlp: string) => ({
  ref,
  channel: 'operator_report',
  received_at: '2024-06-03T10:00:00+09:00',
  sector: 'electricity',
  title: `${PLANTED.organization} ${PLANTED.host} 停止 (${ref})`,
  description: `連絡先 ${PLANTED.person} <${PLANTED.email}>`,
  stage: 'initial',
  event: 'availability.disruption',
  causes: ['intentional.suspicious_email'],
  tlp,
});

/** Incidents published into the collections their readers may see, as those readers get them. */
describeEachDialect('incidents published over TAXII on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let reporter: TestUser;
  let peer: TestUser;
  let outsider: TestUser;
  let center: TestUser;
  const ids: Record<string, number> = {};
  let orgCollection: string;

  const publish = () => ctx.services.incidentPublisher.publishChanges();
  /** Every incident object of a collection as `user` reads it (null: the collection is unseen). */
  const incidentsIn = async (user: TestUser, collection: string) => {
    const res = await taxii(app, user).get(`${ROOT}/collections/${collection}/objects/?match[type]=incident`);
    if (res.statusCode === 404) return null;
    expect(res.statusCode, res.body).toBe(200);
    return { text: res.body, objects: res.json<{ objects?: StixObject[] }>().objects ?? [] };
  };

  beforeAll(async () => {
    ctx = await testServices(dialect);
    app = await testApp(ctx.services);
    reporter = await makeUser(ctx.services, 'operator', PLANTED.organization);
    peer = await makeUser(ctx.services, 'operator', 'Publish Peer Power');
    outsider = await makeUser(ctx.services, 'operator', 'Publish Water');
    center = await makeUser(ctx.services, 'center_analyst', 'Publish Center');
    const { db } = ctx.services.database;
    for (const [name, sector] of [
      [PLANTED.organization, 'electricity'],
      ['Publish Peer Power', 'electricity'],
      ['Publish Water', 'water'],
    ] as const)
      await db.updateTable('organizations').set({ sector }).where('name', '=', name).execute();
    ctx.services.accounts.forgetVerifiedTokens();
    for (const tlp of ['CLEAR', 'GREEN', 'AMBER', 'RED']) {
      const res = await as(app, reporter).post('/api/v1/incidents', report(`AKATSUKI-${tlp}`, tlp));
      expect(res.statusCode, res.body).toBe(201);
      ids[tlp] = res.json<{ id: number }>().id;
    }
    const org = await db
      .selectFrom('organizations')
      .select('id')
      .where('name', '=', PLANTED.organization)
      .executeTakeFirstOrThrow();
    orgCollection = collectionIdOf(`org:${org.id}`);
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('each collection holds what its readers may see: the organisation its own, the sector and the public anonymised', async () => {
    const first = await publish();
    expect(first).toMatchObject({ incidents: 4, withdrawn: 0 });
    const own = (await incidentsIn(reporter, orgCollection))!;
    // AMBER stays with the organisation and the center; RED goes to no collection (admins read them all).
    expect(own.objects.map((o) => o.name).sort()).toEqual(
      ['AMBER', 'CLEAR', 'GREEN'].map((t) => report(`AKATSUKI-${t}`, t).title).sort(),
    );
    expect(own.text).not.toContain('AKATSUKI-RED');

    const sector = (await incidentsIn(peer, collectionIdOf('sector:electricity')))!;
    expect(sector.objects).toHaveLength(2);
    const pub = (await incidentsIn(outsider, collectionIdOf('public')))!;
    expect(pub.objects).toHaveLength(1);
    for (const { text } of [sector, pub])
      for (const [what, value] of Object.entries(PLANTED)) expect(text, what).not.toContain(value);
    // What a collection holds is a whole: every reference resolves (markings, impacts, identities).
    const whole = await taxii(app, peer).get(
      `${ROOT}/collections/${collectionIdOf('sector:electricity')}/objects/`,
    );
    const bundle = {
      type: 'bundle',
      id: `bundle--${randomUUID()}`,
      objects: whole.json<{ objects: StixObject[] }>().objects,
    };
    expect(stixProblems(bundle)).toEqual([]);

    // Outside the audience: the collection answers as missing.
    expect(await incidentsIn(peer, orgCollection)).toBeNull();
    expect(await incidentsIn(outsider, collectionIdOf('sector:electricity'))).toBeNull();
    // The center reads every collection, the organisation's whole.
    expect((await incidentsIn(center, orgCollection))!.objects).toHaveLength(3);
    // Each page read is in the audit trail, as the incident list's pages are: who, which collection, how much.
    const reads = await ctx.services.database.db
      .selectFrom('audit_log')
      .select(['actor', 'object_id', 'details'])
      .where('action', '=', 'taxii.read')
      .where('actor', '=', reporter.email)
      .execute();
    expect(reads.map((r) => [r.object_id, JSON.parse(r.details!) as unknown])).toEqual([
      [expect.stringMatching(/^org:\d+$/), { endpoint: 'objects', returned: 3, more: false }],
    ]);
  });

  it('a second run with nothing changed adds nothing; a change publishes a new version', async () => {
    expect(await publish()).toEqual({ incidents: 0, added: 0, withdrawn: 0, more: false });
    const classified = await as(app, center).put(`/api/v1/incidents/${ids.CLEAR}/classification`, {
      event: 'confidentiality.leak',
      causes: ['intentional.info_theft'],
      attack_type: 'malware_other',
    });
    expect(classified.statusCode, classified.body).toBe(200);
    // The impact it names is now another (confidentiality): the old one is withdrawn.
    expect(await publish()).toMatchObject({ incidents: 1 });
    const pub = (await incidentsIn(outsider, collectionIdOf('public')))!;
    const versions = await taxii(app, outsider).get(
      `${ROOT}/collections/${collectionIdOf('public')}/objects/${pub.objects[0]!.id}/versions/`,
    );
    expect(versions.json<{ versions: string[] }>().versions).toHaveLength(2);
  });

  it('a record the center rejects is withdrawn from every collection it was in', async () => {
    const rejected = await as(app, center).post(`/api/v1/incidents/${ids.GREEN}/reject`, {
      reason: 'duplicate',
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    const run = await publish();
    expect(run.incidents).toBe(1);
    expect(run.withdrawn).toBeGreaterThan(0);
    expect((await incidentsIn(peer, collectionIdOf('sector:electricity')))!.objects).toHaveLength(1);
    const own = (await incidentsIn(reporter, orgCollection))!;
    expect(own.text).not.toContain('AKATSUKI-GREEN');
    expect(own.objects).toHaveLength(2);
  });

  it('a run publishes at most its budget; the next goes on inside the same entry', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyoyu-budget-'));
    const file = join(dir, 'three.jsonl');
    const lines = [1, 2, 3].map((n) =>
      JSON.stringify({ ...report(`AKATSUKI-BATCH-${n}`, 'GREEN'), organization: PLANTED.organization }),
    );
    writeFileSync(file, lines.join('\n') + '\n');
    expect((await cli(ctx.url, 'import', file)).code).toBe(0);
    // One import entry lists all three; runs of two take two, then the last one.
    expect(await ctx.services.incidentPublisher.publishChanges(2)).toMatchObject({
      incidents: 2,
      more: true,
    });
    expect(await ctx.services.incidentPublisher.publishChanges(2)).toMatchObject({ incidents: 1 });
    expect(await publish()).toMatchObject({ incidents: 0, more: false });
    const sector = (await incidentsIn(peer, collectionIdOf('sector:electricity')))!;
    expect(sector.objects).toHaveLength(4);
  });

  it('kyoyu taxii publish runs the same publication from the command line, imported reports included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyoyu-publish-'));
    const line = (ref: string, stage: string, at: string) =>
      JSON.stringify({ ...report(ref, 'CLEAR'), organization: PLANTED.organization, stage, received_at: at });
    const file = join(dir, 'reports.jsonl');
    // A new incident, and a final report on one the API created: both changed, both published.
    writeFileSync(
      file,
      [
        line('AKATSUKI-IMPORTED', 'initial', '2024-06-04T10:00:00+09:00'),
        line('AKATSUKI-CLEAR', 'final', '2024-06-05T10:00:00+09:00'),
      ].join('\n') + '\n',
    );
    const imported = await cli(ctx.url, 'import', file);
    expect(imported.code, imported.err).toBe(0);
    const res = await cli(ctx.url, 'taxii', 'publish');
    expect(res.code, res.err).toBe(0);
    expect(res.out).toMatch(/^incidents 2, objects added [1-9][0-9]*, withdrawn \d+\n$/);
    expect((await incidentsIn(outsider, collectionIdOf('public')))!.objects).toHaveLength(2);
    const again = await cli(ctx.url, 'taxii', 'publish');
    expect(again.out).toBe('incidents 0, objects added 0, withdrawn 0\n');
  });
});
