import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestUser } from '../../support/api.js';
import { as, makeUser, testApp } from '../../support/api.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';
import { stateSnapshot, tableNames } from '../../support/state.js';

interface Incident {
  id: number;
  ref: string;
  stage: string;
  state: string;
  state_reason: string | null;
  state_note: string | null;
  state_changed_at: string | null;
  final_received_at: string | null;
  version: number;
  reports: unknown[];
}

const report = (ref: string, overrides: Record<string, unknown> = {}) => ({
  ref,
  channel: 'operator_report',
  received_at: '2023-11-02T10:00:00+09:00',
  organization: 'Lifecycle Power',
  sector: 'electricity',
  title: `report ${ref}`,
  description: 'ランサムウェアによる業務停止',
  stage: 'initial',
  event: 'availability.disruption',
  causes: ['intentional.ddos', 'accidental.vulnerability'],
  attack_type: 'ddos',
  ...overrides,
});
const stage = (stageName: string, received_at: string) => ({
  stage: stageName,
  received_at,
  description: `${stageName} at ${received_at}`,
  event: 'availability.disruption',
  causes: ['intentional.ddos'],
  attack_type: 'ddos',
});

describeEachDialect('the record lifecycle on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let op: TestUser, otherOp: TestUser, desk: TestUser, center: TestUser, admin: TestUser;
  let tables: string[];

  /** Every figure a caller can read: the four tables (JSON and CSV) and the sector breakdown. */
  const figures = async () => {
    const json = await as(app, center).get('/api/v1/stats/info-sharing?fy=2023&history=4');
    const csv = await as(app, center).get('/api/v1/stats/info-sharing?fy=2023&history=4&format=csv');
    const sectors = await as(app, center).get('/api/v1/stats/sectors?fy=2023');
    expect([json.statusCode, csv.statusCode, sectors.statusCode]).toEqual([200, 200, 200]);
    return {
      tables: json.json<{ tables: unknown }>().tables,
      csv: csv.body,
      sectors: sectors.json<unknown>(),
    };
  };
  const snapshot = () => stateSnapshot(ctx.services, tables);
  const rollupSum = async () => {
    const rows = await ctx.services.database.db
      .selectFrom('stat_rollup')
      .select(['month', 'tbl', 'code', 'n'])
      .execute();
    const sums = new Map<string, number>();
    for (const r of rows) {
      const key = `${r.month}|${r.tbl}|${r.code}`;
      sums.set(key, (sums.get(key) ?? 0) + Number(r.n));
    }
    return Object.fromEntries([...sums].filter(([, n]) => n !== 0).sort());
  };
  const auditOf = (id: number) =>
    ctx.services.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor', 'details'])
      .where('object_type', '=', 'incident')
      .where('object_id', '=', String(id))
      .orderBy('id')
      .execute();
  const file = async (user: TestUser, ref: string, overrides: Record<string, unknown> = {}) => {
    const res = await as(app, user).post('/api/v1/incidents', report(ref, overrides));
    expect(res.statusCode, res.body).toBe(201);
    return res.json<Incident>();
  };

  beforeAll(async () => {
    ctx = await testServices(dialect);
    app = await testApp(ctx.services);
    op = await makeUser(ctx.services, 'operator', 'Lifecycle Power');
    otherOp = await makeUser(ctx.services, 'operator', 'Other Water');
    desk = await makeUser(ctx.services, 'sector_desk', 'Energy Desk', ['electricity']);
    center = await makeUser(ctx.services, 'center_analyst', 'Center');
    admin = await makeUser(ctx.services, 'admin', 'Center');
    tables = await tableNames(ctx.services);
    await file(op, 'BASE-1', { received_at: '2023-05-10T09:00:00+09:00' });
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('a rejected or withdrawn report counts nowhere, is kept as evidence, is audited, and restore counts it again', async () => {
    const before = await figures();
    const filed = await file(op, 'REJ-1');
    const counted = await figures();
    expect(counted).not.toEqual(before);

    const rejected = await as(app, center).post(`/api/v1/incidents/${filed.id}/reject`, {
      reason: 'duplicate',
      note: 'same as BASE-1',
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json<Incident>()).toMatchObject({
      state: 'rejected',
      state_reason: 'duplicate',
      state_note: 'same as BASE-1',
      version: filed.version + 1,
    });
    expect(rejected.headers.etag).toBe(`"v${filed.version + 1}"`);
    // Every count exactly as before the report was filed.
    expect(await figures()).toEqual(before);

    // Kept: the reporter still reads it with its state, reason and stage reports.
    const read = await as(app, op).get(`/api/v1/incidents/${filed.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json<Incident>()).toMatchObject({ state: 'rejected', state_reason: 'duplicate' });
    expect(read.json<Incident>().reports).toHaveLength(1);

    // The center's classification of a rejected record moves no count either.
    const classified = await as(app, center).put(`/api/v1/incidents/${filed.id}/classification`, {
      event: 'integrity.destruction',
      causes: ['other.unknown'],
      attack_type: null,
    });
    expect(classified.statusCode).toBe(200);
    expect(await figures()).toEqual(before);
    expect((await as(app, center).delete(`/api/v1/incidents/${filed.id}/classification`)).statusCode).toBe(
      200,
    );
    expect(await figures()).toEqual(before);

    const restored = await as(app, center).post(`/api/v1/incidents/${filed.id}/restore`, {});
    expect(restored.statusCode, restored.body).toBe(200);
    expect(restored.json<Incident>()).toMatchObject({ state: 'received', state_reason: null });
    expect(await figures()).toEqual(counted);

    const withdrawn = await as(app, center).post(`/api/v1/incidents/${filed.id}/withdraw`, {
      note: 'the operator asked: sent by mistake',
    });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(withdrawn.json<Incident>()).toMatchObject({ state: 'withdrawn', state_reason: 'withdrawn' });
    expect(await figures()).toEqual(before);
    expect((await as(app, center).post(`/api/v1/incidents/${filed.id}/restore`, {})).statusCode).toBe(200);
    expect(await figures()).toEqual(counted);

    const trail = await auditOf(filed.id);
    const decisions = trail.filter((e) => /^incident\.(reject|withdraw|restore)$/.test(e.action));
    expect(decisions.map((e) => e.action)).toEqual([
      'incident.reject',
      'incident.restore',
      'incident.withdraw',
      'incident.restore',
    ]);
    expect(decisions.every((e) => e.actor === center.email)).toBe(true);
    expect(JSON.parse(decisions[0]!.details!)).toMatchObject({
      from: 'received',
      to: 'rejected',
      reason: 'duplicate',
      note: 'same as BASE-1',
    });
  });

  it('lists received records by default; the center asks for rejected, withdrawn or all; the review queue never shows them', async () => {
    const kept = await file(op, 'LIST-1');
    const gone = await file(op, 'LIST-2');
    expect(
      (await as(app, center).post(`/api/v1/incidents/${gone.id}/reject`, { reason: 'test' })).statusCode,
    ).toBe(200);
    const ids = async (user: TestUser, query: string) => {
      const res = await as(app, user).get(`/api/v1/incidents?limit=200${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ items: Incident[] }>().items.map((i) => i.id);
    };
    for (const user of [op, center]) {
      expect(await ids(user, '')).toContain(kept.id);
      expect(await ids(user, '')).not.toContain(gone.id);
    }
    expect(await ids(center, '&review=pending')).not.toContain(gone.id);
    expect(await ids(center, '&review=pending')).toContain(kept.id);
    expect(await ids(center, '&state=rejected')).toEqual([gone.id]);
    expect(await ids(center, '&state=withdrawn')).toEqual([]);
    expect(await ids(center, '&state=all')).toEqual(expect.arrayContaining([kept.id, gone.id]));
    for (const user of [op, desk, admin]) {
      const res = await as(app, user).get('/api/v1/incidents?state=rejected');
      expect(res.statusCode).toBe(403);
    }
    expect((await as(app, center).get('/api/v1/incidents?state=rejected&review=pending')).statusCode).toBe(
      400,
    );
  });

  it('refuses reports to a rejected or withdrawn incident, changing nothing', async () => {
    const filed = await file(op, 'REF-1');
    await as(app, center).post(`/api/v1/incidents/${filed.id}/reject`, {
      reason: 'not_critical_infrastructure',
    });
    const before = await snapshot();
    const stageRes = await as(app, op).post(
      `/api/v1/incidents/${filed.id}/reports`,
      stage('update', '2023-11-03T10:00:00+09:00'),
    );
    expect(stageRes.statusCode).toBe(409);
    expect(stageRes.json<{ error: { code: string } }>().error.code).toBe('incident_rejected');
    const viaRef = await as(app, op).post(
      '/api/v1/incidents',
      report('REF-1', { stage: 'update', received_at: '2023-11-04T10:00:00+09:00' }),
    );
    expect(viaRef.json<{ error: { code: string } }>().error.code).toBe('incident_rejected');
    expect(await snapshot()).toEqual(before);

    await as(app, center).post(`/api/v1/incidents/${filed.id}/restore`, {});
    await as(app, center).post(`/api/v1/incidents/${filed.id}/withdraw`, { note: 'asked' });
    const withdrawnBefore = await snapshot();
    const res = await as(app, op).post(
      `/api/v1/incidents/${filed.id}/reports`,
      stage('update', '2023-11-03T10:00:00+09:00'),
    );
    expect(res.json<{ error: { code: string } }>().error.code).toBe('incident_withdrawn');
    expect(await snapshot()).toEqual(withdrawnBefore);
  });

  it('honours If-Match: a stale version gets 412 and changes nothing', async () => {
    const filed = await file(op, 'IFM-1');
    const before = await snapshot();
    const stale = await as(app, center).post(
      `/api/v1/incidents/${filed.id}/reject`,
      { reason: 'test' },
      { 'if-match': `"v${filed.version + 5}"` },
    );
    expect(stale.statusCode).toBe(412);
    expect(await snapshot()).toEqual(before);
    const fresh = await as(app, center).post(
      `/api/v1/incidents/${filed.id}/reject`,
      { reason: 'test' },
      { 'if-match': `"v${filed.version}"` },
    );
    expect(fresh.statusCode).toBe(200);
  });

  it('concurrent decisions on one record: exactly one wins, the rollup moves once', async () => {
    const before = await rollupSum();
    const filed = await file(op, 'RACE-1');
    const decide = (i: number) =>
      as(app, center).post(
        `/api/v1/incidents/${filed.id}/reject`,
        { reason: 'duplicate', note: `race ${i}` },
        i % 2 === 0 ? { 'if-match': `"v${filed.version}"` } : {},
      );
    const answers = await Promise.all(Array.from({ length: 16 }, (_, i) => decide(i)));
    const statuses = answers.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.every((s) => [200, 409, 412].includes(s))).toBe(true);
    expect(await rollupSum()).toEqual(before);
    const trail = await auditOf(filed.id);
    expect(trail.filter((e) => e.action === 'incident.reject')).toHaveLength(1);
  });

  it('refuses bad decisions with a stable code and changes nothing', async () => {
    const filed = await file(op, 'BAD-1');
    const before = await snapshot();
    const rollup = await rollupSum();
    const cases: Array<[string, object, number, string]> = [
      ['reject', {}, 400, 'validation_failed'],
      ['reject', { reason: 'bored' }, 400, 'validation_failed'],
      ['reject', { reason: 'other' }, 400, 'validation_failed'],
      ['withdraw', {}, 400, 'validation_failed'],
      ['restore', {}, 409, 'lifecycle_conflict'],
      ['reopen', {}, 409, 'lifecycle_conflict'],
    ];
    for (const [action, body, status, code] of cases) {
      const res = await as(app, center).post(`/api/v1/incidents/${filed.id}/${action}`, body);
      expect([action, res.statusCode, res.json<{ error: { code: string } }>().error.code]).toEqual([
        action,
        status,
        code,
      ]);
    }
    expect(await snapshot()).toEqual(before);
    await as(app, center).post(`/api/v1/incidents/${filed.id}/reject`, { reason: 'test' });
    const res = await as(app, center).post(`/api/v1/incidents/${filed.id}/withdraw`, { note: 'x' });
    expect(res.json<{ error: { code: string } }>().error.code).toBe('lifecycle_conflict');
    await as(app, center).post(`/api/v1/incidents/${filed.id}/restore`, {});
    // Rejected and restored: the rollup holds exactly what it held.
    expect(await rollupSum()).toEqual(rollup);
  });

  it('a caller without the right, or who cannot see the record, gets the answer of a missing record and changes nothing', async () => {
    const filed = await file(op, 'HID-1', { tlp: 'RED' });
    const before = await snapshot();
    const rollup = await rollupSum();
    const bodies = {
      reject: { reason: 'test' },
      withdraw: { note: 'x' },
      restore: {},
      reopen: {},
    };
    for (const [action, body] of Object.entries(bodies)) {
      for (const user of [op, otherOp, desk, admin]) {
        const existing = await as(app, user).post(`/api/v1/incidents/${filed.id}/${action}`, body, {
          'if-match': '"v999"',
        });
        const missing = await as(app, user).post(`/api/v1/incidents/999999/${action}`, body, {
          'if-match': '"v999"',
        });
        expect(existing.statusCode).toBe(missing.statusCode);
        expect(existing.json<{ error: unknown }>().error).toEqual(missing.json<{ error: unknown }>().error);
      }
      const missing = await as(app, center).post(`/api/v1/incidents/999999/${action}`, body);
      expect(missing.statusCode).toBe(404);
    }
    // Past the route's gate (as another module may call it), the record is looked up through the
    // caller's visibility before anything else: 404 exactly like a missing one, not 412 or 403.
    const outsider = await ctx.services.accounts.actorForToken(otherOp.token);
    for (const id of [filed.id, 999999]) {
      const error = await ctx.services.lifecycle
        .apply(outsider!, id, 'reject', { reason: 'test' }, 999)
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 404, code: 'not_found' });
    }
    expect(await snapshot()).toEqual(before);
    expect(await rollupSum()).toEqual(rollup);
  });
});
