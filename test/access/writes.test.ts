import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestUser } from '../support/api.js';
import { as, makeUser, testApp } from '../support/api.js';
import type { TestContext } from '../support/databases.js';
import { describeEachDialect, testServices } from '../support/databases.js';
import { wholeState } from '../support/state.js';

/**
 * Writes decide access on the row they lock, before anything else (issue 9, findings 2 and 4), and
 * a token that may not read gets no more than a receipt from its write.
 */
const report = (org: string, tlp: string, ref: string) => ({
  ref,
  channel: 'operator_report',
  received_at: '2023-10-05T08:00:00+09:00',
  organization: org,
  sector: 'electricity',
  title: `secret ${ref}`,
  description: 'the victim is named here',
  stage: 'initial',
  event: 'integrity.destruction',
  causes: ['accidental.vulnerability'],
  attack_type: 'ransomware',
  tlp,
});
const classification = { event: 'integrity.destruction', causes: ['other.unknown'], attack_type: null };
const stage = (n: number) => ({
  stage: 'update',
  received_at: `2023-10-06T10:${String(n % 60).padStart(2, '0')}:00+09:00`,
  description: `update ${n}`,
  event: 'integrity.destruction',
  causes: ['accidental.vulnerability'],
  attack_type: 'ransomware',
});

describeEachDialect('writes and the access rule on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let center: TestUser;
  let admin: TestUser;
  let operator: TestUser;
  let red: number;
  let amber: number;

  beforeAll(async () => {
    ctx = await testServices(dialect);
    app = await testApp(ctx.services);
    center = await makeUser(ctx.services, 'center_analyst', 'NCO');
    admin = await makeUser(ctx.services, 'admin', 'NCO');
    operator = await makeUser(ctx.services, 'operator', 'Alpha Power');
    const created = await as(app, center).post('/api/v1/incidents', report('Alpha Power', 'RED', 'W-RED'));
    expect(created.statusCode, created.body).toBe(201);
    red = created.json<{ id: number }>().id;
    const other = await as(app, center).post('/api/v1/incidents', report('Alpha Power', 'AMBER', 'W-AMB'));
    amber = other.json<{ id: number }>().id;
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it("an admin's classification of another organisation's RED incident is not found and changes nothing", async () => {
    for (const send of [
      () => as(app, admin).put(`/api/v1/incidents/${red}/classification`, classification),
      () => as(app, admin).delete(`/api/v1/incidents/${red}/classification`),
    ]) {
      const before = await wholeState(ctx.services);
      const res = await send();
      expect(res.statusCode, res.body).toBe(404);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('not_found');
      expect(await wholeState(ctx.services)).toEqual(before);
    }
  });

  it('a stale If-Match on a record the caller may not see answers 404, not 412 with its version', async () => {
    const missing = await app.inject({
      method: 'PUT',
      url: '/api/v1/incidents/999999/classification',
      headers: { authorization: `Bearer ${admin.token}`, 'if-match': '"v99"' },
      payload: classification,
    });
    for (const [method, url, payload] of [
      ['PUT', `/api/v1/incidents/${red}/classification`, classification],
      ['DELETE', `/api/v1/incidents/${red}/classification`, undefined],
      ['POST', `/api/v1/incidents/${red}/reports`, stage(1)],
    ] as const) {
      const before = await wholeState(ctx.services);
      const res = await app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${admin.token}`, 'if-match': '"v99"' },
        ...(payload ? { payload } : {}),
      });
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(404);
      expect(res.json<{ error: unknown }>().error).toEqual(missing.json<{ error: unknown }>().error);
      expect(await wholeState(ctx.services)).toEqual(before);
    }
  });

  it('a report onto an existing ref the caller may no longer see is not found and changes nothing', async () => {
    // The admin files a RED report for an operator: its ref lives in the admin's namespace, but
    // RED is for the center, so the admin no longer sees the record it created.
    const first = await as(app, admin).post('/api/v1/incidents', report('Alpha Power', 'RED', 'W-ADM'));
    expect(first.statusCode, first.body).toBe(201);
    const before = await wholeState(ctx.services);
    const again = await as(app, admin).post('/api/v1/incidents', {
      ...report('Alpha Power', 'RED', 'W-ADM'),
      stage: 'update',
      received_at: '2023-10-07T08:00:00+09:00',
      description: 'a further stage',
    });
    expect(again.statusCode, again.body).toBe(404);
    expect(await wholeState(ctx.services)).toEqual(before);
  });

  it('16 concurrent stage reports with the same If-Match: exactly one succeeds, round after round', async () => {
    let n = 100;
    for (let round = 0; round < 20; round++) {
      const current = await as(app, operator).get(`/api/v1/incidents/${amber}`);
      const version = current.json<{ version: number }>().version;
      const answers = await Promise.all(
        Array.from({ length: 16 }, () =>
          app.inject({
            method: 'POST',
            url: `/api/v1/incidents/${amber}/reports`,
            headers: { authorization: `Bearer ${operator.token}`, 'if-match': `"v${version}"` },
            payload: stage(++n),
          }),
        ),
      );
      const codes = answers.map((a) => a.statusCode).sort();
      expect(codes, `round ${round}`).toEqual([201, ...Array<number>(15).fill(412)]);
      const after = await as(app, operator).get(`/api/v1/incidents/${amber}`);
      expect(after.json<{ version: number }>().version).toBe(version + 1);
    }
  });

  it('a write made with a token that may not read answers with a receipt, not the record', async () => {
    const classifyOnly = {
      ...center,
      token: await ctx.services.accounts.createToken(center.email, { scopes: ['classify'] }),
    };
    const put = await as(app, classifyOnly).put(`/api/v1/incidents/${red}/classification`, classification);
    expect(put.statusCode, put.body).toBe(200);
    const receipt = put.json<Record<string, unknown>>();
    expect(Object.keys(receipt).sort()).toEqual(
      ['center_classification', 'channel', 'id', 'ref', 'tlp', 'updated_at', 'version'].sort(),
    );
    expect(put.body).not.toContain('the victim is named here');
    expect(put.headers.etag).toBe(`"v${receipt.version as number}"`);
    // It still cannot read.
    expect((await as(app, classifyOnly).get(`/api/v1/incidents/${red}`)).statusCode).toBe(403);

    const writeOnly = {
      ...operator,
      token: await ctx.services.accounts.createToken(operator.email, { scopes: ['write'] }),
    };
    const post = await as(app, writeOnly).post(`/api/v1/incidents/${red}/reports`, stage(1));
    expect(post.statusCode, post.body).toBe(201);
    expect(Object.keys(post.json<object>()).sort()).toEqual(
      ['channel', 'id', 'ref', 'tlp', 'updated_at', 'version'].sort(),
    );
    expect(post.body).not.toContain('the victim is named here');
    expect(post.body).not.toContain('update 1');
    // With the read scope, the whole record as before.
    const full = await as(app, operator).post(`/api/v1/incidents/${red}/reports`, stage(2));
    expect(full.json<{ reports: unknown[] }>().reports).toHaveLength(3);
    expect(full.body).toContain('the victim is named here');
  });

  it('GET /me lists the allowed actions, and each incident what the caller may do with it', async () => {
    const me = async (user: TestUser) =>
      (await as(app, user).get('/api/v1/me')).json<{ actions: string[] }>().actions;
    expect(await me(operator)).toEqual([
      'me:read',
      'incidents:read',
      'incidents:write',
      'incidents:filters',
      'stats:read',
      'taxonomy:read',
      'conversations:write',
      'notifications:read',
      'notifications:write',
      'advisories:read',
      'advisories:respond',
      'taxii:read',
      'taxii:write',
      'publication:read',
      'regimes:read',
    ]);
    expect(await me(center)).toContain('incidents:classify');
    expect(await me(center)).not.toContain('admin:users');
    expect(await me(admin)).toContain('admin:users');
    const readOnly = {
      ...admin,
      token: await ctx.services.accounts.createToken(admin.email, { scopes: ['read'] }),
    };
    expect(await me(readOnly)).toEqual([
      'me:read',
      'incidents:read',
      'stats:read',
      'taxonomy:read',
      'notifications:read',
      'advisories:read',
      'taxii:read',
      'publication:read',
      'regimes:read',
    ]);

    const actions = async (user: TestUser, id: number) =>
      (await as(app, user).get(`/api/v1/incidents/${id}`)).json<{ actions: string[] }>().actions;
    // Its participants (the reporter, the center, the sector's desk) are offered the conversation.
    expect(await actions(operator, amber)).toEqual(['add_report', 'read_conversation']);
    expect(await actions(center, amber)).toEqual([
      'add_report',
      'classify',
      'change_state',
      'read_conversation',
    ]);
    // The read scope: nothing to write, but reading the conversation is reading.
    expect(await actions(readOnly, amber)).toEqual(['read_conversation']);
    const desk = await makeUser(ctx.services, 'sector_desk', 'Electricity ISAC', ['electricity']);
    // The electricity desk writes no reports but takes part in an AMBER electricity report's conversation.
    expect(await actions(desk, amber)).toEqual(['read_conversation']);
    const list = await as(app, center).get('/api/v1/incidents');
    const items = list.json<{ items: Array<{ actions: string[] }> }>().items;
    expect(items.length).toBeGreaterThan(1);
    for (const item of items)
      expect(item.actions).toEqual(['add_report', 'classify', 'change_state', 'read_conversation']);
    const session = await as(app, operator).get('/api/v1/auth/session');
    expect(session.json<{ user: { actions: string[] } }>().user.actions).toEqual(await me(operator));
  });
});
