import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestUser } from '../../support/api.js';
import { as, makeUser, testApp } from '../../support/api.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';
import { wholeState } from '../../support/state.js';

/**
 * Over HTTP: occurred and detected times in and out of the API and the OpenAPI document; an
 * operator reports under its organisation's sector only; the description is required.
 */

interface ErrorBody {
  error: { code: string; message: string; details?: Array<{ field: string; code: string }> };
}
const report = (over: Record<string, unknown> = {}) => ({
  channel: 'operator_report',
  received_at: '2024-07-01T10:00:00+09:00',
  sector: 'electricity',
  title: 'http times',
  description: 'what happened',
  stage: 'initial',
  event: 'other',
  causes: ['other.unknown'],
  attack_type: null,
  ...over,
});

describeEachDialect('incident times over HTTP on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let operator: TestUser, unregistered: TestUser, center: TestUser;

  beforeAll(async () => {
    ctx = await testServices(dialect);
    app = await testApp(ctx.services);
    operator = await makeUser(ctx.services, 'operator', 'HTTP Power');
    // The organisation is registered under electricity (as the demo's operator is).
    await ctx.services.database.db
      .updateTable('organizations')
      .set({ sector: 'electricity' })
      .where('name', '=', 'HTTP Power')
      .execute();
    unregistered = await makeUser(ctx.services, 'operator', 'No Sector Yet');
    center = await makeUser(ctx.services, 'center_analyst', 'Center');
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  const refused = async (user: TestUser, url: string, body: object, lang?: string) => {
    const before = await wholeState(ctx.services);
    const res = await as(app, user).post(url, body, lang ? { 'accept-language': lang } : {});
    expect(await wholeState(ctx.services)).toEqual(before);
    return { status: res.statusCode, body: res.json<ErrorBody>() };
  };

  it('takes the times in a report and answers them on the incident and its reports', async () => {
    const res = await as(app, operator).post(
      '/api/v1/incidents',
      report({ occurred_at: '2024-07-01T06:00:00+09:00', detected_at: '2024-07-01T09:00:00+09:00' }),
    );
    expect(res.statusCode).toBe(201);
    const id = res.json<{ id: number }>().id;
    const read = (await as(app, operator).get(`/api/v1/incidents/${id}`)).json<{
      occurred_at: string;
      detected_at: string;
      reports: Array<{ occurred_at: string | null; detected_at: string | null }>;
    }>();
    expect([read.occurred_at, read.detected_at]).toEqual([
      '2024-06-30T21:00:00.000Z',
      '2024-07-01T00:00:00.000Z',
    ]);
    expect(read.reports[0]).toMatchObject({ occurred_at: read.occurred_at, detected_at: read.detected_at });
    const stage = await as(app, operator).post(`/api/v1/incidents/${id}/reports`, {
      received_at: '2024-07-02T10:00:00+09:00',
      detected_at: '2024-07-01T08:00:00+09:00',
      description: 'detected earlier than first said',
      event: 'other',
      causes: ['other.unknown'],
    });
    expect(stage.statusCode).toBe(201);
    expect(stage.json<{ detected_at: string }>().detected_at).toBe('2024-06-30T23:00:00.000Z');
    const listed = (await as(app, operator).get('/api/v1/incidents')).json<{
      items: Array<{ id: number; detected_at: string | null }>;
    }>();
    expect(listed.items.find((i) => i.id === id)?.detected_at).toBe('2024-06-30T23:00:00.000Z');
  });

  it('refuses times out of order with the rule’s code, in the language asked for', async () => {
    const bad = report({
      occurred_at: '2024-07-01T09:00:00+09:00',
      detected_at: '2024-07-01T08:00:00+09:00',
    });
    const ja = await refused(operator, '/api/v1/incidents', bad);
    expect(ja.status).toBe(400);
    expect(ja.body.error.code).toBe('detected_before_occurred');
    expect(ja.body.error.message).toMatch(/検知日時が発生日時より前/);
    expect(ja.body.error.details).toEqual([
      expect.objectContaining({ field: 'body.detected_at', code: 'detected_before_occurred' }),
    ]);
    const en = await refused(operator, '/api/v1/incidents', bad, 'en');
    expect(en.body.error.message).toMatch(/^detected_at \(.*\) is before occurred_at/);
    const late = await refused(
      operator,
      '/api/v1/incidents',
      report({ detected_at: '2024-07-01T11:00:00+09:00' }),
    );
    expect(late.body.error.code).toBe('received_before_detected');
    const local = await refused(operator, '/api/v1/incidents', report({ occurred_at: '2024-07-01T09:00' }));
    expect(local.body.error.details).toEqual([
      expect.objectContaining({ field: 'body.occurred_at', code: 'time_without_offset' }),
    ]);
  });

  it('refuses a share or provision that names incident times', async () => {
    const res = await refused(center, '/api/v1/incidents', {
      channel: 'center_provision',
      received_at: '2024-07-01T10:00:00+09:00',
      title: 'provision',
      description: 'b',
      occurred_at: '2024-07-01T09:00:00+09:00',
    });
    expect(res.body.error.details).toEqual([
      expect.objectContaining({ field: 'body.occurred_at', code: 'not_allowed_for_channel' }),
    ]);
  });

  it('requires a description that is not blank, for a report and a stage report', async () => {
    const res = await refused(operator, '/api/v1/incidents', report({ description: ' \n ' }));
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([
      expect.objectContaining({ field: 'body.description', code: 'required' }),
    ]);
    const created = await as(app, operator).post('/api/v1/incidents', report({ title: 'for a stage' }));
    const stage = await refused(operator, `/api/v1/incidents/${created.json<{ id: number }>().id}/reports`, {
      received_at: '2024-07-02T10:00:00+09:00',
      description: '',
      event: 'other',
      causes: ['other.unknown'],
    });
    expect(stage.body.error.details).toEqual([
      expect.objectContaining({ field: 'body.description', code: 'required' }),
    ]);
  });

  it('an operator reports under its organisation’s sector only; the center under any', async () => {
    const me = (await as(app, operator).get('/api/v1/me')).json<{ organization_sectors: string[] }>();
    expect(me.organization_sectors).toEqual(['electricity']);
    const other = await refused(operator, '/api/v1/incidents', report({ sector: 'gas', title: 'gas' }));
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('sector_mismatch');
    const created = await as(app, operator).post('/api/v1/incidents', report({ title: 'own sector' }));
    expect(created.statusCode).toBe(201);
    const stage = await refused(operator, `/api/v1/incidents/${created.json<{ id: number }>().id}/reports`, {
      received_at: '2024-07-02T10:00:00+09:00',
      sector: 'gas',
      description: 'moved',
      event: 'other',
      causes: ['other.unknown'],
    });
    expect(stage.body.error.code).toBe('sector_mismatch');
    // No sector recorded for the organisation: nothing to hold it to.
    expect(
      (await as(app, unregistered).get('/api/v1/me')).json<{ organization_sectors: string[] }>(),
    ).toMatchObject({
      organization_sectors: [],
    });
    expect(
      (await as(app, unregistered).post('/api/v1/incidents', report({ sector: 'gas' }))).statusCode,
    ).toBe(201);
    const byCenter = await as(app, center).post(
      '/api/v1/incidents',
      report({ organization: 'HTTP Power', sector: 'gas', title: 'center files' }),
    );
    expect(byCenter.statusCode).toBe(201);
  });

  it('documents the times in the OpenAPI document, in the report and the answer', async () => {
    const doc = (await app.inject({ url: '/api/v1/openapi.json' })).json<{
      paths: Record<string, Record<string, { requestBody?: unknown; responses?: unknown }>>;
    }>();
    const post = doc.paths['/api/v1/incidents']!.post!;
    const stage = doc.paths['/api/v1/incidents/{id}/reports']!.post!;
    for (const part of [post.requestBody, post.responses, stage.requestBody]) {
      const text = JSON.stringify(part);
      expect(text).toContain('"occurred_at"');
      expect(text).toContain('"detected_at"');
    }
    expect(JSON.stringify(post.requestBody)).toContain('occurred_at <= detected_at <= received_at');
  });
});
