import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config.js';
import { totpCode, totpStep } from '../../../src/modules/auth/totp.js';
import type { TestUser } from '../../support/api.js';
import { as, makeUser, testApp } from '../../support/api.js';
import { browserClient } from '../../support/browser-client.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';

/** Issue 9, finding 7 (the account part): each hole, shown closed. */
const PASSWORD = 'correct horse battery staple';
interface Body {
  mfa?: string;
  csrf_token?: string;
  password_change_required?: boolean;
  error: { code: string };
}

it('KYOYU_TRUST_PROXY=true is refused; a hop count or an address list is accepted', () => {
  expect(() => loadConfig({ KYOYU_TRUST_PROXY: 'true' })).toThrow(ConfigError);
  expect(loadConfig({ KYOYU_TRUST_PROXY: '1' }).trustProxy).toBe(1);
  expect(loadConfig({ KYOYU_TRUST_PROXY: '10.0.0.5, 10.1.0.0/16' }).trustProxy).toEqual([
    '10.0.0.5',
    '10.1.0.0/16',
  ]);
  expect(loadConfig({}).trustProxy).toBe(false);
  expect(() => loadConfig({ KYOYU_TRUST_PROXY: 'proxy.example' })).toThrow(ConfigError);
});

describeEachDialect('sign-in and token holes on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let admin: TestUser;
  const browser = () => browserClient(app, PASSWORD);

  async function operatorWithPassword(org: string) {
    const user = await makeUser(ctx.services, 'operator', org);
    const id = await ctx.services.accounts.userIdOf(user.email);
    await ctx.services.sessions.setPassword(id, PASSWORD);
    return { ...user, id };
  }

  beforeAll(async () => {
    ctx = await testServices(dialect, {
      KYOYU_TRUST_PROXY: '1',
      KYOYU_LOGIN_ATTEMPTS_PER_10_MINUTES: '6',
      KYOYU_BAD_TOKENS_PER_MINUTE: '5',
    });
    app = await testApp(ctx.services);
    admin = await makeUser(ctx.services, 'admin', 'Ops');
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('behind one proxy, the address is the one the proxy saw: rotating X-Forwarded-For neither bypasses the sign-in limit nor forges the audit address', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: '10.0.0.1',
        headers: { 'x-forwarded-for': `198.51.100.${i + 1}, 203.0.113.7` },
        payload: { email: `nobody${i}@proxy.example`, password: 'whatever password' },
      });
      codes.push(res.statusCode);
    }
    expect(codes).toEqual([401, 401, 401, 401, 401, 401, 429, 429]);
    const rows = await ctx.services.database.db
      .selectFrom('audit_log')
      .select('ip')
      .where('action', '=', 'auth.login_failed')
      .execute();
    expect(rows.map((r) => r.ip)).toEqual(Array(6).fill('203.0.113.7'));
  });

  it('a locked real account answers exactly like an unknown email, after the same hash work', async () => {
    const user = await operatorWithPassword('Locked Co');
    // Other addresses than the limit test's, so the per-address limit does not answer first.
    const login = (email: string, password: string, n: number) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: `10.9.${n}.1`,
        payload: { email, password },
      });
    for (let i = 0; i < 5; i++) await login(user.email, 'wrong password!!', i);
    const timed = async (email: string, n: number) => {
      const started = performance.now();
      const res = await login(email, PASSWORD, n);
      return { res, ms: performance.now() - started };
    };
    const locked = await timed(user.email, 10);
    const unknown = await timed('nobody-at-all@locked.example', 11);
    expect(locked.res.statusCode).toBe(401);
    expect(unknown.res.statusCode).toBe(401);
    expect(locked.res.json<Body>().error.code).toBe('invalid_credentials');
    expect(unknown.res.json<Body>().error.code).toBe('invalid_credentials');
    expect(locked.res.headers['retry-after']).toBeUndefined();
    // scrypt takes tens of milliseconds; a refusal without it takes about one.
    expect(locked.ms).toBeGreaterThan(unknown.ms / 3);
  });

  it('setting up or removing a second factor needs the current password', async () => {
    const user = await operatorWithPassword('Reauth Co');
    const b = browser();
    await b.login(user.email);
    const refused = await b.post('/api/v1/auth/totp/setup', { password: 'not the password!' });
    expect(refused.statusCode).toBe(401);
    expect(refused.json<Body>().error.code).toBe('invalid_credentials');
    const row = () =>
      ctx.services.database.db
        .selectFrom('users')
        .select(['totp_secret', 'totp_enabled_at'])
        .where('id', '=', user.id)
        .executeTakeFirstOrThrow();
    expect((await row()).totp_secret).toBeNull();
    const setup = await b.post('/api/v1/auth/totp/setup', { password: PASSWORD });
    expect(setup.statusCode, setup.body).toBe(200);
    const { secret } = setup.json<{ secret: string }>();
    const enabled = await b.post('/api/v1/auth/totp/enable', {
      code: totpCode(secret, totpStep(Date.now())),
    });
    expect(enabled.json<Body>().mfa).toBe('verified');
    const keep = await b.post('/api/v1/auth/totp/remove', { password: 'not the password!' });
    expect(keep.json<Body>().error.code).toBe('invalid_credentials');
    expect((await row()).totp_enabled_at).not.toBeNull();
    const removed = await b.post('/api/v1/auth/totp/remove', { password: PASSWORD });
    expect(removed.statusCode, removed.body).toBe(200);
    expect((await row()).totp_enabled_at).toBeNull();
  });

  it('the second factor gives the session a new id and CSRF token; the old id is dead', async () => {
    const user = await operatorWithPassword('Fixation Co');
    const secret = await ctx.services.sessions.enrolTotp(user.id);
    const b = browser();
    const login = await b.login(user.email);
    expect(login.json<Body>().mfa).toBe('required');
    const before = { cookie: b.cookie, csrf: login.json<Body>().csrf_token };
    const verified = await b.post('/api/v1/auth/mfa', { code: totpCode(secret, totpStep(Date.now())) });
    expect(verified.json<Body>().mfa).toBe('verified');
    expect(b.cookie).toBeDefined();
    expect(b.cookie).not.toBe(before.cookie);
    expect(verified.json<Body>().csrf_token).not.toBe(before.csrf);
    expect((await b.get('/api/v1/me')).statusCode).toBe(200);
    const old = await app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie: `kyoyu_session=${before.cookie}` },
    });
    expect(old.statusCode).toBe(401);
  });

  it('a temporary password reaches only the password change until it is changed', async () => {
    const user = await operatorWithPassword('Temporary Co');
    const reset = await as(app, admin).post(`/api/v1/admin/users/${user.id}/password-reset`, {});
    const temporary = reset.json<{ temporary_password: string }>().temporary_password;
    const b = browser();
    const login = await b.login(user.email, temporary);
    expect(login.json<Body>().password_change_required).toBe(true);
    for (const url of ['/api/v1/incidents', '/api/v1/me', '/api/v1/me/tokens']) {
      const res = await b.get(url);
      expect(res.statusCode, url).toBe(403);
      expect(res.json<Body>().error.code).toBe('password_change_required');
    }
    expect((await b.get('/api/v1/auth/session')).statusCode).toBe(200);
    const changed = await b.post('/api/v1/auth/password', {
      current_password: temporary,
      new_password: 'my very own passphrase',
    });
    expect(changed.statusCode, changed.body).toBe(204);
    const next = browser();
    const again = await next.login(user.email, 'my very own passphrase');
    expect(again.json<Body>().password_change_required).toBe(false);
    expect((await next.get('/api/v1/incidents')).statusCode).toBe(200);
  });

  it('disabling a user revokes its tokens for good: enabling it again revives none', async () => {
    const user = await makeUser(ctx.services, 'operator', 'Disabled Co');
    const id = await ctx.services.accounts.userIdOf(user.email);
    const api = as(app, admin);
    expect((await as(app, user).get('/api/v1/me')).statusCode).toBe(200);
    expect((await api.put(`/api/v1/admin/users/${id}/disabled`, { disabled: true })).statusCode).toBe(204);
    expect((await api.put(`/api/v1/admin/users/${id}/disabled`, { disabled: false })).statusCode).toBe(204);
    expect((await as(app, user).get('/api/v1/me')).statusCode).toBe(401);
    const tokens = await api.get(`/api/v1/admin/users/${id}/tokens`);
    expect(tokens.json<Array<{ revoked_at: string | null }>>().every((t) => t.revoked_at !== null)).toBe(
      true,
    );
  });

  it('unknown bearer tokens are limited per address; a valid token from there is not slowed', async () => {
    const user = await makeUser(ctx.services, 'operator', 'Token Co');
    const call = (token: string, ip: string) =>
      app.inject({
        method: 'GET',
        url: '/api/v1/me',
        remoteAddress: '10.0.0.1',
        headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': ip },
      });
    const forged = `kyo_${'A'.repeat(43)}`;
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) codes.push((await call(forged, '192.0.2.50')).statusCode);
    expect(codes).toEqual([401, 401, 401, 401, 401, 429, 429]);
    const limited = await call(forged, '192.0.2.50');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await call(user.token, '192.0.2.50')).statusCode).toBe(200);
    // Another address is not affected.
    expect((await call(forged, '192.0.2.51')).statusCode).toBe(401);
  });
});
