import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openServices } from '../../../src/bootstrap.js';
import { ConfigError, loadConfig } from '../../../src/config.js';
import type { SectorBreakdown } from '../../../src/domain/sector-stats.js';
import type { TestUser } from '../../support/api.js';
import { as, makeUser, testApp } from '../../support/api.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testConfig, testServices } from '../../support/databases.js';
import { column, file, stats } from '../../support/periods.js';

/** Everything a caller can learn from the statistics of a fiscal year, in every format. */
async function everything(app: FastifyInstance, user: TestUser, fy: number): Promise<string[]> {
  const out: string[] = [];
  for (const format of ['json', 'csv', 'html'])
    out.push((await as(app, user).get(`/api/v1/stats/info-sharing?fy=${fy}&format=${format}`)).body);
  const xlsx = await as(app, user).get(`/api/v1/stats/info-sharing?fy=${fy}&format=xlsx`);
  out.push(xlsx.rawPayload.toString('base64'));
  out.push((await as(app, user).get(`/api/v1/stats/sectors?fy=${fy}`)).body);
  return out;
}

/**
 * The attacker: the shown cells of the sector table, each row's parts summing to its total, and
 * each column summing to the operator_report figure of the channel table (shown to the same caller).
 * Solves any relation with one unknown left, repeatedly; returns what that recovers.
 */
function recoverable(sectors: SectorBreakdown, columnTotals: Array<number | null>): string[] {
  const grid = sectors.rows.map((r) => [...r.values]);
  const recovered: string[] = [];
  for (let moved = true; moved;) {
    moved = false;
    const solve = (cells: Array<[number, number]>, total: number | null, sign: (c: number) => number) => {
      const unknown = cells.filter(([r, c]) => grid[r]![c] === null);
      if (unknown.length !== 1 || total === null) return;
      const [ur, uc] = unknown[0]!;
      const known = cells.reduce((n, [r, c]) => n + (grid[r]![c] ?? 0) * sign(c), 0);
      grid[ur]![uc] = (total - known) * sign(uc);
      recovered.push(`${sectors.rows[ur]!.code}/${sectors.columns[uc]}`);
      moved = true;
    };
    grid.forEach((_, r) =>
      solve(
        [0, 1, 2, 3, 4].map((c) => [r, c]),
        0,
        (c) => (c === 4 ? -1 : 1),
      ),
    );
    for (let c = 0; c < 5; c++)
      solve(
        grid.map((_, r) => [r, c]),
        columnTotals[c]!,
        () => 1,
      );
  }
  return recovered;
}

describeEachDialect('statistics without disclosure on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let center: TestUser;
  let alpha: TestUser;
  let outsiders: TestUser[];
  beforeAll(async () => {
    ctx = await testServices(dialect);
    app = await testApp(ctx.services);
    center = await makeUser(ctx.services, 'center_analyst', 'Center');
    alpha = await makeUser(ctx.services, 'operator', 'Alpha Power');
    outsiders = [
      await makeUser(ctx.services, 'operator', 'Beta Bank'),
      await makeUser(ctx.services, 'sector_desk', 'Ministry', ['electricity']),
      await makeUser(ctx.services, 'admin', 'Admins'),
    ];
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('shows no statistic of the running quarter outside the center: a RED filing changes nothing they see', async () => {
    const { fiscalYear: fy, quarter } = ctx.services.calendar.periodOf(new Date());
    const before = await Promise.all(outsiders.map((u) => everything(app, u, fy)));
    const centerBefore = await stats(app, center, fy, 0);
    await file(app, alpha, new Date(Date.now() - 60_000).toISOString(), { tlp: 'RED', sector: 'water' });
    for (const [i, u] of outsiders.entries()) expect(await everything(app, u, fy), u.role).toEqual(before[i]);
    const label = `FY${fy}Q${quarter}`;
    const outside = await stats(app, outsiders[0]!, fy, 0);
    expect(outside.column_states[outside.columns.indexOf(label)]).toBe('open');
    expect(column(outside, label).channels).toEqual([null, null, null]);
    expect(column(outside, `FY${fy}`).channels).toEqual([null, null, null]);
    // The center sees its working numbers.
    const centerAfter = await stats(app, center, fy, 0);
    expect(column(centerAfter, label).channels![0]).toBe(column(centerBefore, label).channels![0]! + 1);
  });

  it('suppresses small per-sector counts outside the center so that none is recoverable from the totals', async () => {
    const filings: Array<[string, number, string]> = [
      ['electricity', 2, '2024-05-10'],
      ['gas', 5, '2024-05-11'],
      ['finance', 4, '2024-08-11'],
      ['water', 3, '2024-11-12'],
      ['railway', 1, '2025-02-12'],
      ['medical', 6, '2025-02-13'],
    ];
    for (const [sector, n, day] of filings)
      for (let i = 0; i < n; i++) await file(app, alpha, `${day}T10:0${i}:00+09:00`, { sector });
    for (const q of [1, 2, 3, 4])
      expect((await as(app, center).post(`/api/v1/periods/2024/${q}/close`, {})).statusCode).toBe(200);

    const centerView = (await as(app, center).get('/api/v1/stats/sectors?fy=2024')).json<SectorBreakdown>();
    const row = (s: SectorBreakdown, code: string) => s.rows.find((r) => r.code === code)!;
    expect(row(centerView, 'electricity').values).toEqual([2, 0, 0, 0, 2]);
    expect(centerView.min_cell).toBe(0);

    const channelTotals = column(await stats(app, outsiders[0]!, 2024, 0), 'FY2024Q1').channels;
    expect(channelTotals![0]).toBe(7);
    const answer = await stats(app, outsiders[0]!, 2024, 0);
    const operatorRow = answer.tables.channels!.operator_report!.slice(0, 5);
    for (const user of outsiders) {
      const view = (await as(app, user).get('/api/v1/stats/sectors?fy=2024')).json<SectorBreakdown>();
      expect(view.min_cell).toBe(3);
      expect(row(view, 'electricity').states[0]).toBe('suppressed');
      expect(row(view, 'electricity').values[0]).toBeNull();
      expect(row(view, 'railway').states[3]).toBe('suppressed');
      expect(row(view, 'medical').values[3]).toBe(6);
      expect(view.rows.flatMap((r) => r.values).filter((v) => v !== null && v > 0 && v < 3)).toEqual([]);
      expect(recoverable(view, operatorRow)).toEqual([]);
    }
  });

  it('turns suppression off with KYOYU_STATS_MIN_CELL=0 and refuses a bad value', async () => {
    const services = await openServices(testConfig(ctx.url, { KYOYU_STATS_MIN_CELL: '0' }));
    try {
      const view = await services.stats.sectors(2024, 'outside');
      expect(view.rows.find((r) => r.code === 'electricity')!.values).toEqual([2, 0, 0, 0, 2]);
    } finally {
      await services.database.close();
    }
    expect(loadConfig({ KYOYU_STATS_MIN_CELL: '1' }).statsMinCell).toBe(1);
    expect(() => loadConfig({ KYOYU_STATS_MIN_CELL: 'two' })).toThrow(ConfigError);
    expect(() => loadConfig({ KYOYU_STATS_MIN_CELL: '-1' })).toThrow(/KYOYU_STATS_MIN_CELL/);
  });
});
