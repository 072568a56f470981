import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DataYears } from '../../../src/modules/stats/stats.schema.js';
import type { TestUser } from '../../support/api.js';
import { as, makeUser, testApp } from '../../support/api.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';
import { file } from '../../support/periods.js';

describeEachDialect('the fiscal years with data on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let center: TestUser;
  let operator: TestUser;
  let desk: TestUser;
  const years = async (user: TestUser) => {
    const res = await as(app, user).get('/api/v1/stats/years');
    expect(res.statusCode, res.body).toBe(200);
    return res.json<DataYears>();
  };
  beforeAll(async () => {
    ctx = await testServices(dialect);
    app = await testApp(ctx.services);
    center = await makeUser(ctx.services, 'center_analyst', 'Center');
    operator = await makeUser(ctx.services, 'operator', 'Alpha Power');
    desk = await makeUser(ctx.services, 'sector_desk', 'Ministry', ['electricity']);
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('names the running year and no year with data on an empty database', async () => {
    const current = ctx.services.calendar.periodOf(new Date()).fiscalYear;
    for (const user of [center, operator, desk])
      expect(await years(user)).toEqual({ current_fiscal_year: current, years: [], latest: null });
    expect((await as(app, null).get('/api/v1/stats/years')).statusCode).toBe(401);
  });

  it('counts published years for everyone, and open quarters for the center only', async () => {
    await ctx.services.stats.importAggregates([
      { fiscalYear: 2021, quarter: 0, table: 'channels', code: 'operator_report', value: 7 },
    ]);
    await file(app, operator, '2022-05-10T10:00:00+09:00');
    expect((await years(center)).years).toEqual([2022, 2021]);
    expect((await years(center)).latest).toBe(2022);
    // FY2022 Q1 is still open: outside the center it shows nothing, so it is not offered.
    for (const user of [operator, desk]) expect((await years(user)).years).toEqual([2021]);
  });

  it('counts a closed quarter for everyone, from its snapshot', async () => {
    expect((await as(app, center).post('/api/v1/periods/2022/1/close', {})).statusCode).toBe(200);
    for (const user of [center, operator, desk]) expect((await years(user)).years).toEqual([2022, 2021]);
    // A closed quarter with nothing in its snapshot is no data, even if a record arrives late.
    expect((await as(app, center).post('/api/v1/periods/2023/1/close', {})).statusCode).toBe(200);
    await file(app, operator, '2023-05-10T10:00:00+09:00');
    expect((await years(center)).years).toEqual([2022, 2021]);
    expect((await years(operator)).years).toEqual([2022, 2021]);
    // Reopened, the quarter is live again: the center sees the late record's year.
    expect((await as(app, center).post('/api/v1/periods/2023/1/reopen', {})).statusCode).toBe(200);
    expect((await years(center)).years).toEqual([2023, 2022, 2021]);
    expect((await years(operator)).years).toEqual([2022, 2021]);
  });
});
