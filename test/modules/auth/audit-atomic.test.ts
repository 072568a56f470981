import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { TestUser } from '../../support/api.js';
import { as, makeUser, testApp } from '../../support/api.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';

/**
 * Issue 9, finding 6 (the accounts part): an admin's or a session's change and its audit entry are
 * one transaction. The audit append is made to fail once; the change must not be there after.
 */
const PASSWORD = 'correct horse battery staple';

describeEachDialect('account changes and their audit entries are one transaction on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let admin: TestUser;

  /** Runs `fn` with the next audit append failing, then restores the real one. */
  async function withFailingAudit<T>(fn: () => Promise<T>): Promise<T> {
    const spy = vi.spyOn(ctx.services.audit, 'append').mockRejectedValueOnce(new Error('audit disk full'));
    try {
      return await fn();
    } finally {
      spy.mockRestore();
    }
  }
  const user = (id: number) =>
    ctx.services.database.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const sessionsOf = async (id: number) =>
    (
      await ctx.services.database.db
        .selectFrom('sessions')
        .select('id_hash')
        .where('user_id', '=', id)
        .execute()
    ).length;

  beforeAll(async () => {
    ctx = await testServices(dialect);
    app = await testApp(ctx.services);
    admin = await makeUser(ctx.services, 'admin', 'Ops');
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  async function operator(org: string) {
    const u = await makeUser(ctx.services, 'operator', org);
    const id = await ctx.services.accounts.userIdOf(u.email);
    await ctx.services.sessions.setPassword(id, PASSWORD);
    return { ...u, id };
  }

  it('disabling a user', async () => {
    const op = await operator('Disable Co');
    const res = await withFailingAudit(() =>
      as(app, admin).put(`/api/v1/admin/users/${op.id}/disabled`, { disabled: true }),
    );
    expect(res.statusCode).toBe(500);
    expect((await user(op.id)).disabled_at).toBeNull();
    expect((await as(app, op).get('/api/v1/me')).statusCode).toBe(200);
  });

  it('creating a user', async () => {
    const res = await withFailingAudit(() =>
      as(app, admin).post('/api/v1/admin/users', {
        email: 'never-created@atomic.example',
        organization: 'Atomic Org',
        role: 'operator',
      }),
    );
    expect(res.statusCode).toBe(500);
    const row = await ctx.services.database.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'never-created@atomic.example')
      .executeTakeFirst();
    expect(row).toBeUndefined();
  });

  it("resetting a user's password", async () => {
    const op = await operator('Reset Co');
    const before = (await user(op.id)).password_hash;
    const res = await withFailingAudit(() =>
      as(app, admin).post(`/api/v1/admin/users/${op.id}/password-reset`, {}),
    );
    expect(res.statusCode).toBe(500);
    expect((await user(op.id)).password_hash).toBe(before);
  });

  it("revoking a user's token", async () => {
    const op = await operator('Revoke Co');
    const [token] = await ctx.services.database.db
      .selectFrom('api_tokens')
      .select('id')
      .where('user_id', '=', op.id)
      .execute();
    const res = await withFailingAudit(() =>
      as(app, admin).delete(`/api/v1/admin/users/${op.id}/tokens/${token!.id}`),
    );
    expect(res.statusCode).toBe(500);
    expect((await as(app, op).get('/api/v1/me')).statusCode).toBe(200);
  });

  it('signing in and signing out', async () => {
    const op = await operator('Session Co');
    await expect(withFailingAudit(() => ctx.services.sessions.login(op.email, PASSWORD, {}))).rejects.toThrow(
      'audit disk full',
    );
    expect(await sessionsOf(op.id)).toBe(0);
    const signIn = await ctx.services.sessions.login(op.email, PASSWORD, {});
    await expect(withFailingAudit(() => ctx.services.sessions.logout(signIn.principal))).rejects.toThrow(
      'audit disk full',
    );
    expect(await ctx.services.sessions.principalFor(signIn.cookieValue)).not.toBeNull();
  });

  it('a failed sign-in counts only with its audit entry', async () => {
    const op = await operator('Failure Co');
    await expect(
      withFailingAudit(() => ctx.services.sessions.login(op.email, 'wrong password!!', {})),
    ).rejects.toThrow('audit disk full');
    expect((await user(op.id)).failed_logins).toBe(0);
  });

  it("setting a password and removing a second factor (the CLI's path)", async () => {
    const op = await operator('Credential Co');
    const before = (await user(op.id)).password_hash;
    await expect(
      withFailingAudit(() => ctx.services.sessions.setPassword(op.id, 'another long password')),
    ).rejects.toThrow('audit disk full');
    expect((await user(op.id)).password_hash).toBe(before);
    await ctx.services.sessions.enrolTotp(op.id);
    await expect(withFailingAudit(() => ctx.services.sessions.resetMfa(op.id))).rejects.toThrow(
      'audit disk full',
    );
    expect((await user(op.id)).totp_enabled_at).not.toBeNull();
  });
});
