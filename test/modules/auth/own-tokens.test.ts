import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { as, makeUser, testApp } from '../../support/api.js';
import { browserClient } from '../../support/browser-client.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';

const PASSWORD = 'correct horse battery staple';

describeEachDialect("a user's own API tokens on %s", (dialect) => {
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

  it('issues (within the role, for a limited time), lists and revokes them from a session', async () => {
    const user = await makeUser(ctx.services, 'operator', 'Own Co');
    const other = await makeUser(ctx.services, 'operator', 'Other Co');
    await ctx.services.sessions.setPassword(await ctx.services.accounts.userIdOf(user.email), PASSWORD);
    const b = browserClient(app, PASSWORD);
    await b.login(user.email);
    const wide = await b.post('/api/v1/me/tokens', { label: 'too wide', scopes: ['classify'] });
    expect(wide.statusCode).toBe(400);
    const forever = await b.post('/api/v1/me/tokens', { label: 'forever', expires_in_days: 5000 });
    expect(forever.statusCode).toBe(400);
    const issued = await b.post('/api/v1/me/tokens', {
      label: 'dashboard',
      scopes: ['read'],
      expires_in_days: 30,
    });
    expect(issued.statusCode, issued.body).toBe(201);
    const token = issued.json<{ token: string }>().token;
    const reader = as(app, { ...user, token });
    expect((await reader.get('/api/v1/me')).statusCode).toBe(200);
    expect((await reader.post('/api/v1/incidents', {})).statusCode).toBe(403);
    // A token mints no tokens: issuing needs the signed-in session.
    expect((await as(app, user).post('/api/v1/me/tokens', { label: 'from a token' })).statusCode).toBe(401);

    const listed = (await b.get('/api/v1/me/tokens')).json<
      Array<{ id: number; label: string; expires_at: string }>
    >();
    expect(JSON.stringify(listed)).not.toContain(token);
    const mine = listed.find((t) => t.label === 'dashboard')!;
    const days = (Date.parse(mine.expires_at) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29);
    expect(days).toBeLessThan(31);
    // Someone else's token id answers like a missing one and is left alone.
    const [theirs] = await ctx.services.database.db
      .selectFrom('api_tokens')
      .innerJoin('users', 'users.id', 'api_tokens.user_id')
      .select('api_tokens.id')
      .where('users.email', '=', other.email)
      .execute();
    expect((await b.delete(`/api/v1/me/tokens/${theirs!.id}`)).statusCode).toBe(404);
    expect((await as(app, other).get('/api/v1/me')).statusCode).toBe(200);
    expect((await b.delete(`/api/v1/me/tokens/${mine.id}`)).statusCode).toBe(204);
    expect((await reader.get('/api/v1/me')).statusCode).toBe(401);
    const actions = await ctx.services.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'in', ['auth.token_create', 'auth.token_revoke'])
      .execute();
    expect(actions.map((a) => a.action).sort()).toEqual(['auth.token_create', 'auth.token_revoke']);
  });
});
