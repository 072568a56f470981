import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestUser } from '../../support/api.js';
import { makeUser, testApp } from '../../support/api.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';
import { wholeState } from '../../support/state.js';
import { collectionIdOf } from '../../../src/modules/taxii/index.js';
import { inTransaction } from '../../../src/platform/db/transaction.js';
import { ROOT, TAXII, indicator, taxii } from './taxii-support.js';

interface Envelope {
  more?: boolean;
  next?: string;
  objects?: Array<{ id: string; modified: string }>;
}

describeEachDialect('the TAXII 2.1 server on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let center: TestUser;
  let operator: TestUser;
  const publicId = collectionIdOf('public');
  const inboxId = collectionIdOf('center-inbox');
  const objects = `${ROOT}/collections/${publicId}/objects/`;
  const id = 'indicator--6b1a2f38-3a1f-4d0b-9b7d-2f7b4b0b0a01';

  beforeAll(async () => {
    ctx = await testServices(dialect, { KYOYU_BODY_LIMIT_BYTES: '200000' });
    app = await testApp(ctx.services);
    center = await makeUser(ctx.services, 'center_analyst', 'TAXII Center');
    operator = await makeUser(ctx.services, 'operator', 'TAXII Power');
    // Three versions of one object, then 250 others, all in the public collection.
    const many = Array.from({ length: 250 }, (_, i) =>
      indicator(`2024-02-01T00:00:${String(i % 60).padStart(2, '0')}.000Z`),
    );
    await inTransaction(ctx.services.database, (trx) =>
      ctx.services.taxiiStore.addObjects(trx, 'public', [
        indicator('2024-01-01T00:00:00.000Z', id),
        indicator('2024-01-02T00:00:00.000Z', id),
        indicator('2024-01-03T00:00:00.000Z', id),
      ]),
    );
    await inTransaction(ctx.services.database, (trx) =>
      ctx.services.taxiiStore.addObjects(trx, 'public', many),
    );
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('discovery, API root and collections answer in TAXII 2.1', async () => {
    const discovery = await taxii(app, operator).get('/taxii2/', { host: 'taxii.example' });
    expect(discovery.statusCode, discovery.body).toBe(200);
    expect(discovery.headers['content-type']).toBe(TAXII);
    expect(discovery.json<{ api_roots: string[] }>().api_roots).toEqual(['http://taxii.example/taxii2/api/']);
    const root = await taxii(app, operator).get(`${ROOT}/`);
    expect(root.json()).toMatchObject({ versions: [TAXII], max_content_length: 200000 });
    const list = await taxii(app, operator).get(`${ROOT}/collections/`);
    const collections = list.json<{
      collections: Array<{ id: string; alias: string; can_read: boolean; can_write: boolean }>;
    }>().collections;
    expect(collections.find((c) => c.id === publicId)).toMatchObject({ can_read: true, can_write: false });
    expect(collections.find((c) => c.id === inboxId)).toMatchObject({ can_read: false, can_write: true });
    expect(collections.some((c) => c.alias.startsWith('sector:'))).toBe(false);
    const one = await taxii(app, center).get(`${ROOT}/collections/${publicId}/`);
    expect(one.json()).toMatchObject({
      id: publicId,
      can_read: true,
      can_write: true,
      media_types: ['application/stix+json;version=2.1'],
    });
  });

  it('pages through a collection in date_added order with more, next and the date headers', async () => {
    const seen: string[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const res = await taxii(app, operator).get(`${objects}?limit=100${next ? `&next=${next}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json<Envelope>();
      seen.push(...page.objects!.map((o) => o.id));
      expect(res.headers['x-taxii-date-added-first']).toMatch(/^\d{4}-/);
      expect(Boolean(page.next)).toBe(page.more);
      next = page.next;
      pages++;
    } while (next);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(251);
    expect(new Set(seen).size).toBe(251);
    // The first object's three versions: the default is the last.
    expect(seen[0]).toBe(id);
  });

  it('keeps its place when objects are added between pages', async () => {
    const first = await taxii(app, operator).get(`${objects}?limit=10`);
    const page1 = first.json<Envelope>();
    await inTransaction(ctx.services.database, (trx) =>
      ctx.services.taxiiStore.addObjects(trx, 'public', [indicator('2024-03-01T00:00:00.000Z')]),
    );
    const second = await taxii(app, operator).get(`${objects}?limit=10&next=${page1.next}`);
    const page2 = second.json<Envelope>();
    expect(page2.objects!.map((o) => o.id).filter((x) => page1.objects!.some((o) => o.id === x))).toEqual([]);
  });

  it('filters by added_after, match[id], match[type], match[version] and match[spec_version]', async () => {
    const byId = (q: string) =>
      taxii(app, operator)
        .get(`${objects}?match[id]=${id}&${q}`)
        .then((r) => r.json<Envelope>().objects?.map((o) => o.modified));
    expect(await byId('')).toEqual(['2024-01-03T00:00:00.000Z']);
    expect(await byId('match[version]=first')).toEqual(['2024-01-01T00:00:00.000Z']);
    expect(await byId('match[version]=all')).toHaveLength(3);
    expect(await byId('match[version]=first,last')).toHaveLength(2);
    expect(await byId('match[version]=2024-01-02T00:00:00Z')).toEqual(['2024-01-02T00:00:00.000Z']);
    expect(await byId('match[spec_version]=2.0')).toBeUndefined();
    const typed = await taxii(app, operator).get(`${objects}?match[type]=malware`);
    expect(typed.json()).toEqual({});
    const all = await taxii(app, operator).get(`${objects}?limit=1000`);
    const last = all.headers['x-taxii-date-added-last'] as string;
    const after = await taxii(app, operator).get(`${objects}?added_after=${last}`);
    expect(after.json()).toEqual({});
    const bad = await taxii(app, operator).get(`${objects}?match[version]=yesterday`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ http_status: '400', error_code: 'validation_failed' });
  });

  it('serves one object, its versions and the manifest', async () => {
    const one = await taxii(app, operator).get(`${objects}${id}/?match[version]=all`);
    expect(one.json<Envelope>().objects).toHaveLength(3);
    const versions = await taxii(app, operator).get(`${objects}${id}/versions/`);
    expect(versions.json()).toEqual({
      more: false,
      versions: ['2024-01-01T00:00:00.000Z', '2024-01-02T00:00:00.000Z', '2024-01-03T00:00:00.000Z'],
    });
    const manifest = await taxii(app, operator).get(
      `${ROOT}/collections/${publicId}/manifest/?match[id]=${id}`,
    );
    expect(manifest.json<{ objects: unknown[] }>().objects).toEqual([
      expect.objectContaining({
        id,
        version: '2024-01-03T00:00:00.000Z',
        media_type: 'application/stix+json;version=2.1',
      }),
    ]);
    const missing = await taxii(app, operator).get(
      `${objects}indicator--00000000-0000-4000-8000-000000000000/`,
    );
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toBe(TAXII);
  });

  it('adds an envelope (202 and a status), keeps a version once, and reports refusals per object', async () => {
    const good = indicator('2024-05-01T00:00:00.000Z');
    const res = await taxii(app, operator).post(`${ROOT}/collections/${inboxId}/objects/`, {
      objects: [good, good, { type: 'malware', id: 'not-an-id' }],
    });
    expect(res.statusCode, res.body).toBe(202);
    const status = res.json<{
      id: string;
      status: string;
      total_count: number;
      success_count: number;
      failure_count: number;
    }>();
    expect(status).toMatchObject({ status: 'complete', total_count: 3, success_count: 2, failure_count: 1 });
    const again = await taxii(app, operator).get(`${ROOT}/status/${status.id}/`);
    expect(again.json()).toMatchObject({ id: status.id, success_count: 2 });
    const other = await makeUser(ctx.services, 'operator', 'TAXII Other');
    expect((await taxii(app, other).get(`${ROOT}/status/${status.id}/`)).statusCode).toBe(404);
    // The operator writes the inbox but does not read it; the center does.
    expect((await taxii(app, operator).get(`${ROOT}/collections/${inboxId}/objects/`)).statusCode).toBe(403);
    const read = await taxii(app, center).get(`${ROOT}/collections/${inboxId}/objects/`);
    expect(read.json<Envelope>().objects!.map((o) => o.id)).toEqual([good.id]);
  });

  it('deletes an object for a writer that reads, and only then', async () => {
    const doomed = indicator('2024-06-01T00:00:00.000Z');
    await taxii(app, center).post(objects, { objects: [doomed] });
    const before = await wholeState(ctx.services);
    expect((await taxii(app, operator).delete(`${objects}${doomed.id}/`)).statusCode).toBe(403);
    expect(await wholeState(ctx.services)).toEqual(before);
    expect((await taxii(app, center).delete(`${objects}${doomed.id}/`)).statusCode).toBe(200);
    expect((await taxii(app, operator).get(`${objects}${doomed.id}/`)).statusCode).toBe(404);
  });

  it('answers every refusal as a TAXII error resource and changes nothing', async () => {
    const before = await wholeState(ctx.services);
    const cases: Array<
      [number, Promise<{ statusCode: number; headers: Record<string, unknown>; json: () => unknown }>]
    > = [
      [401, taxii(app, null).get(`${ROOT}/collections/`)],
      [406, taxii(app, operator).get(`${ROOT}/`, { accept: 'application/taxii+json;version=2.0' })],
      [406, taxii(app, operator).get(`${ROOT}/`, { accept: 'text/html' })],
      [415, taxii(app, center).post(objects, { objects: [] }, { 'content-type': 'application/json' })],
      [
        415,
        taxii(app, center).post(
          objects,
          { objects: [] },
          { 'content-type': 'application/taxii+json;version=2.0' },
        ),
      ],
      [413, taxii(app, center).post(objects, { objects: [{ pad: 'x'.repeat(250_000) }] })],
      [422, taxii(app, center).post(objects, { not: 'an envelope' })],
      [400, taxii(app, center).post(objects, '{"objects": [')],
      [403, taxii(app, operator).post(objects, { objects: [indicator('2024-07-01T00:00:00.000Z')] })],
      [404, taxii(app, operator).get(`${ROOT}/collections/${collectionIdOf('feed:elsewhere/x')}/`)],
      [404, taxii(app, operator).get(`${ROOT}/collections/${collectionIdOf('org:999999')}/objects/`)],
      [404, taxii(app, operator).get('/taxii2/api/nothing-here/')],
      [400, taxii(app, operator).get(`${objects}?next=forged`)],
      // A control character in an id is refused before the database sees it (it was a 500).
      [400, taxii(app, operator).get(`${ROOT}/collections/%00/manifest/`)],
      [400, taxii(app, operator).get(`${objects}?match[id]=indicator--%01`)],
    ];
    for (const [status, pending] of cases) {
      const res = await pending;
      expect(res.statusCode, JSON.stringify(res.json())).toBe(status);
      expect(res.headers['content-type']).toBe(TAXII);
      const error = res.json() as { title?: unknown; http_status?: unknown; error_code?: unknown };
      expect(typeof error.title).toBe('string');
      expect(typeof error.error_code).toBe('string');
      expect(error.http_status).toBe(String(status));
    }
    expect(await wholeState(ctx.services)).toEqual(before);
    const unauth = await taxii(app, null).get(`${ROOT}/`);
    expect(unauth.headers['www-authenticate']).toMatch(/Basic/);
  });

  it('answers a wrong Basic password exactly as an unknown user, and counts both as failures', async () => {
    const failures = () => ctx.services.database.db.selectFrom('rate_limits').selectAll().execute();
    const before = await failures();
    const wrong = await taxii(app, { basic: `${operator.email}:kyoyu_wrongtoken` }).get(`${ROOT}/`);
    const unknown = await taxii(app, { basic: 'nobody@test.example:kyoyu_wrongtoken' }).get(`${ROOT}/`);
    const shape = (r: typeof wrong) => ({ ...r.json<object>(), error_id: null, status: r.statusCode });
    expect(wrong.statusCode).toBe(401);
    expect(shape(wrong)).toEqual(shape(unknown));
    expect(await failures()).not.toEqual(before);
  });

  it('takes Basic (e-mail and token) as well as Bearer, and STIX in Accept for objects', async () => {
    const basic = await taxii(app, { basic: `${operator.email.toUpperCase()}:${operator.token}` }).get(
      `${ROOT}/collections/${publicId}/`,
    );
    expect(basic.statusCode, basic.body).toBe(200);
    const otherUser = await taxii(app, { basic: `${center.email}:${operator.token}` }).get(`${ROOT}/`);
    expect(otherUser.statusCode).toBe(401);
    const stix = await taxii(app, operator).get(`${objects}?limit=1`, {
      accept: 'application/stix+json;version=2.1',
    });
    expect(stix.statusCode).toBe(200);
    expect(stix.headers['content-type']).toBe('application/stix+json;version=2.1');
  });
});
