import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestUser } from '../../support/api.js';
import { as, makeUser, testApp } from '../../support/api.js';
import { cli } from '../../support/cli.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';
import { column, file, stats } from '../../support/periods.js';

const Q4 = 'FY2023Q4';
const operatorReports = async (app: FastifyInstance, user: TestUser, label: string) =>
  column(await stats(app, user, 2023, 0), label).channels![0];

describeEachDialect('closing a quarter on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let center: TestUser;
  let alpha: TestUser;
  let ids: number[];
  const count = async (table: 'closed_periods' | 'audit_log' | 'period_snapshots', action?: string) => {
    let q = ctx.services.database.db
      .selectFrom(table as 'audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'));
    if (action) q = q.where('action', '=', action);
    return Number((await q.executeTakeFirstOrThrow()).n);
  };
  beforeAll(async () => {
    ctx = await testServices(dialect);
    app = await testApp(ctx.services);
    center = await makeUser(ctx.services, 'center_analyst', 'Center');
    alpha = await makeUser(ctx.services, 'operator', 'Alpha Power');
    ids = [];
    for (const at of ['2024-01-10T10:00:00+09:00', '2024-02-10T10:00:00+09:00', '2024-03-10T10:00:00+09:00'])
      ids.push(await file(app, alpha, at));
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('keeps a closed quarter as it was; the late filing is listed for the center; reopening counts it', async () => {
    const closed = await as(app, center).post('/api/v1/periods/2023/4/close', {});
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ fiscal_year: 2023, quarter: 4, state: 'closed', late_filings: 0 });
    expect(await count('audit_log', 'period.close')).toBe(1);
    expect(await operatorReports(app, center, Q4)).toBe(3);

    // A late filing, and a reclassification of a record already counted.
    const late = await file(app, alpha, '2024-02-20T10:00:00+09:00');
    const put = await as(app, center).put(`/api/v1/incidents/${ids[0]}/classification`, {
      event: 'availability.disruption',
      causes: ['other.unknown'],
      attack_type: null,
    });
    expect(put.statusCode, put.body).toBe(200);
    const answer = await stats(app, center, 2023, 0);
    expect(column(answer, Q4).channels![0]).toBe(3);
    expect(column(answer, 'FY2023').channels![0]).toBe(3);
    expect(answer.tables.events!['integrity.destruction']![answer.columns.indexOf(Q4)]).toBe(3);
    expect(answer.quarters[3]).toMatchObject({ state: 'closed', late_filings: 2 });

    const listed = await as(app, center).get('/api/v1/periods/2023/4/late-filings');
    expect(listed.statusCode, listed.body).toBe(200);
    const body = listed.json<{ count: number; items: Array<{ id: number }> }>();
    expect(body.count).toBe(2);
    expect(body.items.map((i) => i.id).sort()).toEqual([ids[0], late].sort());
    const periods = await as(app, center).get('/api/v1/periods?fy=2023');
    expect(
      periods.json<{ items: Array<{ quarter: number; state: string; late_filings: number | null }> }>().items,
    ).toEqual(
      expect.arrayContaining([expect.objectContaining({ quarter: 4, state: 'closed', late_filings: 2 })]),
    );

    // Outside the center the closed quarter shows its final figure; late-filing counts are the center's.
    const outside = await stats(app, alpha, 2023, 0);
    expect(column(outside, Q4).channels![0]).toBe(3);
    expect(outside.quarters[3]!.late_filings).toBeNull();

    const reopened = await as(app, center).post('/api/v1/periods/2023/4/reopen', {});
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect(await operatorReports(app, center, Q4)).toBe(4);
    expect(await count('audit_log', 'period.reopen')).toBe(1);
    // Outside the center an open quarter is not available at all.
    expect(column(await stats(app, alpha, 2023, 0), Q4).channels).toEqual([null, null, null]);

    // Closing again takes a new snapshot, with the late filing in it.
    expect((await as(app, center).post('/api/v1/periods/2023/4/close', {})).statusCode).toBe(200);
    expect(await operatorReports(app, alpha, Q4)).toBe(4);
    expect((await stats(app, center, 2023, 0)).quarters[3]).toMatchObject({
      state: 'closed',
      late_filings: 0,
    });
  });

  it('refuses to close a running quarter, to close twice and to reopen an open one, changing nothing', async () => {
    const now = ctx.services.calendar.periodOf(new Date());
    const before = [await count('closed_periods'), await count('period_snapshots'), await count('audit_log')];
    const refusals: Array<[string, number, string]> = [
      [`/api/v1/periods/${now.fiscalYear}/${now.quarter}/close`, 409, 'period_not_ended'],
      [`/api/v1/periods/${now.fiscalYear + 1}/1/close`, 409, 'period_not_ended'],
      ['/api/v1/periods/2023/4/close', 409, 'period_already_closed'],
      ['/api/v1/periods/2023/2/reopen', 409, 'period_not_closed'],
      ['/api/v1/periods/2023/5/close', 400, 'validation_failed'],
      ['/api/v1/periods/1999/1/close', 400, 'validation_failed'],
    ];
    for (const [url, status, code] of refusals) {
      const res = await as(app, center).post(url, {});
      expect(res.statusCode, `${url}: ${res.body}`).toBe(status);
      expect(res.json<{ error: { code: string } }>().error.code).toBe(code);
    }
    const late = await as(app, center).get('/api/v1/periods/2023/2/late-filings');
    expect(late.json<{ error: { code: string } }>().error.code).toBe('period_not_closed');
    // Admins administer accounts, not content.
    const admin = await makeUser(ctx.services, 'admin', 'Admins');
    expect((await as(app, admin).post('/api/v1/periods/2023/3/close', {})).statusCode).toBe(403);
    expect([
      await count('closed_periods'),
      await count('period_snapshots'),
      await count('audit_log'),
    ]).toEqual(before);
  });

  it('closes, lists and reopens from the CLI', async () => {
    const closed = await cli(ctx.url, 'period', 'close', '--fy', '2023', '--quarter', '3');
    expect(closed.code, closed.err).toBe(0);
    expect(closed.out).toMatch(/^FY2023Q3 closed closed_at=\S+ by=cli:period close late_filings=0$/m);
    const listed = await cli(ctx.url, 'period', 'list', '--fy', '2023');
    expect(listed.out).toMatch(/^FY2023Q1 open$/m);
    expect(listed.out).toMatch(/^FY2023Q4 closed .* late_filings=0$/m);
    const running = ctx.services.calendar.periodOf(new Date());
    const refused = await cli(
      ctx.url,
      'period',
      'close',
      '--fy',
      String(running.fiscalYear),
      '--quarter',
      String(running.quarter),
    );
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/error \[period_not_ended\]/);
    expect((await cli(ctx.url, 'period', 'reopen', '--fy', '2023', '--quarter', '3')).out).toMatch(
      /^FY2023Q3 open$/m,
    );
    expect((await cli(ctx.url, 'period', 'close', '--fy', '2023', '--quarter', '9')).err).toMatch(
      /validation_failed/,
    );
  });
});
