import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestUser } from '../../support/api.js';
import { as, makeUser, testApp } from '../../support/api.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';

describeEachDialect('administration through the API on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let admin: TestUser;
  beforeAll(async () => {
    ctx = await testServices(dialect);
    app = await testApp(ctx.services);
    admin = await makeUser(ctx.services, 'admin', 'Ops');
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('creates a user, hands over a temporary password, revokes a scoped token, disables', async () => {
    const api = as(app, admin);
    const created = await api.post('/api/v1/admin/users', {
      email: 'Desk@Admin.example',
      organization: 'Admin Ministry',
      role: 'sector_desk',
      sectors: ['finance'],
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: number }>().id;
    const listed = (await api.get('/api/v1/admin/users')).json<
      Array<{ id: number; email: string; sectors: string[] }>
    >();
    expect(listed.find((u) => u.id === id)).toMatchObject({
      email: 'desk@admin.example',
      sectors: ['finance'],
    });
    expect(
      (await api.get('/api/v1/admin/organizations')).json<Array<{ name: string }>>().map((o) => o.name),
    ).toContain('Admin Ministry');

    const reset = await api.post(`/api/v1/admin/users/${id}/password-reset`, {});
    const password = reset.json<{ temporary_password: string }>().temporary_password;
    const signIn = await ctx.services.sessions.login('desk@admin.example', password, {});
    expect(signIn.principal.actor.role).toBe('sector_desk');

    // An admin issues no token for someone else (the CLI on the server still can: bootstrap).
    const issued = await api.post(`/api/v1/admin/users/${id}/tokens`, { label: 'dashboard' });
    expect(issued.statusCode).toBe(404);
    const token = await ctx.services.accounts.createToken('desk@admin.example', {
      label: 'dashboard',
      scopes: ['read'],
    });
    const desk = as(app, { email: '', organization: '', role: 'sector_desk', token });
    expect((await desk.get('/api/v1/me')).statusCode).toBe(200);
    const tokens = await api.get(`/api/v1/admin/users/${id}/tokens`);
    expect(tokens.body).not.toContain(token);
    const [row] = tokens.json<Array<{ id: number; scopes: string[]; expires_at: string | null }>>();
    expect(row).toMatchObject({ scopes: ['read'] });
    expect(row!.expires_at).not.toBeNull();
    expect((await api.delete(`/api/v1/admin/users/${id}/tokens/${row!.id}`)).statusCode).toBe(204);
    expect((await desk.get('/api/v1/me')).statusCode).toBe(401);

    const second = await ctx.services.accounts.createToken('desk@admin.example');
    expect((await api.put(`/api/v1/admin/users/${id}/disabled`, { disabled: true })).statusCode).toBe(204);
    expect((await as(app, { ...admin, token: second }).get('/api/v1/me')).statusCode).toBe(401);
    expect(await ctx.services.sessions.principalFor(signIn.cookieValue)).toBeNull();
    await expect(ctx.services.sessions.login('desk@admin.example', password, {})).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
    const actions = await ctx.services.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'admin.%')
      .execute();
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining(['admin.user_create', 'admin.token_revoke', 'admin.user_disable']),
    );
  });

  it('refuses bad input with a stable code and unknown users with 404', async () => {
    const api = as(app, admin);
    const bad = await api.post('/api/v1/admin/users', {
      email: 'x@y.example',
      organization: 'O',
      role: 'root',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { code: string } }>().error.code).toBe('validation_failed');
    const desk = await api.post('/api/v1/admin/users', {
      email: 'd@y.example',
      organization: 'O',
      role: 'sector_desk',
    });
    expect(desk.statusCode).toBe(400);
    expect((await api.post('/api/v1/admin/users/999999/password-reset', {})).statusCode).toBe(404);
    expect((await api.delete('/api/v1/admin/users/999999/tokens/1')).statusCode).toBe(404);
    const self = await ctx.services.accounts.userIdOf(admin.email);
    expect((await api.put(`/api/v1/admin/users/${self}/disabled`, { disabled: true })).statusCode).toBe(409);
  });
});
