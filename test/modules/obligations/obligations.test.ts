import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sendReminders } from '../../../src/modules/obligations/index.js';
import type { TestUser } from '../../support/api.js';
import { as, makeUser, testApp } from '../../support/api.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';
import { xlsxToCsv } from '../../support/libreoffice.js';
import { file } from '../../support/periods.js';
import { wholeState } from '../../support/state.js';

const HOUR = 3600_000;
const iso = (ms: number) => new Date(ms).toISOString();

interface Duty {
  code: string;
  status: string;
  applies: boolean;
  share_with_center: boolean;
  stages: Array<{
    code: string;
    state: string;
    due_at: string | null;
    late: boolean;
    reference: string | null;
  }>;
}
const duty = (body: { regimes: Duty[] }, code: string) => body.regimes.find((r) => r.code === code)!;

/**
 * Reporting duties over HTTP: proposed from sector, flags and facts; confirmed by the reporter;
 * each stage due, overdue, submitted; the overdue view of the center and the sector desks; the
 * reminders; the filled forms; the admins' versions of a regime. Refusals change nothing.
 */
describeEachDialect('reporting duties on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let operator: TestUser;
  let other: TestUser;
  let center: TestUser;
  let admin: TestUser;
  let desk: TestUser;
  let financeDesk: TestUser;
  let id = 0;
  const aware = Date.now() - 30 * HOUR;

  beforeAll(async () => {
    ctx = await testServices(dialect);
    app = await testApp(ctx.services);
    operator = await makeUser(ctx.services, 'operator', 'Alpha Power', ['electricity']);
    other = await makeUser(ctx.services, 'operator', 'Gamma Bank', ['finance']);
    center = await makeUser(ctx.services, 'center_analyst', 'Center');
    admin = await makeUser(ctx.services, 'admin', 'Ops');
    desk = await makeUser(ctx.services, 'sector_desk', 'METI', ['electricity']);
    financeDesk = await makeUser(ctx.services, 'sector_desk', 'FSA', ['finance']);
    const org = await ctx.services.database.db
      .selectFrom('organizations')
      .select('id')
      .where('name', '=', 'Alpha Power')
      .executeTakeFirstOrThrow();
    const flags = await as(app, admin).put(`/api/v1/organizations/${org.id}/flags`, {
      flags: ['designated_operator'],
    });
    expect(flags.statusCode, flags.body).toBe(200);
    id = await file(app, operator, iso(Date.now() - HOUR), {
      occurred_at: iso(aware - HOUR),
      detected_at: iso(aware),
      title: 'Ransomware at the Alpha Power control centre',
      tlp: 'AMBER',
    });
  });
  afterAll(async () => {
    await ctx?.services.notifications.outbox.stop();
    await app?.close();
    await ctx?.close();
  });

  it('the report form’s preview proposes the designated operator’s, PPC and electricity duties with due times', async () => {
    const res = await as(app, operator).get(
      `/api/v1/obligations/preview?sector=electricity&facts=cyber_attack,personal_data&detected_at=${iso(aware)}`,
    );
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ flags: string[]; regimes: Duty[] }>();
    expect(body.flags).toEqual(['designated_operator']);
    expect(body.regimes.map((r) => r.code)).toEqual(['jp-acd', 'jp-ppc', 'jp-electricity']);
    expect(duty(body, 'jp-electricity').stages[0]!.due_at).toBe(iso(aware + 24 * HOUR));
    // Without the personal data, no PPC duty; another sector's operator gets no electricity duty.
    const fewer = await as(app, other).get('/api/v1/obligations/preview?sector=finance&facts=cyber_attack');
    const unknown = await as(app, other).get('/api/v1/obligations/preview?facts=cyber_attack,moonquake');
    expect(unknown.statusCode).toBe(400);
    expect(fewer.json<{ regimes: Duty[] }>().regimes.map((r) => r.code)).toEqual([]);
  });

  it('facts make duties proposed; the reporter confirms them; a stage past due is overdue', async () => {
    const facts = await as(app, operator).put(`/api/v1/incidents/${id}/obligations/facts`, {
      facts: ['cyber_attack', 'personal_data'],
      details: { response: 'Isolated the control network', people_affected: '1,200 customers' },
    });
    expect(facts.statusCode, facts.body).toBe(200);
    expect(facts.json<{ regimes: Duty[] }>().regimes.map((r) => [r.code, r.status])).toEqual([
      ['jp-acd', 'proposed'],
      ['jp-ppc', 'proposed'],
      ['jp-electricity', 'proposed'],
    ]);
    for (const [code, share] of [
      ['jp-electricity', true],
      ['jp-ppc', false],
    ] as const) {
      const res = await as(app, operator).put(`/api/v1/incidents/${id}/obligations/${code}`, {
        status: 'confirmed',
        share_with_center: share,
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    const view = (await as(app, operator).get(`/api/v1/incidents/${id}/obligations`)).json<{
      regimes: Duty[];
    }>();
    const electricity = duty(view, 'jp-electricity');
    expect([electricity.status, electricity.share_with_center]).toEqual(['confirmed', true]);
    expect(electricity.stages.map((s) => s.state)).toEqual(['overdue', 'due']);
    expect(duty(view, 'jp-ppc').stages.map((s) => s.state)).toEqual(['due', 'due']);
    expect(duty(view, 'jp-acd').status).toBe('proposed');
  });

  it('refuses a decline without a reason, a stage of an unconfirmed duty, and others’ records, changing nothing', async () => {
    const before = await wholeState(ctx.services);
    const noReason = await as(app, operator).put(`/api/v1/incidents/${id}/obligations/jp-acd`, {
      status: 'declined',
    });
    expect(noReason.statusCode).toBe(400);
    const unconfirmed = await as(app, operator).put(
      `/api/v1/incidents/${id}/obligations/jp-acd/stages/prompt`,
      {
        state: 'submitted',
        submitted_at: iso(Date.now() - HOUR),
      },
    );
    expect(unconfirmed.json()).toMatchObject({ error: { code: 'obligation_not_confirmed' } });
    const unknown = await as(app, operator).put(`/api/v1/incidents/${id}/obligations/xx-none`, {
      status: 'confirmed',
    });
    expect(unknown.json()).toMatchObject({ error: { code: 'unknown_regime' } });
    const future = await as(app, operator).put(
      `/api/v1/incidents/${id}/obligations/jp-electricity/stages/preliminary`,
      { state: 'submitted', submitted_at: iso(Date.now() + 48 * HOUR) },
    );
    expect(future.json()).toMatchObject({ error: { code: 'time_in_future' } });
    // Another organisation's operator does not see the AMBER record: not found, like a missing one.
    const hidden = await as(app, other).put(`/api/v1/incidents/${id}/obligations/facts`, { facts: [] });
    const missing = await as(app, other).put('/api/v1/incidents/999999/obligations/facts', { facts: [] });
    expect([hidden.statusCode, missing.statusCode]).toEqual([404, 404]);
    const hiddenExport = await as(app, other).get(
      `/api/v1/incidents/${id}/obligations/jp-electricity/stages/preliminary/export`,
    );
    expect(hiddenExport.statusCode).toBe(404);
    // Text with a NUL or another control character is refused as such (PostgreSQL would not store it).
    const nul = await as(app, operator).put(`/api/v1/incidents/${id}/obligations/jp-acd`, {
      status: 'declined',
      reason: 'not\u0000 designated',
    });
    const nulDetail = await as(app, operator).put(`/api/v1/incidents/${id}/obligations/facts`, {
      facts: [],
      details: { impact: 'a\u0007b' },
    });
    const nulName = await as(app, center).get('/api/v1/obligations/preview?organization=%00x&facts=');
    const badSector = await as(app, center).get('/api/v1/obligations/deadlines?sector=%00');
    expect([nul.statusCode, nulDetail.statusCode, nulName.statusCode, badSector.statusCode]).toEqual([
      400, 400, 400, 400,
    ]);
    // A sector desk reads the duties but does not write them.
    const deskWrite = await as(app, desk).put(`/api/v1/incidents/${id}/obligations/jp-acd`, {
      status: 'confirmed',
    });
    expect(deskWrite.statusCode).toBe(403);
    expect(await wholeState(ctx.services)).toEqual(before);
  });

  it('the overdue view lists the incident for the center and its sector’s desk, not for another desk', async () => {
    type Deadlines = {
      overdue: Array<{ incident: { id: number }; regime: { code: string }; stage: { code: string } }>;
    };
    const centerView = (await as(app, center).get('/api/v1/obligations/deadlines')).json<Deadlines>();
    expect(centerView.overdue.map((o) => [o.incident.id, o.regime.code, o.stage.code])).toEqual([
      [id, 'jp-electricity', 'preliminary'],
    ]);
    const deskView = (await as(app, desk).get('/api/v1/obligations/deadlines')).json<Deadlines>();
    expect(deskView.overdue).toHaveLength(1);
    const otherDesk = (await as(app, financeDesk).get('/api/v1/obligations/deadlines')).json<Deadlines>();
    expect(otherDesk.overdue).toEqual([]);
  });

  it('reminds the reporter once of a passed due time', async () => {
    const { database, regimes, audit, notifications } = ctx.services;
    expect(await sendReminders(database, regimes, audit, notifications.outbox)).toBe(1);
    expect(await sendReminders(database, regimes, audit, notifications.outbox)).toBe(0);
    const res = await as(app, operator).get('/api/v1/notifications');
    const items = res.json<{ items: Array<{ kind: string; incident: { id: number } }> }>().items;
    expect(items.map((n) => [n.kind, n.incident.id])).toEqual([['obligation_overdue', id]]);
  });

  it('a stage marked submitted (late) brings up the next stage’s due time; audited', async () => {
    const res = await as(app, operator).put(
      `/api/v1/incidents/${id}/obligations/jp-electricity/stages/preliminary`,
      { state: 'submitted', submitted_at: iso(Date.now() - 2 * HOUR), reference: 'METI-2026-0042' },
    );
    expect(res.statusCode, res.body).toBe(200);
    const stages = duty(res.json<{ regimes: Duty[] }>(), 'jp-electricity').stages;
    expect(stages[0]).toMatchObject({ state: 'submitted', late: true, reference: 'METI-2026-0042' });
    expect(stages[1]!.state).toBe('due');
    expect(stages[1]!.due_at).not.toBeNull();
    const audit = await ctx.services.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'obligation.%')
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual([
      'obligation.confirm',
      'obligation.confirm',
      'obligation.remind',
      'obligation.stage',
    ]);
    const centerView = (await as(app, center).get('/api/v1/obligations/deadlines')).json<{
      overdue: unknown[];
    }>();
    expect(centerView.overdue).toEqual([]);
  });

  it('exports a stage’s form filled from the incident, as XLSX that LibreOffice opens, CSV and JSON', async () => {
    const xlsx = await as(app, operator).get(
      `/api/v1/incidents/${id}/obligations/jp-electricity/stages/detailed/export?format=xlsx`,
    );
    expect(xlsx.statusCode, xlsx.body).toBe(200);
    const csv = xlsxToCsv(xlsx.rawPayload);
    expect(csv).toContain('Ransomware at the Alpha Power control centre');
    expect(csv).toContain('Isolated the control network');
    expect(csv).toContain('経済産業');
    const json = await as(app, operator).get(
      `/api/v1/incidents/${id}/obligations/jp-ppc/stages/preliminary/export?format=json&lang=en`,
    );
    const form = json.json<{ rows: Array<{ item: string; value: string }> }>();
    expect(form.rows.find((r) => r.value === '1,200 customers')).toBeTruthy();
    // The center: with the operator's consent (electricity), not without it (PPC).
    const shared = await as(app, center).get(
      `/api/v1/incidents/${id}/obligations/jp-electricity/stages/detailed/export?format=csv`,
    );
    expect(shared.statusCode).toBe(200);
    expect(shared.body).toContain('Isolated the control network');
    const notShared = await as(app, center).get(
      `/api/v1/incidents/${id}/obligations/jp-ppc/stages/preliminary/export?format=csv`,
    );
    expect(notShared.json()).toMatchObject({ error: { code: 'consent_required' } });
  });

  it('an admin’s version of a regime changes its due times; refused to others and when invalid; removed again', async () => {
    const shipped = (await as(app, admin).get('/api/v1/regimes')).json<{
      regimes: Array<{
        code: string;
        version: number;
        origin: string;
        stages: Array<{ within?: { amount: number } }>;
      }>;
    }>().regimes;
    const electricity = structuredClone(shipped.find((r) => r.code === 'jp-electricity')!) as Record<
      string,
      unknown
    > & {
      stages: Array<{ within?: { amount: number } }>;
      version: number;
    };
    delete electricity.origin;
    electricity.stages[1]!.within!.amount = 10;
    const url = `/api/v1/regimes/jp-electricity/versions/${electricity.version}`;
    const before = await wholeState(ctx.services);
    expect((await as(app, operator).put(url, electricity)).statusCode).toBe(403);
    const broken = await as(app, admin).put(url, { ...electricity, time_zone: 'Mars/Olympus' });
    expect(broken.json()).toMatchObject({ error: { code: 'regime_invalid' } });
    expect(await wholeState(ctx.services)).toEqual(before);
    const put = await as(app, admin).put(url, electricity);
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json<{ origin: string }>().origin).toBe('database');
    const detailed = () =>
      as(app, operator)
        .get(`/api/v1/incidents/${id}/obligations`)
        .then((r) => duty(r.json<{ regimes: Duty[] }>(), 'jp-electricity').stages[1]!);
    expect((await detailed()).state).toBe('due');
    const dueIn10 = Date.parse((await detailed()).due_at!);
    expect((await as(app, admin).delete(url)).statusCode).toBe(204);
    expect(Date.parse((await detailed()).due_at!)).toBeGreaterThan(dueIn10 + 15 * 24 * HOUR);
  });
});
