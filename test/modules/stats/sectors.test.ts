import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { as, makeUser, testApp } from '../../support/api.js';
import { rollupMismatches } from '../../support/consistency.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';

const GOLDEN = new URL('../../fixtures/golden-fy2023.jsonl', import.meta.url).pathname;

describeEachDialect('operator reports per sector on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  beforeAll(async () => {
    ctx = await testServices(dialect);
    app = await testApp(ctx.services);
    await ctx.services.imports.importFile(GOLDEN, { source: 'golden' });
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('add up, quarter by quarter, to the operator reports of the published channel table', async () => {
    const center = await makeUser(ctx.services, 'center_analyst', 'Center');
    const res = await as(app, center).get('/api/v1/stats/sectors?fy=2023');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{
      columns: string[];
      rows: Array<{ code: string; ja: string; values: number[] }>;
    }>();
    expect(body.columns).toEqual(['Q1', 'Q2', 'Q3', 'Q4', 'total']);
    const sums = [0, 1, 2, 3, 4].map((i) => body.rows.reduce((n, r) => n + r.values[i]!, 0));
    const stats = await ctx.services.stats.infoSharing(2023, 4);
    expect(sums).toEqual(stats.tables.channels.operator_report!.slice(4));
    expect(body.rows.find((r) => r.code === 'electricity')?.ja).toBe('電力');
    expect(await rollupMismatches(ctx.services)).toEqual([]);
  });

  it('move with an incident whose later report names another sector', async () => {
    const center = await makeUser(ctx.services, 'center_analyst', 'Center 2');
    const before = await ctx.services.stats.sectors(2023);
    const created = await as(app, center).post('/api/v1/incidents', {
      channel: 'operator_report',
      received_at: '2023-05-01T09:00:00+09:00',
      organization: 'Sector Move Co',
      sector: 'water',
      title: 'moved',
      description: 'x',
      stage: 'initial',
      event: 'integrity.destruction',
      causes: ['other.unknown'],
      attack_type: null,
    });
    expect(created.statusCode, created.body).toBe(201);
    const stage = await as(app, center).post(
      `/api/v1/incidents/${created.json<{ id: number }>().id}/reports`,
      {
        stage: 'final',
        received_at: '2023-05-02T09:00:00+09:00',
        description: 'it was the gas network',
        sector: 'gas',
        event: 'integrity.destruction',
        causes: ['other.unknown'],
        attack_type: null,
      },
    );
    expect(stage.statusCode, stage.body).toBe(201);
    const after = await ctx.services.stats.sectors(2023);
    const q1 = (s: typeof after, code: string) => s.rows.find((r) => r.code === code)!.values[0]!;
    expect(q1(after, 'gas')).toBe(q1(before, 'gas') + 1);
    expect(q1(after, 'water')).toBe(q1(before, 'water'));
    expect(await rollupMismatches(ctx.services)).toEqual([]);
  });
});
