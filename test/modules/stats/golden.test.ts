import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { publishedTables } from '../../../src/modules/stats/published.js';
import { cli } from '../../support/cli.js';
import { as, countRows, makeUser, testApp } from '../../support/api.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';

const FIXTURES = new URL('../../fixtures/', import.meta.url);
const GOLDEN = new URL('golden-fy2023.jsonl', FIXTURES).pathname;
const SAMPLE = new URL('sample-reports.jsonl', FIXTURES).pathname;
const SAMPLE_EXPECTED = JSON.parse(
  readFileSync(new URL('sample-reports.expected-fy2023.json', FIXTURES), 'utf8'),
) as {
  columns: string[];
  tables: Record<string, Record<string, number[]>>;
};
const PUBLISHED = JSON.parse(
  readFileSync(new URL('../../../data/published-info-sharing-fy2019-fy2023.json', import.meta.url), 'utf8'),
) as {
  columns: string[];
};

/** The published file cut down to FY2019-FY2022: the aggregates a real deployment imports. */
function pastAggregatesFile(): string {
  const full = JSON.parse(
    readFileSync(new URL('../../../data/published-info-sharing-fy2019-fy2023.json', import.meta.url), 'utf8'),
  ) as Record<string, unknown>;
  const keep = 4;
  const cut: Record<string, unknown> = { columns: (full.columns as string[]).slice(0, keep) };
  for (const table of ['channels', 'events', 'causes', 'attack_types']) {
    const rows = full[table] as Record<string, { values: number[] }>;
    cut[table] = Object.fromEntries(
      Object.entries(rows).map(([code, row]) => [code, { ...row, values: row.values.slice(0, keep) }]),
    );
  }
  const path = join(tmpdir(), `kyoyu-aggregates-${process.pid}.json`);
  writeFileSync(path, JSON.stringify(cut));
  return path;
}

describeEachDialect('golden FY2023 statistics on %s', (dialect) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await testServices(dialect);
  });
  afterAll(() => ctx?.close());

  it('CLI: aggregates + import + stats give exactly the published tables', async () => {
    const agg = await cli(ctx.url, 'aggregates', 'import', pastAggregatesFile());
    expect(agg.err).toBe('');
    expect(agg.code).toBe(0);
    const imported = await cli(ctx.url, 'import', GOLDEN);
    expect(imported.err).toBe('');
    expect(imported.code).toBe(0);
    const stats = await cli(ctx.url, 'stats', '--fy', '2023', '--history', '4');
    expect(stats.code).toBe(0);
    const json = JSON.parse(stats.out) as { columns: string[]; tables: unknown; column_sources: string[] };
    expect(json.columns).toEqual(PUBLISHED.columns);
    expect(json.tables).toEqual(publishedTables());
    expect(json.column_sources).toEqual([
      'aggregates',
      'aggregates',
      'aggregates',
      'aggregates',
      'records',
      'records',
      'records',
      'records',
      'records',
    ]);
  });

  it('re-importing the same file changes nothing', async () => {
    const before = await Promise.all([
      countRows(ctx.services, 'incidents'),
      countRows(ctx.services, 'stage_reports'),
    ]);
    const again = await cli(ctx.url, 'import', GOLDEN);
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/0 new incidents, 0 reports added/);
    expect(
      await Promise.all([countRows(ctx.services, 'incidents'), countRows(ctx.services, 'stage_reports')]),
    ).toEqual(before);
    expect((await ctx.services.stats.infoSharing(2023)).tables).toEqual(publishedTables());
  });

  it('API: GET /api/v1/stats/info-sharing gives exactly the published tables', async () => {
    const app = await testApp(ctx.services);
    const user = await makeUser(ctx.services, 'operator', 'Golden Reader Co.');
    // Outside the center the figures are shown once final: the center closes the year's quarters.
    for (const quarter of ['1', '2', '3', '4'])
      expect((await cli(ctx.url, 'period', 'close', '--fy', '2023', '--quarter', quarter)).code).toBe(0);
    const res = await as(app, user).get('/api/v1/stats/info-sharing?fy=2023&history=4');
    expect(res.statusCode).toBe(200);
    const body = res.json<{ fiscal_year: number; columns: string[]; tables: unknown }>();
    expect(body.fiscal_year).toBe(2023);
    expect(body.columns).toEqual(PUBLISHED.columns);
    expect(body.tables).toEqual(publishedTables());
    await app.close();
  });
});

describeEachDialect('golden FY2023 submitted through the API on %s', (dialect) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await testServices(dialect);
  });
  afterAll(() => ctx?.close());

  it('POSTing every line as the center gives the published FY2023 quarters and total', async () => {
    const app = await testApp(ctx.services);
    const center = await makeUser(ctx.services, 'center_analyst', 'National Center');
    const lines = readFileSync(GOLDEN, 'utf8').split('\n').filter(Boolean);
    for (const text of lines) {
      const res = await as(app, center).post('/api/v1/incidents', text);
      expect([200, 201], res.body).toContain(res.statusCode);
    }
    const res = await as(app, center).get('/api/v1/stats/info-sharing?fy=2023&history=0');
    const published = publishedTables();
    const quartersAndTotal = Object.fromEntries(
      Object.entries(published).map(([t, rows]) => [
        t,
        Object.fromEntries(Object.entries(rows).map(([c, v]) => [c, v.slice(4)])),
      ]),
    );
    expect(res.json<{ tables: unknown }>().tables).toEqual(quartersAndTotal);
    await app.close();
  });
});

describeEachDialect('sample reports (quarter edges, leap day, late stages) on %s', (dialect) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await testServices(dialect);
  });
  afterAll(() => ctx?.close());

  it('give exactly the expected FY2023 statistics through the CLI and the API', async () => {
    expect((await cli(ctx.url, 'import', SAMPLE)).code).toBe(0);
    const stats = JSON.parse((await cli(ctx.url, 'stats', '--fy', '2023')).out) as {
      columns: string[];
      tables: unknown;
    };
    expect(stats.columns).toEqual(SAMPLE_EXPECTED.columns);
    expect(stats.tables).toEqual(SAMPLE_EXPECTED.tables);
    const app = await testApp(ctx.services);
    const user = await makeUser(ctx.services, 'center_analyst', 'Center');
    const res = await as(app, user).get('/api/v1/stats/info-sharing?fy=2023&history=4');
    expect(res.json<{ tables: unknown }>().tables).toEqual(SAMPLE_EXPECTED.tables);
    await app.close();
  });
});
