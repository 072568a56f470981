import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestUser } from '../../support/api.js';
import { as, makeUser, testApp } from '../../support/api.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';

const line = (ref: string, title: string, description = '詳細', extra: object = {}) => ({
  ref,
  channel: 'operator_report',
  received_at: '2023-11-05T08:00:00+09:00',
  organization: 'List Power',
  sector: 'electricity',
  title,
  description,
  stage: 'initial',
  event: 'integrity.destruction',
  causes: ['accidental.vulnerability'],
  attack_type: 'ransomware',
  ...extra,
});

describeEachDialect('the incident list: free text, TLP and the review queue on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let center: TestUser;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    ctx = await testServices(dialect);
    app = await testApp(ctx.services);
    center = await makeUser(ctx.services, 'center_analyst', 'Center');
    for (const [ref, title, description, extra] of [
      ['L-1', 'VPN appliance exploited', 'ランサムウェアによる暗号化'],
      ['L-2', 'Disk 100% full', 'an outage'],
      ['L-3', 'Disk 1000 full', 'snake_case_name in a log', { tlp: 'RED' }],
      ['L-4', 'phishing mail', 'nothing special'],
    ] as const) {
      const res = await as(app, center).post('/api/v1/incidents', line(ref, title, description, extra ?? {}));
      expect(res.statusCode, res.body).toBe(201);
      ids[ref] = res.json<{ id: number }>().id;
    }
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  const refs = async (query: string) => {
    const res = await as(app, center).get(`/api/v1/incidents?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res
      .json<{ items: Array<{ ref: string }> }>()
      .items.map((i) => i.ref)
      .sort();
  };

  it('finds free text in titles, descriptions and refs, case-insensitively, in Japanese too', async () => {
    expect(await refs('q=vpn')).toEqual(['L-1']);
    expect(await refs(`q=${encodeURIComponent('ランサム')}`)).toEqual(['L-1']);
    expect(await refs('q=L-4')).toEqual(['L-4']);
  });

  it('takes %, _ and backslashes literally', async () => {
    expect(await refs(`q=${encodeURIComponent('100%')}`)).toEqual(['L-2']);
    expect(await refs(`q=${encodeURIComponent('e_c')}`)).toEqual(['L-3']);
    expect(await refs(`q=${encodeURIComponent('\\')}`)).toEqual([]);
  });

  it('filters by TLP marking', async () => {
    expect(await refs('tlp=RED')).toEqual(['L-3']);
  });

  it('the review queue: unclassified first, then what was reported on after classification', async () => {
    expect(await refs('review=unclassified')).toEqual(['L-1', 'L-2', 'L-3', 'L-4']);
    const put = await as(app, center).put(`/api/v1/incidents/${ids['L-1']}/classification`, {
      event: 'integrity.destruction',
      causes: ['accidental.vulnerability'],
      attack_type: 'ransomware',
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(await refs('review=unclassified')).toEqual(['L-2', 'L-3', 'L-4']);
    expect(await refs('review=changed')).toEqual([]);
    const stage = await as(app, center).post(`/api/v1/incidents/${ids['L-1']}/reports`, {
      stage: 'final',
      // Received (by the operator) before the classification, sent in after it: still a change.
      received_at: '2023-11-06T08:00:00+09:00',
      description: 'final report',
      event: 'integrity.destruction',
      causes: ['accidental.vulnerability'],
      attack_type: 'ransomware',
    });
    expect(stage.statusCode, stage.body).toBe(201);
    expect(await refs('review=changed')).toEqual(['L-1']);
    expect(await refs('review=pending')).toEqual(['L-1', 'L-2', 'L-3', 'L-4']);
  });
});
