import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestUser } from '../../support/api.js';
import { as, makeUser, testApp } from '../../support/api.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';
import { wholeState } from '../../support/state.js';

const report = (ref: string, tlp: string, sector = 'electricity') => ({
  ref,
  channel: 'operator_report',
  received_at: '2024-05-01T09:00:00+09:00',
  sector,
  title: `conversation ${ref}`,
  description: 'the reporter’s description',
  stage: 'initial',
  event: 'integrity.destruction',
  causes: ['accidental.vulnerability'],
  attack_type: 'ransomware',
  tlp,
});

interface Conversation {
  side: string;
  items: Array<{
    id: number;
    body: string;
    tlp: string;
    own: boolean;
    author: { side: string; role: string };
  }>;
  unread: number;
  last_read_id: number;
}

describeEachDialect('the incident conversation on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let reporter: TestUser;
  let colleague: TestUser;
  let center: TestUser;
  let admin: TestUser;
  let desk: TestUser;
  let otherDesk: TestUser;
  let outsider: TestUser;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    ctx = await testServices(dialect);
    app = await testApp(ctx.services);
    reporter = await makeUser(ctx.services, 'operator', 'Talk Power');
    colleague = await makeUser(ctx.services, 'operator', 'Talk Power');
    center = await makeUser(ctx.services, 'center_analyst', 'Talk Center');
    admin = await makeUser(ctx.services, 'admin', 'Talk Center');
    desk = await makeUser(ctx.services, 'sector_desk', 'Talk Ministry', ['electricity']);
    otherDesk = await makeUser(ctx.services, 'sector_desk', 'Talk Finance Ministry', ['finance']);
    outsider = await makeUser(ctx.services, 'operator', 'Talk Bank');
    for (const tlp of ['GREEN', 'AMBER', 'AMBER+STRICT', 'RED']) {
      const res = await as(app, reporter).post('/api/v1/incidents', report(`TALK-${tlp}`, tlp));
      expect(res.statusCode, res.body).toBe(201);
      ids[tlp] = res.json<{ id: number }>().id;
    }
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  const read = (user: TestUser, id: number) => as(app, user).get(`/api/v1/incidents/${id}/messages`);
  const post = (user: TestUser, id: number, body: string) =>
    as(app, user).post(`/api/v1/incidents/${id}/messages`, { body });

  it('the center asks, the reporter answers; each message keeps its author, side and the TLP', async () => {
    const asked = await post(center, ids.AMBER!, 'いつ検知しましたか？\n影響範囲も教えてください');
    expect(asked.statusCode, asked.body).toBe(201);
    expect(asked.json()).toMatchObject({
      tlp: 'AMBER',
      own: true,
      author: { side: 'center', role: 'center_analyst', organization: 'Talk Center', email: center.email },
    });
    const answer = await post(reporter, ids.AMBER!, '09:00 に検知しました');
    expect(answer.statusCode, answer.body).toBe(201);
    const seen = (await read(desk, ids.AMBER!)).json<Conversation>();
    expect(seen.side).toBe('desk');
    expect(seen.items.map((m) => [m.author.side, m.body])).toEqual([
      ['center', 'いつ検知しましたか？\n影響範囲も教えてください'],
      ['reporter', '09:00 に検知しました'],
    ]);
    expect(seen.items.every((m) => !m.own && m.tlp === 'AMBER')).toBe(true);
  });

  it('who takes part: the reporter, the center, and the desk of the sector where the TLP allows', async () => {
    const status = async (user: TestUser, tlp: string) => (await read(user, ids[tlp]!)).statusCode;
    expect(await status(colleague, 'RED')).toBe(200);
    expect(await status(center, 'RED')).toBe(200);
    // Not seen at all: 404, exactly like a missing incident.
    expect(await status(admin, 'RED')).toBe(404);
    expect(await status(desk, 'RED')).toBe(404);
    expect(await status(desk, 'AMBER+STRICT')).toBe(404);
    expect(await status(otherDesk, 'AMBER')).toBe(404);
    expect(await status(outsider, 'AMBER')).toBe(404);
    expect(await status(admin, 'AMBER+STRICT')).toBe(200);
    expect(await status(desk, 'GREEN')).toBe(200);
    // Seen as community news, but not a party to the conversation.
    expect(await status(outsider, 'GREEN')).toBe(403);
    expect(await status(otherDesk, 'GREEN')).toBe(403);
    const hidden = await read(outsider, ids.AMBER!);
    const missing = await read(outsider, 999999);
    expect(hidden.json<{ error: unknown }>().error).toEqual(missing.json<{ error: unknown }>().error);
  });

  it('a refused or invalid post changes nothing at all', async () => {
    const tooLong = 'あ'.repeat(4001);
    const cases: Array<[TestUser, number, string, number]> = [
      [admin, ids.RED!, 'hidden', 404],
      [outsider, ids.AMBER!, 'hidden', 404],
      [outsider, ids.GREEN!, 'not a party', 403],
      [desk, 999999, 'missing', 404],
      [center, ids.AMBER!, '   \n ', 400],
      [center, ids.AMBER!, tooLong, 400],
      [center, ids.AMBER!, 'bidi \u202e control', 400],
    ];
    for (const [user, id, body, expected] of cases) {
      const before = await wholeState(ctx.services);
      const res = await post(user, id, body);
      expect(res.statusCode, res.body).toBe(expected);
      expect(await wholeState(ctx.services)).toEqual(before);
    }
    const marker = await wholeState(ctx.services);
    expect(
      (await as(app, outsider).put(`/api/v1/incidents/${ids.AMBER!}/messages/read`, { last_read_id: 1 }))
        .statusCode,
    ).toBe(404);
    expect(await wholeState(ctx.services)).toEqual(marker);
    const readOnly = {
      ...center,
      token: await ctx.services.accounts.createToken(center.email, { scopes: ['read'] }),
    };
    expect((await read(readOnly, ids.AMBER!)).json<{ may_write: boolean }>().may_write).toBe(false);
    const before = await wholeState(ctx.services);
    expect((await post(readOnly, ids.AMBER!, 'read-only token')).statusCode).toBe(403);
    expect(await wholeState(ctx.services)).toEqual(before);
    // 4,000 characters is the limit, not over it.
    expect((await post(center, ids.GREEN!, 'あ'.repeat(4000))).statusCode).toBe(201);
  });

  it('each message is audited in its transaction, without its text', async () => {
    const res = await post(center, ids['AMBER+STRICT']!, 'secret wording');
    const id = res.json<{ id: number }>().id;
    const entries = await ctx.services.database.db
      .selectFrom('audit_log')
      .select(['action', 'object_id', 'details', 'actor'])
      .where('action', '=', 'conversation.message')
      .execute();
    const entry = entries.find((e) => (JSON.parse(e.details!) as { message_id: number }).message_id === id);
    expect(entry).toMatchObject({ object_id: String(ids['AMBER+STRICT']), actor: center.email });
    expect(entry!.details).not.toContain('secret wording');
  });

  describe('unread counts', () => {
    it('per incident and in total, others’ messages after the read marker; the marker only moves forward', async () => {
      const id = ids.RED!;
      const first = (await post(center, id, 'question 1')).json<{ id: number }>().id;
      const second = (await post(center, id, 'question 2')).json<{ id: number }>().id;
      const conversation = (await read(colleague, id)).json<Conversation>();
      expect(conversation).toMatchObject({ unread: 2, last_read_id: 0 });
      const total = async (user: TestUser) =>
        (await as(app, user).get('/api/v1/messages/unread')).json<{
          total: number;
          incidents: Array<{ incident_id: number; unread: number }>;
        }>();
      const before = await total(colleague);
      expect(before.incidents.find((i) => i.incident_id === id)?.unread).toBe(2);
      const marked = await as(app, colleague).put(`/api/v1/incidents/${id}/messages/read`, {
        last_read_id: first,
      });
      expect(marked.json()).toEqual({ last_read_id: first, unread: 1 });
      expect((await total(colleague)).total).toBe(before.total - 1);
      // Back: no move. Beyond the last message: up to the last only.
      const back = await as(app, colleague).put(`/api/v1/incidents/${id}/messages/read`, { last_read_id: 0 });
      expect(back.json()).toEqual({ last_read_id: first, unread: 1 });
      const ahead = await as(app, colleague).put(`/api/v1/incidents/${id}/messages/read`, {
        last_read_id: 10 ** 9,
      });
      expect(ahead.json()).toEqual({ last_read_id: second, unread: 0 });
      // One's own messages are never unread; the author's marker moves past them.
      expect((await read(center, id)).json<Conversation>().unread).toBe(0);
      // The desk's total never counts a conversation it takes no part in (RED, other sectors).
      const deskTotal = await total(desk);
      expect(deskTotal.incidents.map((i) => i.incident_id)).not.toContain(id);
    });
  });
});
