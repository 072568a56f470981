import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestUser } from '../../support/api.js';
import { as, makeUser, testApp } from '../../support/api.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';
import { startSmtp } from '../../support/smtp.js';
import { wholeState } from '../../support/state.js';

const report = (ref: string, tlp: string, sector = 'gas') => ({
  ref,
  channel: 'operator_report',
  received_at: '2024-06-01T09:00:00+09:00',
  sector,
  title: `title of ${ref}`,
  description: `description of ${ref}`,
  stage: 'initial',
  event: 'integrity.destruction',
  causes: ['accidental.vulnerability'],
  attack_type: 'ransomware',
  tlp,
});

interface Item {
  id: number;
  kind: string;
  incident: { id: number; ref: string; tlp: string };
  read_at: string | null;
}

describeEachDialect('notifications and their mail on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let reporter: TestUser;
  let colleague: TestUser;
  let asker: TestUser;
  let analyst: TestUser;
  let desk: TestUser;
  let deskEn: TestUser;
  let otherDesk: TestUser;

  beforeAll(async () => {
    smtp = await startSmtp();
    ctx = await testServices(dialect, {
      KYOYU_SMTP_URL: smtp.url,
      KYOYU_MAIL_FROM: 'noreply@kyoyu.test',
      KYOYU_PUBLIC_URL: 'https://kyoyu.example/',
    });
    app = await testApp(ctx.services);
    reporter = await makeUser(ctx.services, 'operator', 'Mail Gas');
    colleague = await makeUser(ctx.services, 'operator', 'Mail Gas');
    asker = await makeUser(ctx.services, 'center_analyst', 'Mail Center');
    analyst = await makeUser(ctx.services, 'center_analyst', 'Mail Center');
    desk = await makeUser(ctx.services, 'sector_desk', 'Gas Ministry', ['gas']);
    deskEn = await makeUser(ctx.services, 'sector_desk', 'Gas Ministry', ['gas', 'water']);
    otherDesk = await makeUser(ctx.services, 'sector_desk', 'Water Ministry', ['water']);
    const set = await as(app, deskEn).put('/api/v1/notifications/settings', { language: 'en', mail: true });
    expect(set.json()).toEqual({ language: 'en', mail: true, mail_configured: true });
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.services.notifications.outbox.stop();
    await ctx?.close();
    await smtp?.close();
  });

  const list = async (user: TestUser) =>
    (await as(app, user).get('/api/v1/notifications')).json<{ items: Item[]; unread: number }>();
  const sent = async () => {
    await ctx.services.notifications.outbox.idle();
    return smtp.mails.splice(0);
  };

  it('a new report tells its sector’s desks, in each one’s language, with no content in the mail', async () => {
    const res = await as(app, reporter).post('/api/v1/incidents', report('MAIL-AMBER', 'AMBER'));
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json<{ id: number }>().id;
    for (const user of [desk, deskEn]) {
      const mine = await list(user);
      expect(mine.items.map((n) => [n.kind, n.incident.id])).toEqual([['new_report', id]]);
      expect(mine.unread).toBe(1);
    }
    expect((await list(otherDesk)).items).toEqual([]);
    expect((await list(reporter)).items).toEqual([]);
    const mails = await sent();
    expect(mails.map((m) => m.to).sort()).toEqual([[desk.email], [deskEn.email]].sort());
    const ja = mails.find((m) => m.to[0] === desk.email)!;
    const en = mails.find((m) => m.to[0] === deskEn.email)!;
    expect(ja.from).toBe('noreply@kyoyu.test');
    expect(ja.subject).toBe('[kyoyu] 新しい報告: MAIL-AMBER');
    expect(ja.text).toContain(`https://kyoyu.example/incidents/${id}`);
    expect(en.subject).toBe('[kyoyu] New report: MAIL-AMBER');
    expect(en.headers['content-language']).toBe('en');
    for (const mail of mails) {
      expect(mail.text + mail.subject).not.toContain('title of');
      expect(mail.text).not.toContain('description of');
    }
  });

  it('a report the desks may not receive (AMBER+STRICT, RED) or of another channel tells no one', async () => {
    for (const tlp of ['AMBER+STRICT', 'RED'])
      expect((await as(app, reporter).post('/api/v1/incidents', report(`MAIL-${tlp}`, tlp))).statusCode).toBe(
        201,
      );
    expect((await list(desk)).items).toHaveLength(1);
    expect(await sent()).toEqual([]);
  });

  it('the center asks: the reporting organisation is told; the reporter answers: the one who asked is', async () => {
    const id = (await as(app, reporter).post('/api/v1/incidents', report('MAIL-RED-TALK', 'RED'))).json<{
      id: number;
    }>().id;
    const asked = await as(app, asker).post(`/api/v1/incidents/${id}/messages`, { body: 'RED の詳細な質問' });
    expect(asked.statusCode, asked.body).toBe(201);
    for (const user of [reporter, colleague])
      expect((await list(user)).items.filter((n) => n.incident.id === id).map((n) => n.kind)).toEqual([
        'question',
      ]);
    const questions = await sent();
    expect(questions.map((m) => m.to[0]).sort()).toEqual([reporter.email, colleague.email].sort());
    for (const mail of questions) {
      expect(mail.subject).toBe('[kyoyu] センターからの質問: MAIL-RED-TALK');
      expect(mail.text).toContain('TLP:RED');
      // TLP:RED text never travels by mail (nor any other message text).
      expect(mail.text).not.toContain('RED の詳細');
      expect(mail.text).not.toContain('title of');
    }
    expect(
      (await as(app, reporter).post(`/api/v1/incidents/${id}/messages`, { body: '回答です' })).statusCode,
    ).toBe(201);
    expect((await list(asker)).items.map((n) => n.kind)).toEqual(['answer']);
    expect((await list(analyst)).items).toEqual([]);
    expect((await list(desk)).items.some((n) => n.incident.id === id)).toBe(false);
    expect((await sent()).map((m) => [m.to[0], m.subject])).toEqual([
      [asker.email, '[kyoyu] 報告組織からの回答: MAIL-RED-TALK'],
    ]);
  });

  it('a reporter writing first tells every center analyst; a desk writing tells both sides', async () => {
    const id = (await as(app, reporter).post('/api/v1/incidents', report('MAIL-FIRST', 'AMBER'))).json<{
      id: number;
    }>().id;
    await sent();
    await as(app, reporter).post(`/api/v1/incidents/${id}/messages`, { body: 'ご相談です' });
    for (const user of [asker, analyst])
      expect((await list(user)).items.find((n) => n.incident.id === id)?.kind).toBe('answer');
    await as(app, desk).post(`/api/v1/incidents/${id}/messages`, { body: '所管省庁です' });
    const told = (await sent()).filter((m) => m.subject.includes('新しいメッセージ')).map((m) => m.to[0]);
    expect(told.sort()).toEqual([reporter.email, colleague.email, asker.email, analyst.email].sort());
  });

  it('marking read: one’s own only, all at once, the unread count; a refusal changes nothing', async () => {
    const mine = await list(reporter);
    expect(mine.unread).toBeGreaterThan(1);
    const other = (await list(asker)).items[0]!.id;
    const before = await wholeState(ctx.services);
    expect((await as(app, reporter).post('/api/v1/notifications/read', {})).statusCode).toBe(400);
    expect(
      (await as(app, reporter).post('/api/v1/notifications/read', { ids: [1], all: true })).statusCode,
    ).toBe(400);
    expect(await wholeState(ctx.services)).toEqual(before);
    // Someone else's id is not "yours": nothing marked.
    const foreign = await as(app, reporter).post('/api/v1/notifications/read', { ids: [other] });
    expect(foreign.json()).toEqual({ marked: 0, unread: mine.unread });
    expect(await wholeState(ctx.services)).toEqual(before);
    const one = await as(app, reporter).post('/api/v1/notifications/read', { ids: [mine.items[0]!.id] });
    expect(one.json()).toEqual({ marked: 1, unread: mine.unread - 1 });
    const all = await as(app, reporter).post('/api/v1/notifications/read', { all: true });
    expect(all.json()).toEqual({ marked: mine.unread - 1, unread: 0 });
    expect((await as(app, reporter).get('/api/v1/notifications/unread')).json()).toEqual({ unread: 0 });
    const audit = await ctx.services.database.db
      .selectFrom('audit_log')
      .select('actor')
      .where('action', '=', 'notifications.read')
      .execute();
    expect(audit.map((a) => a.actor)).toEqual([reporter.email, reporter.email]);
  });

  it('a notification about a record its reader no longer sees leaves its list', async () => {
    const created = await as(app, reporter).post('/api/v1/incidents', report('MAIL-REJECT', 'AMBER'));
    const id = created.json<{ id: number }>().id;
    expect((await list(desk)).items.some((n) => n.incident.id === id)).toBe(true);
    expect(
      (await as(app, asker).post(`/api/v1/incidents/${id}/reject`, { reason: 'duplicate' })).statusCode,
    ).toBe(200);
    expect((await list(desk)).items.some((n) => n.incident.id === id)).toBe(false);
    await sent();
  });

  it('a failed send is retried with backoff, recorded, and given up after five attempts; the request never fails', async () => {
    smtp.refuse.on = true;
    try {
      const res = await as(app, asker).post(
        `/api/v1/incidents/${(await list(reporter)).items[0]!.incident.id}/messages`,
        {
          body: 'while mail is down',
        },
      );
      expect(res.statusCode).toBe(201);
      await ctx.services.notifications.outbox.idle();
      const pending = () =>
        ctx.services.database.db
          .selectFrom('notifications')
          .select(['mail_state', 'mail_attempts', 'mail_error'])
          .where('message_id', '=', res.json<{ id: number }>().id)
          .execute();
      for (const row of await pending()) {
        expect(row).toMatchObject({ mail_state: 'pending', mail_attempts: 1 });
        expect(row.mail_error).toMatch(/try later/);
      }
      // Each later attempt when its time has come (the clock moved on by a day each time).
      let day = 0;
      for (let attempt = 2; attempt <= 5; attempt++)
        await ctx.services.notifications.outbox.drain(() => new Date(Date.now() + ++day * 86_400_000));
      for (const row of await pending())
        expect(row).toMatchObject({ mail_state: 'failed', mail_attempts: 5 });
    } finally {
      smtp.refuse.on = false;
    }
    expect(smtp.mails).toEqual([]);
  });

  it('a user who turned mail off gets the notification, not the mail', async () => {
    await as(app, desk).put('/api/v1/notifications/settings', { language: 'ja', mail: false });
    const res = await as(app, reporter).post('/api/v1/incidents', report('MAIL-OFF', 'GREEN'));
    const id = res.json<{ id: number }>().id;
    expect((await list(desk)).items[0]!.incident.id).toBe(id);
    expect((await sent()).map((m) => m.to[0])).toEqual([deskEn.email]);
  });
});

describeEachDialect('notifications without SMTP on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  beforeAll(async () => {
    ctx = await testServices(dialect);
    app = await testApp(ctx.services);
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('are created with no mail due', async () => {
    const reporter = await makeUser(ctx.services, 'operator', 'Quiet Gas');
    const desk = await makeUser(ctx.services, 'sector_desk', 'Quiet Ministry', ['gas']);
    expect((await as(app, reporter).post('/api/v1/incidents', report('QUIET', 'AMBER'))).statusCode).toBe(
      201,
    );
    const rows = await ctx.services.database.db.selectFrom('notifications').selectAll().execute();
    expect(rows.map((r) => [r.kind, r.mail_state])).toEqual([['new_report', null]]);
    expect((await as(app, desk).get('/api/v1/notifications/settings')).json()).toEqual({
      language: 'ja',
      mail: true,
      mail_configured: false,
    });
  });
});
