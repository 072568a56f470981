import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestUser } from '../../support/api.js';
import { as, makeUser, testApp } from '../../support/api.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';

interface Incident {
  id: number;
  ref: string;
  stage: string;
  fiscal_year: number;
  fiscal_quarter: number;
  first_received_at: string;
  classification: { event: string; causes: string[]; attack_type: string | null; by: string } | null;
  reporter_classification: { event: string } | null;
  reports: Array<{ stage: string; received_at_as_sent: string }>;
}

const initial = {
  ref: 'INC-1',
  channel: 'operator_report',
  received_at: '2023-12-31T23:59:59+09:00',
  organization: 'Stage Water',
  sector: 'water',
  title: '浄水場の監視システム停止',
  description: '原因調査中',
  stage: 'initial',
  event: 'other',
  causes: ['other.unknown'],
  attack_type: null,
};

describeEachDialect('incidents through the API on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let op: TestUser, center: TestUser;
  let id: number;
  const q3 = async () => (await ctx.services.stats.infoSharing(2023, 0)).tables;

  beforeAll(async () => {
    ctx = await testServices(dialect);
    app = await testApp(ctx.services);
    op = await makeUser(ctx.services, 'operator', 'Stage Water');
    center = await makeUser(ctx.services, 'center_analyst', 'Center');
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('an initial report counts in the quarter it was received (JST), under its classification', async () => {
    const res = await as(app, op).post('/api/v1/incidents', initial);
    expect(res.statusCode).toBe(201);
    const body = res.json<Incident>();
    id = body.id;
    expect(body).toMatchObject({ ref: 'INC-1', fiscal_year: 2023, fiscal_quarter: 3, stage: 'initial' });
    const t = await q3();
    expect(t.channels.operator_report).toEqual([0, 0, 1, 0, 1]);
    expect(t.events.other).toEqual([0, 0, 1, 0, 1]);
  });

  it('the same report sent again is stored once (200, not 201)', async () => {
    const res = await as(app, op).post('/api/v1/incidents', initial);
    expect(res.statusCode).toBe(200);
    expect(res.json<Incident>().reports).toHaveLength(1);
  });

  it('an update in the next quarter changes the classification but not the quarter', async () => {
    const res = await as(app, op).post(`/api/v1/incidents/${id}/reports`, {
      stage: 'update',
      received_at: '2024-01-10T01:00:00Z',
      description: 'ランサムウェアによる暗号化を確認',
      event: 'integrity.destruction',
      causes: ['accidental.vulnerability', 'accidental.contractor_error'],
      attack_type: 'ransomware',
    });
    expect(res.statusCode).toBe(201);
    const body = res.json<Incident>();
    expect(body).toMatchObject({ stage: 'update', fiscal_quarter: 3 });
    expect(body.reports.map((r) => r.stage)).toEqual(['initial', 'update']);
    const t = await q3();
    expect(t.channels.operator_report).toEqual([0, 0, 1, 0, 1]);
    expect(t.events.other).toEqual([0, 0, 0, 0, 0]);
    expect(t.events['integrity.destruction']).toEqual([0, 0, 1, 0, 1]);
    expect(t.causes['other.unknown']).toEqual([0, 0, 0, 0, 0]);
    expect(t.causes['accidental.vulnerability']).toEqual([0, 0, 1, 0, 1]);
    expect(t.attack_types.ransomware).toEqual([0, 0, 1, 0, 1]);
    expect(t.attack_types.total).toEqual([0, 0, 1, 0, 1]);
  });

  it("the center's classification counts instead of the reporter's, and clearing it restores the reporter's", async () => {
    const put = await as(app, center).put(`/api/v1/incidents/${id}/classification`, {
      event: 'availability.disruption',
      causes: ['intentional.ddos'],
      attack_type: 'ddos',
    });
    expect(put.statusCode).toBe(200);
    expect(put.json<Incident>().classification).toMatchObject({ by: 'center', attack_type: 'ddos' });
    expect(put.json<Incident>().reporter_classification).toMatchObject({ event: 'integrity.destruction' });
    let t = await q3();
    expect(t.attack_types.ransomware).toEqual([0, 0, 0, 0, 0]);
    expect(t.attack_types.ddos).toEqual([0, 0, 1, 0, 1]);
    expect(t.causes['intentional.ddos']).toEqual([0, 0, 1, 0, 1]);

    // A later stage report does not override the center.
    await as(app, op).post(`/api/v1/incidents/${id}/reports`, {
      stage: 'final',
      received_at: '2024-02-29T12:00:00+09:00',
      description: '復旧完了',
      event: 'integrity.destruction',
      causes: ['accidental.vulnerability'],
      attack_type: 'ransomware',
    });
    t = await q3();
    expect(t.attack_types.ddos).toEqual([0, 0, 1, 0, 1]);

    const del = await as(app, center).delete(`/api/v1/incidents/${id}/classification`);
    expect(del.json<Incident>().classification).toMatchObject({
      by: 'reporter',
      event: 'integrity.destruction',
    });
    t = await q3();
    expect(t.attack_types.ddos).toEqual([0, 0, 0, 0, 0]);
    expect(t.attack_types.ransomware).toEqual([0, 0, 1, 0, 1]);
    expect(t.causes['accidental.contractor_error']).toEqual([0, 0, 0, 0, 0]);
  });

  it('lists filter by fiscal year, quarter, channel, event, cause, attack type, sector and stage', async () => {
    const center2 = as(app, center);
    const extra = [
      {
        ...initial,
        ref: 'L-1',
        received_at: '2023-04-01T00:00:00+09:00',
        event: 'confidentiality.leak',
        causes: ['intentional.info_theft'],
        attack_type: 'other',
        sector: 'finance',
      },
      {
        ...initial,
        ref: 'L-2',
        received_at: '2023-06-30T15:00:00Z',
        event: 'availability.disruption',
        causes: ['accidental.equipment_failure'],
      },
      {
        ref: 'L-3',
        channel: 'agency_share',
        received_at: '2023-07-20T10:00:00+09:00',
        title: 'share',
        description: 'x',
      },
    ];
    for (const line of extra) expect((await center2.post('/api/v1/incidents', line)).statusCode).toBe(201);
    const refs = async (query: string) =>
      (await center2.get(`/api/v1/incidents?${query}`))
        .json<{ items: Incident[] }>()
        .items.map((i) => i.ref)
        .sort();
    expect(await refs('fy=2023&quarter=1')).toEqual(['L-1']);
    expect(await refs('fy=2023&quarter=2')).toEqual(['L-2', 'L-3']);
    expect(await refs('fy=2023&quarter=3')).toEqual(['INC-1']);
    expect(await refs('fy=2022')).toEqual([]);
    expect(await refs('channel=agency_share')).toEqual(['L-3']);
    expect(await refs('event=availability.disruption')).toEqual(['L-2']);
    expect(await refs('cause=intentional.info_theft')).toEqual(['L-1']);
    expect(await refs('attack_type=ransomware')).toEqual(['INC-1']);
    expect(await refs('sector=finance')).toEqual(['L-1']);
    expect(await refs('stage=final')).toEqual(['INC-1']);
  });

  it('pages through every incident exactly once, newest first', async () => {
    const center2 = as(app, center);
    for (let i = 0; i < 25; i++) {
      const at = new Date(Date.UTC(2024, 0, 1 + (i % 5), 0, 0, 0)).toISOString();
      await center2.post('/api/v1/incidents', { ...initial, ref: `P-${i}`, received_at: at });
    }
    const seen: string[] = [];
    let cursor: string | null = '';
    let pages = 0;
    while (cursor !== null) {
      const res = await center2.get(`/api/v1/incidents?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      const body = res.json<{ items: Incident[]; next_cursor: string | null }>();
      seen.push(...body.items.map((i) => `${i.first_received_at}|${i.ref}`));
      cursor = body.next_cursor;
      pages++;
    }
    expect(seen).toHaveLength(29);
    expect(new Set(seen).size).toBe(29);
    expect(
      [...seen]
        .sort()
        .reverse()
        .map((s) => s.slice(0, 24)),
    ).toEqual(seen.map((s) => s.slice(0, 24)));
    expect(pages).toBe(5);
  });

  it('optimistic concurrency: a classification against a stale ETag is refused with 412 and changes nothing', async () => {
    const center2 = as(app, center);
    const read = await center2.get(`/api/v1/incidents/${id}`);
    const etag = read.headers.etag as string;
    expect(etag).toMatch(/^"v\d+"$/);
    const body = { event: 'leading.intrusion', causes: ['intentional.id_spoofing'], attack_type: 'other' };
    const first = await app.inject({
      method: 'PUT',
      url: `/api/v1/incidents/${id}/classification`,
      payload: body,
      headers: { authorization: `Bearer ${center.token}`, 'if-match': etag },
    });
    expect(first.statusCode).toBe(200);
    expect(first.headers.etag).not.toBe(etag);
    const before = await ctx.services.stats.infoSharing(2023, 0);
    const stale = await app.inject({
      method: 'PUT',
      url: `/api/v1/incidents/${id}/classification`,
      payload: { ...body, attack_type: 'ddos' },
      headers: { authorization: `Bearer ${center.token}`, 'if-match': etag },
    });
    expect(stale.statusCode).toBe(412);
    expect(stale.json<{ error: { code: string } }>().error.code).toBe('precondition_failed');
    const garbage = await app.inject({
      method: 'DELETE',
      url: `/api/v1/incidents/${id}/classification`,
      headers: { authorization: `Bearer ${center.token}`, 'if-match': 'nonsense' },
    });
    expect(garbage.statusCode).toBe(412);
    expect((await ctx.services.stats.infoSharing(2023, 0)).tables).toEqual(before.tables);
    expect((await center2.get(`/api/v1/incidents/${id}`)).json<Incident>().classification).toMatchObject({
      attack_type: 'other',
      by: 'center',
    });
  });

  it('a report sent without a ref and retried after a lost answer is stored once', async () => {
    const { ref: _ref, ...noRef } = {
      ...initial,
      received_at: '2024-03-01T10:00:00+09:00',
      title: 'retry me',
    };
    const first = await as(app, op).post('/api/v1/incidents', noRef);
    const retry = await as(app, op).post('/api/v1/incidents', noRef);
    expect([first.statusCode, retry.statusCode]).toEqual([201, 200]);
    expect(retry.json<Incident>().id).toBe(first.json<Incident>().id);
    expect(first.json<Incident>().ref).toMatch(
      /^KY-2023-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{3}$/,
    );
    const other = await as(app, op).post('/api/v1/incidents', { ...noRef, title: 'a different report' });
    expect(other.statusCode).toBe(201);
    expect(other.json<Incident>().ref).not.toBe(first.json<Incident>().ref);
  });

  it("an operator's report without organization is its own; the center must name one", async () => {
    const { organization: _o, ...noOrg } = { ...initial, ref: 'ORG-1' };
    const own = await as(app, op).post('/api/v1/incidents', noOrg);
    expect(own.statusCode).toBe(201);
    expect(own.json<{ organization: string }>().organization).toBe('Stage Water');
    const centerRes = await as(app, center).post('/api/v1/incidents', { ...noOrg, ref: 'ORG-2' });
    expect(centerRes.statusCode).toBe(400);
    expect(
      centerRes.json<{ error: { details: Array<{ field: string; code: string }> } }>().error.details,
    ).toContainEqual(expect.objectContaining({ field: 'body.organization', code: 'required' }));
  });
});
