import { afterAll, beforeAll, expect, it } from 'vitest';
import { demoOtpauthUri, demoToken, demoTotpSecret } from '../../src/demo/credentials.js';
import { loadDemo } from '../../src/demo/demo.js';
import { publishedTables } from '../../src/modules/stats/published.js';
import { totpCode, totpStep } from '../../src/modules/auth/totp.js';
import type { TestContext } from '../support/databases.js';
import { describeEachDialect, testServices } from '../support/databases.js';

/** The demo's today, pinned: FY2025's second quarter (the test must not depend on the real date). */
const NOW = new Date('2025-08-20T03:00:00Z');

describeEachDialect('the demo on %s', (dialect) => {
  let ctx: TestContext;
  let again: TestContext;
  beforeAll(async () => {
    ctx = await testServices(dialect);
    again = await testServices(dialect);
  });
  afterAll(async () => {
    await ctx?.close();
    await again?.close();
  });

  it('loads the published FY2019-FY2023 figures exactly, a working token and sign-in per role', async () => {
    const { accounts, lines } = await loadDemo(ctx.services, { now: NOW });
    expect(lines).toBeGreaterThan(1000);
    const fy2023 = await ctx.services.stats.infoSharing(2023, 4);
    expect(fy2023.tables).toEqual(publishedTables());
    expect(fy2023.column_sources.slice(0, 4)).toEqual([
      'aggregates',
      'aggregates',
      'aggregates',
      'aggregates',
    ]);
    expect(accounts.map((a) => a.role)).toEqual([
      'operator',
      'sector_desk',
      'center_analyst',
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
        expect(account.otpauthUri).toContain(`secret=${account.totpSecret}`);
        const code = totpCode(account.totpSecret!, totpStep(Date.now()));
        expect((await ctx.services.sessions.verifyMfa(signIn.principal, code)).principal.mfa).toBe(
          'verified',
        );
      }
    }
  });

  it('the running fiscal year and its previous five have data, up to today; ended quarters closed', async () => {
    const fy2025 = await ctx.services.stats.infoSharing(2025, 5);
    expect(fy2025.columns).toEqual([
      'FY2020',
      'FY2021',
      'FY2022',
      'FY2023',
      'FY2024',
      'FY2025Q1',
      'FY2025Q2',
      'FY2025Q3',
      'FY2025Q4',
      'FY2025',
    ]);
    const operator = fy2025.tables.channels.operator_report!;
    // Every past year and the running quarter hold reports; the quarters to come hold none.
    for (const i of [0, 1, 2, 3, 4, 5, 6, 9]) expect(operator[i]).toBeGreaterThan(0);
    expect([operator[7], operator[8]]).toEqual([0, 0]);
    expect(fy2025.column_states.slice(5, 9)).toEqual(['closed', 'open', 'open', 'open']);
    const latest = await ctx.services.database.db
      .selectFrom('incidents')
      .select((eb) => eb.fn.max('last_received_at').as('at'))
      .executeTakeFirstOrThrow();
    expect(new Date(String(latest.at)).getTime()).toBeLessThanOrEqual(NOW.getTime());
  });

  it('turns provisions of FY2023 and the running year into advisories with receipts in every state', async () => {
    const { db } = ctx.services.database;
    const advisories = await db
      .selectFrom('advisories as a')
      .innerJoin('incidents as i', 'i.id', 'a.incident_id')
      .select(['a.id', 'i.ref', 'i.audience', 'i.channel'])
      .execute();
    expect(advisories.some((a) => a.ref.startsWith('FY2023-'))).toBe(true);
    expect(advisories.some((a) => a.ref.startsWith('FY2025-'))).toBe(true);
    expect(new Set(advisories.map((a) => `${a.channel}/${a.audience}`))).toEqual(
      new Set(['center_provision/addressed']),
    );
    const receipts = await db.selectFrom('advisory_receipts').selectAll().execute();
    const states = new Set(
      receipts.map((r) =>
        r.action_status ? 'acted' : r.acknowledged_at ? 'acknowledged' : r.read_at ? 'read' : 'untouched',
      ),
    );
    expect(states).toEqual(new Set(['acted', 'acknowledged', 'read', 'untouched']));
    const everyone = await db
      .selectFrom('record_audience')
      .select('incident_id')
      .where('member', '=', 'all')
      .execute();
    expect(everyone.length).toBeGreaterThan(0);
    const operator = await db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'operator@demo.kyoyu.example')
      .executeTakeFirstOrThrow();
    const inbox = await db
      .selectFrom('notifications')
      .select('id')
      .where('user_id', '=', operator.id)
      .where('kind', '=', 'advisory')
      .execute();
    expect(inbox.length).toBeGreaterThan(0);
    // Published as STIX into the TAXII collections of their audiences: everyone's and the sectors'.
    const published = await db
      .selectFrom('taxii_objects as o')
      .innerJoin('taxii_collections as c', 'c.id', 'o.collection_id')
      .select(['c.key'])
      .where('o.type', '=', 'report')
      .execute();
    const keys = new Set(published.map((p) => p.key));
    expect(keys.has('public')).toBe(true);
    expect(keys.has('sector:electricity')).toBe(true);
  });

  it('gives the same credentials on every start, derived from the seed', async () => {
    const earlier = new Date('2024-06-01T00:00:00Z');
    const one = await loadDemo(again.services, { now: earlier });
    const fresh = await testServices(dialect);
    try {
      const two = await loadDemo(fresh.services, { now: earlier });
      const creds = (r: typeof one) => r.accounts.map((a) => [a.email, a.token, a.totpSecret ?? null]);
      expect(creds(two)).toEqual(creds(one));
      const other = await testServices(dialect);
      try {
        const seeded = await loadDemo(other.services, { now: earlier, seed: 'another seed' });
        for (const [i, a] of seeded.accounts.entries()) {
          expect(a.token).not.toBe(one.accounts[i]!.token);
          expect(a.token).toBe(demoToken('another seed', a.email));
          if (a.totpSecret) expect(a.totpSecret).not.toBe(one.accounts[i]!.totpSecret);
        }
      } finally {
        await other.close();
      }
    } finally {
      await fresh.close();
    }
    for (const a of one.accounts) {
      expect(a.token).toMatch(/^kyo_[A-Za-z0-9_-]{43}$/);
      if (a.totpSecret) {
        expect(a.totpSecret).toBe(demoTotpSecret('kyoyu-demo', a.email));
        expect(a.otpauthUri).toBe(demoOtpauthUri(a.totpSecret, a.email));
      }
    }
  });
});
