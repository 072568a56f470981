import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { TestUser } from '../../support/api.js';
import { as, makeUser, testApp } from '../../support/api.js';
import { browserClient } from '../../support/browser-client.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';

/** Issue 9, finding 3: RED stays with the center; an admin alone cannot reach it through accounts. */
interface Approval {
  id: number;
  kind: string;
  status: string;
  requested_by: string;
  decided_by: string | null;
}
interface Body {
  approval: Approval;
  temporary_password?: string;
  user_id?: number;
  error: { code: string };
}

describeEachDialect('the two-person rule on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let first: TestUser;
  let second: TestUser;

  const userRow = (email: string) =>
    ctx.services.database.db
      .selectFrom('users')
      .select(['id', 'role', 'password_hash', 'totp_enabled_at'])
      .where('email', '=', email)
      .executeTakeFirst();
  const auditActions = async () =>
    (
      await ctx.services.database.db
        .selectFrom('audit_log')
        .select('action')
        .where('action', 'like', 'admin.%')
        .orderBy('id')
        .execute()
    ).map((r) => r.action);

  beforeAll(async () => {
    ctx = await testServices(dialect);
    app = await testApp(ctx.services);
    first = await makeUser(ctx.services, 'admin', 'Ops');
    second = await makeUser(ctx.services, 'admin', 'Ops');
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('an admin cannot issue a token for another user', async () => {
    const analyst = await makeUser(ctx.services, 'center_analyst', 'Center');
    const id = await ctx.services.accounts.userIdOf(analyst.email);
    const res = await as(app, first).post(`/api/v1/admin/users/${id}/tokens`, { label: 'x' });
    expect(res.statusCode).toBe(404);
    const tokens = await ctx.services.database.db
      .selectFrom('api_tokens')
      .select('id')
      .where('user_id', '=', id)
      .execute();
    expect(tokens).toHaveLength(1);
  });

  it('creating a center analyst waits for a second admin; the requester cannot approve it', async () => {
    const asked = await as(app, first).post('/api/v1/admin/users', {
      email: 'new-analyst@center.example',
      organization: 'Center',
      role: 'center_analyst',
    });
    expect(asked.statusCode, asked.body).toBe(202);
    const approval = asked.json<Body>().approval;
    expect(approval).toMatchObject({ kind: 'create_user', status: 'pending', requested_by: first.email });
    expect(await userRow('new-analyst@center.example')).toBeUndefined();

    const own = await as(app, first).post(`/api/v1/admin/approvals/${approval.id}/approve`, {});
    expect(own.statusCode).toBe(403);
    expect(own.json<Body>().error.code).toBe('approval_own_request');
    expect(await userRow('new-analyst@center.example')).toBeUndefined();

    const listed = await as(app, second).get('/api/v1/admin/approvals');
    expect(listed.json<Approval[]>().find((a) => a.id === approval.id)?.status).toBe('pending');
    const approved = await as(app, second).post(`/api/v1/admin/approvals/${approval.id}/approve`, {});
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json<Body>().approval).toMatchObject({ status: 'approved', decided_by: second.email });
    const created = await userRow('new-analyst@center.example');
    expect(created).toMatchObject({ role: 'center_analyst', id: approved.json<Body>().user_id });
    const again = await as(app, second).post(`/api/v1/admin/approvals/${approval.id}/approve`, {});
    expect(again.json<Body>().error.code).toBe('approval_decided');
    expect(await auditActions()).toEqual(
      expect.arrayContaining(['admin.approval_request', 'admin.user_create', 'admin.approval_approve']),
    );
  });

  it('an operator is still created at once', async () => {
    const res = await as(app, first).post('/api/v1/admin/users', {
      email: 'plain-operator@alpha.example',
      organization: 'Alpha Power',
      role: 'operator',
    });
    expect(res.statusCode).toBe(201);
  });

  it('promoting to admin waits; a rejected request changes nothing and cannot be approved later', async () => {
    const op = await makeUser(ctx.services, 'operator', 'Alpha Power');
    const id = await ctx.services.accounts.userIdOf(op.email);
    const asked = await as(app, first).put(`/api/v1/admin/users/${id}/role`, { role: 'admin' });
    expect(asked.statusCode, asked.body).toBe(202);
    const approval = asked.json<Body>().approval;
    expect((await userRow(op.email))?.role).toBe('operator');
    const rejected = await as(app, second).post(`/api/v1/admin/approvals/${approval.id}/reject`, {});
    expect(rejected.json<Body>().approval.status).toBe('rejected');
    const late = await as(app, second).post(`/api/v1/admin/approvals/${approval.id}/approve`, {});
    expect(late.json<Body>().error.code).toBe('approval_decided');
    expect((await userRow(op.email))?.role).toBe('operator');
    // A move within the non-center roles is made at once.
    const desk = await as(app, first).put(`/api/v1/admin/users/${id}/role`, {
      role: 'sector_desk',
      sectors: ['electricity'],
    });
    expect(desk.statusCode).toBe(204);
    expect((await userRow(op.email))?.role).toBe('sector_desk');
  });

  it("resetting an analyst's password waits; the approver gets the temporary password, to be changed", async () => {
    const analyst = await makeUser(ctx.services, 'center_analyst', 'Center');
    const id = await ctx.services.accounts.userIdOf(analyst.email);
    await ctx.services.sessions.setPassword(id, 'the analyst own password');
    const before = (await userRow(analyst.email))?.password_hash;
    const asked = await as(app, first).post(`/api/v1/admin/users/${id}/password-reset`, {});
    expect(asked.statusCode).toBe(202);
    expect(asked.body).not.toContain('temporary_password');
    expect((await userRow(analyst.email))?.password_hash).toBe(before);
    const approved = await as(app, second).post(
      `/api/v1/admin/approvals/${asked.json<Body>().approval.id}/approve`,
      {},
    );
    const temporary = approved.json<Body>().temporary_password!;
    expect(temporary).toMatch(/^[A-Za-z0-9]{20}$/);
    const signIn = await browserClient(app, temporary).login(analyst.email);
    expect(signIn.json<{ password_change_required: boolean }>().password_change_required).toBe(true);
  });

  it("resetting an admin's second factor waits for a second admin", async () => {
    const third = await makeUser(ctx.services, 'admin', 'Ops');
    const id = await ctx.services.accounts.userIdOf(third.email);
    await ctx.services.sessions.enrolTotp(id);
    const asked = await as(app, first).post(`/api/v1/admin/users/${id}/mfa-reset`, {});
    expect(asked.statusCode).toBe(202);
    expect((await userRow(third.email))?.totp_enabled_at).not.toBeNull();
    await as(app, second).post(`/api/v1/admin/approvals/${asked.json<Body>().approval.id}/approve`, {});
    expect((await userRow(third.email))?.totp_enabled_at).toBeNull();
  });

  it('a request expires after seven days', async () => {
    const asked = await as(app, first).post('/api/v1/admin/users', {
      email: 'late-admin@ops.example',
      organization: 'Ops',
      role: 'admin',
    });
    const { id } = asked.json<Body>().approval;
    await ctx.services.database.db
      .updateTable('admin_approvals')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', id)
      .execute();
    const res = await as(app, second).post(`/api/v1/admin/approvals/${id}/approve`, {});
    expect(res.json<Body>().error.code).toBe('approval_expired');
    const listed = await as(app, second).get('/api/v1/admin/approvals');
    expect(listed.json<Approval[]>().find((a) => a.id === id)?.status).toBe('expired');
    expect(await userRow('late-admin@ops.example')).toBeUndefined();
  });

  it('an approval whose audit entry fails changes nothing: the request stays pending', async () => {
    const asked = await as(app, first).post('/api/v1/admin/users', {
      email: 'atomic-admin@ops.example',
      organization: 'Ops',
      role: 'admin',
    });
    const { id } = asked.json<Body>().approval;
    const spy = vi.spyOn(ctx.services.audit, 'append').mockRejectedValueOnce(new Error('audit disk full'));
    try {
      const res = await as(app, second).post(`/api/v1/admin/approvals/${id}/approve`, {});
      expect(res.statusCode).toBe(500);
    } finally {
      spy.mockRestore();
    }
    expect(await userRow('atomic-admin@ops.example')).toBeUndefined();
    const listed = await as(app, second).get('/api/v1/admin/approvals');
    expect(listed.json<Approval[]>().find((a) => a.id === id)?.status).toBe('pending');
  });
});
