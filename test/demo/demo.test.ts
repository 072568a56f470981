import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadDemo } from '../../src/demo/demo.js';
import { publishedTables } from '../../src/modules/stats/published.js';
import { totpCode, totpStep } from '../../src/modules/auth/totp.js';
import type { TestContext } from '../support/databases.js';
import { describeEachDialect, testServices } from '../support/databases.js';

describeEachDialect('the demo on %s', (dialect) => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await testServices(dialect);
  });
  afterAll(() => ctx?.close());

  it('loads the published FY2019-FY2023 figures exactly, FY2024 records, a working token and sign-in per role', async () => {
    const { accounts, lines } = await loadDemo(ctx.services);
    expect(lines).toBeGreaterThan(1000);
    const fy2023 = await ctx.services.stats.infoSharing(2023, 4);
    expect(fy2023.tables).toEqual(publishedTables());
    expect(fy2023.column_sources.slice(0, 4)).toEqual([
      'aggregates',
      'aggregates',
      'aggregates',
      'aggregates',
    ]);
    const fy2024 = await ctx.services.stats.infoSharing(2024, 0);
    expect(fy2024.tables.channels.operator_report!.at(-1)).toBeGreaterThan(0);
    expect(accounts.map((a) => a.role)).toEqual([
      'operator',
      'sector_desk',
      'center_analyst',
      'admin',
      'admin',
    ]);
    for (const account of accounts) {
      expect((await ctx.services.accounts.actorForToken(account.token))?.role).toBe(account.role);
      // The printed password signs in; the center and admin also need the printed second factor.
      const signIn = await ctx.services.sessions.login(account.email, account.password, {});
      const needsCode = account.role === 'center_analyst' || account.role === 'admin';
      expect(signIn.principal.mfa).toBe(needsCode ? 'required' : 'not_required');
      if (needsCode) {
        const code = totpCode(account.totpSecret!, totpStep(Date.now()));
        expect((await ctx.services.sessions.verifyMfa(signIn.principal, code)).principal.mfa).toBe(
          'verified',
        );
      }
    }
  });
});
