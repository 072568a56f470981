import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AdvisoryView } from '../../../src/modules/advisories/index.js';
import type { TestUser } from '../../support/api.js';
import { as, makeUser, testApp } from '../../support/api.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';
import { startSmtp } from '../../support/smtp.js';
import { wholeState } from '../../support/state.js';

const content = (title: string) => ({
  title: { ja: title, en: `${title} (en)` },
  body: { ja: '悪用が確認されています。', en: 'Exploitation observed.' },
  cves: ['cve-2024-3400'],
  affected_products: [{ vendor: 'Palo Alto Networks', product: 'PAN-OS', versions: '< 11.1.2-h3' }],
  indicators: [
    { type: 'ipv4', value: '203.0.113.7' },
    { type: 'domain', value: 'Bad.Example.COM' },
  ],
  recommended_actions: [{ ja: '修正版を適用する', en: 'Apply the fix' }],
  references: [{ title: 'Vendor', url: 'https://security.example/CVE-2024-3400' }],
});

const advisory = (title: string, audience: object, tlp = 'AMBER') => ({
  kind: 'advisory',
  tlp,
  severity: 'critical',
  audience: { everyone: false, sectors: [], organizations: [], ...audience },
  content: content(title),
  received_at: '2024-07-01T09:00:00+09:00',
});

/** An advisory to two sectors, as its recipients, outsiders, the center and the statistics see it. */
describeEachDialect('advisories on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let center: TestUser;
  let power: TestUser;
  let powerColleague: TestUser;
  let water: TestUser;
  let bank: TestUser;
  let waterDesk: TestUser;
  let bankDesk: TestUser;
  const orgIds = new Map<string, number>();

  beforeAll(async () => {
    smtp = await startSmtp();
    ctx = await testServices(dialect, { KYOYU_SMTP_URL: smtp.url, KYOYU_MAIL_FROM: 'noreply@kyoyu.test' });
    app = await testApp(ctx.services);
    center = await makeUser(ctx.services, 'center_analyst', 'Adv Center');
    power = await makeUser(ctx.services, 'operator', 'Adv Power');
    powerColleague = await makeUser(ctx.services, 'operator', 'Adv Power');
    water = await makeUser(ctx.services, 'operator', 'Adv Water');
    bank = await makeUser(ctx.services, 'operator', 'Adv Bank');
    waterDesk = await makeUser(ctx.services, 'sector_desk', 'Adv Water Ministry', ['water']);
    bankDesk = await makeUser(ctx.services, 'sector_desk', 'Adv Finance Ministry', ['finance']);
    const { db } = ctx.services.database;
    for (const [name, sector] of [
      ['Adv Power', 'electricity'],
      ['Adv Water', 'water'],
      ['Adv Bank', 'finance'],
    ] as const)
      await db.updateTable('organizations').set({ sector }).where('name', '=', name).execute();
    for (const r of await db.selectFrom('organizations').select(['id', 'name']).execute())
      orgIds.set(r.name, r.id);
    // The sectors an actor's organisation is under are read when its token is checked: fresh actors.
    ctx.services.accounts.forgetVerifiedTokens();
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.services.notifications.outbox.stop();
    await ctx?.close();
    await smtp?.close();
  });

  const sent = async () => {
    await ctx.services.notifications.outbox.idle();
    return smtp.mails.splice(0);
  };
  const provisions = async () => {
    const rows = await ctx.services.database.db
      .selectFrom('stat_rollup')
      .select(['tbl', 'n'])
      .where('code', '=', 'center_provision')
      .execute();
    return rows.reduce((sum, r) => sum + Number(r.n), 0);
  };
  const notified = async (incidentId: number, kind = 'advisory') =>
    (
      await ctx.services.database.db
        .selectFrom('notifications as n')
        .innerJoin('users as u', 'u.id', 'n.user_id')
        .select('u.email')
        .where('n.incident_id', '=', incidentId)
        .where('n.kind', '=', kind)
        .execute()
    )
      .map((r) => r.email)
      .sort();
  const create = async (body: object, user = center) => {
    const res = await as(app, user).post('/api/v1/advisories', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<AdvisoryView>();
  };

  let two: AdvisoryView;

  it('an advisory to two sectors reaches exactly their organisations’ users, in-app and by mail, counted once', async () => {
    const before = await provisions();
    two = await create(advisory('VPN装置の脆弱性', { sectors: ['electricity', 'water'] }));
    expect(two.content.cves).toEqual(['CVE-2024-3400']);
    expect(two.content.indicators.map((i) => i.value)).toEqual(['203.0.113.7', 'bad.example.com']);
    expect(two.actions).toEqual(expect.arrayContaining(['revise', 'follow_up', 'remind']));
    expect(await notified(two.incident_id)).toEqual([power.email, powerColleague.email, water.email].sort());
    const mails = await sent();
    expect(mails.flatMap((m) => m.to).sort()).toEqual(
      [power.email, powerColleague.email, water.email].sort(),
    );
    expect(mails[0]!.text).not.toContain('VPN');
    expect(await provisions()).toBe(before + 1);
    for (const user of [power, water]) {
      const list = (await as(app, user).get('/api/v1/advisories')).json<{ items: AdvisoryView[] }>();
      expect(list.items.map((a) => a.id)).toContain(two.id);
      const mine = (await as(app, user).get(`/api/v1/notifications`)).json<{ items: { kind: string }[] }>();
      expect(mine.items.map((n) => n.kind)).toContain('advisory');
    }
  });

  it('an operator outside them sees nothing of it, anywhere, and a refused read changes nothing', async () => {
    for (const user of [bank, bankDesk]) {
      const list = (await as(app, user).get('/api/v1/advisories')).json<{ items: AdvisoryView[] }>();
      expect(list.items.map((a) => a.id)).not.toContain(two.id);
      const before = await wholeState(ctx.services);
      expect((await as(app, user).get(`/api/v1/advisories/${two.id}`)).statusCode).toBe(404);
      expect((await as(app, user).get(`/api/v1/advisories/${two.id}/revisions`)).statusCode).toBe(404);
      expect(
        (await as(app, user).put(`/api/v1/advisories/${two.id}/receipt`, { read: true })).statusCode,
      ).toBe(404);
      expect(await wholeState(ctx.services)).toEqual(before);
      expect((await as(app, user).get(`/api/v1/incidents/${two.incident_id}`)).statusCode).toBe(404);
      // Nor through the record's other reads (its indicators, the ones its text names, its STIX).
      for (const path of ['indicators', 'indicators/suggested', 'stix'])
        expect(
          (await as(app, user).get(`/api/v1/incidents/${two.incident_id}/${path}`)).statusCode,
          path,
        ).toBe(404);
      const incidents = (
        await as(app, user).get('/api/v1/incidents?channel=center_provision&limit=200')
      ).json<{ items: { id: number }[] }>();
      expect(incidents.items.map((i) => i.id)).not.toContain(two.incident_id);
      const mine = (await as(app, user).get('/api/v1/notifications')).json<{ items: unknown[] }>();
      expect(mine.items).toEqual([]);
    }
    // A GREEN one too (a marking the community receives): addressed, it still reaches only its audience.
    const green = (
      await as(app, center).post(
        '/api/v1/advisories',
        advisory('GREEN の注意喚起', { sectors: ['electricity'] }, 'GREEN'),
      )
    ).json<AdvisoryView>();
    for (const path of ['', '/indicators', '/indicators/suggested', '/stix'])
      expect(
        (await as(app, bank).get(`/api/v1/incidents/${green.incident_id}${path}`)).statusCode,
        path,
      ).toBe(404);
    // The water desk reads its sector's advisory (a sector member), and so do the recipients' lists.
    expect((await as(app, waterDesk).get(`/api/v1/advisories/${two.id}`)).statusCode).toBe(200);
    const listed = (await as(app, power).get('/api/v1/incidents?channel=center_provision')).json<{
      items: { id: number }[];
    }>();
    expect(listed.items.map((i) => i.id)).toContain(two.incident_id);
  });

  it('receipts: read, acknowledged, action status, per organisation; the center may not respond', async () => {
    const res = await as(app, power).put(`/api/v1/advisories/${two.id}/receipt`, { acknowledged: true });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ action_status: null });
    expect(res.json<{ read_at: string | null }>().read_at).not.toBeNull();
    const seenByColleague = (
      await as(app, powerColleague).get(`/api/v1/advisories/${two.id}`)
    ).json<AdvisoryView>();
    expect(seenByColleague.receipt?.acknowledged_at).not.toBeNull();
    const acted = await as(app, water).put(`/api/v1/advisories/${two.id}/receipt`, {
      action_status: 'patched',
      action_note: 'PAN-OS 11.1.2-h3 適用済み',
    });
    expect(acted.json()).toMatchObject({ action_status: 'patched', acknowledged_at: null });
    expect(
      (await as(app, center).put(`/api/v1/advisories/${two.id}/receipt`, { read: true })).statusCode,
    ).toBe(403);
    const unread = (await as(app, water).get('/api/v1/advisories?unread=true')).json<{
      items: AdvisoryView[];
    }>();
    expect(unread.items.map((a) => a.id)).not.toContain(two.id);
  });

  it('the follow-up view counts per sector, and a reminder reaches exactly the unacknowledged', async () => {
    const res = await as(app, center).get(`/api/v1/advisories/${two.id}/follow-up`);
    expect(res.statusCode, res.body).toBe(200);
    const view = res.json<{
      totals: object;
      sectors: { sector: string; organizations: { name: string; acknowledged_by: string | null }[] }[];
    }>();
    expect(view.totals).toEqual({ recipients: 2, read: 2, acknowledged: 1, acted: 1 });
    expect(view.sectors.map((s) => s.sector).sort()).toEqual(['electricity', 'water']);
    const powerRow = view.sectors.find((s) => s.sector === 'electricity')!.organizations[0]!;
    expect(powerRow).toMatchObject({ name: 'Adv Power', acknowledged_by: power.email });
    expect((await as(app, power).get(`/api/v1/advisories/${two.id}/follow-up`)).statusCode).toBe(403);
    await sent();
    const reminded = await as(app, center).post(`/api/v1/advisories/${two.id}/reminders`, {
      to: 'unacknowledged',
    });
    expect(reminded.json()).toEqual({ organizations: 1, users: 1 });
    expect(await notified(two.incident_id, 'advisory_reminder')).toEqual([water.email]);
    expect((await sent()).flatMap((m) => m.to)).toEqual([water.email]);
  });

  it('a read-only token of the center sees the follow-up view but sends no reminder', async () => {
    const readOnly: TestUser = {
      ...center,
      token: await ctx.services.accounts.createToken(center.email, { scopes: ['read'] }),
    };
    expect((await as(app, readOnly).get(`/api/v1/advisories/${two.id}/follow-up`)).statusCode).toBe(200);
    const viewed = await as(app, readOnly).get(`/api/v1/advisories/${two.id}`);
    expect(viewed.json<AdvisoryView>().actions).toContain('follow_up');
    expect(viewed.json<AdvisoryView>().actions).not.toContain('remind');
    const before = await wholeState(ctx.services);
    const refused = await as(app, readOnly).post(`/api/v1/advisories/${two.id}/reminders`, {
      to: 'unacknowledged',
    });
    expect(refused.statusCode).toBe(403);
    expect(await wholeState(ctx.services)).toEqual(before);
  });

  it('a revision needs the current ETag, keeps history, counts nothing again, and reaches a widened audience', async () => {
    const before = await provisions();
    const body = { tlp: 'AMBER', severity: 'high', content: content('VPN装置の脆弱性（第2版）') };
    const stale = await as(app, center).put(
      `/api/v1/advisories/${two.id}`,
      {
        ...body,
        audience: { everyone: false, sectors: ['electricity', 'water', 'finance'], organizations: [] },
      },
      { 'if-match': '"r7"' },
    );
    expect(stale.statusCode).toBe(412);
    expect(
      (await as(app, power).put(`/api/v1/advisories/${two.id}`, { ...body, audience: two.audience }))
        .statusCode,
    ).toBe(403);
    const res = await as(app, center).put(
      `/api/v1/advisories/${two.id}`,
      {
        ...body,
        audience: { everyone: false, sectors: ['electricity', 'water', 'finance'], organizations: [] },
      },
      { 'if-match': '"r1"' },
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers.etag).toBe('"r2"');
    expect(res.json<AdvisoryView>()).toMatchObject({ revision: 2, severity: 'high' });
    expect(await provisions()).toBe(before);
    expect(await notified(two.incident_id)).toEqual(
      [bank.email, power.email, powerColleague.email, water.email].sort(),
    );
    expect((await as(app, bank).get(`/api/v1/advisories/${two.id}`)).statusCode).toBe(200);
    const revisions = (await as(app, center).get(`/api/v1/advisories/${two.id}/revisions`)).json<{
      items: { revision: number; content: { title: { ja: string } } }[];
    }>();
    expect(revisions.items.map((r) => [r.revision, r.content.title.ja])).toEqual([
      [2, 'VPN装置の脆弱性（第2版）'],
      [1, 'VPN装置の脆弱性'],
    ]);
  });

  it('a bad indicator is a field error naming it, and nothing is written', async () => {
    const before = await wholeState(ctx.services);
    const body = advisory('bad', { everyone: true });
    body.content.indicators.push({ type: 'ipv4', value: '999.1.1.1' });
    const res = await as(app, center).post('/api/v1/advisories', body, { 'accept-language': 'en' });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.body).toContain('999.1.1.1');
    expect(res.body).toContain('content.indicators.2.value');
    expect(await wholeState(ctx.services)).toEqual(before);
  });

  it('RED reaches a named organisation only, not its sector', async () => {
    const red = await create(
      advisory('RED', { sectors: ['finance'], organizations: [orgIds.get('Adv Power')!] }, 'RED'),
    );
    expect((await as(app, power).get(`/api/v1/advisories/${red.id}`)).statusCode).toBe(200);
    expect((await as(app, bank).get(`/api/v1/advisories/${red.id}`)).statusCode).toBe(404);
  });

  it('an agency share is seen by the center and the filing desk only', async () => {
    const share = await create(
      { ...advisory('省庁からの共有', { everyone: true }), kind: 'agency_share' },
      waterDesk,
    );
    expect(share.audience).toEqual({ everyone: false, sectors: [], organizations: [] });
    expect((await as(app, center).get(`/api/v1/advisories/${share.id}`)).statusCode).toBe(200);
    for (const user of [power, water, bank, bankDesk])
      expect((await as(app, user).get(`/api/v1/advisories/${share.id}`)).statusCode).toBe(404);
    expect(
      (await as(app, power).post('/api/v1/advisories', advisory('x', { everyone: true }))).statusCode,
    ).toBe(403);
    expect(
      (await as(app, waterDesk).post('/api/v1/advisories', advisory('y', { everyone: true }))).statusCode,
    ).toBe(403);
  });
});
