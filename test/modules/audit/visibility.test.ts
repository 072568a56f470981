import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestUser } from '../../support/api.js';
import { as, makeUser, testApp } from '../../support/api.js';
import { cli } from '../../support/cli.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';

interface Item {
  id: number;
  action: string;
  actor: string;
  object_type: string | null;
  object_id: string | null;
  details: unknown;
  details_hidden: boolean;
  hash: string | null;
  prev_hash: string | null;
}

const report = (ref: string, tlp: string) => ({
  ref,
  channel: 'operator_report',
  received_at: '2023-11-01T09:00:00+09:00',
  organization: 'Red Water',
  sector: 'water',
  title: '浄水場の制御端末',
  description: '調査中',
  stage: 'initial',
  event: 'other',
  causes: ['other.unknown'],
  attack_type: null,
  tlp,
});

// What the admin must not learn: the RED ref, the center's classification of it, the analyst's search.
const RED_REF = 'RED-SECRET-7731';
const CLASSIFICATION = {
  event: 'availability.disruption',
  causes: ['accidental.equipment_failure'],
  attack_type: null,
};
const TERM = '極秘検索語';

describeEachDialect('audit entries without the details the reader may not see, on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let op: TestUser, center: TestUser, admin: TestUser;
  let redId: number, greenId: number;

  beforeAll(async () => {
    ctx = await testServices(dialect);
    app = await testApp(ctx.services);
    op = await makeUser(ctx.services, 'operator', 'Red Water');
    center = await makeUser(ctx.services, 'center_analyst', 'Center');
    admin = await makeUser(ctx.services, 'admin', 'Admins');
    const red = await as(app, op).post('/api/v1/incidents', report(RED_REF, 'RED'));
    expect(red.statusCode).toBe(201);
    redId = red.json<{ id: number }>().id;
    const green = await as(app, op).post('/api/v1/incidents', report('GREEN-OPEN-1', 'GREEN'));
    greenId = green.json<{ id: number }>().id;
    const put = await as(app, center).put(`/api/v1/incidents/${redId}/classification`, CLASSIFICATION);
    expect(put.statusCode).toBe(200);
    expect((await as(app, center).get(`/api/v1/incidents?q=${encodeURIComponent(TERM)}`)).statusCode).toBe(
      200,
    );
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it("an admin sees who did what to which record and when, but not a RED record's ref, classification, nor the analyst's search", async () => {
    const res = await as(app, admin).get('/api/v1/audit?limit=500');
    expect(res.statusCode).toBe(200);
    for (const secret of [RED_REF, TERM, 'availability.disruption', 'accidental.equipment_failure'])
      expect(res.body).not.toContain(secret);
    const items = res.json<{ items: Item[] }>().items;
    const of = (action: string, objectId?: number) =>
      items.find((e) => e.action === action && (objectId === undefined || e.object_id === String(objectId)))!;
    const withheld = { details: null, details_hidden: true, hash: null, prev_hash: null };
    expect(of('incident.classify', redId)).toMatchObject({
      actor: center.email,
      object_type: 'incident',
      ...withheld,
    });
    expect(of('incident.create', redId)).toMatchObject({ actor: op.email, ...withheld });
    expect(of('incidents.list')).toMatchObject({ actor: center.email, ...withheld });
    // A record the admin may see keeps its details (and its own hash; no entry shows its predecessor's).
    const green = of('incident.create', greenId);
    expect(green).toMatchObject({ details: { ref: 'GREEN-OPEN-1' }, details_hidden: false, prev_hash: null });
    expect(green.hash).toMatch(/^[0-9a-f]{64}$/);

    // The incident's own trail (what the incident page shows) is filtered the same way.
    const trail = await as(app, admin).get(`/api/v1/audit?object_type=incident&object_id=${redId}`);
    expect(trail.body).not.toContain(RED_REF);
    expect(trail.json<{ items: Item[] }>().items.map((e) => [e.action, e.details_hidden])).toEqual([
      ['incident.classify', true],
      ['incident.create', true],
    ]);
  });

  it('the CLI on the server (the operators of the database) sees every detail', async () => {
    const byId = await cli(
      ctx.url,
      'audit',
      'list',
      '--object-type',
      'incident',
      '--object-id',
      String(redId),
    );
    expect(byId.code).toBe(0);
    const entries = byId.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Item);
    expect(entries.map((e) => [e.action, e.details])).toEqual([
      ['incident.classify', { ...CLASSIFICATION, version: 2 }],
      ['incident.create', expect.objectContaining({ ref: RED_REF })],
    ]);
    const lists = await cli(ctx.url, 'audit', 'list', '--action', 'incidents.list');
    expect((JSON.parse(lists.out.trim().split('\n')[0]!) as Item).details).toMatchObject({
      filter: { q: TERM },
    });
    expect((await cli(ctx.url, 'audit', 'list', '--limit', '0')).err).toMatch(/--limit must be 1-500/);
  });

  it('a cursor beyond the id column is a 400 like the incident list, not a 500 (2147483648)', async () => {
    const cursor = (s: string) => Buffer.from(s).toString('base64url');
    expect(cursor('2147483648')).toBe('MjE0NzQ4MzY0OA');
    for (const value of ['2147483648', '999999999999999', '0', '-1', '12a']) {
      const res = await as(app, admin).get(`/api/v1/audit?cursor=${cursor(value)}`);
      expect(res.statusCode, value).toBe(400);
      expect(res.json()).toMatchObject({
        error: { code: 'validation_failed', details: [{ field: 'cursor', code: 'invalid_value' }] },
      });
    }
    // The same answer as the incident list's cursor beyond the id column.
    const list = await as(app, admin).get(
      `/api/v1/incidents?cursor=${cursor('2023-01-01T00:00:00.000Z|2147483648')}`,
    );
    const audit = await as(app, admin).get('/api/v1/audit?cursor=MjE0NzQ4MzY0OA');
    expect([audit.statusCode, audit.json<{ error: object }>().error]).toEqual([
      list.statusCode,
      list.json<{ error: object }>().error,
    ]);
    const last = await as(app, admin).get(`/api/v1/audit?cursor=${cursor(String(2 ** 31 - 1))}`);
    expect(last.statusCode).toBe(200);
  });
});
