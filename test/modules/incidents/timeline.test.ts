import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestUser } from '../../support/api.js';
import { as, makeUser, testApp } from '../../support/api.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';
import { file } from '../../support/periods.js';
import { wholeState } from '../../support/state.js';

/** An incident's timeline over HTTP: given by its reporter, kept in order, read by who sees it, audited. */
describeEachDialect('the incident timeline on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let operator: TestUser;
  let other: TestUser;
  let id = 0;

  beforeAll(async () => {
    ctx = await testServices(dialect);
    app = await testApp(ctx.services);
    operator = await makeUser(ctx.services, 'operator', 'Alpha Power', ['electricity']);
    other = await makeUser(ctx.services, 'operator', 'Gamma Bank', ['finance']);
    id = await file(app, operator, '2026-11-01T12:00:00+09:00', {
      occurred_at: '2026-11-01T08:00:00+09:00',
      detected_at: '2026-11-01T09:30:00+09:00',
      tlp: 'AMBER',
    });
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('the reporter gives the escalation times; the timeline reads them with the reports’ own', async () => {
    const res = await as(app, operator).put(`/api/v1/incidents/${id}/times`, {
      management_informed_at: '2026-11-01T09:45:00+09:00',
      hq_established_at: '2026-11-01T11:00:00+09:00',
    });
    expect(res.statusCode, res.body).toBe(200);
    const times = res.json<{
      times: Array<{ kind: string; at: string; source: string; given_by: string | null }>;
    }>().times;
    expect(times.map((t) => [t.kind, t.at, t.source])).toEqual([
      ['occurred', '2026-10-31T23:00:00.000Z', 'report'],
      ['aware', '2026-11-01T00:30:00.000Z', 'report'],
      ['management_informed', '2026-11-01T00:45:00.000Z', 'given'],
      ['hq_established', '2026-11-01T02:00:00.000Z', 'given'],
    ]);
    expect(times[2]!.given_by).toBe(operator.email);
    const audit = await ctx.services.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'incident.times')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('refuses times out of order or in the future, and an incident the caller does not see, changing nothing', async () => {
    const before = await wholeState(ctx.services);
    const early = await as(app, operator).put(`/api/v1/incidents/${id}/times`, {
      hq_established_at: '2026-11-01T09:00:00+09:00',
    });
    expect(early.statusCode).toBe(400);
    expect(early.json()).toMatchObject({ error: { code: 'time_out_of_order' } });
    const future = await as(app, operator).put(`/api/v1/incidents/${id}/times`, {
      restored_at: '2999-01-01T00:00:00Z',
    });
    expect(future.json()).toMatchObject({ error: { code: 'time_in_future' } });
    const bad = await as(app, operator).put(`/api/v1/incidents/${id}/times`, {
      restored_at: '2026-11-02 10:00',
    });
    expect(bad.statusCode).toBe(400);
    // Another organisation's operator: an AMBER record it does not see is not found, like a missing one.
    const hidden = await as(app, other).put(`/api/v1/incidents/${id}/times`, {
      restored_at: '2026-11-02T10:00:00+09:00',
    });
    const missing = await as(app, other).put('/api/v1/incidents/999999/times', {
      restored_at: '2026-11-02T10:00:00+09:00',
    });
    expect([hidden.statusCode, missing.statusCode]).toEqual([404, 404]);
    expect((await as(app, other).get(`/api/v1/incidents/${id}/times`)).statusCode).toBe(404);
    expect(await wholeState(ctx.services)).toEqual(before);
  });

  it('the center reads the quarter’s response times and sees the slow escalation among the lesson candidates', async () => {
    const center = await makeUser(ctx.services, 'center_analyst', 'National Center');
    const res = await as(app, center).get('/api/v1/stats/response-times?fy=2026&quarter=3');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{
      incidents: number;
      intervals: Array<{ interval: string; count: number; median_minutes: number | null }>;
      slowest_escalations: Array<{ id: number; minutes: number }>;
    }>();
    expect(body.incidents).toBe(1);
    // Aware 09:30, management 09:45, first report 12:00, headquarters 11:00 (JST).
    expect(body.intervals.map((i) => [i.interval, i.count, i.median_minutes])).toEqual([
      ['aware_to_report', 1, 150],
      ['aware_to_management', 1, 15],
      ['aware_to_hq', 1, 90],
      ['occurred_to_restored', 0, null],
    ]);
    expect(body.slowest_escalations).toEqual([{ id, ref: expect.any(String) as string, minutes: 15 }]);
    const candidates = await as(app, center).get('/api/v1/lessons/candidates?fy=2026&quarter=3');
    expect(candidates.json()).toMatchObject({
      slow_escalations: [{ id, minutes: 15 }],
      aware_to_management_median_minutes: 15,
    });
    expect((await as(app, operator).get('/api/v1/stats/response-times?fy=2026&quarter=3')).statusCode).toBe(
      403,
    );
  });

  it('clears a time with null', async () => {
    const res = await as(app, operator).put(`/api/v1/incidents/${id}/times`, {
      hq_established_at: null,
      restored_at: '2026-11-02T10:00:00+09:00',
    });
    expect(res.json<{ times: Array<{ kind: string }> }>().times.map((t) => t.kind)).toEqual([
      'occurred',
      'aware',
      'management_informed',
      'restored',
    ]);
  });
});
