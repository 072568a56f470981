import { afterAll, beforeAll, expect, it } from 'vitest';
import { cli, cliWithInput } from '../support/cli.js';
import type { TestContext } from '../support/databases.js';
import { describeEachDialect, testServices } from '../support/databases.js';

describeEachDialect('kyoyu admin (accounts) on %s', (dialect) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await testServices(dialect);
  });
  afterAll(() => ctx?.close());

  const login = (email: string, password: string) => ctx.services.sessions.login(email, password, {});

  it('create-user with a password from standard input; the password signs in', async () => {
    const res = await cliWithInput(
      ctx.url,
      'a long enough password\n',
      'admin',
      'create-user',
      '--email',
      'op@cli.example',
      '--org',
      'CLI Power',
      '--role',
      'operator',
      '--password-stdin',
    );
    expect(res.code, res.err).toBe(0);
    expect((await login('op@cli.example', 'a long enough password')).principal.actor.role).toBe('operator');
  });

  it('a short password is refused with a stable code and nothing changes', async () => {
    const res = await cliWithInput(
      ctx.url,
      'short\n',
      'admin',
      'reset-password',
      '--email',
      'op@cli.example',
      '--password-stdin',
    );
    expect(res.code).toBe(1);
    expect(res.err).toMatch(/weak_password/);
    expect((await login('op@cli.example', 'a long enough password')).principal).toBeTruthy();
  });

  it('reset-password prints a temporary password on the last line and ends the sessions', async () => {
    const before = await login('op@cli.example', 'a long enough password');
    const res = await cli(ctx.url, 'admin', 'reset-password', '--email', 'op@cli.example');
    expect(res.code, res.err).toBe(0);
    const temporary = res.out.trim().split('\n').at(-1)!;
    expect(temporary).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(await ctx.services.sessions.principalFor(before.cookieValue)).toBeNull();
    await expect(login('op@cli.example', 'a long enough password')).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
    expect((await login('op@cli.example', temporary)).principal.mfa).toBe('not_required');
  });

  it('create-token with narrower scopes and an expiry; a scope beyond the role is refused', async () => {
    const res = await cli(
      ctx.url,
      'admin',
      'create-token',
      '--email',
      'op@cli.example',
      '--scopes',
      'read',
      '--expires-days',
      '7',
    );
    expect(res.code, res.err).toBe(0);
    const actor = await ctx.services.accounts.actorForToken(res.out.trim().split('\n').at(-1)!);
    expect([...(actor?.scopes ?? [])]).toEqual(['read']);
    const refused = await cli(
      ctx.url,
      'admin',
      'create-token',
      '--email',
      'op@cli.example',
      '--scopes',
      'admin',
    );
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/validation_failed/);
  });

  it('unlock lifts a lockout; reset-mfa removes a second factor', async () => {
    const id = await ctx.services.accounts.userIdOf('op@cli.example');
    await ctx.services.sessions.setPassword(id, 'a long enough password');
    for (let i = 0; i < 5; i++) await login('op@cli.example', 'wrong password').catch(() => undefined);
    // Locked: the right password is refused like a wrong one.
    await expect(login('op@cli.example', 'a long enough password')).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
    expect((await cli(ctx.url, 'admin', 'unlock', '--email', 'op@cli.example')).code).toBe(0);
    await ctx.services.sessions.enrolTotp(id);
    expect((await login('op@cli.example', 'a long enough password')).principal.mfa).toBe('required');
    expect((await cli(ctx.url, 'admin', 'reset-mfa', '--email', 'op@cli.example')).code).toBe(0);
    expect((await login('op@cli.example', 'a long enough password')).principal.mfa).toBe('not_required');
  });
});
