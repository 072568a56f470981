import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode, totpStep } from '../../../src/modules/auth/totp.js';
import { as, countRows, makeUser, testApp } from '../../support/api.js';
import { browserClient } from '../../support/browser-client.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';

/** The fields these tests read from answers. */
interface Body {
  mfa?: string;
  error: { code: string; message: string };
}

const PASSWORD = 'correct horse battery staple';
const browser = (app: FastifyInstance) => browserClient(app, PASSWORD);
const report = (ref: string, organization: string) => ({
  ref,
  channel: 'operator_report',
  received_at: '2023-10-05T08:00:00+09:00',
  organization,
  sector: 'electricity',
  title: 'phishing',
  description: '標的型メール',
  stage: 'initial',
  event: 'confidentiality.leak',
  causes: ['intentional.suspicious_email'],
  attack_type: null,
});

describeEachDialect('sign-in, sessions and the second factor on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  const emails: Record<string, string> = {};

  beforeAll(async () => {
    ctx = await testServices(dialect, { KYOYU_LOGIN_ATTEMPTS_PER_10_MINUTES: '1000' });
    app = await testApp(ctx.services);
    for (const role of ['operator', 'center_analyst', 'admin'] as const) {
      const user = await makeUser(ctx.services, role, role === 'operator' ? 'Alpha Power' : 'Center');
      await ctx.services.sessions.setPassword(await ctx.services.accounts.userIdOf(user.email), PASSWORD);
      emails[role] = user.email;
    }
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('an operator signs in: an httpOnly SameSite=Strict cookie, and the API answers to it', async () => {
    const b = browser(app);
    const res = await b.login(emails.operator!);
    expect(res.statusCode).toBe(200);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(res.json<Body>()).toMatchObject({ mfa: 'not_required', user: { role: 'operator' } });
    expect((await b.get('/api/v1/me')).json<Body>()).toMatchObject({ email: emails.operator });
    const created = await b.post('/api/v1/incidents', report('S-1', 'Alpha Power'));
    expect(created.statusCode, created.body).toBe(201);
  });

  it('sign-ins, failures and sign-outs are in the audit trail (never the password)', async () => {
    const b = browser(app);
    await b.login(emails.operator!, 'a wrong password!');
    await b.login(emails.operator!);
    await b.post('/api/v1/auth/logout');
    const rows = await ctx.services.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor', 'ip', 'request_id', 'details'])
      .where('actor', '=', emails.operator!)
      .where('action', 'like', 'auth.%')
      .orderBy('id')
      .execute();
    const actions = rows.map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['auth.login_failed', 'auth.login', 'auth.logout']));
    expect(rows.every((r) => r.ip && r.request_id)).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(PASSWORD);
  });

  it('a wrong password and an unknown email get the same answer', async () => {
    const wrong = await browser(app).login(emails.operator!, 'not the password at all');
    const unknown = await browser(app).login('nobody@test.example', 'not the password at all');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json<Body>().error.code).toBe('invalid_credentials');
    expect(unknown.json<Body>().error).toEqual(wrong.json<Body>().error);
  });

  it('a cookie-authenticated write without the CSRF token is refused and stores nothing', async () => {
    const b = browser(app);
    await b.login(emails.operator!);
    const before = await countRows(ctx.services, 'incidents');
    const res = await b.post('/api/v1/incidents', report('S-2', 'Alpha Power'), {}, false);
    expect(res.statusCode).toBe(403);
    expect(res.json<Body>().error.code).toBe('csrf_failed');
    expect(await countRows(ctx.services, 'incidents')).toBe(before);
  });

  it('a stolen session cookie cannot be used from a cross-site form', async () => {
    const b = browser(app);
    await b.login(emails.operator!);
    const before = await countRows(ctx.services, 'incidents');
    // What a forged form on another site makes the browser send (if it sent the cookie at all).
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/incidents',
      headers: {
        cookie: `kyoyu_session=${b.cookie}`,
        origin: 'https://attacker.example',
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: 'ref=S-3&channel=operator_report&title=x',
    });
    expect(res.statusCode).toBe(403);
    expect(res.json<Body>().error.code).toBe('csrf_failed');
    // Even with the token guessed right, another origin is refused.
    const withToken = await b.post('/api/v1/incidents', report('S-3', 'Alpha Power'), {
      origin: 'https://attacker.example',
    });
    expect(withToken.statusCode).toBe(403);
    expect(await countRows(ctx.services, 'incidents')).toBe(before);
  });

  it('changing the password needs the current one and ends the sessions', async () => {
    const user = await makeUser(ctx.services, 'operator', 'Change Co');
    await ctx.services.sessions.setPassword(await ctx.services.accounts.userIdOf(user.email), PASSWORD);
    const b = browser(app);
    await b.login(user.email);
    const wrong = await b.post('/api/v1/auth/password', {
      current_password: 'not it at all',
      new_password: 'x'.repeat(12),
    });
    expect(wrong.json<Body>().error.code).toBe('invalid_credentials');
    const short = await b.post('/api/v1/auth/password', {
      current_password: PASSWORD,
      new_password: 'short',
    });
    expect(short.json<Body>().error.code).toBe('weak_password');
    const cookie = b.cookie;
    const ok = await b.post('/api/v1/auth/password', {
      current_password: PASSWORD,
      new_password: 'a brand new passphrase',
    });
    expect(ok.statusCode).toBe(204);
    const old = await app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie: `kyoyu_session=${cookie}` },
    });
    expect(old.statusCode).toBe(401);
    expect((await browser(app).login(user.email, 'a brand new passphrase')).statusCode).toBe(200);
  });

  it('signing out ends the session', async () => {
    const b = browser(app);
    await b.login(emails.operator!);
    const cookie = b.cookie;
    expect((await b.post('/api/v1/auth/logout')).statusCode).toBe(204);
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie: `kyoyu_session=${cookie}` },
    });
    expect(res.statusCode).toBe(401);
  });

  it('a center analyst without the second factor reaches only the sign-in routes, then sets one up', async () => {
    const b = browser(app);
    const login = await b.login(emails.center_analyst!);
    expect(login.json<Body>().mfa).toBe('setup_required');
    for (const url of ['/api/v1/incidents', '/api/v1/me', '/api/v1/stats/info-sharing?fy=2023']) {
      const res = await b.get(url);
      expect(res.statusCode, url).toBe(401);
      expect(res.json<Body>().error.code).toBe('mfa_required');
    }
    // Setting up a second factor needs the password again.
    const noPassword = await b.post('/api/v1/auth/totp/setup', { password: 'not the password' });
    expect(noPassword.json<Body>().error.code).toBe('invalid_credentials');
    const setup = await b.post('/api/v1/auth/totp/setup', { password: PASSWORD });
    expect(setup.statusCode).toBe(200);
    const { secret } = setup.json<{ secret: string }>();
    // Stored sealed: a copy of the database alone does not give the second factor away.
    const stored = await ctx.services.database.db
      .selectFrom('users')
      .select('totp_secret')
      .where('email', '=', emails.center_analyst!)
      .executeTakeFirstOrThrow();
    expect(stored.totp_secret).toMatch(/^v1\./);
    expect(stored.totp_secret).not.toContain(secret);
    expect((await b.post('/api/v1/auth/totp/enable', { code: '000000' })).statusCode).toBe(401);
    const enabled = await b.post('/api/v1/auth/totp/enable', {
      code: totpCode(secret, totpStep(Date.now())),
    });
    expect(enabled.json<Body>().mfa).toBe('verified');
    expect((await b.get('/api/v1/incidents')).statusCode).toBe(200);

    // The next sign-in asks for a code; a wrong one is refused, a used one cannot be replayed.
    const next = browser(app);
    expect((await next.login(emails.center_analyst!)).json<Body>().mfa).toBe('required');
    const classify = await next.post('/api/v1/incidents/1/classification', {});
    expect(classify.json<Body>().error.code).toBe('mfa_required');
    expect((await next.get('/api/v1/incidents')).json<Body>().error.code).toBe('mfa_required');
    expect((await next.post('/api/v1/auth/mfa', { code: '123456' })).json<Body>().error.code).toBe(
      'mfa_invalid',
    );
    const used = totpCode(secret, totpStep(Date.now()));
    const replay = await next.post('/api/v1/auth/mfa', { code: used });
    if (replay.statusCode === 401) {
      expect(replay.json<Body>().error.code).toBe('mfa_invalid');
      const fresh = await next.post('/api/v1/auth/mfa', { code: totpCode(secret, totpStep(Date.now()) + 1) });
      expect(fresh.json<Body>().mfa).toBe('verified');
    } else {
      // The step changed between enabling and now: the current code is a new one, accepted once.
      expect(replay.json<Body>().mfa).toBe('verified');
    }
    expect((await next.get('/api/v1/incidents')).statusCode).toBe(200);
  });

  it('an admin token does not bypass the second factor of a cookie session', async () => {
    const b = browser(app);
    expect((await b.login(emails.admin!)).json<Body>().mfa).toBe('setup_required');
    expect((await b.get('/api/v1/incidents')).statusCode).toBe(401);
  });

  it('five wrong passwords lock the account, even against the right one, until unlocked', async () => {
    const user = await makeUser(ctx.services, 'operator', 'Lock Co');
    const id = await ctx.services.accounts.userIdOf(user.email);
    await ctx.services.sessions.setPassword(id, PASSWORD);
    for (let i = 0; i < 5; i++)
      expect((await browser(app).login(user.email, 'wrong password!!')).statusCode).toBe(401);
    // Locked, it answers like a wrong password (no 429 that tells a real account from an unknown one).
    const locked = await browser(app).login(user.email);
    expect(locked.statusCode).toBe(401);
    expect(locked.json<Body>().error.code).toBe('invalid_credentials');
    await ctx.services.sessions.unlock(id);
    expect((await browser(app).login(user.email)).statusCode).toBe(200);
  });

  it('a session ends after the idle time and after its lifetime', async () => {
    const { cookieValue } = await ctx.services.sessions.login(emails.operator!, PASSWORD, {});
    const now = Date.now();
    expect(await ctx.services.sessions.principalFor(cookieValue, now + 29 * 60_000)).not.toBeNull();
    expect(await ctx.services.sessions.principalFor(cookieValue, now + 29 * 60_000 + 31 * 60_000)).toBeNull();
    const second = await ctx.services.sessions.login(emails.operator!, PASSWORD, {});
    expect(await ctx.services.sessions.principalFor(second.cookieValue, now + 13 * 3_600_000)).toBeNull();
  });

  it('a bad Authorization header is refused even with a good cookie (no silent fallback)', async () => {
    const b = browser(app);
    await b.login(emails.operator!);
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie: `kyoyu_session=${b.cookie}`, authorization: 'Bearer kyo_forged' },
    });
    expect(res.statusCode).toBe(401);
  });
});

describeEachDialect('API token scopes and expiry on %s', (dialect) => {
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

  it('a read-only token reads but cannot write; a role cannot be widened by scopes', async () => {
    const user = await makeUser(ctx.services, 'operator', 'Scope Co');
    const token = await ctx.services.accounts.createToken(user.email, { scopes: ['read'] });
    const reader = as(app, { ...user, token });
    expect((await reader.get('/api/v1/incidents')).statusCode).toBe(200);
    const write = await reader.post('/api/v1/incidents', report('T-1', 'Scope Co'));
    expect(write.statusCode).toBe(403);
    expect(await countRows(ctx.services, 'incidents')).toBe(0);
    await expect(
      ctx.services.accounts.createToken(user.email, { scopes: ['classify'] }),
    ).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });

  it('an expired token is refused', async () => {
    const user = await makeUser(ctx.services, 'operator', 'Expiry Co');
    const token = await ctx.services.accounts.createToken(user.email, { expiresInDays: 1 });
    await ctx.services.database.db
      .updateTable('api_tokens')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('label', '=', 'cli')
      .where('expires_at', 'is not', null)
      .execute();
    expect((await as(app, { ...user, token }).get('/api/v1/me')).statusCode).toBe(401);
  });
});

describe('sign-in attempts per address', () => {
  it('are limited across the whole window, whoever the email', async () => {
    const ctx = await testServices('sqlite', { KYOYU_LOGIN_ATTEMPTS_PER_10_MINUTES: '3' });
    const app = await testApp(ctx.services);
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++)
        codes.push((await browser(app).login(`x${i}@test.example`, 'whatever password')).statusCode);
      expect(codes).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await app.close();
      await ctx.close();
    }
  });
});
