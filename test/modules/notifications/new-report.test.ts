import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { Dialect } from '../../../src/platform/db/dialect.js';
import { newReportFanOut } from '../../../src/modules/notifications/index.js';
import type { TestUser } from '../../support/api.js';
import { as, makeUser, testApp } from '../../support/api.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';

const report = (ref: string, extra: object = {}) => ({
  ref,
  channel: 'operator_report',
  received_at: '2024-07-01T09:00:00+09:00',
  sector: 'water',
  title: ref,
  description: 'd',
  stage: 'initial',
  event: 'integrity.destruction',
  causes: ['accidental.vulnerability'],
  attack_type: 'ransomware',
  tlp: 'AMBER',
  ...extra,
});

/** The new-report notification rides on the report's own write: which writes tell the desks, and how. */
describeEachDialect('a new report’s notification on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let reporter: TestUser;
  let desk: TestUser;
  let disabledDesk: TestUser;

  beforeAll(async () => {
    ctx = await testServices(dialect);
    app = await testApp(ctx.services);
    reporter = await makeUser(ctx.services, 'operator', 'Fan Water');
    desk = await makeUser(ctx.services, 'sector_desk', 'Fan Ministry', ['water']);
    disabledDesk = await makeUser(ctx.services, 'sector_desk', 'Fan Ministry', ['water']);
    await ctx.services.database.db
      .updateTable('users')
      .set({ disabled_at: new Date().toISOString() })
      .where('email', '=', disabledDesk.email)
      .execute();
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  const notificationsOf = (incidentId: number) =>
    ctx.services.database.db
      .selectFrom('notifications as n')
      .innerJoin('users as u', 'u.id', 'n.user_id')
      .select(['u.email', 'n.kind'])
      .where('n.incident_id', '=', incidentId)
      .execute();

  it('is written with the incident (in its one statement on PostgreSQL), to enabled desk users only', async () => {
    const writeOne = ctx.services.database.dialect.writeOne
      ? vi.spyOn(ctx.services.database.dialect as Required<Dialect>, 'writeOne')
      : undefined;
    try {
      const res = await as(app, reporter).post('/api/v1/incidents', report('FAN-1'));
      expect(res.statusCode, res.body).toBe(201);
      const id = res.json<{ id: number }>().id;
      if (writeOne) {
        expect(writeOne).toHaveBeenCalledTimes(1);
        expect(writeOne.mock.calls[0]![0].derived).toHaveLength(1);
      }
      expect(await notificationsOf(id)).toEqual([{ email: desk.email, kind: 'new_report' }]);
    } finally {
      writeOne?.mockRestore();
    }
  });

  it('is not written for a repeat, a stage on an existing incident, a bulk load or another sector', async () => {
    const first = await as(app, reporter).post('/api/v1/incidents', report('FAN-2'));
    const id = first.json<{ id: number }>().id;
    expect((await as(app, reporter).post('/api/v1/incidents', report('FAN-2'))).statusCode).toBe(200);
    const stage = await as(app, reporter).post(`/api/v1/incidents/${id}/reports`, {
      stage: 'update',
      received_at: '2024-07-02T09:00:00+09:00',
      description: 'more',
      event: 'integrity.destruction',
      causes: ['accidental.vulnerability'],
      attack_type: 'ransomware',
    });
    expect(stage.statusCode, stage.body).toBe(201);
    expect(await notificationsOf(id)).toHaveLength(1);
    const [loaded] = await ctx.services.incidents.store('bulk', [
      {
        line: { ...report('FAN-BULK'), channel: 'operator_report', stage: 'initial', tlp: 'AMBER' },
        receivedAtMs: Date.parse('2024-07-01T00:00:00Z'),
        createdBy: null,
      },
    ]);
    expect(await notificationsOf(loaded!.incidentId)).toEqual([]);
    const gas = await as(app, reporter).post('/api/v1/incidents', report('FAN-GAS', { sector: 'gas' }));
    expect(await notificationsOf(gas.json<{ id: number }>().id)).toEqual([]);
  });

  it('is one indexed insert-select, and no statement at all where the TLP does not reach desks', async () => {
    const now = new Date().toISOString();
    expect(
      newReportFanOut({ channel: 'operator_report', sector: 'water', tlp: 'RED' }, now, false),
    ).toBeNull();
    expect(
      newReportFanOut({ channel: 'operator_report', sector: 'water', tlp: 'AMBER+STRICT' }, now, false),
    ).toBeNull();
    expect(newReportFanOut({ channel: 'agency_share', sector: null, tlp: 'GREEN' }, now, false)).toBeNull();
    const fanOut = newReportFanOut(
      { channel: 'operator_report', sector: 'water', tlp: 'GREEN' },
      now,
      false,
    )!;
    const { db } = ctx.services.database;
    // The select with its id and values bound: `{id}` and each `?` of its text, in order.
    const tokens = fanOut.select.match(/\?|\{id\}/g) ?? [];
    let value = 0;
    const select = sql.join(
      fanOut.select.split(/\?|\{id\}/).flatMap((text, i) => {
        if (i >= tokens.length) return [sql.raw(text)];
        return [sql.raw(text), tokens[i] === '{id}' ? sql`${1}` : sql`${fanOut.values[value++]}`];
      }),
      sql``,
    );
    const plan =
      dialect === 'sqlite'
        ? await sql<{ detail: string }>`explain query plan ${select}`.execute(db)
        : await sql<{ 'QUERY PLAN': string }>`explain ${select}`.execute(db);
    const text = JSON.stringify(plan.rows);
    // SQLite always takes the index; PostgreSQL's planner may scan a table this small.
    if (dialect === 'sqlite') expect(text).toContain('user_sectors_sector_idx');
    expect(text).not.toContain('incidents');
  });
});
