import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestUser } from '../../support/api.js';
import { as, countRows, makeUser, testApp } from '../../support/api.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';

const report = (ref: string, organization: string, sector = 'electricity') => ({
  ref,
  channel: 'operator_report',
  received_at: '2023-10-05T08:00:00+09:00',
  organization,
  sector,
  title: 'ransomware via an unpatched VPN device',
  description: 'VPN 装置の脆弱性を悪用された',
  stage: 'initial',
  event: 'integrity.destruction',
  causes: ['accidental.vulnerability'],
  attack_type: 'ransomware',
});

describeEachDialect('authorisation on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let opA: TestUser, opB: TestUser, deskPower: TestUser, deskFinance: TestUser, center: TestUser;
  let incidentA: number;

  beforeAll(async () => {
    // Every route is called with a bad token: more than the per-address limit of bad tokens allows.
    ctx = await testServices(dialect, { KYOYU_BAD_TOKENS_PER_MINUTE: '100000' });
    app = await testApp(ctx.services);
    opA = await makeUser(ctx.services, 'operator', 'Alpha Power');
    opB = await makeUser(ctx.services, 'operator', 'Beta Power');
    deskPower = await makeUser(ctx.services, 'sector_desk', 'METI desk', ['electricity']);
    deskFinance = await makeUser(ctx.services, 'sector_desk', 'FSA desk', ['finance']);
    center = await makeUser(ctx.services, 'center_analyst', 'Center');
    const res = await as(app, opA).post('/api/v1/incidents', report('A-1', 'Alpha Power'));
    expect(res.statusCode).toBe(201);
    incidentA = res.json<{ id: number }>().id;
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('an operator reads its own incident', async () => {
    const res = await as(app, opA).get(`/api/v1/incidents/${incidentA}`);
    expect(res.statusCode).toBe(200);
    expect(res.json<{ organization: string }>().organization).toBe('Alpha Power');
  });

  it("another organisation's operator gets the same 404 as for an incident that does not exist", async () => {
    const hidden = await as(app, opB).get(`/api/v1/incidents/${incidentA}`);
    const missing = await as(app, opB).get('/api/v1/incidents/999999');
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json<{ error: { code: string } }>().error.code).toBe('not_found');
    expect({ ...hidden.json<{ error: object }>().error }).toEqual({
      ...missing.json<{ error: object }>().error,
    });
  });

  it("another organisation's operator does not see it in lists", async () => {
    const res = await as(app, opB).get('/api/v1/incidents?fy=2023');
    expect(res.statusCode).toBe(200);
    expect(res.json<{ items: unknown[] }>().items).toEqual([]);
    const own = await as(app, opA).get('/api/v1/incidents?fy=2023');
    expect(own.json<{ items: Array<{ id: number }> }>().items.map((i) => i.id)).toEqual([incidentA]);
  });

  it("another organisation's operator cannot add a stage to it, and nothing is stored", async () => {
    const before = await countRows(ctx.services, 'stage_reports');
    const res = await as(app, opB).post(`/api/v1/incidents/${incidentA}/reports`, {
      stage: 'final',
      received_at: '2023-10-06T08:00:00+09:00',
      description: 'hijack attempt',
      event: 'other',
      causes: ['other.unknown'],
      attack_type: null,
    });
    expect(res.statusCode).toBe(404);
    expect(await countRows(ctx.services, 'stage_reports')).toBe(before);
  });

  it('an operator cannot report for another organisation', async () => {
    const before = await countRows(ctx.services, 'incidents');
    const res = await as(app, opB).post('/api/v1/incidents', report('B-1', 'Alpha Power'));
    expect(res.statusCode).toBe(403);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('organization_mismatch');
    expect(await countRows(ctx.services, 'incidents')).toBe(before);
  });

  it('the same ref from two organisations makes two incidents, each seen only by its owner', async () => {
    const a = await as(app, opA).post('/api/v1/incidents', report('SHARED-REF', 'Alpha Power'));
    const b = await as(app, opB).post('/api/v1/incidents', report('SHARED-REF', 'Beta Power'));
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(a.json<{ id: number }>().id).not.toBe(b.json<{ id: number }>().id);
    expect((await as(app, opB).get(`/api/v1/incidents/${a.json<{ id: number }>().id}`)).statusCode).toBe(404);
  });

  it("a sector desk reads its sectors' incidents only, and cannot write them", async () => {
    expect((await as(app, deskPower).get(`/api/v1/incidents/${incidentA}`)).statusCode).toBe(200);
    expect((await as(app, deskFinance).get(`/api/v1/incidents/${incidentA}`)).statusCode).toBe(404);
    const list = await as(app, deskFinance).get('/api/v1/incidents');
    expect(list.json<{ items: unknown[] }>().items).toEqual([]);
    const write = await as(app, deskPower).post(`/api/v1/incidents/${incidentA}/reports`, {
      stage: 'update',
      received_at: '2023-10-06T08:00:00+09:00',
      description: 'x',
      event: 'other',
      causes: ['other.unknown'],
    });
    expect(write.statusCode).toBe(403);
    expect((await as(app, deskPower).post('/api/v1/incidents', report('D-1', 'METI desk'))).statusCode).toBe(
      403,
    );
  });

  it('only the center classifies; operators and desks are refused', async () => {
    const body = { event: 'availability.disruption', causes: ['intentional.ddos'], attack_type: 'ddos' };
    for (const user of [opA, deskPower]) {
      expect(
        (await as(app, user).put(`/api/v1/incidents/${incidentA}/classification`, body)).statusCode,
      ).toBe(403);
    }
    const res = await as(app, center).put(`/api/v1/incidents/${incidentA}/classification`, body);
    expect(res.statusCode).toBe(200);
    expect(res.json<{ classification: { by: string; event: string } }>().classification).toMatchObject({
      by: 'center',
      event: 'availability.disruption',
    });
  });

  it('channels: operators cannot create agency shares or center provisions', async () => {
    const share = { received_at: '2023-07-20T10:00:00+09:00', title: 'vendor advisory', body: '...' };
    expect((await as(app, opA).post('/api/v1/agency-shares', share)).statusCode).toBe(403);
    expect((await as(app, opA).post('/api/v1/center-provisions', share)).statusCode).toBe(403);
    expect((await as(app, deskPower).post('/api/v1/agency-shares', share)).statusCode).toBe(201);
    expect((await as(app, deskPower).post('/api/v1/center-provisions', share)).statusCode).toBe(403);
    expect((await as(app, center).post('/api/v1/center-provisions', share)).statusCode).toBe(201);
  });

  it('no route answers without a valid token except the docs, the health check and sign-in', async () => {
    const routes = app.registeredRoutes;
    expect(routes.length).toBeGreaterThan(10);
    const open: string[] = [];
    for (const route of routes) {
      const url = route.url.replace(':id', String(incidentA)).replace('*', 'index.html');
      for (const token of [null, { ...opA, token: 'kyo_' + 'x'.repeat(43) }]) {
        const res = await app.inject({
          method: route.method as 'GET',
          url,
          ...(token ? { headers: { authorization: `Bearer ${token.token}` } } : {}),
        });
        if (res.statusCode !== 401) open.push(`${route.method} ${route.url} -> ${res.statusCode}`);
        // The TAXII server answers in TAXII's error resource (§3.6.1), with kyoyu's code in it.
        else if (route.url.startsWith('/taxii2'))
          expect(res.json<{ error_code: string }>().error_code).toBe('unauthenticated');
        else expect(res.json<{ error: { code: string } }>().error.code).toBe('unauthenticated');
      }
    }
    const allowed = open.filter(
      (o) =>
        !/ \/api\/docs| \/api\/v1\/health | \/api\/v1\/openapi\.json |^POST \/api\/v1\/auth\/login | \/ ->/.test(
          o,
        ),
    );
    expect(allowed).toEqual([]);
    expect((await app.inject({ url: '/api/v1/health' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/v1/openapi.json' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/docs' })).statusCode).toBeLessThan(400);
    expect((await app.inject({ url: '/api/v1/no-such-route' })).statusCode).toBe(401);
  });

  it('every route declares a policy', () => {
    const undeclared = app.registeredRoutes.filter((r) => !r.policy && !r.url.startsWith('/api/docs'));
    expect(undeclared).toEqual([]);
  });
});
